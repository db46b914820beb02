"""Performance Insights and Enhanced Monitoring settings of RDS DB instances, for moto.

moto 5.2.1 ignores ``EnablePerformanceInsights``, ``PerformanceInsightsKMSKeyId`` and
``PerformanceInsightsRetentionPeriod`` (never reported), and reports ``MonitoringInterval`` /
``MonitoringRoleArn`` only after a ModifyDBInstance (CreateDBInstance drops them), without any
validation. dbrail's guardrail G13 rests on these settings, so this module makes CreateDBInstance
and ModifyDBInstance store them and DescribeDBInstances report them, modelling the RDS API
reference (CreateDBInstance, ModifyDBInstance, DBInstance):

* ``MonitoringInterval``: "Valid Values: 0 | 1 | 5 | 10 | 15 | 30 | 60", "Default: 0"; any other
  value is ``InvalidParameterValue``.
* "If MonitoringRoleArn is specified, then you must set MonitoringInterval to a value other than
  0" and "If MonitoringInterval is set to a value other than 0, supply a MonitoringRoleArn
  value". AWS rejects both with ``InvalidParameterCombination`` ("A MonitoringRoleARN value is
  required if you specify a MonitoringInterval value other than 0." / "You must specify a
  MonitoringInterval value other than 0 when you specify a MonitoringRoleARN value.", the
  messages AWS users report for CreateDBInstance and ModifyDBInstance). On modify the rule is
  checked against the instance's resulting settings: an instance that already has a role may
  change its interval alone.
* ``PerformanceInsightsRetentionPeriod``: "7, month * 31, where month is a number of months from
  1-23, 731"; "Default: 7 days"; "If you specify a retention period that isn't valid, such as 94,
  Amazon RDS issues an error" (the docs do not name the code; this module answers
  ``InvalidParameterValue``, the code RDS uses for out-of-range values).
* ``PerformanceInsightsKMSKeyId``: "If you don't specify a value for PerformanceInsightsKMSKeyId,
  then Amazon RDS uses your default KMS key. There is a default KMS key for your Amazon Web
  Services account. Your Amazon Web Services account has a different default KMS key for each
  Amazon Web Services Region." That default is the account's AWS-managed ``aws/rds`` key; this
  module reports its ARN (``arn:aws:kms:<region>:<account>:key/<id>``) as moto's own KMS knows
  it (moto creates AWS-managed keys on first use), so KMS ``DescribeKey('alias/aws/rds')``
  agrees. A key that is given is reported as sent; AWS reports the key's ARN, so tests should
  send ARNs.
* DescribeDBInstances reports ``PerformanceInsightsEnabled`` (false unless enabled) and
  ``MonitoringInterval`` (0 unless set) for every instance, ``MonitoringRoleArn`` once set, and
  ``PerformanceInsightsKMSKeyId`` / ``PerformanceInsightsRetentionPeriod`` while Performance
  Insights is enabled.

Where the docs are silent, these choices are made (and tested):

* Turning Performance Insights off stops reporting its key and retention; turning it on again
  without a key uses the default key again. A key or retention sent while Performance Insights
  stays off is validated and otherwise ignored.
* Setting ``MonitoringInterval`` to 0 keeps the role (AWS keeps monitoring-related fields after
  monitoring is turned off); an empty ``MonitoringRoleArn`` counts as not given.
* Validation happens before moto sees the request, so a rejected request changes nothing.

It changes nothing else in moto. ``install()`` is idempotent and returns whether it patched.
"""

VALID_MONITORING_INTERVALS = (0, 1, 5, 10, 15, 30, 60)
DEFAULT_RETENTION_DAYS = 7
DEFAULT_KMS_ALIAS = "alias/aws/rds"

# The request parameters this module owns, as moto's parsed (snake_case) keys.
ENABLE_PI = "enable_performance_insights"
PI_KMS_KEY = "performance_insights_kms_key_id"
PI_RETENTION = "performance_insights_retention_period"
INTERVAL = "monitoring_interval"
ROLE = "monitoring_role_arn"
REQUEST_KEYS = (ENABLE_PI, PI_KMS_KEY, PI_RETENTION, INTERVAL, ROLE)

_MARKER = "_dbrail_instance_monitoring"


