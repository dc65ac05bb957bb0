# Monthly budget and alerts for the Support Copilot (cost centre CC-4410).
resource "azurerm_consumption_budget_resource_group" "support_copilot" {
  name              = "support-copilot-monthly"
  resource_group_id = azurerm_resource_group.support_copilot.id
  amount            = 7500   # sized for the full roll-out (450 agents), see readiness.yaml cost
  time_grain        = "Monthly"

  time_period {
    start_date = "2026-09-01T00:00:00Z"
  }

  dynamic "notification" {
    for_each = [50, 80, 100]
    content {
      enabled        = true
      threshold      = notification.value
      operator       = "GreaterThanOrEqualTo"
      threshold_type = "Actual"
      contact_emails = ["maya.lindqvist@helio.example", "priya.raman@helio.example"]
    }
  }
}

# Daily spike rule: spend anomaly alert on the same resource group, same recipients.
resource "azurerm_cost_anomaly_alert" "support_copilot" {
  name            = "support-copilot-daily-anomaly"
  display_name    = "Support Copilot spend anomaly"
  email_subject   = "Support Copilot: unusual AI spend today"
  email_addresses = ["maya.lindqvist@helio.example", "priya.raman@helio.example"]
}
