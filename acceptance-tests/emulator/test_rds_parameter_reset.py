"""Tests of the RDS parameter-reset extension, through boto3 against moto in-process."""

import os
import unittest

os.environ.setdefault("AWS_ACCESS_KEY_ID", "testing")
os.environ.setdefault("AWS_SECRET_ACCESS_KEY", "testing")
os.environ.setdefault("AWS_DEFAULT_REGION", "us-east-1")

import boto3  # noqa: E402
from botocore.exceptions import ClientError  # noqa: E402
from moto import mock_aws  # noqa: E402

import rds_parameter_reset  # noqa: E402

rds_parameter_reset.install()


def _params(n):
    return [
        {"ParameterName": "p%d" % i, "ParameterValue": str(i), "ApplyMethod": "immediate"}
        for i in range(n)
    ]


@mock_aws
class ClusterGroupReset(unittest.TestCase):
    def setUp(self):
        self.rds = boto3.client("rds", region_name="us-east-1")
        self.rds.create_db_cluster_parameter_group(
            DBClusterParameterGroupName="g", DBParameterGroupFamily="aurora-postgresql16", Description="d"
        )
        self.rds.modify_db_cluster_parameter_group(DBClusterParameterGroupName="g", Parameters=_params(5))

    def names(self):
        out = self.rds.describe_db_cluster_parameters(DBClusterParameterGroupName="g", Source="user")
        return sorted(p["ParameterName"] for p in out["Parameters"])

    def test_named_parameters_stop_being_user_set(self):
        out = self.rds.reset_db_cluster_parameter_group(
            DBClusterParameterGroupName="g", Parameters=[{"ParameterName": "p1"}, {"ParameterName": "p3"}]
        )
        self.assertEqual(out["DBClusterParameterGroupName"], "g")
        self.assertEqual(self.names(), ["p0", "p2", "p4"])

    def test_reset_all(self):
        self.rds.reset_db_cluster_parameter_group(DBClusterParameterGroupName="g", ResetAllParameters=True)
        self.assertEqual(self.names(), [])

    def test_both_or_neither_is_rejected(self):
        for kwargs in ({"ResetAllParameters": True, "Parameters": [{"ParameterName": "p1"}]}, {}):
            with self.assertRaises(ClientError) as caught:
                self.rds.reset_db_cluster_parameter_group(DBClusterParameterGroupName="g", **kwargs)
            self.assertEqual(caught.exception.response["Error"]["Code"], "InvalidParameterCombination")
        self.assertEqual(len(self.names()), 5)

    def test_more_than_twenty_is_rejected(self):
        with self.assertRaises(ClientError) as caught:
            self.rds.reset_db_cluster_parameter_group(
                DBClusterParameterGroupName="g", Parameters=[{"ParameterName": "p%d" % i} for i in range(21)]
            )
        self.assertEqual(caught.exception.response["Error"]["Code"], "InvalidParameterValue")

    def test_unknown_group(self):
        with self.assertRaises(ClientError) as caught:
            self.rds.reset_db_cluster_parameter_group(DBClusterParameterGroupName="nope", ResetAllParameters=True)
        self.assertEqual(caught.exception.response["Error"]["Code"], "DBParameterGroupNotFound")


@mock_aws
class InstanceGroupReset(unittest.TestCase):
    def test_named_parameters_stop_being_user_set(self):
        rds = boto3.client("rds", region_name="us-east-1")
        rds.create_db_parameter_group(
            DBParameterGroupName="i", DBParameterGroupFamily="aurora-postgresql16", Description="d"
        )
        rds.modify_db_parameter_group(DBParameterGroupName="i", Parameters=_params(3))
        out = rds.reset_db_parameter_group(
            DBParameterGroupName="i", Parameters=[{"ParameterName": "p0", "ApplyMethod": "immediate"}]
        )
        self.assertEqual(out["DBParameterGroupName"], "i")
        names = sorted(p["ParameterName"] for p in rds.describe_db_parameters(DBParameterGroupName="i")["Parameters"])
        self.assertEqual(names, ["p1", "p2"])


class PureLogic(unittest.TestCase):
    def test_install_is_idempotent(self):
        self.assertFalse(rds_parameter_reset.install())


if __name__ == "__main__":
    unittest.main()
