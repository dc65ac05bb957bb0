# budget-alarm.tf: a CloudWatch billing alarm, not an AWS Budgets budget.
# It lives in a file whose name a "*budget*.tf" glob matches.
resource "aws_cloudwatch_metric_alarm" "estimated_charges" {
  alarm_name          = "estimated-charges-over-6000"
  namespace           = "AWS/Billing"
  metric_name         = "EstimatedCharges"
  statistic           = "Maximum"
  period              = 21600
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 6000
  dimensions = {
    Currency = "USD"
  }
  alarm_actions = ["arn:aws:sns:us-east-1:123456789012:billing-alerts"]
}
