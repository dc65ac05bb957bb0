# A budget that tracks spend but tells nobody when it is exceeded:
# `notification` blocks are optional in aws_budgets_budget.
resource "aws_budgets_budget" "llm_monthly" {
  name              = "support-copilot-llm-monthly"
  budget_type       = "COST"
  limit_amount      = "6000"
  limit_unit        = "USD"
  time_unit         = "MONTHLY"
  time_period_start = "2026-11-01_00:00"

  cost_types {
    include_credit = false
    include_refund = false
  }
}
