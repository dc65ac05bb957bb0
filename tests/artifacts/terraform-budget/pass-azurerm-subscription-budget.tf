# Subscription budget for the Azure OpenAI workload (hashicorp/azurerm ~> 4.0).
data "azurerm_subscription" "current" {}

resource "azurerm_monitor_action_group" "finops" {
  name                = "ag-finops"
  resource_group_name = "rg-observability"
  short_name          = "finops"

  email_receiver {
    name          = "finops"
    email_address = "finops@example.com"
  }
}

resource "azurerm_consumption_budget_subscription" "aoai" {
  name            = "budget-support-copilot-monthly"
  subscription_id = data.azurerm_subscription.current.id

  amount     = 6000
  time_grain = "Monthly"

  time_period {
    start_date = "2026-11-01T00:00:00Z"
  }

  filter {
    dimension {
      name   = "ResourceGroupName"
      values = ["rg-support-copilot"]
    }
  }

  notification {
    enabled        = true
    threshold      = 80.0
    operator       = "GreaterThan"
    threshold_type = "Actual"
    contact_emails = ["ml-platform@example.com"]
  }

  notification {
    enabled        = true
    threshold      = 100.0
    operator       = "GreaterThanOrEqualTo"
    threshold_type = "Forecasted"
    contact_groups = [azurerm_monitor_action_group.finops.id]
    contact_roles  = ["Owner"]
  }
}
