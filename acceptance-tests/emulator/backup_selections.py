"""AWS Backup selections, plan updates, backup jobs and recovery points, for moto.

moto 5.2.1 models Backup vaults, plans, vault lock and tags, but has no backup selections, no
UpdateBackupPlan, no backup jobs and no recovery points; it also deletes a plan that still has
selections and "deletes" an unknown vault silently. dbrail's ``dbrail_backup_policy`` assigns
clusters to a plan through a tag-based selection, changes a plan in place, and
``dbrail_backup_status`` reads a cluster's recovery points. This module models the AWS Backup API
reference for those calls:

* **CreateBackupSelection** (``PUT /backup/plans/{id}/selections/``): ``SelectionName`` is
  required and must be 1-50 characters of ``a-zA-Z0-9-_.``; ``IamRoleArn`` is required
  (``MissingParameterValueException``) and must be an IAM role ARN
  (``InvalidParameterValueException``); the plan must exist and not be deleted
  (``InvalidParameterValueException``: ResourceNotFound is not among CreateBackupSelection's
  documented errors); a second selection of the same name in one plan is
  ``AlreadyExistsException``. ``ListOfTags`` entries need ``ConditionType = STRINGEQUALS``,
  ``ConditionKey`` and ``ConditionValue``; ``Conditions`` accepts ``StringEquals``,
  ``StringNotEquals``, ``StringLike`` and ``StringNotLike`` lists of key/value pairs. A
  selection that names no ``Resources``, no ``ListOfTags`` and no ``Conditions`` selects nothing;
  it is rejected as ``InvalidParameterValueException`` (the console refuses it; the API's
  behaviour for it is unconfirmed). Answers ``SelectionId``, ``BackupPlanId``, ``CreationDate``.
* **GetBackupSelection / ListBackupSelections / DeleteBackupSelection**: an unknown plan or
  selection is ``ResourceNotFoundException``; the list answers ``BackupSelectionsList`` with
  ``SelectionId, SelectionName, BackupPlanId, CreationDate, CreatorRequestId, IamRoleArn``.
* **DeleteBackupPlan** of a plan that still has selections is ``InvalidRequestException``
  ("Related backup plan selections must be deleted prior to backup plan deletion").
* **UpdateBackupPlan** (``POST /backup/plans/{id}``): replaces the plan document's rules (moto's
  defaults for schedule and windows applied again), gives the plan a new ``VersionId``; unknown
  or deleted plan is ``ResourceNotFoundException``.
* **Plan rules** (CreateBackupPlan and UpdateBackupPlan): a rule with
  ``EnableContinuousBackup = true`` may keep recovery points at most 35 days
  (``Lifecycle.DeleteAfterDays`` 1-35, "continuous backups ... retention period of 1 to 35
  days"); ``DeleteAfterDays`` must be at least 90 days after ``MoveToColdStorageAfterDays``.
  Both are ``InvalidParameterValueException``. The rule's target vault must exist.
* **StartBackupJob** (``PUT /backup-jobs``): ``BackupVaultName``, ``ResourceArn`` and
  ``IamRoleArn`` are required; the vault must exist (``ResourceNotFoundException``). The job is
  modelled as completing at once: it answers ``BackupJobId``, ``RecoveryPointArn`` and
  ``CreationDate`` and a ``COMPLETED`` recovery point appears in the vault, encrypted with the
  vault's key, its ``CalculatedLifecycle`` derived from the request's ``Lifecycle``. A vault
  lock's ``MinRetentionDays``/``MaxRetentionDays`` outside which the lifecycle falls fail the
  job, as AWS documents ("backup and copy jobs ... fail"): ``InvalidParameterValueException``.
* **ListRecoveryPointsByResource** (``GET /resources/{arn}/recovery-points/``): newest first.
* **ListTags** (``GET /tags/{arn}``): moto reads the ARN as the second-to-last path segment,
  which only works with the trailing slash older SDKs send; newer SDKs (the Rust SDK) send none
  and got the tags of a resource named ``tags``. The ARN is taken from the path either way.
* **DeleteRecoveryPoint**; **DeleteBackupVault** of an unknown vault is
  ``ResourceNotFoundException`` and of a vault that still holds recovery points is
  ``InvalidRequestException`` (AWS: "a backup vault can be deleted only if it is empty").

It changes nothing else in moto. ``install()`` is idempotent and returns whether it patched.
"""

import json
import re
import uuid
from urllib.parse import unquote

SELECTION_NAME = re.compile(r"^[a-zA-Z0-9\-_.]{1,50}$")
ROLE_ARN = re.compile(r"^arn:aws[a-z-]*:iam::\d{12}:role/[\w+=,.@/-]+$")
CONDITION_OPERATORS = ("StringEquals", "StringNotEquals", "StringLike", "StringNotLike")
CONTINUOUS_MAX_DAYS = 35
COLD_STORAGE_MIN_DAYS = 90

