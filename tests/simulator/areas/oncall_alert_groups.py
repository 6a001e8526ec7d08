# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Area ``oncall_alert_groups``: alert groups and their alerts, under /oncall (facts A1-A12).

An alert POSTed to an integration's ``link`` (``oncall_integrations`` answers ``"Ok."``)
becomes an alert group at once (the engine's task runs in-process), routed by the
integration's routes (first match by position, else the default route); alerts that carry
the ``alert_uid`` of an open group join it. A new group's ``state`` reads ``firing``, but the
list filter calls it ``new`` (``?state=firing`` is a 400 with a bare string, A5).
``?started_at=<start>_<end>`` (N1) (``%Y-%m-%dT%H:%M:%S``, UTC) is an inclusive range, anything
else ``{"detail": "Invalid range value"}`` (the engine's ``DateRangeFilterMixin``); the list
is newest first. acknowledge/unacknowledge/resolve/unresolve answer 200 with an empty body
(A6, A9), refuse a repeat (A7) and refuse service accounts (A8); silence (``delay`` in
seconds, -1 for ever; it ends by itself) and unsilence answer as the engine's public view does. A deleted integration takes
its alert groups with it.
"""

from __future__ import annotations

from flask import Blueprint, request

from ..core import get_sim
from ..oncall import ONCALL_PREFIX
from ..oncall.auth import current_identity, oncall_view
from ..oncall.errors import detail, not_found, server_error_page
from ..oncall.fields import body
from ..oncall.paging import page
from ..oncall.store import alert_receiver, grafana_url, new_id, objects, on_delete
from . import _oncall_hookrules as rules
from .oncall_schedules import store

blueprint = Blueprint("oncall_alert_groups", __name__)
URL_PREFIX = ONCALL_PREFIX
ACTIONS = ("acknowledge", "unacknowledge", "resolve", "unresolve", "silence", "unsilence")


@alert_receiver
def _group_alert(sim, integration, payload) -> None:
    routes = [route for route in objects(sim, "routes").values() if route["integration_id"] == integration["id"]]
    route = rules.pick_route(routes, payload if isinstance(payload, dict) else {})
    rules.receive_alert(store(sim), integration, route, payload if payload is not None else {},
                        new_id(sim, "alert_groups"), new_id(sim, "alerts"), sim.now())


@on_delete("integrations")
def _drop_groups(sim, integration) -> None:
    groups = objects(sim, "alert_groups")
    for group_id in [gid for gid, group in groups.items() if group["integration_id"] == integration["id"]]:
        groups.pop(group_id)


def _group(group_id: str) -> dict:
    group = objects(get_sim(), "alert_groups").get(group_id)
    if group is None:
        raise not_found()
    return group


@blueprint.get("/api/v1/alert_groups/", strict_slashes=False)
@oncall_view("read")
def list_alert_groups():
    sim = get_sim()
    with sim.lock:
        if request.args.get("team_id"):
            # The alert-group filter set shares the ByTeamFilter bug (X10): a server error.
            raise server_error_page()
        rules.end_silences(store(sim), sim.now())
        groups = rules.select_alert_groups(store(sim), request.args)
        return page([rules.alert_group_answer(group, grafana_url(sim)) for group in groups])


@blueprint.get("/api/v1/alert_groups/<group_id>/", strict_slashes=False)
@oncall_view("read")
def get_alert_group(group_id):
    sim = get_sim()
    with sim.lock:
        rules.end_silences(store(sim), sim.now())
        return rules.alert_group_answer(_group(group_id), grafana_url(sim))


@blueprint.post("/api/v1/alert_groups/<group_id>/<action>/", strict_slashes=False)
@oncall_view("write")
def act(group_id, action):
    if action not in ACTIONS:
        raise not_found()
    identity = current_identity()
    if identity["kind"] == "service_account":
        raise detail(403, "Service accounts are not allowed to %s alert groups" % action)  # A8
    sim = get_sim()
    with sim.lock:
        rules.end_silences(store(sim), sim.now())
        rules.act_on_group(_group(group_id), action, identity["user_id"], sim.now(), body())
    return "", 200


@blueprint.get("/api/v1/alerts/", strict_slashes=False)
@oncall_view("read")
def list_alerts():
    sim = get_sim()
    with sim.lock:
        group_id = request.args.get("alert_group_id")
        alerts = [alert for group in objects(sim, "alert_groups").values()
                  if not group_id or group["id"] == group_id for alert in group["alerts"]]
        return page(alerts)
