# Budget on the inference project's billing (hashicorp/google ~> 6.0).
data "google_billing_account" "main" {
  billing_account = "000000-AAAAAA-BBBBBB"
}

resource "google_monitoring_notification_channel" "finops_email" {
  display_name = "FinOps e-mail"
  type         = "email"
  labels = {
    email_address = "finops@example.com"
  }
}

resource "google_billing_budget" "inference" {
  billing_account = data.google_billing_account.main.id
  display_name    = "support-copilot inference (monthly)"

  budget_filter {
    projects        = ["projects/123456789012"]
    calendar_period = "MONTH"
  }

  amount {
    specified_amount {
      currency_code = "USD"
      units         = "5000"
    }
  }

  threshold_rules {
    threshold_percent = 0.5
  }
  threshold_rules {
    threshold_percent = 0.9
  }
  threshold_rules {
    threshold_percent = 1.0
    spend_basis       = "FORECASTED_SPEND"
  }

  all_updates_rule {
    monitoring_notification_channels = [
      google_monitoring_notification_channel.finops_email.id,
    ]
    disable_default_iam_recipients = true
  }
}
