# A USAGE budget (gigabytes of S3 storage), not a cost budget: it says
# nothing about monthly spend.
resource "aws_budgets_budget" "prompt_logs_storage" {
  name         = "prompt-logs-s3-storage"
  budget_type  = "USAGE"
  limit_amount = "500"
  limit_unit   = "GB"
  time_unit    = "MONTHLY"

  cost_filter {
    name   = "UsageType"
    values = ["TimedStorage-ByteHrs"]
  }

  notification {
    comparison_operator        = "GREATER_THAN"
    threshold                  = 90
    threshold_type             = "PERCENTAGE"
    notification_type          = "ACTUAL"
    subscriber_email_addresses = ["ml-platform@example.com"]
  }
}
