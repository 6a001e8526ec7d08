# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Area ``incident``: the Grafana Incident (IRM) JSON/HTTP RPC API of a stack's Grafana.

Served under the simulator's stand-in for each stack's Grafana, ``<root>/grafana/<slug>``
(pass that as ``grafana_url``; create the stack with ``"url": "<root>/grafana/<slug>"`` when
the same URL must also name the stack elsewhere, e.g. OnCall's ``X-Grafana-URL``)::

    POST /grafana/<slug>/api/plugins/grafana-irm-app/resources/api/v1/<Service>.<Method>

Sources: ``incident-api.md`` (shapes, both error styles, cursor paging, Bearer service
account tokens, the older ``grafana-incident-app`` path), the seed ``004`` (Editor to act,
Viewer to read), ``grafana/incident-go`` (request and answer types) and Grafana's gcx IRM
client (``CreateIncident`` ignores ``severity``: only ``UpdateSeverity`` sets one).

- Auth: ``Authorization: Bearer <token>`` where the token is a service-account token of that
  stack, issued by the ``stack_credentials`` area. Unknown, expired or disabled: 401 in
  Grafana's shape. The account's role decides: ``Viewer`` reads, ``Editor``/``Admin`` also
  write, ``None`` does nothing (403).
- Only one plugin path is installed (config ``incident_plugin``, default the IRM app); the
  other answers Grafana's 404 ``{"message": "Plugin not found"}``.
- Errors in the style of config ``incident_error_style``: ``field`` (an ``error`` field with
  the HTTP status), ``field-200`` (the ``error`` field with status 200, the older servers'
  habit) or ``problem`` (RFC 7807 problem details). A missing or non-object body is a 500,
  as for the real methods that choke on an empty body; an unknown severity is a 500 too.
- Paging: ``query.limit`` is the page size, capped at ``incident_max_page_size``; the answer's
  ``cursor`` (``nextValue``, ``hasMore``) is sent back for the next page.
"""

from __future__ import annotations

import base64
import binascii
import re
from datetime import datetime, timezone

from flask import Blueprint, Response, g, jsonify, request

from ..core import Simulator, get_sim
from ._stackdata import find_stack
from .stack_credentials import account_for_token

URL_PREFIX = "/grafana"
blueprint = Blueprint("incident", __name__)

IRM_APP = "grafana-irm-app"
INCIDENT_APP = "grafana-incident-app"
STATUSES = ("active", "resolved")
SEVERITIES = ("Pending", "minor", "major", "critical")
WRITE_ROLES = ("Editor", "Admin")
READ_ROLES = ("Viewer", "Editor", "Admin")
ERROR_STYLES = ("field", "field-200", "problem")
ACTIVITY_KINDS = ("userNote", "incidentCreated", "statusChanged", "severityChanged", "titleChanged",
                  "labelAdded", "labelRemoved", "isDrillChanged")

CONFIG_DEFAULTS = {
    # The severities configured in the organization; the first is the default of new incidents.
    "incident_severities": list(SEVERITIES),
    "incident_plugin": IRM_APP,
    "incident_error_style": "field",
    "incident_max_page_size": 50,
}

SEED_ROLES = (
    ("commander", "Leads the response and makes the calls.", True, True),
    ("investigator", "Finds the cause.", True, False),
    ("observer", "Follows along.", False, False),
)


def seed(sim: Simulator) -> None:
    sim.state["incident"].update(stacks={})


class RpcError(Exception):
    """An error answer of the Incident app, rendered in the configured style."""

    def __init__(self, status: int, message: str, code: str = "incident.error", title: str | None = None):
        super().__init__(message)
        self.status = status
        self.message = message
        self.code = code
        self.title = title or _TITLES.get(status, "Error")


_TITLES = {400: "Bad Request", 401: "Unauthorized", 403: "Forbidden", 404: "Not Found",
           500: "Internal Server Error"}


def _error_response(error: RpcError) -> Response:
    style = get_sim().config["incident_error_style"]
    if style == "problem":
        response = jsonify({"type": "about:blank", "title": error.title, "status": error.status,
                            "detail": error.message, "code": error.code, "trace_id": g.request_id,
                            "retryable": False})
        response.status_code = error.status
        response.mimetype = "application/problem+json"
        return response
    response = jsonify({"error": error.message})
    response.status_code = 200 if style == "field-200" else error.status
    return response


def _grafana_error(status: int, message: str, message_id: str) -> Response:
    """An answer of Grafana itself (not of the app): ``{"message", "messageId", ...}``."""
    response = jsonify({"message": message, "messageId": message_id, "statusCode": status,
                        "traceID": g.request_id})
    response.status_code = status
    return response


# -- storage ------------------------------------------------------------------------------

def _stack_state(sim: Simulator, stack: dict) -> dict:
    stacks = sim.state["incident"]["stacks"]
    if stack["id"] not in stacks:
        now = sim.now_iso()
        stacks[stack["id"]] = {
            "incidents": {}, "activity": {}, "next_incident": 1, "next_activity": 1,
            "roles": {index + 1: {"roleID": index + 1, "orgID": str(stack["id"]), "name": name,
                                  "description": description, "important": important,
                                  "mandatory": mandatory, "archived": False,
                                  "createdAt": now, "updatedAt": now}
                      for index, (name, description, important, mandatory) in enumerate(SEED_ROLES)},
            "next_role": len(SEED_ROLES) + 1,
        }
    return stacks[stack["id"]]


def incidents_of(sim: Simulator, slug: str) -> list[dict]:
    """Every incident of a stack (for tests), oldest first."""
    with sim.lock:
        stack = find_stack(sim, slug)
        if stack is None:
            return []
        return [dict(incident) for incident in _stack_state(sim, stack)["incidents"].values()]


# -- the RPC route --------------------------------------------------------------------------

METHODS: dict[str, tuple] = {}


def rpc(name: str, write: bool):
    """Register ``Service.Method``; ``write`` methods need the Editor role."""
    def register(function):
        METHODS[name] = (function, write)
        return function
    return register


def _declares_own_auth(view):
    # Grafana's service-account auth, checked in the view; the scope test looks for these.
    view.required_scopes = ()
    view.auth_required = True
    return view


@blueprint.post("/<slug>/api/plugins/<plugin>/resources/api/v1/<method>")
@_declares_own_auth
def call(slug: str, plugin: str, method: str):
    sim = get_sim()
    with sim.lock:
        stack = find_stack(sim, slug)
        if stack is None:
            return _grafana_error(404, "Not found", "notfound")
        account = account_for_token(sim, stack, _bearer())
        if account is None:
            return _grafana_error(401, "Invalid API key", "api-key.invalid")
        if plugin != sim.config["incident_plugin"]:
            return _grafana_error(404, "Plugin not found", "plugins.notFound")
        try:
            return _dispatch(sim, stack, account, plugin, method)
        except RpcError as error:
            return _error_response(error)


def _bearer() -> str | None:
    parts = request.headers.get("Authorization", "").split()
    if len(parts) != 2 or parts[0] != "Bearer":
        return None
    return parts[1]


def _dispatch(sim: Simulator, stack: dict, account: dict, plugin: str, method: str):
    entry = METHODS.get(method)
    if entry is None:
        raise RpcError(404, "unknown method %s" % method, "rpc.not_found")
    function, write = entry
    allowed = WRITE_ROLES if write else READ_ROLES
    if account["role"] not in allowed:
        raise RpcError(403, "the %s role may not call %s" % (account["role"], method), "auth.forbidden")
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        # What the real app answers to an empty body on several methods.
        raise RpcError(500, "decode request body: unexpected end of JSON input", "rpc.bad_body")
    context = Context(sim, stack, account, plugin, _stack_state(sim, stack))
    return jsonify(function(context, body))


class Context:
    def __init__(self, sim, stack, account, plugin, state):
        self.sim = sim
        self.stack = stack
        self.account = account
        self.plugin = plugin
        self.state = state

    @property
    def user(self) -> dict:
        return {"userID": "grafana-sa:%s" % self.account["id"], "name": self.account["name"],
                "photoURL": ""}

    def grafana_base(self) -> str:
        return request.host_url.rstrip("/") + URL_PREFIX + "/" + self.stack["slug"]


# -- input helpers ----------------------------------------------------------------------------

def _text(body: dict, name: str, *, required: bool = True, limit: int = 1000) -> str:
    value = body.get(name)
    if value is None or value == "":
        if required:
            raise RpcError(400, "%s is required" % name, "common.validation_failed")
        return ""
    if not isinstance(value, str):
        raise RpcError(400, "%s must be a string" % name, "common.validation_failed")
    if len(value) > limit:
        raise RpcError(400, "%s is longer than %d characters" % (name, limit), "common.validation_failed")
    return value


def _bool(body: dict, name: str, default: bool = False) -> bool:
    value = body.get(name, default)
    if not isinstance(value, bool):
        raise RpcError(400, "%s must be a boolean" % name, "common.validation_failed")
    return value


def _status(value) -> str:
    if value not in STATUSES:
        raise RpcError(400, "status must be active or resolved, got %r" % (value,), "common.validation_failed")
    return value


def _severity(value) -> str:
    if value not in get_sim().config["incident_severities"]:
        # The reference: an invalid severity is answered with a 500.
        raise RpcError(500, "invalid severity %r" % (value,), "severity.invalid")
    return value


def _label(value) -> dict:
    if not isinstance(value, dict):
        raise RpcError(400, "a label is an object {label, description, colorHex}", "common.validation_failed")
    text = _text(value, "label", limit=100)
    return {"key": value.get("key") or "", "label": text,
            "description": value.get("description") or "", "colorHex": value.get("colorHex") or ""}


def _incident(context: Context, body: dict) -> dict:
    incident_id = body.get("incidentID")
    if not isinstance(incident_id, str) or not incident_id:
        raise RpcError(400, "incidentID is required", "common.validation_failed")
    incident = context.state["incidents"].get(incident_id)
    if incident is None:
        raise RpcError(404, "incident %s not found" % incident_id, "incidents.not_found")
    return incident


def _slugify(title: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-") or "incident"


def _touch(context: Context, incident: dict) -> None:
    incident["modifiedTime"] = context.sim.now_iso()


def _record(context: Context, incident: dict, kind: str, text: str) -> dict:
    item_id = "act-%d" % context.state["next_activity"]
    context.state["next_activity"] += 1
    now = context.sim.now_iso()
    item = {"activityItemID": item_id, "incidentID": incident["incidentID"], "user": context.user,
            "subjectUser": {"userID": "", "name": "", "photoURL": ""}, "createdTime": now,
            "eventTime": now, "activityKind": kind, "body": text, "url": "", "tags": [],
            "immutable": kind != "userNote", "fieldValues": {}, "attachments": []}
    context.state["activity"].setdefault(incident["incidentID"], []).append(item)
    return item


# -- paging ----------------------------------------------------------------------------------

def _page(context: Context, items: list, query: dict, body: dict) -> tuple[list, dict]:
    limit = query.get("limit", 10)
    if isinstance(limit, bool) or not isinstance(limit, int) or limit < 0:
        raise RpcError(400, "query.limit must be a whole number", "common.validation_failed")
    size = min(limit or 10, context.sim.config["incident_max_page_size"])
    cursor = body.get("cursor") or {}
    if not isinstance(cursor, dict):
        raise RpcError(400, "cursor must be an object", "common.validation_failed")
    start = _decode_cursor(cursor.get("nextValue") or "")
    end = start + size
    has_more = end < len(items)
    return items[start:end], {"nextValue": _encode_cursor(end) if has_more else "", "hasMore": has_more}


def _encode_cursor(offset: int) -> str:
    return base64.urlsafe_b64encode(("o:%d" % offset).encode()).decode()


def _decode_cursor(value: str) -> int:
    if not value:
        return 0
    try:
        text = base64.urlsafe_b64decode(value.encode()).decode()
        if text.startswith("o:"):
            return int(text[2:])
    except (binascii.Error, UnicodeDecodeError, ValueError):
        pass
    raise RpcError(400, "invalid cursor", "common.validation_failed")


def _moment(value, name: str):
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).astimezone(timezone.utc)
    except (AttributeError, ValueError):
        raise RpcError(400, "%s must be an RFC 3339 time, got %r" % (name, value), "common.validation_failed") from None


# -- IncidentsService ------------------------------------------------------------------------

@rpc("IncidentsService.CreateIncident", write=True)
def create_incident(context: Context, body: dict) -> dict:
    title = _text(body, "title", limit=500)
    status = _status(body.get("status") or "active")
    is_drill = _bool(body, "isDrill")
    labels = body.get("labels") or []
    if not isinstance(labels, list):
        raise RpcError(400, "labels must be a list", "common.validation_failed")
    labels = [_label(label) for label in labels]
    state = context.state
    incident_id = str(state["next_incident"])
    state["next_incident"] += 1
    now = context.sim.now_iso()
    app_path = "a/%s/incidents" % context.plugin
    incident = {
        "incidentID": incident_id, "refs": [],
        # CreateIncident ignores severity (gcx's IRM client): UpdateSeverity sets it.
        "severity": context.sim.config["incident_severities"][0],
        "labels": labels, "isDrill": is_drill, "incidentType": "internal",
        "createdTime": now, "modifiedTime": now, "createdByUser": context.user,
        "closedTime": now if status == "resolved" else "", "durationSeconds": 0,
        "status": status, "title": title,
        "overviewURL": "%s/%s/%s/%s" % (context.grafana_base(), app_path, incident_id, _slugify(title)),
        "incidentMembership": {"assignments": [], "totalAssignments": 0, "totalParticipants": 0},
        "taskList": {"tasks": [], "todoCount": 0, "doneCount": 0},
        "summary": "", "incidentStart": now, "incidentEnd": now if status == "resolved" else "",
        "incidentChannels": [],
    }
    state["incidents"][incident_id] = incident
    _record(context, incident, "incidentCreated", "declared the incident")
    return {"incident": incident}


@rpc("IncidentsService.GetIncident", write=False)
def get_incident(context: Context, body: dict) -> dict:
    return {"incident": _incident(context, body)}


def _matches(incident: dict, query: dict) -> bool:
    include = query.get("includeStatuses") or []
    exclude = query.get("excludeStatuses") or []
    if include and incident["status"] not in include:
        return False
    if exclude and incident["status"] in exclude:
        return False
    texts = {label["label"] for label in incident["labels"]}
    if any(wanted not in texts for wanted in query.get("incidentLabels") or []):
        return False
    if query.get("severity") and incident["severity"] != query["severity"]:
        return False
    if query.get("onlyDrills") and not incident["isDrill"]:
        return False
    created = _moment(incident["createdTime"], "createdTime")
    if query.get("dateFrom") and created < _moment(query["dateFrom"], "query.dateFrom"):
        return False
    if query.get("dateTo") and created >= _moment(query["dateTo"], "query.dateTo"):
        return False
    return True


QUERY_TERM = re.compile(r"(\w+):(?:'([^']*)'|\"([^\"]*)\"|(\S+))|(\S+)")


def _matches_query_string(incident: dict, text: str) -> bool:
    """The IRM query syntax, the part the reference names: ``status:``, ``severity:``,
    ``isdrill:``, ``title:'...'``, ``label:``, ``declared:<from>,<to>``; bare words match the
    title."""
    for key, quoted, double, plain, word in QUERY_TERM.findall(text):
        value = quoted or double or plain
        if word:
            if word.lower() not in incident["title"].lower():
                return False
            continue
        key = key.lower()
        if key == "status" and incident["status"] != value:
            return False
        elif key == "severity" and incident["severity"].lower() != value.lower():
            return False
        elif key == "isdrill" and str(incident["isDrill"]).lower() != value.lower():
            return False
        elif key == "title" and value.lower() not in incident["title"].lower():
            return False
        elif key == "label" and value not in {label["label"] for label in incident["labels"]}:
            return False
        elif key == "declared":
            start, _sep, end = value.partition(",")
            created = _moment(incident["createdTime"], "createdTime")
            if start and created < _moment(start, "declared"):
                return False
            if end and created >= _moment(end, "declared"):
                return False
        elif key not in ("status", "severity", "isdrill", "title", "label", "declared"):
            raise RpcError(400, "unknown query field %r" % key, "query.invalid")
    return True


@rpc("IncidentsService.QueryIncidents", write=False)
def query_incidents(context: Context, body: dict) -> dict:
    query = body.get("query") or {}
    if not isinstance(query, dict):
        raise RpcError(400, "query must be an object", "common.validation_failed")
    for name in ("includeStatuses", "excludeStatuses", "incidentLabels"):
        if not isinstance(query.get(name) or [], list):
            raise RpcError(400, "query.%s must be a list" % name, "common.validation_failed")
    direction = query.get("orderDirection") or "DESC"
    if direction not in ("ASC", "DESC"):
        raise RpcError(400, "orderDirection must be ASC or DESC", "common.validation_failed")
    incidents = list(context.state["incidents"].values())
    if query.get("queryString"):
        # With a query string the other filters are ignored (incident-go's IncidentsQuery).
        selected = [item for item in incidents if _matches_query_string(item, query["queryString"])]
    else:
        selected = [item for item in incidents if _matches(item, query)]
    selected.sort(key=lambda item: int(item["incidentID"]), reverse=direction == "DESC")
    page, cursor = _page(context, selected, query, body)
    return {"incidents": page, "query": query, "cursor": cursor}


@rpc("IncidentsService.UpdateTitle", write=True)
def update_title(context: Context, body: dict) -> dict:
    incident = _incident(context, body)
    incident["title"] = _text(body, "title", limit=500)
    _touch(context, incident)
    _record(context, incident, "titleChanged", "changed the title to %s" % incident["title"])
    return {"incident": incident}


@rpc("IncidentsService.UpdateSeverity", write=True)
def update_severity(context: Context, body: dict) -> dict:
    incident = _incident(context, body)
    incident["severity"] = _severity(body.get("severity"))
    _touch(context, incident)
    _record(context, incident, "severityChanged", "changed the severity to %s" % incident["severity"])
    return {"incident": incident}


@rpc("IncidentsService.UpdateStatus", write=True)
def update_status(context: Context, body: dict) -> dict:
    incident = _incident(context, body)
    status = _status(body.get("status"))
    now = context.sim.now_iso()
    if status == "resolved" == incident["status"]:
        # incident-go has the code (ErrIncidentAlreadyClosed) but says not when it is answered:
        # the stricter guess is that resolving a resolved incident is refused.
        raise RpcError(400, "incident %s is already closed" % incident["incidentID"], "incidents.already_closed")
    if status != incident["status"]:
        incident["status"] = status
        resolved = status == "resolved"
        incident["closedTime"] = now if resolved else ""
        incident["incidentEnd"] = now if resolved else ""
        _touch(context, incident)
        _record(context, incident, "statusChanged", "changed the status to %s" % status)
    return {"incident": incident}


@rpc("IncidentsService.UpdateIncidentIsDrill", write=True)
def update_is_drill(context: Context, body: dict) -> dict:
    incident = _incident(context, body)
    incident["isDrill"] = _bool(body, "isDrill")
    _touch(context, incident)
    _record(context, incident, "isDrillChanged", "marked the incident as %sa drill" % ("" if incident["isDrill"] else "not "))
    return {"incident": incident}


@rpc("IncidentsService.AddLabel", write=True)
def add_label(context: Context, body: dict) -> dict:
    incident = _incident(context, body)
    label = _label(body.get("label"))
    if label["label"] in {existing["label"] for existing in incident["labels"]}:
        raise RpcError(400, "the incident already has the label %r" % label["label"], "label.exists")
    incident["labels"].append(label)
    _touch(context, incident)
    _record(context, incident, "labelAdded", "added the label %s" % label["label"])
    return {"incident": incident}


@rpc("IncidentsService.RemoveLabel", write=True)
def remove_label(context: Context, body: dict) -> dict:
    incident = _incident(context, body)
    # The label's text, where AddLabel takes an object (incident-go v1.92.2: RemoveLabelRequest.Label
    # is a string): an object is refused, as Go's decoder refuses it.
    text = body.get("label")
    if not isinstance(text, str) or not text:
        raise RpcError(400, "label must be the label's text (a string), got %r" % (text,), "common.validation_failed")
    kept = [existing for existing in incident["labels"] if existing["label"] != text]
    if len(kept) == len(incident["labels"]):
        raise RpcError(400, "the incident has no label %r" % text, "label.not_found")
    incident["labels"] = kept
    _touch(context, incident)
    _record(context, incident, "labelRemoved", "removed the label %s" % text)
    return {"incident": incident}


# -- ActivityService -------------------------------------------------------------------------

@rpc("ActivityService.AddActivity", write=True)
def add_activity(context: Context, body: dict) -> dict:
    incident = _incident(context, body)
    kind = body.get("activityKind")
    if kind != "userNote":
        raise RpcError(400, "activityKind must be userNote, got %r" % (kind,), "activity.kind")
    item = _record(context, incident, kind, _text(body, "body", limit=10000))
    _touch(context, incident)
    return {"activityItem": item}


@rpc("ActivityService.QueryActivity", write=False)
def query_activity(context: Context, body: dict) -> dict:
    query = body.get("query") or {}
    if not isinstance(query, dict):
        raise RpcError(400, "query must be an object", "common.validation_failed")
    incident = _incident(context, query)
    kinds = query.get("activityKind") or []
    if not isinstance(kinds, list) or any(kind not in ACTIVITY_KINDS for kind in kinds):
        raise RpcError(400, "activityKind must be a list of %s" % ", ".join(ACTIVITY_KINDS), "common.validation_failed")
    items = [item for item in context.state["activity"].get(incident["incidentID"], [])
             if not kinds or item["activityKind"] in kinds]
    if (query.get("orderDirection") or "ASC") == "DESC":
        items = list(reversed(items))
    page, cursor = _page(context, items, query, body)
    return {"activityItems": page, "query": query, "cursor": cursor}


# -- RolesService ----------------------------------------------------------------------------

def _role(context: Context, role_id) -> dict:
    if isinstance(role_id, bool) or not isinstance(role_id, int):
        raise RpcError(400, "roleID must be a number", "common.validation_failed")
    role = context.state["roles"].get(role_id)
    if role is None:
        raise RpcError(404, "role %s not found" % role_id, "roles.not_found")
    return role


def _role_fields(context: Context, body: dict, role_id=None) -> dict:
    name = _text(body, "name", limit=100)
    for other in context.state["roles"].values():
        if other["name"].lower() == name.lower() and other["roleID"] != role_id:
            # The code is incident-go's ErrRoleNameConflict; its status is stated nowhere.
            raise RpcError(400, "a role named %r already exists" % name, "roles.name_conflict")
    return {"name": name, "description": _text(body, "description", required=False),
            "important": _bool(body, "important"), "mandatory": _bool(body, "mandatory")}


def _role_body(body: dict) -> dict:
    role = body.get("role")
    if not isinstance(role, dict):
        raise RpcError(400, "role is required", "common.validation_failed")
    return role


@rpc("RolesService.GetRoles", write=False)
def get_roles(context: Context, body: dict) -> dict:
    return {"roles": list(context.state["roles"].values())}


@rpc("RolesService.CreateRole", write=True)
def create_role(context: Context, body: dict) -> dict:
    fields = _role_fields(context, _role_body(body))
    role_id = context.state["next_role"]
    context.state["next_role"] += 1
    now = context.sim.now_iso()
    role = {"roleID": role_id, "orgID": str(context.stack["id"]), **fields, "archived": False,
            "createdAt": now, "updatedAt": now}
    context.state["roles"][role_id] = role
    return {"role": role}


@rpc("RolesService.UpdateRole", write=True)
def update_role(context: Context, body: dict) -> dict:
    wanted = _role_body(body)
    role = _role(context, wanted.get("roleID"))
    if role["archived"]:
        raise RpcError(400, "role %s is archived: unarchive it first" % role["roleID"], "role.archived")
    role.update(_role_fields(context, wanted, role["roleID"]))
    role["updatedAt"] = context.sim.now_iso()
    return {"role": role}


def _set_archived(context: Context, body: dict, archived: bool) -> dict:
    role = _role(context, body.get("roleID"))
    if role["archived"] == archived:
        raise RpcError(400, "role %s is already %s" % (role["roleID"], "archived" if archived else "active"),
                       "role.unchanged")
    role["archived"] = archived
    role["updatedAt"] = context.sim.now_iso()
    return {"role": role}


@rpc("RolesService.ArchiveRole", write=True)
def archive_role(context: Context, body: dict) -> dict:
    return _set_archived(context, body, True)


@rpc("RolesService.UnarchiveRole", write=True)
def unarchive_role(context: Context, body: dict) -> dict:
    return _set_archived(context, body, False)


@rpc("RolesService.DeleteRole", write=True)
def delete_role(context: Context, body: dict) -> dict:
    role = _role(context, body.get("roleID"))
    del context.state["roles"][role["roleID"]]
    return {}
