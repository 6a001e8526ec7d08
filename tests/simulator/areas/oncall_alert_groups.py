"""Area ``oncall_alert_groups``: alert groups and their actions, under /oncall.

From the engine's answers (facts A1-A12) and, where they are silent, its public API views
(``engine/apps/public_api/views/alert_groups.py``):

- An alert POSTed to an integration's ``link`` (the ``@alert_receiver`` hook) joins the open
  group of that integration with the same grouping key (the payload's ``alert_uid``, the
  webhook integrations' default grouping), or starts a new one (A2, A3). A new group reads
  ``state: "firing"`` and its title is "Incident" unless the integration has a web title
  template (A3); ``permalinks.web`` is built on the Grafana URL (``oncall_grafana_url``).
- ``GET /api/v1/alert_groups/``: newest first, 50 a page; filters ``integration_id``,
  ``state`` (``new``, ``acknowledged``, ``resolved``, ``silenced``; ``firing`` and others: 400
  ``{"state": "Must be one of the following: ..."}``, A4, A5), ``started_at``
  (``<from>_<to>``, ISO 8601), ``id``, ``route_id``. ``GET .../<id>/`` (A10). Deleting an
  integration deletes its groups.
- Actions ``POST .../<id>/acknowledge|unacknowledge|resolve|unresolve|silence|unsilence/``
  answer 200 with an **empty body** (A6, A9). A repeated or impossible action is a 400
  ``{"detail": "Can't acknowledge an acknowledged alert group"}`` (A7; the other messages
  are the view's). ``silence`` needs ``delay`` (seconds, ``-1`` for ever). Service accounts
  are refused every action: 403 ``{"detail": "Service accounts are not allowed to resolve
  alert groups"}`` (A8; the verb follows the action). A silence ends by itself after its
  delay.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import Blueprint, request

from ..core import get_sim
from ..oncall import ONCALL_PREFIX
from ..oncall.auth import current_identity, oncall_view
from ..oncall.errors import OnCallError, detail, fields_error, not_found
from ..oncall.fields import body
from ..oncall.paging import page
from ..oncall.store import alert_receiver, grafana_url, new_id, objects, on_delete

blueprint = Blueprint("oncall_alert_groups", __name__)
URL_PREFIX = ONCALL_PREFIX

FILTER_STATES = ("new", "acknowledged", "resolved", "silenced")
STATE_ERROR = "Must be one of the following: new, acknowledged, resolved, silenced"


def _drf_time(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _groups(sim=None) -> dict:
    return objects(sim or get_sim(), "alert_groups")


def state_of(group: dict) -> str:
    """The state a group reads: resolved, then acknowledged, then silenced, else firing."""
    if group["resolved_at"]:
        return "resolved"
    if group["acknowledged_at"]:
        return "acknowledged"
    if group["silenced_at"]:
        return "silenced"
    return "firing"


def _end_silences(sim) -> None:
    now = sim.now()
    for group in _groups(sim).values():
        until = group.get("_silenced_until")
        if until is not None and until <= now:
            group["silenced_at"] = None
            group["_silenced_until"] = None


def render(group: dict) -> dict:
    rendered = {key: value for key, value in group.items() if not key.startswith("_")}
    rendered["state"] = state_of(group)
    return rendered


@alert_receiver
def _receive(sim, integration: dict, payload) -> None:
    payload = payload if isinstance(payload, dict) else {}
    grouping = str(payload.get("alert_uid", ""))
    now = sim.now()
    alert_id = new_id(sim, "alerts")
    open_group = next((group for group in _groups(sim).values()
                       if group["integration_id"] == integration["id"] and not group["resolved_at"]
                       and group["_grouping"] == grouping), None)
    if open_group is None:
        group_id = new_id(sim, "alert_groups")
        template = ((integration.get("templates") or {}).get("web") or {}).get("title")
        open_group = {
            "id": group_id, "integration_id": integration["id"], "team_id": integration.get("team_id"),
            "route_id": integration.get("default_route_id"), "alerts_count": 0, "state": "firing",
            "created_at": _drf_time(now), "resolved_at": None, "resolved_by": None,
            "acknowledged_at": None, "acknowledged_by": None, "labels": [],
            "title": str(payload.get("title")) if template and payload.get("title") else "Incident",
            "permalinks": {"slack": None, "slack_app": None, "telegram": None,
                           "web": "%s/a/grafana-oncall-app/alert-groups/%s" % (grafana_url(sim).rstrip("/"), group_id)},
            "silenced_at": None, "last_alert": None, "_grouping": grouping, "_silenced_until": None,
        }
        _groups(sim)[group_id] = open_group
    open_group["alerts_count"] += 1
    open_group["last_alert"] = {"id": alert_id, "alert_group_id": open_group["id"],
                                "created_at": _drf_time(now), "payload": payload}


@on_delete("integrations")
def _drop_groups(sim, integration) -> None:
    for group_id in [gid for gid, group in _groups(sim).items() if group["integration_id"] == integration["id"]]:
        _groups(sim).pop(group_id, None)


def _started_at_range(value: str):
    start, sep, end = value.partition("_")
    try:
        if not sep:
            raise ValueError(value)
        return (datetime.fromisoformat(start.replace("Z", "+00:00")),
                datetime.fromisoformat(end.replace("Z", "+00:00")))
    except ValueError:
        raise fields_error({"started_at": ["Invalid range value"]}) from None


def _created(group: dict) -> datetime:
    return datetime.strptime(group["created_at"], "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=get_sim().now().tzinfo)


@blueprint.get("/api/v1/alert_groups/", strict_slashes=False)
@oncall_view("read")
def list_alert_groups():
    sim = get_sim()
    with sim.lock:
        _end_silences(sim)
        groups = list(reversed(list(_groups(sim).values())))
        args = request.args
        state = args.get("state")
        if state is not None:
            if state not in FILTER_STATES:
                raise OnCallError(400, {"state": STATE_ERROR})
            wanted = "firing" if state == "new" else state
            groups = [group for group in groups if state_of(group) == wanted]
        for key in ("integration_id", "id", "route_id"):
            if args.get(key) is not None:
                groups = [group for group in groups if group[key] == args[key]]
        if args.get("started_at"):
            start, end = _started_at_range(args["started_at"])
            groups = [group for group in groups if start <= _created(group).replace(tzinfo=start.tzinfo) <= end]
        return page([render(group) for group in groups])


@blueprint.get("/api/v1/alert_groups/<group_id>/", strict_slashes=False)
@oncall_view("read")
def get_alert_group(group_id):
    sim = get_sim()
    with sim.lock:
        _end_silences(sim)
        group = _groups(sim).get(group_id)
        if group is None:
            raise not_found()
        return render(group)


def _acknowledge(group, user_id, now, data):
    if group["acknowledged_at"]:
        raise detail(400, "Can't acknowledge an acknowledged alert group")
    if group["resolved_at"]:
        raise detail(400, "Can't acknowledge a resolved alert group")
    group["acknowledged_at"], group["acknowledged_by"] = _drf_time(now), user_id
    group["silenced_at"], group["_silenced_until"] = None, None


def _unacknowledge(group, user_id, now, data):
    if not group["acknowledged_at"]:
        raise detail(400, "The alert group is not acknowledged")
    if group["resolved_at"]:
        raise detail(400, "Can't unacknowledge a resolved alert group")
    group["acknowledged_at"], group["acknowledged_by"] = None, None


def _resolve(group, user_id, now, data):
    if group["resolved_at"]:
        raise detail(400, "Can't resolve a resolved alert group")
    group["resolved_at"], group["resolved_by"] = _drf_time(now), user_id


def _unresolve(group, user_id, now, data):
    if not group["resolved_at"]:
        raise detail(400, "The alert group is not resolved")
    group["resolved_at"], group["resolved_by"] = None, None


def _silence(group, user_id, now, data):
    delay = data.get("delay")
    if delay is None:
        raise fields_error({"delay": ["This field is required."]})
    try:
        delay = int(delay)
    except (TypeError, ValueError):
        raise fields_error({"delay": ["A valid integer is required."]}) from None
    if delay < -1 or delay == 0:
        raise detail(400, "invalid delay value")
    if group["resolved_at"]:
        raise detail(400, "Can't silence a resolved alert group")
    if group["acknowledged_at"]:
        raise detail(400, "Can't silence an acknowledged alert group")
    group["silenced_at"] = _drf_time(now)
    group["_silenced_until"] = None if delay == -1 else now + timedelta(seconds=delay)


def _unsilence(group, user_id, now, data):
    if not group["silenced_at"]:
        raise detail(400, "Can't unsilence an unsilenced alert group")
    if group["resolved_at"]:
        raise detail(400, "Can't unsilence a resolved alert group")
    group["silenced_at"], group["_silenced_until"] = None, None


ACTIONS = {"acknowledge": _acknowledge, "unacknowledge": _unacknowledge, "resolve": _resolve,
           "unresolve": _unresolve, "silence": _silence, "unsilence": _unsilence}


@blueprint.post("/api/v1/alert_groups/<group_id>/<action>/", strict_slashes=False)
@oncall_view("write")
def act_on_alert_group(group_id, action):
    sim = get_sim()
    act = ACTIONS.get(action)
    if act is None:
        raise not_found()
    with sim.lock:
        _end_silences(sim)
        identity = current_identity()
        group = _groups(sim).get(group_id)
        if group is None:
            raise not_found()
        if identity["kind"] == "service_account":
            raise detail(403, "Service accounts are not allowed to %s alert groups" % action)
        act(group, identity["user_id"], sim.now(), body())
    return "", 200
