# Provider block: static keys are refused; credentials come from the AWS chain.
# expect: Unsupported argument
# expect: access_key
# at: provider access_key

provider "dbrail" {
  access_key = "AKIAEXAMPLE"
}

resource "dbrail_parameter_baseline" "pg" {
  name   = "orders-pg16"
  family = "aurora-postgresql16"
}