class MonitoringError(Exception):
    """A request AWS would reject, with AWS's error code."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def valid_retention_periods():
    """Every retention period AWS accepts, in days."""
    return [DEFAULT_RETENTION_DAYS] + [31 * months for months in range(1, 24)] + [731]


def _truthy(value):
    if isinstance(value, bool):
        return value
    return str(value).lower() in ("true", "1")


def _as_int(name, value):
    try:
        return int(value)
    except (TypeError, ValueError):
        raise MonitoringError("InvalidParameterValue", "Invalid value %r for %s." % (value, name))


def initial_settings():
    """The settings of an instance created without any of them."""
    return {
        "performance_insights_enabled": False,
        "performance_insights_kms_key_id": None,
        "performance_insights_retention_period": None,
        "monitoring_interval": 0,
        "monitoring_role_arn": None,
    }


def take_request(params):
    """Removes this module's parameters from moto's request and returns them (given ones only)."""
    request = {}
    for key in REQUEST_KEYS:
        if key in params:
            value = params.pop(key)
            if value is not None:
                request[key] = value
    return request


def resolve(current, request, default_kms_key):
    """The settings an instance has after `request`, from its `current` settings.

    `request` holds only the parameters given (see `take_request`); `default_kms_key` is called
    for the default key's ARN when Performance Insights is enabled without one. Raises
    MonitoringError for a request AWS rejects; `current` is never modified.
    """
    settings = dict(current)

    role_given = request.get(ROLE) or None
    if INTERVAL in request:
        interval = _as_int("MonitoringInterval", request[INTERVAL])
        if interval not in VALID_MONITORING_INTERVALS:
            raise MonitoringError(
                "InvalidParameterValue",
                "Invalid value %d for MonitoringInterval. Valid values: %s."
                % (interval, ", ".join(str(v) for v in VALID_MONITORING_INTERVALS)),
            )
        settings["monitoring_interval"] = interval
    if role_given is not None:
        settings["monitoring_role_arn"] = role_given
    if role_given is not None and settings["monitoring_interval"] == 0:
        raise MonitoringError(
            "InvalidParameterCombination",
            "You must specify a MonitoringInterval value other than 0 when you specify a "
            "MonitoringRoleARN value.",
        )
    if settings["monitoring_interval"] != 0 and not settings["monitoring_role_arn"]:
        raise MonitoringError(
            "InvalidParameterCombination",
            "A MonitoringRoleARN value is required if you specify a MonitoringInterval value "
            "other than 0.",
        )

    retention = None
    if PI_RETENTION in request:
        retention = _as_int("PerformanceInsightsRetentionPeriod", request[PI_RETENTION])
        if retention not in valid_retention_periods():
            raise MonitoringError(
                "InvalidParameterValue",
                "Invalid value %d for PerformanceInsightsRetentionPeriod. Valid values: 7, "
                "month * 31 (for 1 to 23 months), 731." % retention,
            )
    key = request.get(PI_KMS_KEY) or None

    enabled = settings["performance_insights_enabled"]
    if ENABLE_PI in request:
        enabled = _truthy(request[ENABLE_PI])
    if enabled:
        was_enabled = settings["performance_insights_enabled"]
        settings["performance_insights_enabled"] = True
        if key is not None:
            settings["performance_insights_kms_key_id"] = key
        elif not was_enabled or not settings["performance_insights_kms_key_id"]:
            settings["performance_insights_kms_key_id"] = default_kms_key()
        if retention is not None:
            settings["performance_insights_retention_period"] = retention
        elif not was_enabled or settings["performance_insights_retention_period"] is None:
            settings["performance_insights_retention_period"] = DEFAULT_RETENTION_DAYS
    else:
        settings["performance_insights_enabled"] = False
        settings["performance_insights_kms_key_id"] = None
        settings["performance_insights_retention_period"] = None
    return settings


def current_settings(database):
    """The settings stored on a moto DBInstance (the defaults when it has none)."""
    return {name: getattr(database, name, default) for name, default in initial_settings().items()}


def store(database, settings):
    """Stores settings on a moto DBInstance under the names moto's serializer reports."""
    for name, value in settings.items():
        setattr(database, name, value)


def install():
    """Wraps moto's CreateDBInstance/ModifyDBInstance. Returns True when it patched."""
    from moto.rds.exceptions import RDSClientError
    from moto.rds.models import DBInstance, RDSBackend

    if getattr(RDSBackend.create_db_instance, _MARKER, False):
        return False

    original_create = RDSBackend.create_db_instance
    original_modify = RDSBackend.modify_db_instance

    def default_kms_key(backend):
        def resolve_key():
            kms = backend.kms
            key_id = kms.get_key_id_from_alias(DEFAULT_KMS_ALIAS)
            return kms.describe_key(key_id).arn

        return resolve_key

    def rejected(error):
        return RDSClientError(error.code, error.message)

    def create_db_instance(self, db_kwargs):
        request = take_request(db_kwargs)
        try:
            settings = resolve(initial_settings(), request, default_kms_key(self))
        except MonitoringError as error:
            raise rejected(error)
        database = original_create(self, db_kwargs)
        store(database, settings)
        return database

    def modify_db_instance(self, db_instance_identifier, db_kwargs):
        # Raises DBInstanceNotFound for an unknown instance, as moto's own modify would.
        database = self.describe_db_instances(db_instance_identifier)[0]
        request = take_request(db_kwargs)
        try:
            settings = resolve(current_settings(database), request, default_kms_key(self))
        except MonitoringError as error:
            raise rejected(error)
        database = original_modify(self, db_instance_identifier, db_kwargs)
        store(database, settings)
        return database

    setattr(create_db_instance, _MARKER, True)
    setattr(modify_db_instance, _MARKER, True)
    RDSBackend.create_db_instance = create_db_instance
    RDSBackend.modify_db_instance = modify_db_instance
    # Reported for every instance, also those created before install or by other paths.
    for name, value in initial_settings().items():
        if value is not None and not hasattr(DBInstance, name):
            setattr(DBInstance, name, value)
    return True