_MARKER = "_dbrail_backup_selections"


class BackupError(Exception):
    """A request AWS would reject, with AWS's error code."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def _invalid(message):
    return BackupError("InvalidParameterValueException", message)


def check_selection(selection):
    """Raises BackupError unless `selection` (a BackupSelection document) is valid."""
    if not isinstance(selection, dict):
        raise BackupError("MissingParameterValueException", "BackupSelection is required.")
    name = selection.get("SelectionName")
    if not name:
        raise BackupError("MissingParameterValueException", "SelectionName is required.")
    if not SELECTION_NAME.match(name):
        raise _invalid(
            "Invalid selection name '%s': use 1 to 50 alphanumeric or '-_.' characters." % name
        )
    role = selection.get("IamRoleArn")
    if not role:
        raise BackupError("MissingParameterValueException", "IamRoleArn is required.")
    if not ROLE_ARN.match(role):
        raise _invalid("Invalid IAM role ARN '%s'." % role)
    for tag in selection.get("ListOfTags") or []:
        if tag.get("ConditionType") != "STRINGEQUALS":
            raise _invalid("ListOfTags ConditionType must be STRINGEQUALS.")
        if not tag.get("ConditionKey") or tag.get("ConditionValue") is None:
            raise _invalid("ListOfTags entries need ConditionKey and ConditionValue.")
    conditions = selection.get("Conditions") or {}
    for operator, pairs in conditions.items():
        if operator not in CONDITION_OPERATORS:
            raise _invalid("Unknown condition operator '%s'." % operator)
        for pair in pairs or []:
            if not pair.get("ConditionKey") or pair.get("ConditionValue") is None:
                raise _invalid("Conditions entries need ConditionKey and ConditionValue.")
    has_conditions = any(conditions.get(op) for op in CONDITION_OPERATORS)
    if not (selection.get("Resources") or selection.get("ListOfTags") or has_conditions):
        raise _invalid("A backup selection must name Resources, ListOfTags or Conditions.")


def check_rules(plan_document, vault_names):
    """Raises BackupError unless every rule of a BackupPlan document is valid."""
    for rule in plan_document.get("Rules") or []:
        name = rule.get("RuleName", "")
        if rule.get("TargetBackupVaultName") not in vault_names:
            raise _invalid(
                "Rule '%s': backup vault '%s' does not exist."
                % (name, rule.get("TargetBackupVaultName"))
            )
        lifecycle = rule.get("Lifecycle") or {}
        delete_after = lifecycle.get("DeleteAfterDays")
        if rule.get("EnableContinuousBackup") and delete_after is not None:
            if not 1 <= int(delete_after) <= CONTINUOUS_MAX_DAYS:
                raise _invalid(
                    "Rule '%s': continuous backups keep recovery points 1 to %d days, not %s."
                    % (name, CONTINUOUS_MAX_DAYS, delete_after)
                )
        cold = lifecycle.get("MoveToColdStorageAfterDays")
        if cold is not None and delete_after is not None:
            if int(delete_after) < int(cold) + COLD_STORAGE_MIN_DAYS:
                raise _invalid(
                    "Rule '%s': DeleteAfterDays must be at least 90 days after "
                    "MoveToColdStorageAfterDays." % name
                )


def check_lock(vault, delete_after_days):
    """Raises BackupError when a lifecycle falls outside the vault lock's range."""
    if not vault.locked or delete_after_days is None:
        return
    days = int(delete_after_days)
    if vault.min_retention_days is not None and days < vault.min_retention_days:
        raise _invalid(
            "Retention of %d days is shorter than the vault lock minimum of %d days."
            % (days, vault.min_retention_days)
        )
    if vault.max_retention_days is not None and days > vault.max_retention_days:
        raise _invalid(
            "Retention of %d days is longer than the vault lock maximum of %d days."
            % (days, vault.max_retention_days)
        )


def _state(backend):
    """Selections and recovery points kept beside moto's backend."""
    state = getattr(backend, "_dbrail_state", None)
    if state is None:
        state = {"selections": {}, "recovery_points": {}}
        backend._dbrail_state = state
    return state


def _live_plan(backend, plan_id):
    plan = backend.plans.get(plan_id)
    if plan is None or plan.deletion_date is not None:
        return None
    return plan


def _apply_rule_defaults(document):
    for rule in document.get("Rules") or []:
        rule.setdefault("ScheduleExpression", "cron(0 5 ? * * *)")
        rule.setdefault("StartWindowMinutes", 480)
        rule.setdefault("CompletionWindowMinutes", 10080)
        rule.setdefault("ScheduleExpressionTimezone", "Etc/UTC")
        rule["RuleId"] = str(uuid.uuid4())


