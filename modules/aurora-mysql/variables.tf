variable "name" {
  description = "Cluster identifier, also the prefix of the parameter groups. Instances are `<name>-1`, `<name>-2`, ..."
  type        = string

  validation {
    condition     = length(var.name) <= 60 && can(regex("^[a-z]([a-z0-9]|-[a-z0-9])*$", var.name))
    error_message = "name must be 1 to 60 lower-case letters, digits and single hyphens, starting with a letter and not ending with a hyphen."
  }
}

variable "tier" {
  description = "Guardrail strictness and sizing defaults: `production`, `staging` or `development`."
  type        = string

  validation {
    condition     = contains(["production", "staging", "development"], var.tier)
    error_message = "tier must be one of production, staging, development."
  }
}

variable "engine_version" {
  description = "Aurora MySQL major version (`\"8.0\"` or `\"8.4\"`: AWS applies minor upgrades) or an exact version (`\"8.0.mysql_aurora.3.08.0\"`)."
  type        = string
  default     = "8.0"

  validation {
    condition     = can(regex("^(8\\.0|8\\.4)(\\.mysql_aurora\\.[0-9.]+)?$", var.engine_version))
    error_message = "engine_version must be a supported Aurora MySQL major version (8.0 or 8.4), optionally exact such as 8.0.mysql_aurora.3.08.0."
  }
}

variable "subnet_ids" {
  description = "Private subnets in at least two availability zones; dbrail creates the DB subnet group `<name>-subnets`."
  type        = list(string)

  validation {
    condition     = length(var.subnet_ids) >= 2 && alltrue([for id in var.subnet_ids : startswith(id, "subnet-")])
    error_message = "subnet_ids must hold at least two subnet ids (subnet-...), in different availability zones."
  }
}

variable "security_group_ids" {
  description = "VPC security groups of the cluster."
  type        = list(string)
  default     = []

  validation {
    condition     = alltrue([for id in var.security_group_ids : startswith(id, "sg-")])
    error_message = "security_group_ids must hold security group ids (sg-...)."
  }
}

variable "kms_key_id" {
  description = "Customer-managed KMS key (id, ARN or alias) for storage and Performance Insights (rule G1)."
  type        = string

  validation {
    condition     = length(trimspace(var.kms_key_id)) > 0 && !can(regex("alias/aws/", var.kms_key_id))
    error_message = "kms_key_id must name a customer-managed key: an AWS-managed alias/aws/... key fails rule G1."
  }
}

variable "monitoring_role_arn" {
  description = "IAM role enhanced monitoring publishes metrics with (rule G13). Required in production and staging; without it a development cluster runs without enhanced monitoring."
  type        = string
  default     = null

  validation {
    condition     = var.monitoring_role_arn == null ? var.tier == "development" : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", var.monitoring_role_arn))
    error_message = "monitoring_role_arn must be an IAM role ARN (arn:aws:iam::<account>:role/<name>); it may be left unset only in the development tier."
  }
}

variable "instance_class" {
  description = "Instance class of every instance. Defaults by tier: `db.r6g.large` in production and staging, `db.t4g.medium` in development."
  type        = string
  default     = null

  validation {
    condition     = var.instance_class == null || can(regex("^db\\.[a-z0-9-]+\\.[a-z0-9]+$", var.instance_class))
    error_message = "instance_class must be an RDS instance class such as db.r6g.large."
  }
}

variable "readers" {
  description = "Reader instances, spread across availability zones. Defaults by tier: 2 in production, 1 in staging, 0 in development. Production needs at least one (rule G12)."
  type        = number
  default     = null

  validation {
    condition     = var.readers == null ? true : (floor(var.readers) == var.readers && var.readers >= 0 && var.readers <= 15 && (var.tier != "production" || var.readers >= 1))
    error_message = "readers must be a whole number from 0 to 15, and at least 1 in the production tier."
  }
}

variable "backup_retention_days" {
  description = "Days automated backups are kept. Defaults by tier: 14 in production, 7 in staging and development. Below 7 fails rule G6 in production."
  type        = number
  default     = null

  validation {
    condition     = var.backup_retention_days == null ? true : (floor(var.backup_retention_days) == var.backup_retention_days && var.backup_retention_days >= 1 && var.backup_retention_days <= 35)
    error_message = "backup_retention_days must be a whole number from 1 to 35."
  }
}

variable "backup_window" {
  description = "Daily backup window, `hh24:mi-hh24:mi` in UTC. AWS picks one when unset."
  type        = string
  default     = null

  validation {
    condition     = var.backup_window == null || can(regex("^([01][0-9]|2[0-3]):[0-5][0-9]-([01][0-9]|2[0-3]):[0-5][0-9]$", var.backup_window))
    error_message = "backup_window must look like 02:00-03:00 (UTC)."
  }
}

variable "maintenance_window" {
  description = "Weekly maintenance window, `ddd:hh24:mi-ddd:hh24:mi` in UTC. AWS picks one when unset."
  type        = string
  default     = null

  validation {
    condition     = var.maintenance_window == null || can(regex("^(mon|tue|wed|thu|fri|sat|sun):([01][0-9]|2[0-3]):[0-5][0-9]-(mon|tue|wed|thu|fri|sat|sun):([01][0-9]|2[0-3]):[0-5][0-9]$", var.maintenance_window))
    error_message = "maintenance_window must look like sun:03:00-sun:04:00 (UTC)."
  }
}

