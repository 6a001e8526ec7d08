# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The OnCall world: seeded users and teams, credentials, every collection, cascades.

All OnCall areas keep their objects here, in ``objects(sim, "<resource>")`` (an id -> object
dict in creation order), so that one area can look at another's objects (a policy's
``action_to_trigger`` webhook, a route's escalation chain) without importing it. The world
is built lazily on first use after each reset, so the order areas are seeded in does not
matter. Take ``sim.lock`` around a read-modify-write.

Seed (the facts' organization): users ``admin`` (Admin), ``alice`` and ``bob`` (Editor),
``carol`` (Viewer: never on call, may not write); teams ``platform`` (alice, bob) and ``sre``
(bob, carol). Credentials (stable across resets, one set per simulator): a legacy OnCall key
of admin and one of carol; a service-account token with every OnCall permission and one
with only the read permissions, both valid with ``X-Grafana-URL`` = the config's
``oncall_grafana_url``.

Extension points for other areas:

- ``@on_delete("integrations")`` registers ``fn(sim, obj)``, called after an object of that
  resource was deleted (routes go with their integration, alert groups too ...).
- ``@alert_receiver`` registers ``fn(sim, integration, payload)``, called for every alert
  POSTed to an integration's ``link`` (the alert-groups area turns it into a group).
"""

from __future__ import annotations

import secrets
import string
from typing import Any, Callable

from flask import has_request_context, request

from ..core import Simulator

WORLD_KEY = "oncall"
ID_ALPHABET = string.ascii_uppercase + string.digits

#: Engine id prefixes (facts "Protocol").
PREFIXES = {"integrations": "C", "routes": "R", "escalation_chains": "F",
            "escalation_policies": "E", "schedules": "S", "on_call_shifts": "O", "users": "U",
            "teams": "T", "webhooks": "WH", "alert_groups": "I", "alerts": "A"}

SEED_USERS = (
    # username, role, email, teams
    ("admin", "admin", "admin@localhost", ()),
    ("alice", "editor", "alice@example.com", ("platform",)),
    ("bob", "editor", "bob@example.com", ("platform", "sre")),
    ("carol", "viewer", "carol@example.com", ("sre",)),
)
SEED_TEAMS = (("platform", "platform@example.com"), ("sre", "sre@example.com"))

_cascades: dict[str, list[Callable[[Simulator, dict], None]]] = {}
_receivers: list[Callable[[Simulator, dict, Any], None]] = []


def on_delete(resource: str) -> Callable:
    """Decorator: ``fn(sim, obj)`` runs after an object of ``resource`` is deleted."""
    def register(fn: Callable) -> Callable:
        if fn not in _cascades.setdefault(resource, []):
            _cascades[resource].append(fn)
        return fn
    return register


def alert_receiver(fn: Callable) -> Callable:
    """Decorator: ``fn(sim, integration, payload)`` runs for every alert an integration gets."""
    if fn not in _receivers:
        _receivers.append(fn)
    return fn


def receive_alert(sim: Simulator, integration: dict, payload: Any) -> None:
    for receiver in list(_receivers):
        receiver(sim, integration, payload)


class Credentials:
    """The tokens this simulator accepts (stable for its lifetime)."""

    def __init__(self):
        self.admin_key = secrets.token_hex(32)
        self.viewer_key = secrets.token_hex(32)
        self.service_account = _sa_token()
        self.service_account_read_only = _sa_token()

    def as_dict(self) -> dict:
        return {"legacy_key": self.admin_key, "viewer_legacy_key": self.viewer_key,
                "service_account_token": self.service_account,
                "service_account_read_only_token": self.service_account_read_only}


def _sa_token() -> str:
    return "glsa_" + "".join(secrets.choice(string.ascii_letters + string.digits)
                             for _index in range(32)) + "_" + secrets.token_hex(4)


def credentials(sim: Simulator) -> Credentials:
    creds = getattr(sim, "oncall_credentials", None)
    if creds is None:
        creds = Credentials()
        sim.oncall_credentials = creds
    return creds


def world(sim: Simulator) -> dict:
    """The OnCall state of ``sim`` (built with its seed on first use after a reset)."""
    with sim.lock:
        state = sim.state.get(WORLD_KEY)
        if state is None:
            state = _seed_world(sim)
            sim.state[WORLD_KEY] = state
        return state


def _seed_world(sim: Simulator) -> dict:
    creds = credentials(sim)
    state: dict[str, Any] = {"collections": {}, "ids": set(), "throttle": {}, "identities": {}}
    sim.state[WORLD_KEY] = state
    teams = {}
    for index, (name, email) in enumerate(SEED_TEAMS, start=1):
        team = {"id": new_id(sim, "teams"), "grafana_id": index, "name": name, "email": email,
                "avatar_url": "/avatar/" + secrets.token_hex(16)}
        objects(sim, "teams")[team["id"]] = team
        teams[name] = team["id"]
    for index, (username, role, email, member_of) in enumerate(SEED_USERS, start=1):
        user = {"id": new_id(sim, "users"), "grafana_id": index, "email": email, "slack": None,
                "username": username, "role": role, "is_phone_number_verified": False,
                "timezone": None, "teams": [teams[name] for name in member_of]}
        objects(sim, "users")[user["id"]] = user
    users = {user["username"]: user["id"] for user in objects(sim, "users").values()}
    state["identities"] = {
        creds.admin_key: {"kind": "legacy", "user_id": users["admin"], "write": True},
        creds.viewer_key: {"kind": "legacy", "user_id": users["carol"], "write": False},
        creds.service_account: {"kind": "service_account", "user_id": "sa-editor", "write": True},
        creds.service_account_read_only: {"kind": "service_account", "user_id": "sa-viewer", "write": False},
    }
    return state


def objects(sim: Simulator, resource: str) -> dict[str, dict]:
    """The id -> object dict of ``resource`` (creation order)."""
    return world(sim)["collections"].setdefault(resource, {})


def new_id(sim: Simulator, resource: str) -> str:
    """A fresh id with the engine's prefix for ``resource``: ``F`` + 12 characters."""
    state = world(sim)
    prefix = PREFIXES.get(resource, "X")
    while True:
        candidate = prefix + "".join(secrets.choice(ID_ALPHABET) for _index in range(12))
        if candidate not in state["ids"]:
            state["ids"].add(candidate)
            return candidate


def delete(sim: Simulator, resource: str, obj_id: str) -> dict | None:
    """Remove an object and run the cascades registered for its resource."""
    with sim.lock:
        obj = objects(sim, resource).pop(obj_id, None)
        if obj is not None:
            for cascade in list(_cascades.get(resource, ())):
                cascade(sim, obj)
        return obj


def user_by_username(sim: Simulator, username: str) -> dict | None:
    return next((user for user in objects(sim, "users").values() if user["username"] == username), None)


def grafana_url(sim: Simulator) -> str:
    return sim.config.get("oncall_grafana_url") or ""


def base_url(sim: Simulator) -> str:
    """The engine's ``BASE_URL``: what ``next`` links and integration links are built on.

    Like the engine, it does not follow ``Host`` (P7, P8). By default it is
    ``http://localhost:<port>/oncall``: reachable from tests, but not the ``127.0.0.1`` URL
    clients are given, so a client must re-base links rather than trust their host."""
    configured = sim.config.get("oncall_base_url")
    if configured:
        return configured.rstrip("/")
    port = request.host.rpartition(":")[2] if has_request_context() and ":" in request.host else "80"
    return f"http://localhost:{port}/oncall"