def install():
    """Adds the calls to moto's Backup service. Returns True when it patched."""
    from moto.backup import urls
    from moto.backup.models import BackupBackend
    from moto.backup.responses import BackupResponse
    from moto.core.exceptions import JsonRESTError
    from moto.core.utils import unix_time
    from moto.moto_api._internal import mock_random

    if getattr(BackupBackend.delete_backup_plan, _MARKER, False):
        return False

    def fail(error):
        raise JsonRESTError(error.code, error.message)

    def param(response, name):
        match = response.uri_match
        groups = match.groupdict() if match else {}
        return unquote(groups.get(name) or "")

    def body(response):
        return json.loads(response.body) if response.body else {}

    # --- selections ------------------------------------------------------------------------
    def create_backup_selection(self):
        backend = self.backup_backend
        plan_id = param(self, "backupPlanId")
        request = body(self)
        selection = request.get("BackupSelection")
        try:
            check_selection(selection)
            if _live_plan(backend, plan_id) is None:
                raise _invalid("Backup plan '%s' does not exist." % plan_id)
        except BackupError as error:
            fail(error)
        selections = _state(backend)["selections"]
        if any(
            s["BackupPlanId"] == plan_id
            and s["BackupSelection"]["SelectionName"] == selection["SelectionName"]
            for s in selections.values()
        ):
            fail(BackupError("AlreadyExistsException", "Backup selection already exists."))
        selection_id = str(mock_random.uuid4())
        record = {
            "SelectionId": selection_id,
            "BackupPlanId": plan_id,
            "CreationDate": unix_time(),
            "CreatorRequestId": request.get("CreatorRequestId"),
            "BackupSelection": selection,
        }
        selections[selection_id] = record
        return json.dumps(
            {k: record[k] for k in ("SelectionId", "BackupPlanId", "CreationDate")}
        )

    def _selection(self):
        backend = self.backup_backend
        plan_id = param(self, "backupPlanId")
        selection_id = param(self, "selectionId")
        record = _state(backend)["selections"].get(selection_id)
        if record is None or record["BackupPlanId"] != plan_id:
            fail(BackupError("ResourceNotFoundException", "Backup selection not found."))
        return record

    def get_backup_selection(self):
        record = _selection(self)
        return json.dumps({k: v for k, v in record.items() if v is not None})

    def delete_backup_selection(self):
        record = _selection(self)
        _state(self.backup_backend)["selections"].pop(record["SelectionId"], None)
        return "{}"

    def list_backup_selections(self):
        backend = self.backup_backend
        plan_id = param(self, "backupPlanId")
        if plan_id not in backend.plans:
            fail(BackupError("ResourceNotFoundException", "Backup plan not found."))
        items = [
            {
                "SelectionId": r["SelectionId"],
                "SelectionName": r["BackupSelection"]["SelectionName"],
                "BackupPlanId": plan_id,
                "CreationDate": r["CreationDate"],
                "IamRoleArn": r["BackupSelection"]["IamRoleArn"],
            }
            for r in _state(backend)["selections"].values()
            if r["BackupPlanId"] == plan_id
        ]
        return json.dumps({"BackupSelectionsList": items})

    # --- plans -----------------------------------------------------------------------------
    original_create_plan = BackupBackend.create_backup_plan
    original_delete_plan = BackupBackend.delete_backup_plan

    def create_backup_plan(self, backup_plan, backup_plan_tags, creator_request_id):
        try:
            check_rules(backup_plan, self.vaults)
        except BackupError as error:
            fail(error)
        return original_create_plan(self, backup_plan, backup_plan_tags, creator_request_id)

    def delete_backup_plan(self, backup_plan_id):
        if any(
            s["BackupPlanId"] == backup_plan_id for s in _state(self)["selections"].values()
        ):
            fail(
                BackupError(
                    "InvalidRequestException",
                    "Related backup plan selections must be deleted prior to backup plan "
                    "deletion.",
                )
            )
        return original_delete_plan(self, backup_plan_id)

    def update_backup_plan(self):
        backend = self.backup_backend
        plan_id = param(self, "backupPlanId")
        plan = _live_plan(backend, plan_id)
        if plan is None:
            fail(BackupError("ResourceNotFoundException", "Backup plan not found."))
        document = body(self).get("BackupPlan") or {}
        try:
            check_rules(document, backend.vaults)
        except BackupError as error:
            fail(error)
        _apply_rule_defaults(document)
        plan.backup_plan = document
        plan.advanced_backup_settings = document.get("AdvancedBackupSettings") or []
        plan.version_id = mock_random.get_random_string(length=48)
        return json.dumps(dict(plan.to_dict()))

    # --- vaults, jobs and recovery points ------------------------------------------------------
    original_delete_vault = BackupBackend.delete_backup_vault

    def delete_backup_vault(self, backup_vault_name):
        if backup_vault_name not in self.vaults:
            fail(BackupError("ResourceNotFoundException", "Backup vault not found."))
        if any(
            p["BackupVaultName"] == backup_vault_name
            for p in _state(self)["recovery_points"].values()
        ):
            fail(
                BackupError(
                    "InvalidRequestException",
                    "Backup vault cannot be deleted because it contains recovery points.",
                )
            )
        return original_delete_vault(self, backup_vault_name)

    def start_backup_job(self):
        backend = self.backup_backend
        request = body(self)
        for required in ("BackupVaultName", "ResourceArn", "IamRoleArn"):
            if not request.get(required):
                fail(BackupError("MissingParameterValueException", "%s is required." % required))
        vault = backend.vaults.get(request["BackupVaultName"])
        if vault is None:
            fail(BackupError("ResourceNotFoundException", "Backup vault not found."))
        lifecycle = request.get("Lifecycle") or {}
        try:
            check_lock(vault, lifecycle.get("DeleteAfterDays"))
        except BackupError as error:
            fail(error)
        now = unix_time()
        job_id = str(mock_random.uuid4())
        arn = "%s:recovery-point:%s" % (
            vault.backup_vault_arn.rsplit(":backup-vault:", 1)[0],
            job_id,
        )
        calculated = {}
        if lifecycle.get("DeleteAfterDays") is not None:
            calculated["DeleteAt"] = now + int(lifecycle["DeleteAfterDays"]) * 86400
        _state(backend)["recovery_points"][arn] = {
            "RecoveryPointArn": arn,
            "BackupVaultName": vault.backup_vault_name,
            "BackupVaultArn": vault.backup_vault_arn,
            "ResourceArn": request["ResourceArn"],
            "IamRoleArn": request["IamRoleArn"],
            "CreationDate": now,
            "CompletionDate": now,
            "Status": "COMPLETED",
            "EncryptionKeyArn": vault.encryption_key_arn,
            "IsEncrypted": True,
            "BackupSizeBytes": 0,
            "Lifecycle": lifecycle,
            "CalculatedLifecycle": calculated,
        }
        vault.num_of_recovery_points += 1
        return json.dumps({"BackupJobId": job_id, "RecoveryPointArn": arn, "CreationDate": now})

    def list_recovery_points_by_resource(self):
        resource = param(self, "resourceArn")
        points = [
            {k: v for k, v in p.items() if k not in ("IamRoleArn", "ResourceArn", "Lifecycle")}
            for p in _state(self.backup_backend)["recovery_points"].values()
            if p["ResourceArn"] == resource
        ]
        points.sort(key=lambda p: p["CreationDate"], reverse=True)
        return json.dumps({"RecoveryPoints": points})

    def delete_recovery_point(self):
        backend = self.backup_backend
        arn = param(self, "recoveryPointArn")
        points = _state(backend)["recovery_points"]
        point = points.get(arn)
        if point is None or point["BackupVaultName"] != param(self, "backupVaultName"):
            fail(BackupError("ResourceNotFoundException", "Recovery point not found."))
        points.pop(arn)
        vault = backend.vaults.get(point["BackupVaultName"])
        if vault is not None:
            vault.num_of_recovery_points = max(0, vault.num_of_recovery_points - 1)
        return "{}"

    def list_tags(self):
        arn = unquote(self.path.split("?")[0].rstrip("/").split("/tags/", 1)[-1])
        return json.dumps({"Tags": self.backup_backend.list_tags(resource_arn=arn)})

    for name, handler in (
        ("list_tags", list_tags),
        ("create_backup_selection", create_backup_selection),
        ("get_backup_selection", get_backup_selection),
        ("delete_backup_selection", delete_backup_selection),
        ("list_backup_selections", list_backup_selections),
        ("update_backup_plan", update_backup_plan),
        ("start_backup_job", start_backup_job),
        ("list_recovery_points_by_resource", list_recovery_points_by_resource),
        ("delete_recovery_point", delete_recovery_point),
    ):
        setattr(BackupResponse, name, handler)
    for function in (create_backup_plan, delete_backup_plan, delete_backup_vault):
        setattr(function, _MARKER, True)
    BackupBackend.create_backup_plan = create_backup_plan
    BackupBackend.delete_backup_plan = delete_backup_plan
    BackupBackend.delete_backup_vault = delete_backup_vault

    urls.url_paths.update(
        {
            "{0}/backup-jobs/?$": BackupResponse.dispatch,
            "{0}/resources/(?P<resource_arn>.+)/recovery-points/?$": BackupResponse.dispatch,
            "{0}/backup-vaults/(?P<name>[^/]+)/recovery-points/(?P<arn>.+)$": (
                BackupResponse.dispatch
            ),
        }
    )
    return True
