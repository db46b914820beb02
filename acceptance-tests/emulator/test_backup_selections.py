"""Tests of the AWS Backup selections extension, through boto3 against moto in-process."""

import json
import os
import time
import unittest

os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")

import boto3  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402
from moto import mock_aws  # noqa: E402

import backup_selections  # noqa: E402

backup_selections.install()

ROLE = "arn:aws:iam::123456789012:role/backup"
CLUSTER = "arn:aws:rds:us-east-1:123456789012:cluster:orders"


def _rule(**extra):
    rule = {"RuleName": "daily", "TargetBackupVaultName": "v", "Lifecycle": {"DeleteAfterDays": 14}}
    rule.update(extra)
    return rule


def _tags(value="gold"):
    return [{"ConditionType": "STRINGEQUALS", "ConditionKey": "dbrail:backup-policy", "ConditionValue": value}]


@mock_aws
class Selections(unittest.TestCase):
    def setUp(self):
        self.backup = boto3.client("backup", region_name="us-east-1")
        self.backup.create_backup_vault(BackupVaultName="v")
        plan = self.backup.create_backup_plan(BackupPlan={"BackupPlanName": "p", "Rules": [_rule()]})
        self.plan = plan["BackupPlanId"]

    def code(self, call, **kwargs):
        with self.assertRaises(ClientError) as caught:
            call(**kwargs)
        return caught.exception.response["Error"]["Code"]

    def create(self, **selection):
        document = {"SelectionName": "s", "IamRoleArn": ROLE, "ListOfTags": _tags()}
        document.update(selection)
        return self.backup.create_backup_selection(BackupPlanId=self.plan, BackupSelection=document)

    def test_created_selection_reads_back_and_lists(self):
        out = self.create()
        self.assertEqual(out["BackupPlanId"], self.plan)
        got = self.backup.get_backup_selection(BackupPlanId=self.plan, SelectionId=out["SelectionId"])
        self.assertEqual(got["BackupSelection"]["ListOfTags"], _tags())
        self.assertEqual(got["BackupSelection"]["IamRoleArn"], ROLE)
        listed = self.backup.list_backup_selections(BackupPlanId=self.plan)["BackupSelectionsList"]
        self.assertEqual([s["SelectionId"] for s in listed], [out["SelectionId"]])
        self.assertEqual(listed[0]["SelectionName"], "s")

    def test_invalid_selections_are_rejected_and_nothing_is_stored(self):
        cases = [
            ({"SelectionName": "bad name!"}, "InvalidParameterValueException"),
            ({"SelectionName": "x" * 51}, "InvalidParameterValueException"),
            ({"IamRoleArn": ""}, "MissingParameterValueException"),
            ({"IamRoleArn": "arn:aws:iam::123456789012:user/u"}, "InvalidParameterValueException"),
            ({"ListOfTags": [{"ConditionType": "LIKE", "ConditionKey": "k", "ConditionValue": "v"}]},
             "InvalidParameterValueException"),
            ({"ListOfTags": [], "Conditions": {"StringEquals": [{"ConditionValue": "x"}]}}, "InvalidParameterValueException"),
            ({"ListOfTags": []}, "InvalidParameterValueException"),
        ]
        for selection, expected in cases:
            with self.subTest(selection=selection):
                self.assertEqual(self.code(self.create, **selection), expected)
        self.assertEqual(self.backup.list_backup_selections(BackupPlanId=self.plan)["BackupSelectionsList"], [])

    def test_conditions_and_resources_are_accepted(self):
        self.create(
            SelectionName="by-condition",
            ListOfTags=[],
            Conditions={"StringEquals": [{"ConditionKey": "aws:ResourceTag/team", "ConditionValue": "db"}]},
        )
        self.create(SelectionName="by-arn", ListOfTags=[], Resources=[CLUSTER])
        listed = self.backup.list_backup_selections(BackupPlanId=self.plan)["BackupSelectionsList"]
        self.assertEqual(sorted(s["SelectionName"] for s in listed), ["by-arn", "by-condition"])

    def test_duplicate_name_and_unknown_plan(self):
        self.create()
        self.assertEqual(self.code(self.create), "AlreadyExistsException")
        code = self.code(
            self.backup.create_backup_selection,
            BackupPlanId="no-such-plan",
            BackupSelection={"SelectionName": "s", "IamRoleArn": ROLE, "ListOfTags": _tags()},
        )
        self.assertEqual(code, "InvalidParameterValueException")

    def test_plan_with_selection_cannot_be_deleted_until_selection_is(self):
        selection = self.create()["SelectionId"]
        self.assertEqual(self.code(self.backup.delete_backup_plan, BackupPlanId=self.plan), "InvalidRequestException")
        self.backup.delete_backup_selection(BackupPlanId=self.plan, SelectionId=selection)
        code = self.code(self.backup.get_backup_selection, BackupPlanId=self.plan, SelectionId=selection)
        self.assertEqual(code, "ResourceNotFoundException")
        self.backup.delete_backup_plan(BackupPlanId=self.plan)
        self.assertEqual(self.backup.list_backup_plans()["BackupPlansList"], [])


