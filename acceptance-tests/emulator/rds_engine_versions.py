"""RDS DescribeDBEngineVersions for moto, over a static catalogue of Aurora versions.

moto 5.2.1 does not implement DescribeDBEngineVersions: it answers with an HTML 500, which an
AWS client retries as if it were an outage. dbrail pins a major version and may ask AWS which
exact version is that major's default (``Engine`` + ``EngineVersion=<major>`` +
``DefaultOnly``), so this module adds the action.

The catalogue is a SNAPSHOT dated August 2026 (``CATALOGUE_DATE``), not the live list: the
Aurora PostgreSQL 13-17 and Aurora MySQL 8.0 (Aurora MySQL 3.x) and 8.4 versions listed as
available then, taken from AWS's published release lists (Aurora PostgreSQL and Aurora MySQL
release notes and "what's new" announcements) and a public record of the API's answer at that
date. Defaults: 16.11 and 17.7 are as recorded then; the 13/14/15 defaults are the same
community release wave (13.23, 14.20, 15.15), and the Aurora MySQL defaults are the snapshot's
choice (3.10 is the 8.0 LTS line); none was confirmed against the live API. AWS adds and
deprecates versions every few months and moves defaults about twice a year; refresh the table
with ``aws rds describe-db-engine-versions --engine <engine> --query
'DBEngineVersions[].[EngineVersion,DBParameterGroupFamily,MajorEngineVersion]'`` (and
``--engine-version <major> --default-only`` per major). This module models the API's
filtering, not the live list. Aurora Limitless (``-limitless``) versions and other engines
(``postgres``, ``mysql``, ...) are not in it. Tests must not depend on which minor versions
exist or which is the default, only on the behaviour modelled here.

What it models (RDS API reference, DescribeDBEngineVersions):

* ``Engine`` — "The database engine to return version details for". An engine with no versions
  in the catalogue (also an unknown one) gives an empty list, not an error: the reference
  documents no error for it (DescribeDBEngineVersions lists no action-specific errors), and
  an empty list is what any filter matching nothing gives. Not confirmed against live AWS.
* ``EngineVersion`` — "A specific database engine version to return details for": an exact
  version, or a major version (``16``, ``8.0``), which lists that major's versions, as AWS does
  (AWS's own example, in "Amazon Aurora versioning", asks ``--engine-version <major>
  --default-only`` for each major's default).
* ``DBParameterGroupFamily`` — only versions of that family (an unknown family: empty list).
* ``DefaultOnly`` — "Specifies whether to return only the default version of the specified
  engine or the engine and major version combination": with ``EngineVersion`` or
  ``DBParameterGroupFamily``, each matching major's default; otherwise each engine's default
  (one per engine; AWS's example answers ``16.4`` for ``--engine aurora-postgresql
  --default-only`` when 16 was the newest major).
* ``Filters`` — the documented ``engine``, ``engine-version``, ``db-parameter-group-family`` and
  ``status`` filters (every catalogued version is ``available``); ``engine-mode`` is documented
  by AWS but not modelled, so it and unknown names are ``InvalidParameterValue``.
* ``MaxRecords`` ("Default: 100", "Constraints: Minimum 20, maximum 100";
  ``InvalidParameterValue`` outside) and ``Marker`` pagination, in catalogue order (engine, then
  ascending version). A marker this module did not issue is ``InvalidParameterValue``.
* Each entry reports ``Engine``, ``EngineVersion``, ``MajorEngineVersion``,
  ``DBParameterGroupFamily``, ``DBEngineDescription`` (``Aurora (PostgreSQL)`` / ``Aurora
  MySQL``, as AWS words them) and ``Status`` ``available``; upgrade targets, log types, character
  sets and features are not modelled.

It changes nothing else in moto. ``install()`` is idempotent and returns whether it patched.
"""

CATALOGUE_DATE = "2026-08"

