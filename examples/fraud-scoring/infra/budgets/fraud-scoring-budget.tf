# Monthly AWS budget for fraud scoring (cost centre CC-7120), alerts to the spend owner and the SRE.
resource "aws_budgets_budget" "fraud_scoring" {
  name         = "fraud-scoring-monthly"
  budget_type  = "COST"
  limit_amount = "6000"
  limit_unit   = "EUR"
  time_unit    = "MONTHLY"

  cost_filter {
    name   = "TagKeyValue"
    values = ["user:service$fraud-scoring"]
  }

  dynamic "notification" {
    for_each = [50, 80, 100]
    content {
      comparison_operator        = "GREATER_THAN"
      threshold                  = notification.value
      threshold_type             = "PERCENTAGE"
      notification_type          = "ACTUAL"
      subscriber_email_addresses = ["ingrid.halvorsen@alderbank.example", "raj.patel@alderbank.example"]
    }
  }
}

resource "aws_ce_anomaly_monitor" "fraud_scoring" {
  name              = "fraud-scoring-daily"
  monitor_type      = "CUSTOM"
  monitor_specification = jsonencode({ Tags = { Key = "service", Values = ["fraud-scoring"] } })
}
