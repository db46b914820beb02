# A production Aurora PostgreSQL 16 cluster for the orders service: two readers, 14 days of
# backups, enhanced monitoring, every guardrail an error. Networking and the key arrive as ids.
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

variable "subnet_ids" {
  description = "Private subnets in at least two availability zones."
  type        = list(string)
}

variable "kms_key_id" {
  description = "Customer-managed KMS key for storage and Performance Insights."
  type        = string
}

variable "monitoring_role_arn" {
  description = "IAM role that publishes enhanced monitoring metrics."
  type        = string
  default     = "arn:aws:iam::123456789012:role/rds-monitoring"
}

variable "permissions_boundary_arn" {
  description = "The organisation's permissions boundary for database access roles."
  type        = string
  default     = "arn:aws:iam::123456789012:policy/db-access-boundary"
}

variable "decommission" {
  description = "Set to true, in an apply of its own, before destroying."
  type        = bool
  default     = false
}

module "orders_db" {
  source = "../../"

  name                = "orders"
  tier                = "production"
  subnet_ids          = var.subnet_ids
  kms_key_id          = var.kms_key_id
  monitoring_role_arn = var.monitoring_role_arn
  decommission        = var.decommission

  parameter_overrides = {
    log_min_duration_statement = {
      value  = "500"
      reason = "the orders API's p99 target is 500 ms"
    }
  }

  # The service's access: the application connects as orders_app with IAM authentication, the
  # on-call DBA may read the master secret (MFA required). Production roles carry a boundary.
  permissions_boundary_arn = var.permissions_boundary_arn
  access_roles = {
    app = {
      db_user          = "orders_app"
      tier             = "read_write"
      trusted_services = ["ecs-tasks.amazonaws.com"]
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

output "endpoint" {
  description = "Writer endpoint of the orders database."
  value       = module.orders_db.endpoint
}

output "compliance" {
  description = "Guardrail outcomes."
  value       = module.orders_db.compliance
}

output "access_role_arns" {
  description = "The roles the orders service and its on-call DBA assume."
  value       = module.orders_db.access_role_arns
}
