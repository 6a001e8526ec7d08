# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Area ``oncall_escalation``: escalation chains and their policies (steps), under /oncall.

Chains (EC1-EC15): ``name`` unique per organization (duplicate: 400 non_field_errors, EC2),
``team_id``; PUT needs ``name`` (EC8), PATCH is partial; deleting a chain deletes its
policies (Z5) and leaves routes pointing at it without a chain.

Policies (EP1-EP19): ordered by ``position`` inside their chain; a new one goes last, a
``position`` moves the others (EP16, EP17); a deletion leaves a gap in the stored positions
(N2, see ``oncall/ordering.py``). ``escalation_chain_id`` and ``type`` are
required on create (EP6, EP7); an unknown type is ``{"detail": "Invalid escalation step
type"}`` (EP4); ``escalation_chain_id`` in an update is silently ignored (EP15); changing
``type`` drops the old type's fields (EP12, EP13); unknown ids in ``persons_to_notify`` are
silently dropped (EP3); ``important`` exists only on the notify types (``wait`` has none).
"""

from __future__ import annotations

import re

from flask import Blueprint, request

from ..core import get_sim
from ..oncall import ONCALL_PREFIX
from ..oncall.auth import oncall_view
from ..oncall.errors import detail, fields_error, non_field, not_found
from ..oncall.fields import REQUIRED, Checker, body, given
from ..oncall.ordering import move_to, next_position
from ..oncall.paging import name_filtered, page, team_filtered
from ..oncall.store import delete, new_id, objects, on_delete

blueprint = Blueprint("oncall_escalation", __name__)
URL_PREFIX = ONCALL_PREFIX

#: type -> (its fields, whether it has ``important``)
POLICY_TYPES = {
    "wait": (("duration",), False),
    "notify_persons": (("persons_to_notify",), True),
    "notify_person_next_each_time": (("persons_to_notify_next_each_time",), True),
    "notify_on_call_from_schedule": (("notify_on_call_from_schedule",), True),
    "notify_user_group": (("group_to_notify",), True),
    "notify_team_members": (("team_to_notify",), True),
    "trigger_webhook": (("action_to_trigger",), False),
    "resolve": ((), False),
    "notify_whole_channel": ((), True),
    "notify_if_time_from_to": (("notify_if_time_from", "notify_if_time_to"), False),
    "notify_if_num_alerts_in_window": (("num_alerts_in_window", "num_minutes_in_window"), False),
    "repeat_escalation": ((), False),
}
MIN_DURATION = 60
MAX_DURATION = 86400
DURATION_TEXT = {"min": "Ensure this value is greater than or equal to 0:01:00.",
                 "max": "Ensure this value is less than or equal to 1 day, 0:00:00."}
UNIQUE_CHAIN = "The fields organization, name must make a unique set."


# -- chains ------------------------------------------------------------------------------

def _chains() -> dict:
    return objects(get_sim(), "escalation_chains")


def _chain(chain_id: str) -> dict:
    chain = _chains().get(chain_id)
    if chain is None:
        raise not_found()
    return chain


def _chain_values(data: dict, *, partial: bool, exclude: str | None = None) -> dict:
    sim = get_sim()
    checker = Checker(data, partial=partial)
    name = checker.string("name", required=True, trim=True)  # N7: stored trimmed
    team_id = checker.reference("team_id", objects(sim, "teams"))
    checker.done()
    values = {}
    if given(name):
        if any(chain["name"] == name and chain["id"] != exclude for chain in _chains().values()):
            raise non_field(UNIQUE_CHAIN)
        values["name"] = name
    if given(team_id):
        values["team_id"] = team_id
    return values


@blueprint.get("/api/v1/escalation_chains/", strict_slashes=False)
@oncall_view("read")
def list_chains():
    return page(team_filtered(name_filtered(_chains().values())))


@blueprint.post("/api/v1/escalation_chains/", strict_slashes=False)
@oncall_view("write")
def create_chain():
    sim = get_sim()
    with sim.lock:
        values = _chain_values(body(), partial=False)
        chain = {"id": new_id(sim, "escalation_chains"), "name": values["name"],
                 "team_id": values.get("team_id")}
        _chains()[chain["id"]] = chain
    return chain, 201


@blueprint.get("/api/v1/escalation_chains/<chain_id>/", strict_slashes=False)
@oncall_view("read")
def get_chain(chain_id):
    return _chain(chain_id)


@blueprint.route("/api/v1/escalation_chains/<chain_id>/", methods=["PUT", "PATCH"], strict_slashes=False)
@oncall_view("write")
def update_chain(chain_id):
    with get_sim().lock:
        chain = _chain(chain_id)
        chain.update(_chain_values(body(), partial=request.method == "PATCH", exclude=chain_id))
    return chain


@blueprint.delete("/api/v1/escalation_chains/<chain_id>/", strict_slashes=False)
@oncall_view("write")
def delete_chain(chain_id):
    _chain(chain_id)
    delete(get_sim(), "escalation_chains", chain_id)
    return "", 204


@on_delete("escalation_chains")
def _drop_policies(sim, chain) -> None:
    policies = objects(sim, "escalation_policies")
    for policy_id in [pid for pid, policy in policies.items() if policy["escalation_chain_id"] == chain["id"]]:
        delete(sim, "escalation_policies", policy_id)


# -- policies ----------------------------------------------------------------------------

def _policies() -> dict:
    return objects(get_sim(), "escalation_policies")


def _in_chain(chain_id: str) -> list[dict]:
    return sorted((policy for policy in _policies().values() if policy["escalation_chain_id"] == chain_id),
                  key=lambda policy: policy["position"])


def _move(policy: dict, position: int) -> None:
    """Move ``policy`` to the stored ``position`` in its chain, those in between shifting (EP16, N2)."""
    move_to(policy, _in_chain(policy["escalation_chain_id"]), position)


def _policy(policy_id: str) -> dict:
    policy = _policies().get(policy_id)
    if policy is None:
        raise not_found()
    return policy


def _type_values(checker: Checker, policy_type: str) -> dict:
    """The fields of ``policy_type`` the request sets (validated like the engine)."""
    sim = get_sim()
    users = objects(sim, "users")
    values = {}
    for name in POLICY_TYPES[policy_type][0]:
        if not checker.present(name):
            continue
        if name == "duration":
            value = checker.integer(name, minimum=MIN_DURATION, maximum=MAX_DURATION,
                                    minimum_text=DURATION_TEXT["min"], maximum_text=DURATION_TEXT["max"])
        elif name in ("persons_to_notify", "persons_to_notify_next_each_time"):
            value = checker.id_list(name)
            if given(value):
                value = [user_id for user_id in value if user_id in users]  # EP3: dropped silently
        elif name == "notify_on_call_from_schedule":
            value = checker.reference(name, objects(sim, "schedules"))
        elif name == "team_to_notify":
            value = checker.reference(name, objects(sim, "teams"))
        elif name == "action_to_trigger":
            value = checker.reference(name, objects(sim, "webhooks"))
        elif name in ("num_alerts_in_window", "num_minutes_in_window"):
            value = checker.integer(name, minimum=1)
        elif name in ("notify_if_time_from", "notify_if_time_to"):
            value = checker.string(name)
            if given(value) and not _is_time(value):
                checker.add(name, "Time has wrong format. Use one of these formats instead: hh:mm:ssZ.")
                value = None
        else:
            value = checker.string(name, allow_null=True)
        if given(value):
            values[name] = value
    return values


def _is_time(value: str) -> bool:
    return re.fullmatch(r"([01]\d|2[0-3]):[0-5]\d:[0-5]\dZ", value) is not None


def _render(policy: dict) -> dict:
    fields, has_important = POLICY_TYPES[policy["type"]]
    rendered = {"position": policy["position"], "id": policy["id"],
                "escalation_chain_id": policy["escalation_chain_id"], "type": policy["type"]}
    for name in fields:
        rendered[name] = policy["fields"].get(name, [] if name.startswith("persons") else None)
    if has_important:
        rendered["important"] = policy["important"]
    return rendered


def _type_of(data: dict, *, required: bool) -> str | None:
    if "type" not in data:
        if required:
            raise fields_error({"type": [REQUIRED]})
        return None
    if data["type"] not in POLICY_TYPES:
        raise detail(400, "Invalid escalation step type")
    return data["type"]


@blueprint.get("/api/v1/escalation_policies/", strict_slashes=False)
@oncall_view("read")
def list_policies():
    # ?name= is not a filter here: it is ignored (EP9).
    chain_id = request.args.get("escalation_chain_id")
    ordered = sorted(_policies().values(), key=lambda policy: (policy["escalation_chain_id"], policy["position"]))
    if chain_id is not None:
        ordered = [policy for policy in ordered if policy["escalation_chain_id"] == chain_id]
    return page([_render(policy) for policy in ordered])


@blueprint.post("/api/v1/escalation_policies/", strict_slashes=False)
@oncall_view("write")
def create_policy():
    sim = get_sim()
    data = body()
    with sim.lock:
        checker = Checker(data)
        chain_id = checker.reference("escalation_chain_id", _chains(), required=True, allow_null=False)
        checker.done()
        policy_type = _type_of(data, required=True)
        position = checker.integer("position", minimum=0)
        important = checker.boolean("important")
        fields = _type_values(checker, policy_type)
        checker.done()
        policy = {"id": new_id(sim, "escalation_policies"), "escalation_chain_id": chain_id,
                  "type": policy_type, "fields": fields, "position": next_position(_in_chain(chain_id)),
                  "important": important if given(important) else False}
        _policies()[policy["id"]] = policy
        if given(position):
            _move(policy, position)
    return _render(policy), 201


@blueprint.get("/api/v1/escalation_policies/<policy_id>/", strict_slashes=False)
@oncall_view("read")
def get_policy(policy_id):
    return _render(_policy(policy_id))


@blueprint.route("/api/v1/escalation_policies/<policy_id>/", methods=["PUT", "PATCH"], strict_slashes=False)
@oncall_view("write")
def update_policy(policy_id):
    data = body()
    with get_sim().lock:
        policy = _policy(policy_id)
        checker = Checker(data, partial=True)
        new_type = _type_of(data, required=request.method == "PUT") or policy["type"]
        position = checker.integer("position", minimum=0)
        important = checker.boolean("important")
        fields = _type_values(checker, new_type)
        checker.done()
        # escalation_chain_id is not updatable: silently ignored (EP15).
        if new_type != policy["type"]:
            policy["fields"] = {}  # the old type's fields are dropped (EP12, EP13)
            policy["type"] = new_type
        policy["fields"].update(fields)
        if given(important):
            policy["important"] = important
        if given(position):
            _move(policy, position)
    return _render(policy)


@blueprint.delete("/api/v1/escalation_policies/<policy_id>/", strict_slashes=False)
@oncall_view("write")
def delete_policy(policy_id):
    policy = _policy(policy_id)
    with get_sim().lock:
        delete(get_sim(), "escalation_policies", policy_id)  # the later steps keep their positions (N2)
    return "", 204
