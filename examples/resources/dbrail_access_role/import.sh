# An access role is imported by its IAM role name. Tier, environment, engine and schema are
# read from the tags dbrail records on the role; targets and trusted principals from its
# policies.
terraform import dbrail_access_role.orders_app orders-app-db
