"""Writes a `terraform show -json` plan of N databases for benches/policy.sh.

Usage: python3 benches/policy_plan.py N OUT.json

The plan is shaped like what Terraform 1.11 prints for an estate written with the plain AWS
provider: two modules called with `for_each`, one per kind of database, so that half of the
databases are Aurora clusters (`aws_rds_cluster` + a writer `aws_rds_cluster_instance` + an
`aws_rds_cluster_parameter_group` + an `aws_backup_selection` assigning the cluster to the
estate's backup plan by reference) and half standalone instances (`aws_db_instance` + an
`aws_db_parameter_group`). Every resource appears three times, as Terraform writes it:
`planned_values` (values known at plan time), `resource_changes` (`after`, `after_unknown`,
`after_sensitive`) and once per module in `configuration` (expressions with `references`).
Attribute sets follow the AWS provider 5.x schemas, so one database is about 7-8 KB of plan.

A few databases in each hundred break a rule (no deletion protection, public instance, short
backup retention), so checkers produce findings, as on a real estate. The output is
deterministic for a given N.
"""
import json
import sys

REGION = "eu-west-1"
ACCOUNT = "111122223333"
CMK = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
TAGS = {"owner": "payments", "data-class": "pci"}


def cluster_params(index):
    return [
        {"apply_method": "pending-reboot", "name": "rds.force_ssl", "value": "1"},
        {"apply_method": "pending-reboot", "name": "ssl_min_protocol_version", "value": "TLSv1.2"},
        {"apply_method": "pending-reboot", "name": "log_connections", "value": "1"},
        {"apply_method": "pending-reboot", "name": "pgaudit.log", "value": "ddl,role"},
        {"apply_method": "pending-reboot", "name": "shared_preload_libraries", "value": "pgaudit"},
    ]


