# A baseline is imported by its name: the groups are `<name>-cluster` and `<name>-instance`.
terraform import dbrail_parameter_baseline.orders orders-pg16
