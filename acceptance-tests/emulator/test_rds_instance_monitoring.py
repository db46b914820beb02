"""Tests of the Performance Insights / Enhanced Monitoring extension, through boto3 against moto
in-process."""

import os
import re
import unittest

os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")

import boto3  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402
from moto import mock_aws  # noqa: E402

import rds_instance_monitoring  # noqa: E402
from rds_instance_monitoring import MonitoringError, initial_settings, resolve  # noqa: E402

rds_instance_monitoring.install()

ROLE = "arn:aws:iam::123456789012:role/rds-monitoring"
OTHER_ROLE = "arn:aws:iam::123456789012:role/other-monitoring"
KEY = "arn:aws:kms:us-east-1:123456789012:key/pi-key"
KEY_ARN = re.compile(r"^arn:aws:kms:us-east-1:123456789012:key/[0-9a-f-]{36}$")


@mock_aws
class InstanceSettings(unittest.TestCase):
    def setUp(self):
        self.rds = boto3.client("rds", region_name="us-east-1")
        self.rds.create_db_cluster(
            DBClusterIdentifier="c",
            Engine="aurora-postgresql",
            EngineVersion="16.6",
            MasterUsername="admin",
            MasterUserPassword="password-123",
        )

    def create(self, name="i", **kwargs):
        return self.rds.create_db_instance(
            DBInstanceIdentifier=name,
            DBClusterIdentifier="c",
            Engine="aurora-postgresql",
            DBInstanceClass="db.r6g.large",
            **kwargs,
        )["DBInstance"]

    def describe(self, name="i"):
        return self.rds.describe_db_instances(DBInstanceIdentifier=name)["DBInstances"][0]

    def code(self, call, **kwargs):
        with self.assertRaises(ClientError) as caught:
            call(**kwargs)
        return caught.exception.response["Error"]["Code"]

    def test_defaults_are_reported(self):
        self.create()
        found = self.describe()
        self.assertIs(found["PerformanceInsightsEnabled"], False)
        self.assertEqual(found["MonitoringInterval"], 0)
        for absent in ("PerformanceInsightsKMSKeyId", "PerformanceInsightsRetentionPeriod", "MonitoringRoleArn"):
            self.assertNotIn(absent, found)

    def test_create_stores_everything(self):
        created = self.create(
            EnablePerformanceInsights=True,
            PerformanceInsightsKMSKeyId=KEY,
            PerformanceInsightsRetentionPeriod=93,
            MonitoringInterval=30,
            MonitoringRoleArn=ROLE,
        )
        for answer in (created, self.describe()):
            self.assertIs(answer["PerformanceInsightsEnabled"], True)
            self.assertEqual(answer["PerformanceInsightsKMSKeyId"], KEY)
            self.assertEqual(answer["PerformanceInsightsRetentionPeriod"], 93)
            self.assertEqual(answer["MonitoringInterval"], 30)
            self.assertEqual(answer["MonitoringRoleArn"], ROLE)

    def test_enabled_without_key_uses_the_aws_rds_default_key(self):
        self.create(EnablePerformanceInsights=True)
        found = self.describe()
        self.assertRegex(found["PerformanceInsightsKMSKeyId"], KEY_ARN)
        self.assertEqual(found["PerformanceInsightsRetentionPeriod"], 7)
        kms = boto3.client("kms", region_name="us-east-1")
        self.assertEqual(kms.describe_key(KeyId="alias/aws/rds")["KeyMetadata"]["Arn"], found["PerformanceInsightsKMSKeyId"])
        # The same account-and-region key for every instance.
        self.create("j", EnablePerformanceInsights=True)
        self.assertEqual(self.describe("j")["PerformanceInsightsKMSKeyId"], found["PerformanceInsightsKMSKeyId"])

    def test_invalid_interval_is_rejected_and_nothing_is_created(self):
        for interval in (2, 120, -1):
            self.assertEqual(
                self.code(self.create, MonitoringInterval=interval, MonitoringRoleArn=ROLE), "InvalidParameterValue"
            )
        self.assertEqual(self.rds.describe_db_instances()["DBInstances"], [])

    def test_interval_without_role_and_role_without_interval(self):
        self.assertEqual(self.code(self.create, MonitoringInterval=60), "InvalidParameterCombination")
        self.assertEqual(self.code(self.create, MonitoringRoleArn=ROLE), "InvalidParameterCombination")
        self.assertEqual(
            self.code(self.create, MonitoringInterval=0, MonitoringRoleArn=ROLE), "InvalidParameterCombination"
        )
        self.assertEqual(self.rds.describe_db_instances()["DBInstances"], [])

    def test_invalid_retention_is_rejected(self):
        for days in (8, 94, 744, 0):
            self.assertEqual(
                self.code(self.create, EnablePerformanceInsights=True, PerformanceInsightsRetentionPeriod=days),
                "InvalidParameterValue",
            )
        for days in (7, 31, 713, 731):
            self.create("ok-%d" % days, EnablePerformanceInsights=True, PerformanceInsightsRetentionPeriod=days)
            self.assertEqual(self.describe("ok-%d" % days)["PerformanceInsightsRetentionPeriod"], days)

    def test_modify_turns_monitoring_and_insights_on_and_off(self):
        self.create()
        modify = self.rds.modify_db_instance
        answer = modify(
            DBInstanceIdentifier="i",
            MonitoringInterval=15,
            MonitoringRoleArn=ROLE,
            EnablePerformanceInsights=True,
            ApplyImmediately=True,
        )["DBInstance"]
        self.assertEqual(answer["MonitoringInterval"], 15)
        self.assertIs(answer["PerformanceInsightsEnabled"], True)
        # The role is kept: the interval alone may change.
        modify(DBInstanceIdentifier="i", MonitoringInterval=60, ApplyImmediately=True)
        found = self.describe()
        self.assertEqual((found["MonitoringInterval"], found["MonitoringRoleArn"]), (60, ROLE))
        # Retention alone changes while Performance Insights stays on, and keeps the key.
        key = found["PerformanceInsightsKMSKeyId"]
        modify(DBInstanceIdentifier="i", PerformanceInsightsRetentionPeriod=731, ApplyImmediately=True)
        found = self.describe()
        self.assertEqual((found["PerformanceInsightsRetentionPeriod"], found["PerformanceInsightsKMSKeyId"]), (731, key))
        # Off again.
        modify(DBInstanceIdentifier="i", MonitoringInterval=0, EnablePerformanceInsights=False, ApplyImmediately=True)
        found = self.describe()
        self.assertEqual(found["MonitoringInterval"], 0)
        self.assertIs(found["PerformanceInsightsEnabled"], False)
        self.assertNotIn("PerformanceInsightsKMSKeyId", found)
        self.assertNotIn("PerformanceInsightsRetentionPeriod", found)

    def test_rejected_modify_changes_nothing(self):
        self.create(MonitoringInterval=30, MonitoringRoleArn=ROLE, EnablePerformanceInsights=True)
        before = self.describe()
        modify = self.rds.modify_db_instance
        self.assertEqual(self.code(modify, DBInstanceIdentifier="i", MonitoringInterval=45), "InvalidParameterValue")
        self.assertEqual(
            self.code(modify, DBInstanceIdentifier="i", MonitoringInterval=0, MonitoringRoleArn=OTHER_ROLE),
            "InvalidParameterCombination",
        )
        self.assertEqual(
            self.code(modify, DBInstanceIdentifier="i", PerformanceInsightsRetentionPeriod=30, BackupRetentionPeriod=9),
            "InvalidParameterValue",
        )
        after = self.describe()
        for field in (
            "MonitoringInterval",
            "MonitoringRoleArn",
            "PerformanceInsightsEnabled",
            "PerformanceInsightsRetentionPeriod",
        ):
            self.assertEqual(after[field], before[field], field)

    def test_instance_without_role_cannot_get_an_interval_on_modify(self):
        self.create()
        code = self.code(self.rds.modify_db_instance, DBInstanceIdentifier="i", MonitoringInterval=5)
        self.assertEqual(code, "InvalidParameterCombination")

    def test_unknown_instance_is_not_found(self):
        code = self.code(self.rds.modify_db_instance, DBInstanceIdentifier="nope", MonitoringInterval=0)
        self.assertEqual(code, "DBInstanceNotFound")

    def test_other_modifications_still_apply(self):
        self.create()
        self.rds.modify_db_instance(DBInstanceIdentifier="i", DBInstanceClass="db.r6g.xlarge", ApplyImmediately=True)
        self.assertEqual(self.describe()["DBInstanceClass"], "db.r6g.xlarge")


