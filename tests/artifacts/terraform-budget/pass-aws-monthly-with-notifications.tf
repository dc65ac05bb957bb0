# Monthly cost guard for the support-copilot account (hashicorp/aws ~> 6.0).
resource "aws_budgets_budget" "llm_monthly" {
  name         = "support-copilot-llm-monthly"
  budget_type  = "COST"
  limit_amount = "6000"
  limit_unit   = "USD"
  time_unit    = "MONTHLY"

  cost_filter {
    name = "Service"
    values = [
      "Amazon Bedrock",
      "Amazon OpenSearch Service",
    ]
  }

  notification {
    comparison_operator        = "GREATER_THAN"
    threshold                  = 80
    threshold_type             = "PERCENTAGE"
    notification_type          = "ACTUAL"
    subscriber_email_addresses = ["ml-platform@example.com"]
  }

  notification {
    comparison_operator        = "GREATER_THAN"
    threshold                  = 100
    threshold_type             = "PERCENTAGE"
    notification_type          = "FORECASTED"
    subscriber_email_addresses = ["ml-platform@example.com", "finops@example.com"]
    subscriber_sns_topic_arns  = [aws_sns_topic.budget_alerts.arn]
  }

  tags = {
    team = "ml-platform"
  }
}

resource "aws_sns_topic" "budget_alerts" {
  name = "support-copilot-budget-alerts"
}
