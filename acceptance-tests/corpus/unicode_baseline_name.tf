# Unicode in the baseline name.
# expect: not a valid parameter group name
# at: dbrail_parameter_baseline.pg name

resource "dbrail_parameter_baseline" "pg" {
  name   = "orders-ünïcode"
  family = "aurora-postgresql16"
}
