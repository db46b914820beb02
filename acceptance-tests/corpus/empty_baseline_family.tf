# Empty baseline family.
# expect: family
# at: dbrail_parameter_baseline.pg family

resource "dbrail_parameter_baseline" "pg" {
  name   = "orders-pg16"
  family = ""
}
