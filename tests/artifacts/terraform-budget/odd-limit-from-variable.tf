# The limit is a variable without a default: its value comes from a
# *.tfvars file or TF_VAR_monthly_llm_budget in CI, so it is unknown here.
variable "monthly_llm_budget" {
  description = "Monthly LLM spend limit in USD"
  type        = string
}

variable "budget_emails" {
  type    = list(string)
  default = ["ml-platform@example.com"]
}

resource "aws_budgets_budget" "llm_monthly" {
  name         = "support-copilot-llm-monthly"
  budget_type  = "COST"
  limit_amount = var.monthly_llm_budget
  limit_unit   = "USD"
  time_unit    = "MONTHLY"

  notification {
    comparison_operator        = "GREATER_THAN"
    threshold                  = 90
    threshold_type             = "PERCENTAGE"
    notification_type          = "FORECASTED"
    subscriber_email_addresses = var.budget_emails
  }
}
