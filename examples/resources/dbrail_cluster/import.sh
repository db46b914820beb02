# A cluster is imported by its identifier. dbrail reads its instances, subnet group and
# settings; the next plan shows any setting that differs from dbrail's guarded defaults.
terraform import dbrail_cluster.orders orders
