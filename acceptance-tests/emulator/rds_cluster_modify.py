"""CloudWatch Logs exports and IAM database authentication of RDS DB clusters, for moto.

moto 5.2.1's ModifyDBCluster ignores ``CloudwatchLogsExportConfiguration`` (it reads a
differently named argument) and ``EnableIAMDatabaseAuthentication`` (it sets an attribute
nothing reports), answers an unknown cluster with an HTML 500 (a ``KeyError``), and neither
CreateDBCluster nor ModifyDBCluster checks log types. dbrail turns log exports on and off in
place and repairs drift of IAM authentication, so this module models the RDS API reference
(CreateDBCluster, ModifyDBCluster, CloudwatchLogsExportConfiguration, DBCluster):

* Log types valid per engine ("The following values are valid for each DB engine", in
  ``EnableCloudwatchLogsExports`` of CreateDBCluster and ``CloudwatchLogsExportConfiguration`` of
  ModifyDBCluster):

  - Aurora MySQL: ``audit | error | general | instance | slowquery | iam-db-auth-error``
  - Aurora PostgreSQL: ``instance | postgresql | iam-db-auth-error``
  - RDS for MySQL (Multi-AZ DB clusters): ``error | general | slowquery | iam-db-auth-error``
  - RDS for PostgreSQL (Multi-AZ DB clusters): ``postgresql | upgrade | iam-db-auth-error``

  Any other type, in a create or in ``EnableLogTypes``/``DisableLogTypes``, is
  ``InvalidParameterCombination`` with AWS's message ("You cannot use the log types 'upgrade'
  with engine version aurora-postgresql 9.6.12. For supported log types, see the
  documentation.", as AWS users report it). Engines outside that list are not checked.
* ``EnableLogTypes`` are added to and ``DisableLogTypes`` removed from the cluster's
  ``EnabledCloudwatchLogsExports``; enabling an exported type or disabling one that is not
  exported changes nothing. The docs do not say what a type in both lists means; the module
  rejects it (``InvalidParameterCombination``) rather than pick an order.
* ``EnableIAMDatabaseAuthentication`` true/false sets what DescribeDBClusters reports as
  ``IAMDatabaseAuthenticationEnabled`` ("Valid for Cluster Type: Aurora DB clusters only"; for
  other engines it is ``InvalidParameterCombination``, as moto's CreateDBCluster already does).
* ModifyDBCluster of an unknown cluster is ``DBClusterNotFoundFault`` (ModifyDBCluster's
  documented error), not moto's HTML 500.
* Validation happens before moto sees the request, so a rejected request changes nothing.

It changes nothing else in moto. ``install()`` is idempotent and returns whether it patched.
"""

LOG_TYPES_BY_ENGINE = {
    "aurora-mysql": ("audit", "error", "general", "instance", "slowquery", "iam-db-auth-error"),
    "aurora-postgresql": ("instance", "postgresql", "iam-db-auth-error"),
    "mysql": ("error", "general", "slowquery", "iam-db-auth-error"),
    "postgres": ("postgresql", "upgrade", "iam-db-auth-error"),
}
AURORA_ENGINES = ("aurora-mysql", "aurora-postgresql")

# moto's parsed (snake_case) request keys.
CREATE_LOG_EXPORTS = "enable_cloudwatch_logs_exports"
MODIFY_LOG_EXPORTS = "cloudwatch_logs_export_configuration"
IAM_AUTH = "enable_iam_database_authentication"

_MARKER = "_dbrail_cluster_modify"


class ClusterModifyError(Exception):
    """A request AWS would reject, with AWS's error code."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def _truthy(value):
    if isinstance(value, bool):
        return value
    return str(value).lower() in ("true", "1")


def check_log_types(engine, engine_version, log_types):
    """Raises ClusterModifyError unless every type is valid for `engine`."""
    valid = LOG_TYPES_BY_ENGINE.get(engine)
    if valid is None:
        return
    invalid = [t for t in log_types if t not in valid]
    if invalid:
        raise ClusterModifyError(
            "InvalidParameterCombination",
            "You cannot use the log types %s with engine version %s %s. For supported log "
            "types, see the documentation."
            % (", ".join("'%s'" % t for t in invalid), engine, engine_version),
        )


def apply_log_export_change(engine, engine_version, enabled, configuration):
    """The exports after a ModifyDBCluster `CloudwatchLogsExportConfiguration`.

    `enabled` is the current list; `configuration` a mapping with optional `EnableLogTypes` and
    `DisableLogTypes`. Returns a new list (current order kept, new types appended) or raises
    ClusterModifyError.
    """
    enable = list(configuration.get("EnableLogTypes") or [])
    disable = list(configuration.get("DisableLogTypes") or [])
    check_log_types(engine, engine_version, enable + disable)
    both = [t for t in enable if t in disable]
    if both:
        raise ClusterModifyError(
            "InvalidParameterCombination",
            "The log types %s are both enabled and disabled in one request."
            % ", ".join("'%s'" % t for t in both),
        )
    result = [t for t in enabled if t not in disable]
    for log_type in enable:
        if log_type not in result:
            result.append(log_type)
    return result


def check_iam_auth(engine, value):
    """The IAM authentication setting a request asks for; raises for a non-Aurora engine."""
    wanted = _truthy(value)
    if wanted and engine not in AURORA_ENGINES:
        raise ClusterModifyError(
            "InvalidParameterCombination",
            "IAM Authentication is currently not supported by Multi-AZ DB clusters.",
        )
    return wanted


def install():
    """Wraps moto's CreateDBCluster/ModifyDBCluster. Returns True when it patched."""
    from moto.rds.exceptions import DBClusterNotFoundError, RDSClientError
    from moto.rds.models import RDSBackend

    if getattr(RDSBackend.modify_db_cluster, _MARKER, False):
        return False

    original_create = RDSBackend.create_db_cluster
    original_modify = RDSBackend.modify_db_cluster

    def create_db_cluster(self, kwargs):
        try:
            check_log_types(
                kwargs.get("engine"),
                kwargs.get("engine_version") or "",
                list(kwargs.get(CREATE_LOG_EXPORTS) or []),
            )
        except ClusterModifyError as error:
            raise RDSClientError(error.code, error.message)
        return original_create(self, kwargs)

    def modify_db_cluster(self, kwargs):
        identifier = kwargs.get("db_cluster_identifier")
        cluster = self.clusters.get(identifier) if identifier else None
        if cluster is None:
            raise DBClusterNotFoundError(identifier)
        configuration = kwargs.pop(MODIFY_LOG_EXPORTS, None)
        iam_auth = kwargs.pop(IAM_AUTH, None)
        try:
            exports = None
            if configuration is not None:
                exports = apply_log_export_change(
                    cluster.engine,
                    cluster.engine_version,
                    list(cluster.enabled_cloudwatch_logs_exports or []),
                    configuration,
                )
            wanted_iam = None if iam_auth is None else check_iam_auth(cluster.engine, iam_auth)
        except ClusterModifyError as error:
            raise RDSClientError(error.code, error.message)
        answer = original_modify(self, kwargs)
        # moto answers with a copy of the cluster; keep both the stored cluster and the answer.
        for target in {id(cluster): cluster, id(answer): answer}.values():
            if exports is not None:
                target.enabled_cloudwatch_logs_exports = list(exports)
            if wanted_iam is not None:
                target.iam_auth = wanted_iam
        return answer

    setattr(create_db_cluster, _MARKER, True)
    setattr(modify_db_cluster, _MARKER, True)
    RDSBackend.create_db_cluster = create_db_cluster
    RDSBackend.modify_db_cluster = modify_db_cluster
    return True
