terraform {
  required_version = ">= 1.11"
  required_providers {
    dbrail = {
      source  = "dbrail/dbrail"
      version = "0.1.0"
    }
  }
}

# Region, credentials and endpoints come from the environment (AWS_REGION, the AWS credential
# chain, AWS_ENDPOINT_URL), so this runs unchanged against the emulator or a real account.
provider "dbrail" {
  default_tags = {
    managed-by = "dbrail"
  }
}

variable "subnet_ids" {
  description = "Private subnets in at least two availability zones."
  type        = list(string)
}

variable "kms_key_id" {
  description = "Customer-managed KMS key for storage and Performance Insights."
  type        = string
}

variable "decommission" {
  description = "Set to true, in an apply of its own, before destroying: it turns the deletion guard off under a one-day waiver of rule G4."
  type        = bool
  default     = false
}

variable "monitoring_role_arn" {
  description = "IAM role that publishes enhanced monitoring metrics."
  type        = string
  default     = "arn:aws:iam::123456789012:role/rds-monitoring"
}

resource "dbrail_parameter_baseline" "orders" {
  name   = "orders-pg16"
  family = "aurora-postgresql16"
  overrides = {
    log_min_duration_statement = {
      value  = "500"
      reason = "orders API p99 target is 500 ms"
    }
  }
  tags = {
    team = "payments"
  }
}

resource "dbrail_cluster" "orders" {
  name                = "orders"
  engine              = "aurora-postgresql"
  engine_version      = "16"
  tier                = "production"
  instance_class      = "db.r6g.large"
  readers             = 2
  subnet_ids          = var.subnet_ids
  kms_key_id          = var.kms_key_id
  monitoring_role_arn = var.monitoring_role_arn
  parameter_baseline  = dbrail_parameter_baseline.orders

  # Destroying a guarded cluster is a deliberate, recorded act: first apply with
  # decommission = true (guard off, under a short waiver of rule G4), then destroy.
  deletion_guard = !var.decommission
  dynamic "waiver" {
    for_each = var.decommission ? ["G4"] : []
    content {
      rule    = waiver.value
      reason  = "decommissioning: the cluster is destroyed next; a final snapshot is kept"
      expires = formatdate("YYYY-MM-DD", timeadd(plantimestamp(), "24h"))
    }
  }

  tags = {
    team  = "payments"
    owner = "orders-platform"
  }
}
