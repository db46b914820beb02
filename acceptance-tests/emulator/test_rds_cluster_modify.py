"""Tests of the cluster log-export / IAM-authentication extension, through boto3 against moto
in-process."""

import os
import unittest

os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")

import boto3  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402
from moto import mock_aws  # noqa: E402

import rds_cluster_modify  # noqa: E402
from rds_cluster_modify import ClusterModifyError, apply_log_export_change  # noqa: E402

rds_cluster_modify.install()


@mock_aws
class ClusterModify(unittest.TestCase):
    def setUp(self):
        self.rds = boto3.client("rds", region_name="us-east-1")

    def create(self, name="c", engine="aurora-postgresql", version="16.6", **kwargs):
        return self.rds.create_db_cluster(
            DBClusterIdentifier=name,
            Engine=engine,
            EngineVersion=version,
            MasterUsername="admin",
            MasterUserPassword="password-123",
            **kwargs,
        )["DBCluster"]

    def describe(self, name="c"):
        return self.rds.describe_db_clusters(DBClusterIdentifier=name)["DBClusters"][0]

    def modify(self, name="c", **kwargs):
        return self.rds.modify_db_cluster(DBClusterIdentifier=name, ApplyImmediately=True, **kwargs)["DBCluster"]

    def code(self, call, **kwargs):
        with self.assertRaises(ClientError) as caught:
            call(**kwargs)
        return caught.exception.response["Error"]["Code"]

    def exports(self, name="c"):
        return sorted(self.describe(name).get("EnabledCloudwatchLogsExports", []))

    def test_enable_and_disable_postgresql_log_types(self):
        self.create(EnableCloudwatchLogsExports=["postgresql"])
        answer = self.modify(CloudwatchLogsExportConfiguration={"EnableLogTypes": ["instance", "iam-db-auth-error"]})
        self.assertEqual(sorted(answer["EnabledCloudwatchLogsExports"]), ["iam-db-auth-error", "instance", "postgresql"])
        self.assertEqual(self.exports(), ["iam-db-auth-error", "instance", "postgresql"])
        self.modify(CloudwatchLogsExportConfiguration={"DisableLogTypes": ["postgresql", "instance"]})
        self.assertEqual(self.exports(), ["iam-db-auth-error"])

    def test_enabling_twice_and_disabling_what_is_off_change_nothing(self):
        self.create(EnableCloudwatchLogsExports=["postgresql"])
        self.modify(CloudwatchLogsExportConfiguration={"EnableLogTypes": ["postgresql"], "DisableLogTypes": ["instance"]})
        self.assertEqual(self.exports(), ["postgresql"])

    def test_mysql_log_types(self):
        self.create(engine="aurora-mysql", version="8.0.mysql_aurora.3.08.2")
        self.modify(CloudwatchLogsExportConfiguration={"EnableLogTypes": ["audit", "error", "general", "slowquery"]})
        self.assertEqual(self.exports(), ["audit", "error", "general", "slowquery"])
        code = self.code(self.modify, CloudwatchLogsExportConfiguration={"EnableLogTypes": ["postgresql"]})
        self.assertEqual(code, "InvalidParameterCombination")

    def test_types_of_another_engine_are_rejected_and_nothing_changes(self):
        self.create(EnableCloudwatchLogsExports=["postgresql"])
        for configuration in (
            {"EnableLogTypes": ["upgrade"]},
            {"EnableLogTypes": ["audit", "postgresql"]},
            {"DisableLogTypes": ["slowquery"]},
        ):
            with self.assertRaises(ClientError) as caught:
                self.modify(CloudwatchLogsExportConfiguration=configuration, BackupRetentionPeriod=21)
            error = caught.exception.response["Error"]
            self.assertEqual(error["Code"], "InvalidParameterCombination")
            self.assertIn("aurora-postgresql 16.6", error["Message"])
        self.assertEqual(self.exports(), ["postgresql"])
        self.assertNotEqual(self.describe()["BackupRetentionPeriod"], 21)

    def test_create_checks_log_types(self):
        code = self.code(self.create, EnableCloudwatchLogsExports=["postgresql", "upgrade"])
        self.assertEqual(code, "InvalidParameterCombination")
        self.assertEqual(self.rds.describe_db_clusters()["DBClusters"], [])

    def test_same_type_enabled_and_disabled_is_rejected(self):
        self.create()
        code = self.code(
            self.modify,
            CloudwatchLogsExportConfiguration={"EnableLogTypes": ["postgresql"], "DisableLogTypes": ["postgresql"]},
        )
        self.assertEqual(code, "InvalidParameterCombination")

    def test_iam_authentication_toggles(self):
        self.create(EnableIAMDatabaseAuthentication=False)
        answer = self.modify(EnableIAMDatabaseAuthentication=True)
        self.assertIs(answer["IAMDatabaseAuthenticationEnabled"], True)
        self.assertIs(self.describe()["IAMDatabaseAuthenticationEnabled"], True)
        self.modify(EnableIAMDatabaseAuthentication=False)
        self.assertIs(self.describe()["IAMDatabaseAuthenticationEnabled"], False)
        # Not mentioned: unchanged.
        self.modify(BackupRetentionPeriod=3)
        self.assertIs(self.describe()["IAMDatabaseAuthenticationEnabled"], False)

    def test_iam_authentication_only_for_aurora(self):
        self.create(
            engine="postgres",
            version="16.6",
            DBClusterInstanceClass="db.m6gd.large",
            StorageType="io1",
            AllocatedStorage=100,
            Iops=1000,
        )
        code = self.code(self.modify, EnableIAMDatabaseAuthentication=True)
        self.assertEqual(code, "InvalidParameterCombination")
        self.modify(CloudwatchLogsExportConfiguration={"EnableLogTypes": ["upgrade"]})
        self.assertEqual(self.exports(), ["upgrade"])

    def test_unknown_cluster_is_not_found(self):
        code = self.code(self.modify, name="nope", BackupRetentionPeriod=3)
        self.assertEqual(code, "DBClusterNotFoundFault")

    def test_other_modifications_still_apply(self):
        self.create()
        self.modify(DeletionProtection=True, BackupRetentionPeriod=14)
        found = self.describe()
        self.assertIs(found["DeletionProtection"], True)
        self.assertEqual(found["BackupRetentionPeriod"], 14)


class PureLogic(unittest.TestCase):
    def test_order_is_kept_and_new_types_appended(self):
        result = apply_log_export_change(
            "aurora-mysql", "8.0", ["slowquery", "audit"], {"EnableLogTypes": ["error"], "DisableLogTypes": ["audit"]}
        )
        self.assertEqual(result, ["slowquery", "error"])

    def test_engines_outside_the_table_are_not_checked(self):
        self.assertEqual(apply_log_export_change("neptune", "1.3", [], {"EnableLogTypes": ["audit"]}), ["audit"])

    def test_message_names_the_invalid_types(self):
        with self.assertRaises(ClusterModifyError) as caught:
            apply_log_export_change("aurora-postgresql", "16.6", [], {"EnableLogTypes": ["upgrade", "postgresql"]})
        self.assertIn("'upgrade'", caught.exception.message)
        self.assertNotIn("'postgresql'", caught.exception.message)

    def test_install_is_idempotent(self):
        self.assertFalse(rds_cluster_modify.install())


if __name__ == "__main__":
    unittest.main()