class PureLogic(unittest.TestCase):
    def default_key(self):
        return "arn:aws:kms:us-east-1:111122223333:key/default"

    def test_valid_retention_periods(self):
        periods = rds_instance_monitoring.valid_retention_periods()
        self.assertEqual(periods[:3], [7, 31, 62])
        self.assertEqual(periods[-2:], [713, 731])
        self.assertEqual(len(periods), 25)

    def test_key_sent_while_insights_stay_off_is_ignored(self):
        settings = resolve(initial_settings(), {"performance_insights_kms_key_id": "k"}, self.default_key)
        self.assertFalse(settings["performance_insights_enabled"])
        self.assertIsNone(settings["performance_insights_kms_key_id"])

    def test_reenabling_without_key_uses_the_default_again(self):
        on = resolve(
            initial_settings(),
            {"enable_performance_insights": True, "performance_insights_kms_key_id": "k"},
            self.default_key,
        )
        off = resolve(on, {"enable_performance_insights": False}, self.default_key)
        again = resolve(off, {"enable_performance_insights": True}, self.default_key)
        self.assertEqual(again["performance_insights_kms_key_id"], self.default_key())
        self.assertEqual(again["performance_insights_retention_period"], 7)

    def test_current_settings_are_not_modified(self):
        current = initial_settings()
        with self.assertRaises(MonitoringError):
            resolve(current, {"monitoring_interval": 30}, self.default_key)
        self.assertEqual(current, initial_settings())

    def test_empty_role_counts_as_absent(self):
        settings = resolve(initial_settings(), {"monitoring_role_arn": ""}, self.default_key)
        self.assertIsNone(settings["monitoring_role_arn"])

    def test_install_is_idempotent(self):
        self.assertFalse(rds_instance_monitoring.install())


if __name__ == "__main__":
    unittest.main()
