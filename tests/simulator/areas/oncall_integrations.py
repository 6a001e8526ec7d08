# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Area ``oncall_integrations``: integrations, their routes, and alert ingestion, under /oncall.

Integrations (I1-I17): ``type`` is required and not changeable (ignored on update, I13);
``direct_paging`` can't be created (I7), unknown types are ``{"detail": "Invalid
integration type"}`` (I4, I8); names are unique per team (``{"detail": "An integration with
this name already exists for this team"}``, I2, I3); without a name one is made up (I6).
Each integration is created with its default route (embedded as ``default_route``, with the
route's id); ``link`` is the alert ingestion URL on the engine's BASE_URL. A synced
organization has one "Direct paging (<team> team)" integration per team: they are seeded.
Deleting an integration deletes its routes (Z3).

Routes (R1-R19): ordered by ``position`` inside their integration, the default route
(``is_the_last_route: true``, ``routing_regex: null``, ``position: 0``) listed last;
``escalation_chain_id`` must be present on create (null allowed, R2, R5) but an update
can't set it to null (R12); ``integration_id`` in an update is silently ignored (R16);
``routing_type`` is ``regex`` or ``jinja2`` (``labels``: R15), the expression is validated
(R4, R14); the default route can't be deleted (R17); a deletion leaves a gap in the stored
positions (N3). ``?name=`` is ignored (R10);
``?integration_id=`` and ``?routing_regex=`` filter (R1, R9).

Alerts: ``POST /oncall/integrations/v1/<type>/<token>/`` (no auth) answers ``"Ok."`` (A2)
and hands the payload to every ``@alert_receiver`` (the alert-groups area).
"""

from __future__ import annotations

import copy
import secrets
import string

from flask import Blueprint, jsonify, request

from ..core import get_sim
from ..oncall import ONCALL_PREFIX
from ..oncall.auth import oncall_view
from ..oncall.errors import detail, fields_error, non_field, not_found
from ..oncall.fields import NULL, REQUIRED, Checker, body, given, jinja_ok, regex_ok
from ..oncall.ordering import move_to, next_position
from ..oncall.paging import name_filtered, page, team_filtered
from ..oncall.store import base_url, delete, new_id, objects, on_delete, receive_alert, world

blueprint = Blueprint("oncall_integrations", __name__)
URL_PREFIX = ONCALL_PREFIX

CREATABLE_TYPES = {
    "alertmanager": "AlertManager", "grafana_alerting": "Grafana Alerting", "webhook": "Webhook",
    "formatted_webhook": "Formatted webhook", "amazon_sns": "Amazon SNS", "kapacitor": "Kapacitor",
    "elastalert": "Elastalert", "heartbeat": "Heartbeat", "inbound_email": "Inbound Email",
    "prtg": "PRTG", "sentry": "Sentry", "stackdriver": "Stackdriver", "uptimerobot": "UptimeRobot",
    "zabbix": "Zabbix", "newrelic": "New Relic", "datadog": "Datadog", "pagerduty": "PagerDuty",
    "pingdom": "Pingdom", "jira": "Jira", "zendesk": "Zendesk", "appdynamics": "AppDynamics",
    "servicenow": "ServiceNow", "manual": "Manual",
}
TEMPLATE_SHAPE = {
    "grouping_key": None, "resolve_signal": None, "acknowledge_signal": None, "source_link": None,
    "slack": {"title": None, "message": None, "image_url": None},
    "web": {"title": None, "message": None, "image_url": None},
    "sms": {"title": None}, "phone_call": {"title": None},
    "telegram": {"title": None, "message": None, "image_url": None},
    "mobile_app": {"title": None, "message": None},
    "email": {"title": None, "message": None},
    "webhook": {"title": None, "message": None, "image_url": None},
}
CHANNELS = {"slack": {"channel_id": None, "enabled": True}, "telegram": {"id": None, "enabled": False},
            "mobile_app": {"id": None, "enabled": False}, "mobile_app_critical": {"id": None, "enabled": False},
            "email": {"id": None, "enabled": False}, "webhook": {"id": None, "enabled": False}}
TOKEN_ALPHABET = string.ascii_letters + string.digits
NAME_TAKEN = "An integration with this name already exists for this team"


def seed(sim) -> None:
    """One "Direct paging" integration per team, as the engine's Grafana sync creates."""
    with sim.lock:
        for team in list(objects(sim, "teams").values()):
            _new_integration(sim, "direct_paging", f"Direct paging ({team['name']} team)", team["id"])


# -- integrations ------------------------------------------------------------------------

def _integrations() -> dict:
    return objects(get_sim(), "integrations")


def _routes() -> dict:
    return objects(get_sim(), "routes")


def _new_integration(sim, integration_type: str, name: str, team_id: str | None) -> dict:
    integration = {"id": new_id(sim, "integrations"), "name": name, "description_short": None,
                   "team_id": team_id, "type": integration_type,
                   "token": "".join(secrets.choice(TOKEN_ALPHABET) for _index in range(25)),
                   "templates": copy.deepcopy(TEMPLATE_SHAPE)}
    objects(sim, "integrations")[integration["id"]] = integration
    route = _new_route(sim, integration["id"], None, None, "regex", default=True)
    integration["default_route_id"] = route["id"]
    return integration


def _integration(integration_id: str) -> dict:
    integration = _integrations().get(integration_id)
    if integration is None:
        raise not_found()
    return integration


def render_integration(integration: dict) -> dict:
    link = f"{base_url(get_sim())}/integrations/v1/{integration['type']}/{integration['token']}/"
    default_route = _routes()[integration["default_route_id"]]
    # The oncall_maintenance area keeps these on the record (maintenance_start/stop).
    return {"maintenance_mode": integration.get("maintenance_mode"),
            "maintenance_started_at": integration.get("maintenance_started_at"),
            "maintenance_end_at": integration.get("maintenance_end_at"),
            "id": integration["id"], "name": integration["name"],
            "description_short": integration["description_short"], "team_id": integration["team_id"],
            "link": link, "inbound_email": None, "type": integration["type"],
            "templates": copy.deepcopy(integration["templates"]),
            "heartbeat": {"link": link + "heartbeat/"},
            "default_route": {"id": default_route["id"],
                              "escalation_chain_id": default_route["escalation_chain_id"],
                              **copy.deepcopy(default_route["channels"])}}


def _check_templates(value, errors: dict) -> dict | None:
    """Merge-ready templates, or None after recording an error (I14)."""
    if not isinstance(value, dict):
        errors["templates"] = ["Expected a dictionary of items."]
        return None
    for key, inner in value.items():
        if key not in TEMPLATE_SHAPE:
            continue
        if isinstance(TEMPLATE_SHAPE[key], dict):
            if not isinstance(inner, dict):
                raise detail(400, f"invalid {key} template")
            for part, text in inner.items():
                if text is not None and (not isinstance(text, str) or not jinja_ok(text)):
                    raise detail(400, f"invalid {key} {part} template")
        elif inner is not None and (not isinstance(inner, str) or not jinja_ok(inner)):
            raise detail(400, f"invalid {key} template")
    return value


def _merge_templates(current: dict, update: dict) -> None:
    for key, inner in update.items():
        if key not in TEMPLATE_SHAPE:
            continue
        if isinstance(TEMPLATE_SHAPE[key], dict):
            for part, text in inner.items():
                if part in TEMPLATE_SHAPE[key]:
                    current[key][part] = text
        else:
            current[key] = inner


def _check_default_route(value) -> dict:
    if not isinstance(value, dict):
        raise fields_error({"default_route": ["Expected a dictionary of items."]})
    checker = Checker(value, partial=True)
    chain_id = checker.reference("escalation_chain_id", objects(get_sim(), "escalation_chains"))
    if checker.errors:
        raise fields_error({"default_route": checker.errors})
    result = {key: value[key] for key in ("slack", "telegram") if isinstance(value.get(key), dict)}
    if given(chain_id):
        result["escalation_chain_id"] = chain_id
    return result


def _apply_default_route(integration: dict, values: dict) -> None:
    route = _routes()[integration["default_route_id"]]
    if "escalation_chain_id" in values:
        route["escalation_chain_id"] = values["escalation_chain_id"]
    for channel in ("slack", "telegram"):
        if channel in values:
            route["channels"][channel].update(
                {key: item for key, item in values[channel].items() if key in route["channels"][channel]})


def _integration_values(data: dict, *, partial: bool, integration: dict | None = None) -> dict:
    sim = get_sim()
    checker = Checker(data, partial=True)
    name = checker.string("name", trim=True)  # N7: stored trimmed
    description = checker.string("description_short", allow_null=True, allow_blank=True, max_length=250)
    team_id = checker.reference("team_id", objects(sim, "teams"))
    errors = dict(checker.errors)
    templates = _check_templates(data["templates"], errors) if "templates" in data else None
    if errors:
        raise fields_error(errors)
    values = {}
    if given(name):
        values["name"] = name
    if given(description):
        values["description_short"] = description
    if given(team_id):
        values["team_id"] = team_id
    if templates is not None:
        values["templates"] = templates
    if "default_route" in data:
        values["default_route"] = _check_default_route(data["default_route"])
    return values


def _name_taken(name: str, team_id: str | None, exclude: str | None = None) -> bool:
    return any(other["name"] == name and other["team_id"] == team_id and other["id"] != exclude
               for other in _integrations().values())


@blueprint.get("/api/v1/integrations/", strict_slashes=False)
@oncall_view("read")
def list_integrations():
    return page([render_integration(item) for item in team_filtered(name_filtered(_integrations().values()))])


@blueprint.post("/api/v1/integrations/", strict_slashes=False)
@oncall_view("write")
def create_integration():
    sim = get_sim()
    data = body()
    with sim.lock:
        if "type" not in data:
            raise fields_error({"type": [REQUIRED]})
        if data["type"] == "direct_paging":
            raise detail(400, "Direct paging integrations can't be created")
        if data["type"] not in CREATABLE_TYPES:
            raise detail(400, "Invalid integration type")
        values = _integration_values(data, partial=False)
        name = values.get("name") or f"{CREATABLE_TYPES[data['type']]} :sunglasses:"
        if _name_taken(name, values.get("team_id")):
            raise detail(400, NAME_TAKEN)
        integration = _new_integration(sim, data["type"], name, values.get("team_id"))
        _update_integration(integration, values)
    return render_integration(integration), 201


def _update_integration(integration: dict, values: dict) -> None:
    for key in ("name", "description_short", "team_id"):
        if key in values:
            integration[key] = values[key]
    if "templates" in values:
        _merge_templates(integration["templates"], values["templates"])
    if "default_route" in values:
        _apply_default_route(integration, values["default_route"])


@blueprint.get("/api/v1/integrations/<integration_id>/", strict_slashes=False)
@oncall_view("read")
def get_integration(integration_id):
    return render_integration(_integration(integration_id))


@blueprint.route("/api/v1/integrations/<integration_id>/", methods=["PUT", "PATCH"], strict_slashes=False)
@oncall_view("write")
def update_integration(integration_id):
    data = body()
    with get_sim().lock:
        integration = _integration(integration_id)
        values = _integration_values(data, partial=True, integration=integration)
        name = values.get("name", integration["name"])
        team_id = values.get("team_id", integration["team_id"])
        if _name_taken(name, team_id, exclude=integration_id):
            raise detail(400, NAME_TAKEN)
        # "type" is ignored on update (I13).
        _update_integration(integration, values)
    return render_integration(integration)


@blueprint.delete("/api/v1/integrations/<integration_id>/", strict_slashes=False)
@oncall_view("write")
def delete_integration(integration_id):
    _integration(integration_id)
    delete(get_sim(), "integrations", integration_id)
    return "", 204


@on_delete("integrations")
def _drop_routes(sim, integration) -> None:
    for route_id in [rid for rid, route in objects(sim, "routes").items()
                     if route["integration_id"] == integration["id"]]:
        objects(sim, "routes").pop(route_id, None)


@on_delete("escalation_chains")
def _unlink_chain(sim, chain) -> None:
    for route in objects(sim, "routes").values():
        if route["escalation_chain_id"] == chain["id"]:
            route["escalation_chain_id"] = None


@blueprint.post("/integrations/v1/<integration_type>/<token>/", strict_slashes=False)
def ingest_alert(integration_type, token):
    sim = get_sim()
    with sim.lock:
        integration = next((item for item in objects(sim, "integrations").values()
                            if item["token"] == token and item["type"] == integration_type), None)
        if integration is None:
            raise not_found()
        payload = request.get_json(silent=True)
        world(sim).setdefault("alerts_received", []).append({"integration_id": integration["id"],
                                                             "payload": payload})
        receive_alert(sim, integration, payload)
    return jsonify("Ok.")


# -- routes ------------------------------------------------------------------------------

def _new_route(sim, integration_id: str, regex: str | None, chain_id: str | None, routing_type: str,
               default: bool = False) -> dict:
    route = {"id": new_id(sim, "routes"), "integration_id": integration_id,
             "escalation_chain_id": chain_id, "routing_type": routing_type, "routing_regex": regex,
             "is_the_last_route": default, "position": 0, "channels": copy.deepcopy(CHANNELS)}
    objects(sim, "routes")[route["id"]] = route
    if not default:
        others = [item for item in _ordered_routes(integration_id) if item is not route]
        route["position"] = next_position(others)
    return route


def _ordered_routes(integration_id: str) -> list[dict]:
    """The integration's non-default routes in order."""
    return sorted((route for route in objects(get_sim(), "routes").values()
                   if route["integration_id"] == integration_id and not route["is_the_last_route"]),
                  key=lambda route: route["position"])


def _move_route(route: dict, position: int) -> None:
    """Move ``route`` to the stored ``position`` (-1: after the last), those in between shifting (N3)."""
    siblings = _ordered_routes(route["integration_id"])
    if position < 0:
        position = max(item["position"] for item in siblings)
    move_to(route, siblings, position)


def render_route(route: dict) -> dict:
    return {"position": route["position"], "id": route["id"], "integration_id": route["integration_id"],
            "escalation_chain_id": route["escalation_chain_id"], "routing_type": route["routing_type"],
            "routing_regex": route["routing_regex"], "is_the_last_route": route["is_the_last_route"],
            **copy.deepcopy(route["channels"])}


def _route(route_id: str) -> dict:
    route = _routes().get(route_id)
    if route is None:
        raise not_found()
    return route


def _check_expression(routing_type: str, regex: str) -> None:
    if routing_type not in ("regex", "jinja2"):
        raise non_field("Expression type is incorrect")
    if routing_type == "regex" and not regex_ok(regex):
        raise non_field("Regular expression is incorrect")
    if routing_type == "jinja2" and not jinja_ok(regex):
        raise non_field("Jinja template is incorrect")


@blueprint.get("/api/v1/routes/", strict_slashes=False)
@oncall_view("read")
def list_routes():
    integration_id = request.args.get("integration_id")
    regex = request.args.get("routing_regex")
    ordered = []
    for integration in _integrations().values():
        if integration_id is not None and integration["id"] != integration_id:
            continue
        ordered.extend(_ordered_routes(integration["id"]))
        ordered.append(_routes()[integration["default_route_id"]])
    if regex is not None:
        ordered = [route for route in ordered if route["routing_regex"] == regex]
    return page([render_route(route) for route in ordered], default_size=25)


@blueprint.post("/api/v1/routes/", strict_slashes=False)
@oncall_view("write")
def create_route():
    sim = get_sim()
    data = body()
    with sim.lock:
        checker = Checker(data)
        integration_id = checker.reference("integration_id", _integrations(), required=True, allow_null=False)
        regex = checker.string("routing_regex", required=True, max_length=1024)
        chain_id = checker.reference("escalation_chain_id", objects(sim, "escalation_chains"), required=True)
        routing_type = checker.string("routing_type")
        position = checker.integer("position", minimum=-1)
        checker.done()
        routing_type = routing_type if given(routing_type) else "regex"
        _check_expression(routing_type, regex)
        route = _new_route(sim, integration_id, regex, chain_id, routing_type)
        if given(position):
            _move_route(route, position)
    return render_route(route), 201


@blueprint.get("/api/v1/routes/<route_id>/", strict_slashes=False)
@oncall_view("read")
def get_route(route_id):
    return render_route(_route(route_id))


@blueprint.route("/api/v1/routes/<route_id>/", methods=["PUT", "PATCH"], strict_slashes=False)
@oncall_view("write")
def update_route(route_id):
    sim = get_sim()
    data = body()
    with sim.lock:
        route = _route(route_id)
        checker = Checker(data, partial=True)
        regex = checker.string("routing_regex", max_length=1024)
        chain_id = checker.reference("escalation_chain_id", objects(sim, "escalation_chains"), allow_null=False)
        routing_type = checker.string("routing_type")
        position = checker.integer("position", minimum=-1)
        if "escalation_chain_id" in data and data["escalation_chain_id"] is None:
            checker.errors["escalation_chain_id"] = [NULL]  # R12
        checker.done()
        new_type = routing_type if given(routing_type) else route["routing_type"]
        new_regex = regex if given(regex) else route["routing_regex"]
        if given(routing_type) or given(regex):
            if route["is_the_last_route"]:
                raise non_field("Default route can't have a routing expression")
            _check_expression(new_type, new_regex)
        route["routing_type"], route["routing_regex"] = new_type, new_regex
        if given(chain_id):
            route["escalation_chain_id"] = chain_id
        for channel in ("slack", "telegram"):
            if isinstance(data.get(channel), dict):
                route["channels"][channel].update(
                    {key: item for key, item in data[channel].items() if key in route["channels"][channel]})
        # integration_id is not updatable: silently ignored (R16).
        if given(position) and not route["is_the_last_route"]:
            _move_route(route, position)
    return render_route(route)


@blueprint.delete("/api/v1/routes/<route_id>/", strict_slashes=False)
@oncall_view("write")
def delete_route(route_id):
    route = _route(route_id)
    if route["is_the_last_route"]:
        raise detail(400, "Unable to delete default filter")
    with get_sim().lock:
        _routes().pop(route_id, None)  # the later routes keep their positions (N3)
    return "", 204