@mock_aws
class Plans(unittest.TestCase):
    def setUp(self):
        self.backup = boto3.client("backup", region_name="us-east-1")
        self.backup.create_backup_vault(BackupVaultName="v")

    def code(self, call, **kwargs):
        with self.assertRaises(ClientError) as caught:
            call(**kwargs)
        return caught.exception.response["Error"]["Code"]

    def test_update_replaces_rules_and_version(self):
        plan = self.backup.create_backup_plan(BackupPlan={"BackupPlanName": "p", "Rules": [_rule()]})
        updated = self.backup.update_backup_plan(
            BackupPlanId=plan["BackupPlanId"],
            BackupPlan={"BackupPlanName": "p", "Rules": [_rule(Lifecycle={"DeleteAfterDays": 30})]},
        )
        self.assertNotEqual(updated["VersionId"], plan["VersionId"])
        got = self.backup.get_backup_plan(BackupPlanId=plan["BackupPlanId"])
        self.assertEqual(got["BackupPlan"]["Rules"][0]["Lifecycle"], {"DeleteAfterDays": 30})
        self.assertEqual(got["VersionId"], updated["VersionId"])

    def test_update_of_unknown_plan_is_not_found(self):
        code = self.code(self.backup.update_backup_plan, BackupPlanId="nope",
                         BackupPlan={"BackupPlanName": "p", "Rules": [_rule()]})
        self.assertEqual(code, "ResourceNotFoundException")

    def test_rule_validation(self):
        cases = [
            _rule(EnableContinuousBackup=True, Lifecycle={"DeleteAfterDays": 36}),
            _rule(Lifecycle={"MoveToColdStorageAfterDays": 10, "DeleteAfterDays": 50}),
            _rule(TargetBackupVaultName="missing"),
        ]
        for rule in cases:
            with self.subTest(rule=rule):
                code = self.code(self.backup.create_backup_plan, BackupPlan={"BackupPlanName": "p", "Rules": [rule]})
                self.assertEqual(code, "InvalidParameterValueException")
        self.backup.create_backup_plan(
            BackupPlan={"BackupPlanName": "p", "Rules": [_rule(EnableContinuousBackup=True,
                                                               Lifecycle={"DeleteAfterDays": 35})]}
        )


@mock_aws
class RecoveryPoints(unittest.TestCase):
    def setUp(self):
        self.backup = boto3.client("backup", region_name="us-east-1")
        self.backup.create_backup_vault(BackupVaultName="v", EncryptionKeyArn="arn:aws:kms:us-east-1:123456789012:key/k")

    def code(self, call, **kwargs):
        with self.assertRaises(ClientError) as caught:
            call(**kwargs)
        return caught.exception.response["Error"]["Code"]

    def job(self, days=7, vault="v"):
        return self.backup.start_backup_job(
            BackupVaultName=vault, ResourceArn=CLUSTER, IamRoleArn=ROLE, Lifecycle={"DeleteAfterDays": days}
        )

    def test_job_creates_recovery_point_listed_newest_first(self):
        first = self.job()["RecoveryPointArn"]
        time.sleep(0.01)
        second = self.job()["RecoveryPointArn"]
        points = self.backup.list_recovery_points_by_resource(ResourceArn=CLUSTER)["RecoveryPoints"]
        self.assertEqual([p["RecoveryPointArn"] for p in points], [second, first])
        self.assertEqual(points[0]["Status"], "COMPLETED")
        self.assertEqual(points[0]["BackupVaultName"], "v")
        other = self.backup.list_recovery_points_by_resource(ResourceArn=CLUSTER + "x")["RecoveryPoints"]
        self.assertEqual(other, [])

    def test_job_needs_existing_vault(self):
        self.assertEqual(self.code(self.job, vault="missing"), "ResourceNotFoundException")

    def test_lock_bounds_fail_the_job(self):
        self.backup.put_backup_vault_lock_configuration(BackupVaultName="v", MinRetentionDays=10, MaxRetentionDays=20)
        self.assertEqual(self.code(self.job, days=7), "InvalidParameterValueException")
        self.assertEqual(self.code(self.job, days=21), "InvalidParameterValueException")
        self.job(days=15)

    def test_vault_with_recovery_points_cannot_be_deleted(self):
        arn = self.job()["RecoveryPointArn"]
        self.assertEqual(self.code(self.backup.delete_backup_vault, BackupVaultName="v"), "InvalidRequestException")
        self.backup.delete_recovery_point(BackupVaultName="v", RecoveryPointArn=arn)
        self.backup.delete_backup_vault(BackupVaultName="v")
        self.assertEqual(self.backup.list_backup_vaults()["BackupVaultList"], [])
        self.assertEqual(self.code(self.backup.delete_backup_vault, BackupVaultName="v"), "ResourceNotFoundException")


@mock_aws
class Tags(unittest.TestCase):
    def test_tags_are_listed_with_or_without_a_trailing_slash(self):
        from moto.backup.responses import BackupResponse

        backup = boto3.client("backup", region_name="us-east-1")
        arn = backup.create_backup_vault(BackupVaultName="v", BackupVaultTags={"team": "db"})["BackupVaultArn"]
        self.assertEqual(backup.list_tags(ResourceArn=arn)["Tags"], {"team": "db"})
        for suffix in ("", "/"):
            response = BackupResponse()
            response.path = "/tags/%s%s" % (arn.replace(":", "%3A"), suffix)
            response.current_account = "123456789012"
            response.region = "us-east-1"
            self.assertEqual(json.loads(response.list_tags())["Tags"], {"team": "db"}, suffix)


if __name__ == "__main__":
    unittest.main()
