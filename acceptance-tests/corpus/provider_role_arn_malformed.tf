# Provider block: an assume_role ARN that is not a role ARN.
# expect: role_arn
# at: provider role_arn

provider "dbrail" {
  assume_role {
    role_arn = "not-an-arn"
  }
}

resource "dbrail_parameter_baseline" "pg" {
  name   = "orders-pg16"
  family = "aurora-postgresql16"
}

