# Resource-group budget whose notifications were switched off during a
# noisy week and never switched back on.
resource "azurerm_consumption_budget_resource_group" "copilot" {
  name              = "budget-rg-support-copilot"
  resource_group_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-support-copilot"

  amount     = 4000
  time_grain = "Monthly"

  time_period {
    start_date = "2026-11-01T00:00:00Z"
    end_date   = "2027-11-01T00:00:00Z"
  }

  notification {
    enabled        = false
    threshold      = 90.0
    operator       = "GreaterThan"
    contact_emails = ["ml-platform@example.com"]
  }

  notification {
    enabled        = false
    threshold      = 100.0
    operator       = "GreaterThan"
    threshold_type = "Forecasted"
    contact_roles  = ["Owner", "Contributor"]
  }
}
