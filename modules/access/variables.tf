variable "name" {
  description = "Prefix of the role names, usually the service: each role is named `<name>-<key>`."
  type        = string

  validation {
    condition     = length(var.name) <= 60 && can(regex("^[a-z]([a-z0-9]|-[a-z0-9])*$", var.name))
    error_message = "name must be 1 to 60 lower-case letters, digits and single hyphens, starting with a letter and not ending with a hyphen."
  }
}

variable "cluster_resource_id" {
  description = "Resource id (`cluster-...`) of the dbrail cluster the roles connect to, such as `module.orders_db.cluster_resource_id`."
  type        = string

  validation {
    condition     = can(regex("^cluster-[A-Za-z0-9]+$", var.cluster_resource_id))
    error_message = "cluster_resource_id must be a cluster resource id (cluster-...), not the cluster identifier or ARN."
  }
}

variable "engine" {
  description = "Engine of the cluster, `aurora-postgresql` or `aurora-mysql`: decides `grant_sql` and the database user name rules."
  type        = string

  validation {
    condition     = contains(["aurora-postgresql", "aurora-mysql"], var.engine)
    error_message = "engine must be aurora-postgresql or aurora-mysql."
  }
}

variable "master_secret_arn" {
  description = "The cluster's master user secret (`module.<db>.master_user_secret_arn`). Required when a role has the `break_glass` tier: it is the only thing such a role may read."
  type        = string
  default     = null

  validation {
    condition     = var.master_secret_arn == null || can(regex("^arn:aws[a-z-]*:secretsmanager:[a-z0-9-]+:[0-9]{12}:secret:.+$", coalesce(var.master_secret_arn, "-")))
    error_message = "master_secret_arn must be a Secrets Manager secret ARN (arn:aws:secretsmanager:<region>:<account>:secret:<name>)."
  }
}

variable "environment" {
  description = "Guardrail strictness: `production`, `staging` or `development`. In production every role needs a permissions boundary."
  type        = string

  validation {
    condition     = contains(["production", "staging", "development"], var.environment)
    error_message = "environment must be one of production, staging, development."
  }
}

variable "roles" {
  description = "The service's roles, keyed by purpose (the role is named `<name>-<key>`). `tier` is `read_only`, `read_write`, `migration` or `break_glass` (reads the master secret, MFA required; no `db_user`). Each role needs at least one trusted principal: `trusted_role_arns`, `trusted_services` or `oidc`. `permissions_boundary_arn` overrides the module-level one; `schema` is where `grant_sql` grants (PostgreSQL schema or MySQL database)."
  type = map(object({
    db_user                  = optional(string)
    tier                     = string
    trusted_role_arns        = optional(list(string))
    trusted_services         = optional(list(string))
    oidc                     = optional(object({ provider_arn = string, subject = string }))
    permissions_boundary_arn = optional(string)
    schema                   = optional(string)
  }))

  validation {
    condition     = length(var.roles) > 0
    error_message = "roles must hold at least one role."
  }

  validation {
    condition     = alltrue([for k in keys(var.roles) : can(regex("^[a-z0-9]([a-z0-9]|-[a-z0-9])*$", k)) && length(var.name) + 1 + length(k) <= 64])
    error_message = "roles keys must be lower-case letters, digits and single hyphens, and `<name>-<key>` (the IAM role name) at most 64 characters."
  }

  validation {
    condition     = alltrue([for r in values(var.roles) : contains(["read_only", "read_write", "migration", "break_glass"], r.tier)])
    error_message = "roles tier must be one of read_only, read_write, migration, break_glass."
  }

  validation {
    condition     = alltrue([for r in values(var.roles) : r.tier == "break_glass" ? r.db_user == null : (r.db_user != null && can(regex((var.engine == "aurora-mysql" ? "^[A-Za-z_][A-Za-z0-9_$]{0,31}$" : "^[A-Za-z_][A-Za-z0-9_$]{0,62}$"), coalesce(r.db_user, "-"))))])
    error_message = "roles db_user must start with a letter or `_`, hold only letters, digits, `_` and `$`, and be at most 63 characters (32 on aurora-mysql); it is required for every tier but break_glass, which takes none."
  }

  validation {
    condition     = alltrue([for r in values(var.roles) : (r.trusted_role_arns == null ? 0 : length(r.trusted_role_arns)) + (r.trusted_services == null ? 0 : length(r.trusted_services)) + (r.oidc == null ? 0 : 1) > 0])
    error_message = "Every role needs someone who may assume it: set trusted_role_arns, trusted_services or oidc."
  }

  validation {
    condition     = alltrue(flatten([for r in values(var.roles) : [for a in(r.trusted_role_arns == null ? [] : r.trusted_role_arns) : can(regex("^arn:aws[a-z-]*:iam::[0-9]{12}:role/.+$", a))]]))
    error_message = "roles trusted_role_arns must be IAM role ARNs (arn:aws:iam::<account>:role/<name>)."
  }

  validation {
    condition     = alltrue([for r in values(var.roles) : r.permissions_boundary_arn == null || can(regex("^arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/.+$", coalesce(r.permissions_boundary_arn, "-")))])
    error_message = "roles permissions_boundary_arn must be an IAM policy ARN (arn:aws:iam::<account>:policy/<name>)."
  }

  validation {
    condition     = var.environment != "production" || var.permissions_boundary_arn != null || alltrue([for r in values(var.roles) : r.permissions_boundary_arn != null])
    error_message = "In production every role needs a permissions boundary (rule DB-ACCESS-BOUNDARY): set permissions_boundary_arn for the module or on each role."
  }

  validation {
    condition     = var.master_secret_arn != null || alltrue([for r in values(var.roles) : r.tier != "break_glass"])
    error_message = "A break_glass role needs master_secret_arn, the cluster's master user secret."
  }
}

variable "permissions_boundary_arn" {
  description = "Permissions boundary of every role that does not set its own. Required in production (rule DB-ACCESS-BOUNDARY)."
  type        = string
  default     = null

  validation {
    condition     = var.permissions_boundary_arn == null || can(regex("^arn:aws[a-z-]*:iam::([0-9]{12}|aws):policy/.+$", coalesce(var.permissions_boundary_arn, "-")))
    error_message = "permissions_boundary_arn must be an IAM policy ARN (arn:aws:iam::<account>:policy/<name>)."
  }
}

variable "tags" {
  description = "Tags for every role (for example team, service, data classification)."
  type        = map(string)
  default     = {}
}
