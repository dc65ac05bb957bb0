# The alarm fires at 80 % of 12,000 USD, i.e. only after 9,600 USD:
# well past the 6,000 USD a month the assessment budgets for.
resource "aws_budgets_budget" "llm_monthly" {
  name         = "support-copilot-llm-monthly"
  budget_type  = "COST"
  limit_amount = "12000"
  limit_unit   = "USD"
  time_unit    = "MONTHLY"

  notification {
    comparison_operator        = "GREATER_THAN"
    threshold                  = 80
    threshold_type             = "PERCENTAGE"
    notification_type          = "ACTUAL"
    subscriber_email_addresses = ["ml-platform@example.com"]
  }
}
