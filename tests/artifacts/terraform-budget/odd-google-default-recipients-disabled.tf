# Threshold rules exist, but default e-mails to billing admins are disabled
# and no channel or Pub/Sub topic is given: nobody hears of a breach.
resource "google_billing_budget" "inference" {
  billing_account = "000000-AAAAAA-BBBBBB"
  display_name    = "support-copilot inference"

  amount {
    specified_amount {
      currency_code = "USD"
      units         = "6000"
    }
  }

  threshold_rules {
    threshold_percent = 0.8
  }
  threshold_rules {
    threshold_percent = 1.0
  }

  all_updates_rule {
    disable_default_iam_recipients = true
  }
}
