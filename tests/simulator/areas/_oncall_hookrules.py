# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The OnCall engine's rules for outgoing webhooks and alert groups: validation and answers.

Pure functions over the OnCall store, raising ``Refusal`` as ``_oncall_shiftrules`` does.
Sources: ``oncall-engine-facts.md`` rows W1-W14 and A1-A12 (they win), then the engine's
``public_api/serializers/webhooks.py`` and ``views/alert_groups.py`` for what the facts do
not show (``integration_filter`` with an unknown id, the ``started_at`` range format).
"""

from __future__ import annotations

import copy
import json
import re
from datetime import datetime, timedelta, timezone

import jinja2

from ._oncall_shiftrules import REQUIRED, Refusal, detail, field_error, team_ref

MASK = "****************"
HTTP_METHODS = ["GET", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"]
TRIGGER_TYPES = ["escalation", "alert group created", "acknowledge", "resolve", "silence", "unsilence",
                 "unresolve", "unacknowledge", "status change", "personal notification"]
TEMPLATE_FIELDS = ("url", "headers", "data", "trigger_template")
TEXT_FIELDS = ("username", "password", "authorization_header") + TEMPLATE_FIELDS
WEBHOOK_FIELDS = ("id", "name", "is_webhook_enabled", "team", "data", "username", "password",
                  "authorization_header", "trigger_template", "headers", "url", "forward_all", "http_method",
                  "trigger_type", "integration_filter", "preset")
ALERT_STATES = ("new", "acknowledged", "resolved", "silenced")
RANGE_FORMAT = "%Y-%m-%dT%H:%M:%S"

_JINJA = jinja2.Environment()


def _template_problem(text):
    """The engine's message for a template that does not parse (facts W11), or None."""
    try:
        _JINJA.parse(text)
    except jinja2.TemplateSyntaxError as error:
        return "Template Error: %s" % error.message
    return None


# -- webhooks -----------------------------------------------------------------------------

def _check_webhook_body(store, webhook, body, creating):
    errors = {}
    if "preset" in body:
        errors["preset"] = ["Preset webhooks must be modified through web UI"]  # facts W10
    for key in ("name", "url", "http_method"):
        if creating and key not in body:
            errors[key] = [REQUIRED]
        elif key in body and body[key] is None:
            errors[key] = ["This field may not be null."]
        elif key in body and body[key] == "":
            errors[key] = ["This field may not be blank."]
    if creating and "trigger_type" not in body:
        errors["trigger_type"] = [REQUIRED]  # facts W9
    for key in TEXT_FIELDS:
        value = body.get(key)
        if value is not None and not isinstance(value, str):
            errors[key] = ["Not a valid string."]
        elif key in TEMPLATE_FIELDS and value:
            problem = _template_problem(value)
            if problem:
                errors[key] = [problem]
    method = body.get("http_method")
    if isinstance(method, str) and method and method not in HTTP_METHODS:
        errors["http_method"] = ["Must be one of %s" % HTTP_METHODS]  # facts W7
    for key in ("forward_all", "is_webhook_enabled"):
        if key in body and not isinstance(body[key], bool):
            errors[key] = ["Must be a valid boolean."]
    if "name" in body and isinstance(body["name"], str) and body["name"]:
        for other in store["webhooks"].values():
            if other["name"] == body["name"] and other["id"] != (webhook or {}).get("id"):
                errors.setdefault("non_field_errors", []).append(
                    "The fields name, organization must make a unique set.")  # facts W8
    if errors:
        raise Refusal(400, errors)
    # Not field-keyed (facts W6), and checked after the field errors, as the engine does.
    if "trigger_type" in body and body["trigger_type"] not in TRIGGER_TYPES:
        raise detail("trigger_type must one of %s" % TRIGGER_TYPES)


def _integration_filter(store, value):
    if not value:
        return []  # the engine reads a missing or empty filter as "every integration"
    if not isinstance(value, list) or any(item not in store["integrations"] for item in value):
        raise field_error("integration_filter", "integration_filter must be a list of valid integration ids")
    return list(dict.fromkeys(value))


