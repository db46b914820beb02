"""RDS ResetDBClusterParameterGroup and ResetDBParameterGroup for moto.

moto 5.x does not implement either action: it answers with an HTML 500, which an AWS client
cannot tell apart from a real outage. dbrail resets a parameter when a configuration stops
overriding it, so the acceptance tests need the action. This module adds it to moto's RDS
responses, modelling AWS's documented behaviour (RDS API reference, ResetDBClusterParameterGroup
and ResetDBParameterGroup):

* exactly one of ``ResetAllParameters=true`` or a non-empty ``Parameters`` list is required;
  giving both, or neither, is ``InvalidParameterCombination``;
* at most 20 parameters per request (``InvalidParameterValue`` beyond that);
* each listed parameter needs a ``ParameterName``;
* an unknown group is ``DBParameterGroupNotFound`` (the code AWS uses for both kinds);
* the effect observable through ``Describe*Parameters`` with ``Source=user``: the reset
  parameters are no longer user-set. moto stores only user-set parameters, so they are removed.
* the response carries the group's name.

It changes nothing else in moto. ``install()`` is idempotent and returns whether it patched.
"""

MAX_PARAMETERS_PER_REQUEST = 20


class ResetError(Exception):
    """A request AWS would reject, with AWS's error code."""

    def __init__(self, code, message):
        super().__init__(message)
        self.code = code
        self.message = message


def _truthy(value):
    return str(value).lower() in ("true", "1")


def reset_parameters(groups, name, parameters, reset_all):
    """Applies a reset to moto's group store; returns the group. Raises ResetError."""
    parameters = parameters or []
    reset_all = _truthy(reset_all) if reset_all is not None else False
    if reset_all and parameters:
        raise ResetError(
            "InvalidParameterCombination",
            "Specify either ResetAllParameters or Parameters, not both.",
        )
    if not reset_all and not parameters:
        raise ResetError(
            "InvalidParameterCombination",
            "Specify ResetAllParameters or at least one parameter to reset.",
        )
    if len(parameters) > MAX_PARAMETERS_PER_REQUEST:
        raise ResetError(
            "InvalidParameterValue",
            "At most %d parameters can be reset in one request." % MAX_PARAMETERS_PER_REQUEST,
        )
    names = []
    for parameter in parameters:
        parameter_name = parameter.get("ParameterName")
        if not parameter_name:
            raise ResetError("InvalidParameterValue", "Each parameter needs a ParameterName.")
        names.append(parameter_name)
    group = groups.get((name or "").lower())
    if group is None:
        raise ResetError("DBParameterGroupNotFound", "DBParameterGroup not found: %s" % name)
    if reset_all:
        group.parameters.clear()
    else:
        for parameter_name in names:
            group.parameters.pop(parameter_name, None)
    return group


def install():
    """Adds both actions to moto's RDS responses. Returns True when it patched."""
    from moto.core.responses import ActionResult
    from moto.rds.exceptions import RDSClientError
    from moto.rds.responses import RDSResponse

    class _Rejected(RDSClientError):
        def __init__(self, error):
            super().__init__(error.code, error.message)

    def _run(self, name_key, store):
        try:
            group = reset_parameters(
                store,
                self.params.get(name_key),
                self.params.get("Parameters"),
                self.params.get("ResetAllParameters"),
            )
        except ResetError as error:
            raise _Rejected(error)
        return ActionResult({name_key: group.name})

    def reset_db_cluster_parameter_group(self):
        return _run(self, "DBClusterParameterGroupName", self.backend.db_cluster_parameter_groups)

    def reset_db_parameter_group(self):
        return _run(self, "DBParameterGroupName", self.backend.db_parameter_groups)

    patched = False
    if not hasattr(RDSResponse, "reset_db_cluster_parameter_group"):
        RDSResponse.reset_db_cluster_parameter_group = reset_db_cluster_parameter_group
        patched = True
    if not hasattr(RDSResponse, "reset_db_parameter_group"):
        RDSResponse.reset_db_parameter_group = reset_db_parameter_group
        patched = True
    return patched
