# DB-ACCESS-MFA: break-glass access must be assumed by people with MFA, not by a service.
# expect: [DB-ACCESS-MFA]
# at: dbrail_access_role.x trusted_services

resource "dbrail_access_role" "x" {
  name                     = "orders-break-glass"
  tier                     = "break_glass"
  master_secret_arn        = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!cluster-abc-AbCdEf"
  trusted_services         = ["lambda.amazonaws.com"]
  permissions_boundary_arn = "arn:aws:iam::123456789012:policy/database-access-boundary"
}