def write_webhook(store, webhook, body, new_id=None):
    """Create (``webhook`` None) or update a webhook; PUT and PATCH behave alike (facts W3, W4)."""
    if not isinstance(body, dict):
        raise detail("Invalid data. Expected a dictionary, but got %s." % type(body).__name__)
    creating = webhook is None
    if isinstance(body.get("name"), str):
        body = dict(body, name=body["name"].strip())  # N7: the engine stores names trimmed
    _check_webhook_body(store, webhook, body, creating)
    target = dict(id=new_id, name=None, is_webhook_enabled=True, team=None, data=None, username=None,
                  password=None, authorization_header=None, trigger_template=None, headers=None, url=None,
                  forward_all=True, http_method=None, trigger_type=None, integration_filter=[],
                  preset=None) if creating else copy.deepcopy(webhook)
    if "team" in body:
        target["team"] = team_ref(store, body, key="team")
    for key in ("name", "is_webhook_enabled", "username", "url", "forward_all", "http_method", "trigger_type",
                "trigger_template", "headers", "data"):
        if key in body:
            # An empty template is stored as null, as the engine's validators do.
            target[key] = (body[key] or None) if key in TEMPLATE_FIELDS else body[key]
    for key in ("password", "authorization_header"):
        # Sending the mask keeps the stored secret (facts W5); null clears it.
        if key in body and body[key] != MASK:
            target[key] = body[key]
    # Every write that does not carry integration_filter resets it (facts W3).
    target["integration_filter"] = _integration_filter(store, body.get("integration_filter"))
    if creating:
        store["webhooks"][new_id] = target
    else:
        webhook.clear()
        webhook.update(target)
    return target


def webhook_answer(webhook):
    answer = dict((key, copy.deepcopy(webhook.get(key))) for key in WEBHOOK_FIELDS)
    for key in ("password", "authorization_header"):
        if webhook.get(key):
            answer[key] = MASK
    answer["integration_filter"] = list(webhook["integration_filter"]) or None
    return answer


def forget_integration(store, integration_id):
    """A deleted integration leaves every webhook's filter (it was a many-to-many link)."""
    for webhook in store["webhooks"].values():
        webhook["integration_filter"] = [i for i in webhook["integration_filter"] if i != integration_id]


# -- alert groups ---------------------------------------------------------------------------

def iso(moment):
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def state_of(group):
    """The state an alert group reads: ``firing`` for one the filter calls ``new`` (facts A3/A4)."""
    if group["resolved_at"]:
        return "resolved"
    if group["acknowledged_at"]:
        return "acknowledged"
    if group["silenced_at"]:
        return "silenced"
    return "firing"


def filter_state(value):
    """The ``?state=`` filter's value, as the state it selects (``new`` selects ``firing``)."""
    if value.lower() not in ALERT_STATES:
        raise Refusal(400, {"state": "Must be one of the following: %s" % ", ".join(ALERT_STATES)})  # A5
    return "firing" if value.lower() == "new" else value.lower()


def parse_range(value):
    """``started_at=<start>_<end>``, both ``%Y-%m-%dT%H:%M:%S`` in UTC, start <= end.

    The separator is ``_`` (fact N1: ``/`` is refused with "Invalid range value")."""
    parts = value.split("_")
    if len(parts) != 2:
        raise detail("Invalid range value")
    try:
        start, end = (datetime.strptime(part, RANGE_FORMAT).replace(tzinfo=timezone.utc) for part in parts)
    except ValueError:
        raise detail("Invalid range value")
    if start > end:
        raise detail("Invalid range value")
    return start, end


def pick_route(routes, payload):
    """The first route (by position) whose regex finds the payload, else the default route."""
    text = json.dumps(payload)
    default = None
    for route in sorted(routes, key=lambda r: r.get("position", 0)):
        if route.get("is_the_last_route"):
            default = route
            continue
        if route.get("routing_type") == "regex":
            try:
                if re.search(route.get("routing_regex") or "", text):
                    return route
            except re.error:
                continue
        elif route.get("routing_type") == "jinja2":
            try:
                rendered = _JINJA.from_string(route.get("routing_regex") or "").render(payload=payload)
            except jinja2.TemplateError:
                continue
            if rendered.strip().lower() == "true":
                return route
    return default


def receive_alert(store, integration, route, payload, new_group_id, new_alert_id, now):
    """An alert POSTed to an integration's link: a new alert group, or one more alert in the
    open group of the same ``alert_uid`` (the grouping key we model)."""
    key = payload.get("alert_uid") if isinstance(payload, dict) else None
    alert = dict(id=new_alert_id, created_at=iso(now), payload=copy.deepcopy(payload))
    for group in store["alert_groups"].values():
        if key is not None and group["integration_id"] == integration["id"] and group["key"] == key \
                and not group["resolved_at"]:
            alert["alert_group_id"] = group["id"]
            group["alerts"].append(alert)
            return group
    alert["alert_group_id"] = new_group_id
    group = dict(id=new_group_id, integration_id=integration["id"], team_id=integration.get("team_id"),
                 route_id=route["id"] if route else None, key=key, created_at=iso(now), started_at=now,
                 resolved_at=None, resolved_by=None, acknowledged_at=None, acknowledged_by=None,
                 silenced_at=None, silenced_until=None, alerts=[alert])
    store["alert_groups"][new_group_id] = group
    return group


