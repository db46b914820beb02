# The orders service's roles against an existing production cluster: the application reads and
# writes, a reporting job on Kubernetes reads, the deploy pipeline migrates the schema and the
# on-call DBA can break glass. The cluster's ids arrive as variables (here with fixed defaults).
terraform {
  required_version = ">= 1.11"

  required_providers {
    dbrail = {
      source  = "dbrail/dbrail"
      version = "~> 0.1"
    }
  }
}

# Region, credentials and endpoints come from the environment (AWS_REGION, the AWS credential
# chain, AWS_ENDPOINT_URL), so this runs unchanged against the emulator or a real account.
provider "dbrail" {}

variable "cluster_resource_id" {
  description = "Resource id of the orders cluster (`module.orders_db.cluster_resource_id`)."
  type        = string
  default     = "cluster-ORDERSEXAMPLE0000000000000"
}

variable "master_secret_arn" {
  description = "The orders cluster's master user secret (`module.orders_db.master_user_secret_arn`)."
  type        = string
  default     = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!cluster-orders-AbCdEf"
}

variable "permissions_boundary_arn" {
  description = "The organisation's permissions boundary for database access roles."
  type        = string
  default     = "arn:aws:iam::123456789012:policy/db-access-boundary"
}

module "orders_access" {
  source = "../../"

  name                     = "orders"
  environment              = "production"
  engine                   = "aurora-postgresql"
  cluster_resource_id      = var.cluster_resource_id
  master_secret_arn        = var.master_secret_arn
  permissions_boundary_arn = var.permissions_boundary_arn

  roles = {
    app = {
      db_user          = "orders_app"
      tier             = "read_write"
      trusted_services = ["ecs-tasks.amazonaws.com"]
    }
    reporting = {
      db_user = "orders_reporting"
      tier    = "read_only"
      oidc = {
        provider_arn = "arn:aws:iam::123456789012:oidc-provider/oidc.eks.us-east-1.amazonaws.com/id/EXAMPLE"
        subject      = "system:serviceaccount:reporting:orders-report"
      }
    }
    migrations = {
      db_user           = "orders_ddl"
      tier              = "migration"
      trusted_role_arns = ["arn:aws:iam::123456789012:role/orders-deploy"]
    }
    oncall = {
      tier              = "break_glass"
      trusted_role_arns = ["arn:aws:iam::123456789012:role/dba-oncall"]
    }
  }

  tags = {
    team    = "payments"
    service = "orders"
  }
}

output "role_arns" {
  description = "The roles the service assumes."
  value       = module.orders_access.role_arns
}

output "grant_sql" {
  description = "Run once as the master user to create the database users."
  value       = module.orders_access.grant_sql
}
