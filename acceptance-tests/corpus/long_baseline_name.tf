# A baseline name longer than a parameter group name may be.
# expect: name
# expect: 246
# at: dbrail_parameter_baseline.pg name

resource "dbrail_parameter_baseline" "pg" {
  name   = "ppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppppp"
  family = "aurora-postgresql16"
}