MIN_RECORDS = 20
MAX_RECORDS = 100
MARKER_PREFIX = "dbrail-engine-versions:"

ENGINE_DESCRIPTIONS = {
    "aurora-postgresql": "Aurora (PostgreSQL)",
    "aurora-mysql": "Aurora MySQL",
}

# engine -> major -> (parameter group family, default version, versions ascending)
_CATALOGUE = {
    "aurora-postgresql": {
        "13": ("aurora-postgresql13", "13.23", ["13.9", "13.23"]),
        "14": (
            "aurora-postgresql14",
            "14.20",
            ["14.6", "14.17", "14.18", "14.19", "14.20", "14.22", "14.23"],
        ),
        "15": (
            "aurora-postgresql15",
            "15.15",
            ["15.10", "15.12", "15.13", "15.14", "15.15", "15.17", "15.18"],
        ),
        "16": (
            "aurora-postgresql16",
            "16.11",
            ["16.8", "16.9", "16.10", "16.11", "16.13", "16.14"],
        ),
        "17": (
            "aurora-postgresql17",
            "17.7",
            ["17.4", "17.5", "17.6", "17.7", "17.9", "17.10"],
        ),
    },
    "aurora-mysql": {
        "8.0": (
            "aurora-mysql8.0",
            "8.0.mysql_aurora.3.10.2",
            [
                "8.0.mysql_aurora.3.04.0",
                "8.0.mysql_aurora.3.04.1",
                "8.0.mysql_aurora.3.04.2",
                "8.0.mysql_aurora.3.04.3",
                "8.0.mysql_aurora.3.04.4",
                "8.0.mysql_aurora.3.04.6",
                "8.0.mysql_aurora.3.08.0",
                "8.0.mysql_aurora.3.08.1",
                "8.0.mysql_aurora.3.08.2",
                "8.0.mysql_aurora.3.09.0",
                "8.0.mysql_aurora.3.10.0",
                "8.0.mysql_aurora.3.10.1",
                "8.0.mysql_aurora.3.10.2",
                "8.0.mysql_aurora.3.10.3",
                "8.0.mysql_aurora.3.10.4",
                "8.0.mysql_aurora.3.11.1",
                "8.0.mysql_aurora.3.12.0",
            ],
        ),
        "8.4": ("aurora-mysql8.4", "8.4.mysql_aurora.8.4.7", ["8.4.mysql_aurora.8.4.7"]),
    },
}

# The version an engine gets when none is asked for: the newest major's default.
ENGINE_DEFAULT_MAJOR = {"aurora-postgresql": "17", "aurora-mysql": "8.0"}

_MARKER = "_dbrail_engine_versions"


