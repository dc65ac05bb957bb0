# budgets.tf as it was pushed from a half-saved editor buffer.
resource "aws_budgets_budget" "llm_monthly" {
  name         = "support-copilot-llm-monthly"
  budget_type  = "COST"
  limit_amount = "6000"
  limit_unit   = "USD"
  time_unit    = "MONTHLY"

  notification {
    comparison_operator        = "GREATER_THAN"
    threshold                  = 80
    threshold_type             = "PERCENTAGE"
    notification_type          = "ACTUAL"
    subscriber_email_addresses = ["ml-platform@example.com"
