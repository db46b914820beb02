"""Tests of the DescribeDBEngineVersions extension, through boto3 against moto in-process."""

import os
import unittest

os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")

import boto3  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402
from moto import mock_aws  # noqa: E402

import rds_engine_versions  # noqa: E402
from rds_engine_versions import catalogue, describe  # noqa: E402

rds_engine_versions.install()


@mock_aws
class DescribeEngineVersions(unittest.TestCase):
    def setUp(self):
        self.rds = boto3.client("rds", region_name="us-east-1")

    def versions(self, **kwargs):
        out = self.rds.describe_db_engine_versions(**kwargs)
        return [v["EngineVersion"] for v in out["DBEngineVersions"]]

    def code(self, **kwargs):
        with self.assertRaises(ClientError) as caught:
            self.rds.describe_db_engine_versions(**kwargs)
        return caught.exception.response["Error"]["Code"]

    def test_engine_lists_its_versions(self):
        out = self.rds.describe_db_engine_versions(Engine="aurora-postgresql")["DBEngineVersions"]
        self.assertTrue(out)
        self.assertEqual({v["Engine"] for v in out}, {"aurora-postgresql"})
        self.assertEqual({v["MajorEngineVersion"] for v in out}, {"13", "14", "15", "16", "17"})
        for v in out:
            self.assertEqual(v["DBParameterGroupFamily"], "aurora-postgresql" + v["MajorEngineVersion"])
            self.assertEqual(v["DBEngineDescription"], "Aurora (PostgreSQL)")
            self.assertEqual(v["Status"], "available")
        mysql = self.rds.describe_db_engine_versions(Engine="aurora-mysql")["DBEngineVersions"]
        self.assertEqual({v["DBParameterGroupFamily"] for v in mysql}, {"aurora-mysql8.0", "aurora-mysql8.4"})

    def test_major_version_lists_that_major(self):
        listed = self.versions(Engine="aurora-postgresql", EngineVersion="16")
        self.assertTrue(listed)
        self.assertTrue(all(v.startswith("16.") for v in listed), listed)
        mysql = self.versions(Engine="aurora-mysql", EngineVersion="8.0")
        self.assertTrue(mysql and all(v.startswith("8.0.mysql_aurora.3.") for v in mysql), mysql)

    def test_exact_version(self):
        exact = self.versions(Engine="aurora-postgresql")[0]
        self.assertEqual(self.versions(Engine="aurora-postgresql", EngineVersion=exact), [exact])
        self.assertEqual(self.versions(Engine="aurora-postgresql", EngineVersion="16.999"), [])

    def test_default_only_per_major(self):
        for major in ("13", "14", "15", "16", "17"):
            out = self.rds.describe_db_engine_versions(
                Engine="aurora-postgresql", EngineVersion=major, DefaultOnly=True
            )["DBEngineVersions"]
            self.assertEqual(len(out), 1, major)
            self.assertEqual(out[0]["MajorEngineVersion"], major)
        for major in ("8.0", "8.4"):
            self.assertEqual(len(self.versions(Engine="aurora-mysql", EngineVersion=major, DefaultOnly=True)), 1)

    def test_default_only_per_engine(self):
        self.assertEqual(len(self.versions(Engine="aurora-postgresql", DefaultOnly=True)), 1)
        both = self.rds.describe_db_engine_versions(DefaultOnly=True)["DBEngineVersions"]
        self.assertEqual(sorted(v["Engine"] for v in both), ["aurora-mysql", "aurora-postgresql"])
        # The engine's default is one of its majors' defaults.
        default = self.versions(Engine="aurora-postgresql", DefaultOnly=True)[0]
        major = default.split(".")[0]
        self.assertEqual(self.versions(Engine="aurora-postgresql", EngineVersion=major, DefaultOnly=True), [default])

    def test_family(self):
        listed = self.rds.describe_db_engine_versions(DBParameterGroupFamily="aurora-postgresql15")["DBEngineVersions"]
        self.assertTrue(listed)
        self.assertEqual({v["MajorEngineVersion"] for v in listed}, {"15"})
        self.assertEqual(len(self.versions(DBParameterGroupFamily="aurora-mysql8.4", DefaultOnly=True)), 1)
        self.assertEqual(self.versions(DBParameterGroupFamily="aurora-postgresql99"), [])

    def test_unknown_engine_is_an_empty_list(self):
        self.assertEqual(self.versions(Engine="aurora-postgresql99"), [])
        self.assertEqual(self.versions(Engine="nope", DefaultOnly=True), [])

    def test_filters(self):
        listed = self.versions(Filters=[{"Name": "engine", "Values": ["aurora-mysql"]}, {"Name": "engine-version", "Values": ["8.4"]}])
        self.assertEqual(len(listed), len(self.versions(Engine="aurora-mysql", EngineVersion="8.4")))
        self.assertEqual(self.versions(Filters=[{"Name": "status", "Values": ["deprecated"]}]), [])
        self.assertEqual(self.code(Filters=[{"Name": "engine-mode", "Values": ["provisioned"]}]), "InvalidParameterValue")

    def test_pagination(self):
        everything = self.versions()
        self.assertGreater(len(everything), 20)
        first = self.rds.describe_db_engine_versions(MaxRecords=20)
        self.assertEqual(len(first["DBEngineVersions"]), 20)
        self.assertIn("Marker", first)
        collected = []
        for page in self.rds.get_paginator("describe_db_engine_versions").paginate(PaginationConfig={"PageSize": 20}):
            collected.extend(v["EngineVersion"] for v in page["DBEngineVersions"])
        self.assertEqual(collected, everything)
        self.assertNotIn("Marker", self.rds.describe_db_engine_versions(Engine="aurora-mysql", EngineVersion="8.4"))

    def test_max_records_bounds_and_bad_marker(self):
        self.assertEqual(self.code(MaxRecords=19), "InvalidParameterValue")
        self.assertEqual(self.code(MaxRecords=101), "InvalidParameterValue")
        self.assertEqual(self.code(Marker="garbage"), "InvalidParameterValue")


class PureLogic(unittest.TestCase):
    def test_one_default_per_major_and_per_engine(self):
        entries = catalogue()
        majors = {(e["Engine"], e["MajorEngineVersion"]) for e in entries}
        for engine, major in majors:
            defaults = [e for e in entries if (e["Engine"], e["MajorEngineVersion"]) == (engine, major) and e["_major_default"]]
            self.assertEqual(len(defaults), 1, (engine, major))
        for engine in ("aurora-postgresql", "aurora-mysql"):
            self.assertEqual(len([e for e in entries if e["Engine"] == engine and e["_engine_default"]]), 1)

    def test_versions_belong_to_their_major(self):
        for e in catalogue():
            self.assertTrue(e["EngineVersion"].startswith(e["MajorEngineVersion"] + "."), e)

    def test_private_fields_are_not_answered(self):
        entries, _ = describe(engine="aurora-mysql")
        self.assertTrue(all(not k.startswith("_") for e in entries for k in e))

    def test_install_is_idempotent(self):
        self.assertFalse(rds_engine_versions.install())


if __name__ == "__main__":
    unittest.main()