class EngineVersionsError(Exception):
    """A request AWS would reject, with AWS's error code."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def catalogue():
    """Every catalogued version as an entry dict (the response shape), in catalogue order."""
    entries = []
    for engine, majors in _CATALOGUE.items():
        for major, (family, default, versions) in majors.items():
            for version in versions:
                entries.append(
                    {
                        "Engine": engine,
                        "EngineVersion": version,
                        "MajorEngineVersion": major,
                        "DBParameterGroupFamily": family,
                        "DBEngineDescription": ENGINE_DESCRIPTIONS[engine],
                        "Status": "available",
                        "_major_default": version == default,
                        "_engine_default": version == default
                        and major == ENGINE_DEFAULT_MAJOR[engine],
                    }
                )
    return entries


def _truthy(value):
    if isinstance(value, bool):
        return value
    return str(value).lower() in ("true", "1")


def _version_matches(entry, asked):
    return entry["EngineVersion"] == asked or entry["MajorEngineVersion"] == asked


def _filter_values(filters):
    """`Filters` as name -> list of values; raises for names the module does not model."""
    supported = ("engine", "engine-version", "db-parameter-group-family", "status")
    result = {}
    for item in filters or []:
        name = item.get("Name")
        if name not in supported:
            raise EngineVersionsError(
                "InvalidParameterValue",
                "Unrecognized filter name: %s. Filters modelled: %s." % (name, ", ".join(supported)),
            )
        result.setdefault(name, []).extend(item.get("Values") or [])
    return result


def _page_size(max_records):
    if max_records is None:
        return MAX_RECORDS
    try:
        size = int(max_records)
    except (TypeError, ValueError):
        size = -1
    if not MIN_RECORDS <= size <= MAX_RECORDS:
        raise EngineVersionsError(
            "InvalidParameterValue",
            "Invalid value %s for MaxRecords. Must be between %d and %d."
            % (max_records, MIN_RECORDS, MAX_RECORDS),
        )
    return size


def _start(marker):
    if not marker:
        return 0
    if marker.startswith(MARKER_PREFIX) and marker[len(MARKER_PREFIX):].isdigit():
        return int(marker[len(MARKER_PREFIX):])
    raise EngineVersionsError("InvalidParameterValue", "Invalid marker: %s" % marker)


def describe(
    engine=None,
    engine_version=None,
    family=None,
    default_only=None,
    filters=None,
    max_records=None,
    marker=None,
):
    """One page of DescribeDBEngineVersions: (entries, next marker or None). Raises
    EngineVersionsError for a request AWS rejects."""
    page_size = _page_size(max_records)
    start = _start(marker)
    by_filter = _filter_values(filters)

    entries = catalogue()
    if engine:
        entries = [e for e in entries if e["Engine"] == engine]
    if engine_version:
        entries = [e for e in entries if _version_matches(e, engine_version)]
    if family:
        entries = [e for e in entries if e["DBParameterGroupFamily"] == family]
    if "engine" in by_filter:
        entries = [e for e in entries if e["Engine"] in by_filter["engine"]]
    if "engine-version" in by_filter:
        entries = [
            e for e in entries if any(_version_matches(e, v) for v in by_filter["engine-version"])
        ]
    if "db-parameter-group-family" in by_filter:
        families = by_filter["db-parameter-group-family"]
        entries = [e for e in entries if e["DBParameterGroupFamily"] in families]
    if "status" in by_filter:
        entries = [e for e in entries if e["Status"] in by_filter["status"]]
    if default_only is not None and _truthy(default_only):
        per_major = engine_version or family or by_filter.get("engine-version") or by_filter.get(
            "db-parameter-group-family"
        )
        flag = "_major_default" if per_major else "_engine_default"
        entries = [e for e in entries if e[flag]]

    page = entries[start : start + page_size]
    following = start + page_size
    next_marker = MARKER_PREFIX + str(following) if following < len(entries) else None
    public = [{k: v for k, v in e.items() if not k.startswith("_")} for e in page]
    return public, next_marker


def install():
    """Adds DescribeDBEngineVersions to moto's RDS responses. Returns True when it patched."""
    from moto.core.responses import ActionResult
    from moto.rds.exceptions import RDSClientError
    from moto.rds.responses import RDSResponse

    existing = getattr(RDSResponse, "describe_db_engine_versions", None)
    if existing is not None and getattr(existing, _MARKER, False):
        return False

    def describe_db_engine_versions(self):
        params = self.params
        try:
            entries, next_marker = describe(
                engine=params.get("Engine"),
                engine_version=params.get("EngineVersion"),
                family=params.get("DBParameterGroupFamily"),
                default_only=params.get("DefaultOnly"),
                filters=params.get("Filters"),
                max_records=params.get("MaxRecords"),
                marker=params.get("Marker"),
            )
        except EngineVersionsError as error:
            raise RDSClientError(error.code, error.message)
        result = {"DBEngineVersions": entries}
        if next_marker is not None:
            result["Marker"] = next_marker
        return ActionResult(result)

    setattr(describe_db_engine_versions, _MARKER, True)
    RDSResponse.describe_db_engine_versions = describe_db_engine_versions
    return True
