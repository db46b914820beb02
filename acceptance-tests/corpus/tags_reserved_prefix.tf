# A user tag under dbrail's reserved prefix, where the provider keeps its own records.
# expect: reserved prefix `dbrail:`
# at: dbrail_parameter_baseline.pg tags

resource "dbrail_parameter_baseline" "pg" {
  name   = "orders-pg16"
  family = "aurora-postgresql16"
  tags = {
    "dbrail:tier" = "production"
  }
}