def cluster_resources(name, index):
    broken = index % 50 == 8
    cluster = {
        "allocated_storage": None,
        "allow_major_version_upgrade": False,
        "apply_immediately": None,
        "availability_zones": [f"{REGION}a", f"{REGION}b", f"{REGION}c"],
        "backtrack_window": None,
        "backup_retention_period": 1 if broken else 14,
        "cluster_identifier": name,
        "cluster_identifier_prefix": None,
        "copy_tags_to_snapshot": True,
        "database_name": name.replace("-", "_"),
        "db_cluster_instance_class": None,
        "db_cluster_parameter_group_name": f"{name}-pg",
        "db_instance_parameter_group_name": None,
        "db_subnet_group_name": "payments-private",
        "delete_automated_backups": False,
        "deletion_protection": not broken,
        "enable_global_write_forwarding": None,
        "enable_http_endpoint": False,
        "enable_local_write_forwarding": None,
        "enabled_cloudwatch_logs_exports": ["postgresql"],
        "engine": "aurora-postgresql",
        "engine_lifecycle_support": None,
        "engine_mode": "provisioned",
        "engine_version": "16.4",
        "final_snapshot_identifier": f"{name}-final",
        "global_cluster_identifier": None,
        "iam_database_authentication_enabled": True,
        "iops": None,
        "kms_key_id": CMK,
        "manage_master_user_password": True,
        "master_password": None,
        "master_user_secret_kms_key_id": CMK,
        "master_username": f"{name.replace('-', '_')}_admin",
        "network_type": "IPV4",
        "port": 5433,
        "preferred_backup_window": "02:00-03:00",
        "preferred_maintenance_window": "sun:04:00-sun:05:00",
        "replication_source_identifier": None,
        "restore_to_point_in_time": [],
        "s3_import": [],
        "scaling_configuration": [],
        "serverlessv2_scaling_configuration": [],
        "skip_final_snapshot": False,
        "snapshot_identifier": None,
        "source_region": None,
        "storage_encrypted": True,
        "storage_type": None,
        "tags": TAGS,
        "tags_all": TAGS,
        "timeouts": None,
        "vpc_security_group_ids": ["sg-0a1b2c3d4e5f60718"],
    }
    cluster_unknown = {k: True for k in (
        "arn", "cluster_members", "cluster_resource_id", "endpoint", "hosted_zone_id", "id",
        "master_user_secret", "reader_endpoint", "ca_certificate_identifier",
        "ca_certificate_valid_till", "db_system_id")}
    cluster_unknown.update({"availability_zones": [False, False, False], "restore_to_point_in_time": [],
                            "s3_import": [], "scaling_configuration": [],
                            "serverlessv2_scaling_configuration": [], "tags": {}, "tags_all": {},
                            "enabled_cloudwatch_logs_exports": [False], "vpc_security_group_ids": [False]})
    instance = {
        "apply_immediately": None,
        "auto_minor_version_upgrade": True,
        "availability_zone": f"{REGION}a",
        "cluster_identifier": name,
        "copy_tags_to_snapshot": True,
        "custom_iam_instance_profile": None,
        "db_parameter_group_name": None,
        "db_subnet_group_name": "payments-private",
        "engine": "aurora-postgresql",
        "engine_version": "16.4",
        "force_destroy": False,
        "identifier": f"{name}-writer",
        "identifier_prefix": None,
        "instance_class": "db.r6g.large",
        "monitoring_interval": 60,
        "monitoring_role_arn": f"arn:aws:iam::{ACCOUNT}:role/rds-monitoring",
        "performance_insights_enabled": True,
        "performance_insights_kms_key_id": CMK,
        "performance_insights_retention_period": 7,
        "promotion_tier": 0,
        "publicly_accessible": False,
        "tags": TAGS,
        "tags_all": TAGS,
        "timeouts": None,
    }
    instance_unknown = {k: True for k in (
        "arn", "ca_cert_identifier", "db_parameter_group_name", "dbi_resource_id", "endpoint",
        "engine_version_actual", "id", "kms_key_id", "network_type", "port",
        "preferred_backup_window", "preferred_maintenance_window", "storage_encrypted", "writer")}
    instance_unknown.update({"tags": {}, "tags_all": {}})
    group = {
        "description": f"Baseline for {name}",
        "family": "aurora-postgresql16",
        "name": f"{name}-pg",
        "name_prefix": None,
        "parameter": cluster_params(index),
        "tags": TAGS,
        "tags_all": TAGS,
    }
    group_unknown = {"arn": True, "id": True, "parameter": [{} for _ in group["parameter"]],
                     "tags": {}, "tags_all": {}}
    # `resources = [aws_rds_cluster.this.arn]`: unknown until apply, so absent from the values
    # and known to a checker only through the configuration's references.
    selection = {
        "condition": [],
        "iam_role_arn": f"arn:aws:iam::{ACCOUNT}:role/aws-backup",
        "name": f"{name}-backup",
        "not_resources": [],
        "plan_id": "0a1b2c3d-4e5f-6a7b-8c9d-0e1f2a3b4c5d",
        "selection_tag": [],
    }
    selection_unknown = {"id": True, "resources": True, "condition": [], "not_resources": [],
                         "selection_tag": []}
    resources = [
        ("aws_rds_cluster", "this", cluster, cluster_unknown, {"master_password": True}),
        ("aws_rds_cluster_instance", "writer", instance, instance_unknown, {}),
        ("aws_rds_cluster_parameter_group", "this", group, group_unknown, {}),
    ]
    if not broken:
        resources.append(("aws_backup_selection", "this", selection, selection_unknown, {}))
    return resources


