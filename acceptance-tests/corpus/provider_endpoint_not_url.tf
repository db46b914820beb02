# Provider block: an endpoint that is not a URL.
# expect: rds
# at: provider rds

provider "dbrail" {
  endpoints {
    rds = "not a url"
  }
}

resource "dbrail_parameter_baseline" "pg" {
  name   = "orders-pg16"
  family = "aurora-postgresql16"
}