variable "parameter_overrides" {
  description = "Parameters that differ from dbrail's baseline, keyed by parameter name. Every override needs a reason, recorded as a tag on the parameter group; guardrail parameters may be tightened, never weakened."
  type = map(object({
    value        = string
    reason       = string
    scope        = optional(string)
    apply_method = optional(string)
  }))
  default = {}

  validation {
    condition     = alltrue([for o in values(var.parameter_overrides) : length(trimspace(o.reason)) > 0])
    error_message = "Every parameter override needs a non-empty reason."
  }
}

variable "tags" {
  description = "Tags for the cluster, its instances, snapshots and parameter groups (for example team, service, data classification)."
  type        = map(string)
  default     = {}
}

variable "decommission" {
  description = "Set to true, in an apply of its own, before destroying: it turns the deletion guard off under a one-day waiver of rule G4. A final snapshot is always kept."
  type        = bool
  default     = false
}

variable "access_roles" {
  description = "IAM database authentication roles for the services using the cluster, keyed by purpose (the role is named `<name>-<key>`). `tier` is `read_only`, `read_write`, `migration` or `break_glass` (reads the master secret, MFA required; no `db_user`). Each role needs at least one trusted principal: `trusted_role_arns`, `trusted_services` or `oidc`. `permissions_boundary_arn` overrides the module-level one."
  type = map(object({
    db_user                  = optional(string)
    tier                     = string
    trusted_role_arns        = optional(list(string))
    trusted_services         = optional(list(string))
    oidc                     = optional(object({ provider_arn = string, subject = string }))
    permissions_boundary_arn = optional(string)
    schema                   = optional(string)
  }))
  default = {}

  validation {
    condition     = alltrue([for k in keys(var.access_roles) : can(regex("^[a-z0-9]([a-z0-9]|-[a-z0-9])*$", k)) && length(var.name) + 1 + length(k) <= 64])
    error_message = "access_roles keys must be lower-case letters, digits and single hyphens, and `<name>-<key>` (the IAM role name) at most 64 characters."
  }

  validation {
    condition     = alltrue([for r in values(var.access_roles) : contains(["read_only", "read_write", "migration", "break_glass"], r.tier)])
    error_message = "access_roles tier must be one of read_only, read_write, migration, break_glass."
  }

  validation {
    condition     = alltrue([for r in values(var.access_roles) : r.tier == "break_glass" ? r.db_user == null : (r.db_user != null && can(regex("^[A-Za-z_][A-Za-z0-9_$]{0,31}$", coalesce(r.db_user, "-"))))])
    error_message = "access_roles db_user must start with a letter or `_`, hold only letters, digits, `_` and `$`, and be at most 32 characters; it is required for every tier but break_glass, which logs in with the master secret and takes none."
  }

  validation {
    condition     = alltrue([for r in values(var.access_roles) : (r.trusted_role_arns == null ? 0 : length(r.trusted_role_arns)) + (r.trusted_services == null ? 0 : length(r.trusted_services)) + (r.oidc == null ? 0 : 1) > 0])
    error_message = "Every access role needs someone who may assume it: set trusted_role_arns, trusted_services or oidc."
  }

  validation {
    condition     = alltrue(flatten([for r in values(var.access_roles) : [for a in(r.trusted_role_arns == null ? [] : r.trusted_role_arns) : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", a))]]))
    error_message = "access_roles trusted_role_arns must be IAM role ARNs (arn:aws:iam::<account>:role/<name>)."
  }

  validation {
    condition     = alltrue([for r in values(var.access_roles) : r.permissions_boundary_arn == null || can(regex("^arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/.+$", coalesce(r.permissions_boundary_arn, "-")))])
    error_message = "access_roles permissions_boundary_arn must be an IAM policy ARN (arn:aws:iam::<account>:policy/<name>)."
  }

  validation {
    condition     = var.tier != "production" || var.permissions_boundary_arn != null || alltrue([for r in values(var.access_roles) : r.permissions_boundary_arn != null])
    error_message = "In the production tier every access role needs a permissions boundary (rule DB-ACCESS-BOUNDARY): set permissions_boundary_arn for the module or on each role."
  }
}

variable "permissions_boundary_arn" {
  description = "Permissions boundary of every access role that does not set its own. Required in production when there are access roles (rule DB-ACCESS-BOUNDARY)."
  type        = string
  default     = null

  validation {
    condition     = var.permissions_boundary_arn == null || can(regex("^arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/.+$", coalesce(var.permissions_boundary_arn, "-")))
    error_message = "permissions_boundary_arn must be an IAM policy ARN (arn:aws:iam::<account>:policy/<name>)."
  }
}

variable "backup_policy" {
  description = "The organisation's backup tier the cluster joins (AWS Backup plan, locked vault, copies): a `dbrail_backup_policy` or an entry of the `backup-policy` module's `policies` output. Its retention becomes the floor of `backup_retention_days` (rules G6, G7)."
  type = object({
    name           = string
    retention_days = number
  })
  default = null

  validation {
    condition     = var.backup_policy == null ? true : can(regex("^[A-Za-z0-9][A-Za-z0-9_-]{1,49}$", var.backup_policy.name)) && var.backup_policy.retention_days >= 1
    error_message = "backup_policy must name a backup policy (2 to 50 letters, digits, hyphens and underscores) with a retention of at least one day."
  }
}