def instance_resources(name, index):
    broken = index % 50 == 11
    instance = {
        "allocated_storage": 200,
        "allow_major_version_upgrade": None,
        "apply_immediately": False,
        "auto_minor_version_upgrade": True,
        "availability_zone": None,
        "backup_retention_period": 14,
        "backup_target": None,
        "backup_window": "02:00-03:00",
        "blue_green_update": [],
        "character_set_name": None,
        "copy_tags_to_snapshot": True,
        "custom_iam_instance_profile": None,
        "customer_owned_ip_enabled": None,
        "db_name": name.replace("-", "_"),
        "db_subnet_group_name": "payments-private",
        "dedicated_log_volume": False,
        "delete_automated_backups": True,
        "deletion_protection": True,
        "domain": None,
        "domain_auth_secret_arn": None,
        "domain_dns_ips": None,
        "domain_fqdn": None,
        "domain_iam_role_name": None,
        "domain_ou": None,
        "enabled_cloudwatch_logs_exports": ["postgresql", "upgrade"],
        "engine": "postgres",
        "engine_lifecycle_support": None,
        "engine_version": "16.4",
        "final_snapshot_identifier": f"{name}-final",
        "iam_database_authentication_enabled": True,
        "identifier": name,
        "instance_class": "db.m6g.large",
        "iops": 3000,
        "kms_key_id": CMK,
        "maintenance_window": "sun:04:00-sun:05:00",
        "manage_master_user_password": True,
        "master_user_secret_kms_key_id": CMK,
        "max_allocated_storage": 1000,
        "monitoring_interval": 60,
        "monitoring_role_arn": f"arn:aws:iam::{ACCOUNT}:role/rds-monitoring",
        "multi_az": True,
        "parameter_group_name": f"{name}-pg",
        "password": None,
        "performance_insights_enabled": True,
        "performance_insights_kms_key_id": CMK,
        "performance_insights_retention_period": 7,
        "port": 5433,
        "publicly_accessible": broken,
        "replicate_source_db": None,
        "restore_to_point_in_time": [],
        "s3_import": [],
        "skip_final_snapshot": False,
        "snapshot_identifier": None,
        "storage_encrypted": True,
        "storage_type": "gp3",
        "tags": TAGS,
        "tags_all": TAGS,
        "timeouts": None,
        "username": f"{name.replace('-', '_')}_admin",
        "vpc_security_group_ids": ["sg-0a1b2c3d4e5f60718"],
    }
    instance_unknown = {k: True for k in (
        "address", "arn", "ca_cert_identifier", "db_subnet_group_name", "endpoint",
        "hosted_zone_id", "id", "latest_restorable_time", "license_model", "listener_endpoint",
        "master_user_secret", "nchar_character_set_name", "network_type", "option_group_name",
        "replicas", "resource_id", "status", "storage_throughput", "timezone")}
    instance_unknown.update({"blue_green_update": [], "restore_to_point_in_time": [], "s3_import": [],
                             "enabled_cloudwatch_logs_exports": [False, False], "tags": {},
                             "tags_all": {}, "vpc_security_group_ids": [False]})
    group = {
        "description": f"Baseline for {name}",
        "family": "postgres16",
        "name": f"{name}-pg",
        "name_prefix": None,
        "parameter": [
            {"apply_method": "pending-reboot", "name": "rds.force_ssl", "value": "1"},
            {"apply_method": "immediate", "name": "log_connections", "value": "1"},
            {"apply_method": "immediate", "name": "log_disconnections", "value": "1"},
        ],
        "skip_destroy": False,
        "tags": TAGS,
        "tags_all": TAGS,
    }
    group_unknown = {"arn": True, "id": True, "parameter": [{}, {}, {}], "tags": {}, "tags_all": {}}
    return [
        ("aws_db_instance", "this", instance, instance_unknown, {"password": True}),
        ("aws_db_parameter_group", "this", group, group_unknown, {}),
    ]


def sensitive_mask(values, sensitive):
    mask = {}
    for key, value in values.items():
        if key in sensitive:
            mask[key] = True
        elif isinstance(value, list):
            mask[key] = [{} if isinstance(v, dict) else False for v in value]
        elif isinstance(value, dict):
            mask[key] = {}
    return mask