def alert_group_answer(group, grafana_url):
    last = group["alerts"][-1]
    return dict(id=group["id"], integration_id=group["integration_id"], team_id=group["team_id"],
                route_id=group["route_id"], alerts_count=len(group["alerts"]), state=state_of(group),
                created_at=group["created_at"], resolved_at=group["resolved_at"], resolved_by=group["resolved_by"],
                acknowledged_at=group["acknowledged_at"], acknowledged_by=group["acknowledged_by"], labels=[],
                # The title comes from the integration's templates; a webhook integration's
                # default reads "Incident" whatever the payload says (facts A3).
                title="Incident",
                permalinks=dict(slack=None, slack_app=None, telegram=None,
                                web="%s/a/grafana-oncall-app/alert-groups/%s" % (grafana_url, group["id"])),
                silenced_at=group["silenced_at"],
                last_alert=dict(id=last["id"], alert_group_id=group["id"], created_at=last["created_at"],
                                payload=copy.deepcopy(last["payload"])))


def select_alert_groups(store, args):
    """The groups a list asks for, newest first (the engine orders by ``-started_at``)."""
    groups = sorted(store["alert_groups"].values(), key=lambda g: g["started_at"], reverse=True)
    if args.get("route_id"):
        groups = [g for g in groups if g["route_id"] == args["route_id"]]
    if args.get("integration_id"):
        groups = [g for g in groups if g["integration_id"] == args["integration_id"]]
    if args.get("id"):
        groups = [g for g in groups if g["id"] == args["id"]]
    if args.get("state"):
        wanted = filter_state(args["state"])
        groups = [g for g in groups if state_of(g) == wanted]
    if args.get("started_at"):
        start, end = parse_range(args["started_at"])
        groups = [g for g in groups if start <= g["started_at"] <= end]
    return groups


def end_silences(store, now):
    """A silence with a delay ends by itself when the delay is over."""
    for group in store["alert_groups"].values():
        until = group.get("silenced_until")
        if until is not None and until <= now:
            group.update(silenced_at=None, silenced_until=None)


def silence_delay(data):
    """``silence`` needs ``delay``: seconds, or -1 for ever (the engine's public view)."""
    delay = (data or {}).get("delay")
    if delay is None:
        raise Refusal(400, {"delay": ["This field is required."]})
    try:
        delay = int(delay)
    except (TypeError, ValueError):
        raise Refusal(400, {"delay": ["A valid integer is required."]})
    if delay < -1 or delay == 0:
        raise detail("invalid delay value")
    return delay


def act_on_group(group, action, user_id, now, data=None):
    """acknowledge / unacknowledge / resolve / unresolve (facts A6, A7, A9); silence and
    unsilence as the engine's public view answers them (the facts are silent there).

    A repeat is refused 400 ``{"detail"}``: fact A7 for acknowledge; the other actions' words
    are that view's (``engine/apps/public_api/views/alert_groups.py``), none of them a fact.
    A repeated silence is not refused there (it checks resolved, acknowledged and attached
    only): it silences again, for the new delay."""
    if action == "silence":
        delay = silence_delay(data)
        if group["resolved_at"]:
            raise detail("Can't silence a resolved alert group")
        if group["acknowledged_at"]:
            raise detail("Can't silence an acknowledged alert group")
        group.update(silenced_at=iso(now), silenced_until=None if delay == -1 else now + timedelta(seconds=delay))
        return
    if action == "unsilence":
        if not group["silenced_at"]:
            raise detail("Can't unsilence an unsilenced alert group")
        if group["resolved_at"]:
            raise detail("Can't unsilence a resolved alert group")
        group.update(silenced_at=None, silenced_until=None)
        return
    if action == "acknowledge":
        if group["acknowledged_at"]:
            raise detail("Can't acknowledge an acknowledged alert group")
        if group["resolved_at"]:
            raise detail("Can't acknowledge a resolved alert group")
        group.update(acknowledged_at=iso(now), acknowledged_by=user_id, silenced_at=None, silenced_until=None)
    elif action == "unacknowledge":
        if not group["acknowledged_at"]:
            raise detail("Can't unacknowledge an unacknowledged alert group")
        if group["resolved_at"]:
            raise detail("Can't unacknowledge a resolved alert group")
        group.update(acknowledged_at=None, acknowledged_by=None)
    elif action == "resolve":
        if group["resolved_at"]:
            raise detail("Can't resolve a resolved alert group")
        group.update(resolved_at=iso(now), resolved_by=user_id)
    elif action == "unresolve":
        if not group["resolved_at"]:
            raise detail("Can't unresolve an unresolved alert group")
        group.update(resolved_at=None, resolved_by=None)