def configuration(kind_resources):
    """The configuration of one module: each resource once, with its expressions."""
    out = []
    for kind, local, values, _unknown, _sensitive in kind_resources:
        expressions = {}
        for key, value in values.items():
            if value is None or value == [] or key in ("tags_all",):
                continue
            if key in ("cluster_identifier", "identifier", "name", "db_name", "database_name"):
                expressions[key] = {"references": ["var.name"]}
            elif key in ("db_cluster_parameter_group_name", "parameter_group_name"):
                group = "aws_rds_cluster_parameter_group" if kind == "aws_rds_cluster" else "aws_db_parameter_group"
                expressions[key] = {"references": [f"{group}.this.name", f"{group}.this"]}
            elif key == "kms_key_id" or key.endswith("_kms_key_id"):
                expressions[key] = {"references": ["var.kms_key_arn"]}
            elif kind == "aws_rds_cluster_instance" and key == "cluster_identifier":
                expressions[key] = {"references": ["aws_rds_cluster.this.id", "aws_rds_cluster.this"]}
            else:
                expressions[key] = {"constant_value": value}
        if kind == "aws_backup_selection":
            expressions["resources"] = {"references": ["aws_rds_cluster.this.arn", "aws_rds_cluster.this"]}
        out.append({
            "address": f"{kind}.{local}",
            "mode": "managed",
            "type": kind,
            "name": local,
            "provider_config_key": "aws",
            "expressions": expressions,
            "schema_version": 0,
        })
    return out


def main():
    if len(sys.argv) != 3 or not sys.argv[1].isdigit():
        sys.exit("usage: policy_plan.py N OUT.json")
    count = int(sys.argv[1])
    child_modules = []
    changes = []
    configs = {}
    for index in range(count):
        if index % 2 == 0:
            call, name = "cluster", f"orders-{index:05d}"
            resources = cluster_resources(name, index)
        else:
            call, name = "instance", f"ledger-{index:05d}"
            resources = instance_resources(name, index)
        module = f'module.{call}["{name}"]'
        configs.setdefault(call, resources)
        planned = []
        for kind, local, values, unknown, sensitive in resources:
            address = f"{module}.{kind}.{local}"
            planned.append({
                "address": address, "mode": "managed", "type": kind, "name": local,
                "provider_name": "registry.terraform.io/hashicorp/aws", "schema_version": 0,
                "values": values, "sensitive_values": sensitive_mask(values, sensitive),
            })
            changes.append({
                "address": address, "module_address": module, "mode": "managed", "type": kind,
                "name": local, "provider_name": "registry.terraform.io/hashicorp/aws",
                "change": {
                    "actions": ["create"], "before": None, "after": values,
                    "after_unknown": unknown, "before_sensitive": False,
                    "after_sensitive": sensitive_mask(values, sensitive),
                },
            })
        child_modules.append({"resources": planned, "address": module})
    plan = {
        "format_version": "1.2",
        "terraform_version": "1.11.4",
        "planned_values": {"root_module": {"child_modules": child_modules}},
        "resource_changes": changes,
        "configuration": {
            "provider_config": {"aws": {"name": "aws", "full_name": "registry.terraform.io/hashicorp/aws",
                                        "expressions": {"region": {"constant_value": REGION}}}},
            "root_module": {"module_calls": {
                call: {
                    "source": f"./modules/{call}",
                    "for_each_expression": {"references": ["local.databases"]},
                    "expressions": {"kms_key_arn": {"constant_value": CMK}},
                    "module": {"resources": configuration(resources),
                               "variables": {"name": {}, "kms_key_arn": {}}},
                } for call, resources in configs.items()
            }},
        },
        "timestamp": "2026-11-23T00:00:00Z",
        "applyable": True,
        "complete": True,
        "errored": False,
    }
    with open(sys.argv[2], "w") as out:
        json.dump(plan, out, indent=None, separators=(",", ":"))


if __name__ == "__main__":
    main()
