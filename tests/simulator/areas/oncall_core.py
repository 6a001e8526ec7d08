# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Area ``oncall_core``: the OnCall organization: users, teams, and the odd endpoints.

Mounted under ``/oncall`` (``/oncall/api/v1/...``); the shared machinery (auth, paging,
errors, the world of objects) is in ``tests/simulator/oncall/``. Users and teams are synced
from Grafana, so they are read-only here too (U1-U6, T1-T3). ``POST /users/`` and
``GET /organizations/`` are HTML 500 pages on the engine (X9, X12); ``/info/`` and
``/personal_notification_rules/`` refuse service accounts (SA11, SA12); ``/users/current/``
with a service account is an HTML 500 (SA13).
"""

from __future__ import annotations

from flask import Blueprint, request

from ..core import get_sim
from ..oncall import ONCALL_PREFIX
from ..oncall.auth import current_identity, oncall_view
from ..oncall.errors import http_error, not_found, server_error_page
from ..oncall.paging import name_filtered, page
from ..oncall.store import grafana_url, objects, world

blueprint = Blueprint("oncall_core", __name__)
URL_PREFIX = ONCALL_PREFIX
HTTP_ERROR = http_error
CONFIG_DEFAULTS = {
    # The stack URL service-account tokens must name in X-Grafana-URL.
    "oncall_grafana_url": "https://simstack.grafana.net",
    # The engine's BASE_URL for links; empty: http://localhost:<port>/oncall.
    "oncall_base_url": "",
    # Requests a minute per user (seed 000 "Rate limits"); 0 turns the throttle off.
    "oncall_rate_limit": 300,
    # A service account without a usable X-Grafana-URL: "refuse" (403) or "fallback" (OSS, SA3).
    "oncall_sa_without_grafana_url": "refuse",
}


def seed(sim) -> None:
    world(sim)


def _get(resource: str, obj_id: str) -> dict:
    obj = objects(get_sim(), resource).get(obj_id)
    if obj is None:
        raise not_found()
    return obj


@blueprint.get("/api/v1/users/", strict_slashes=False)
@oncall_view("read")
def list_users():
    users = list(objects(get_sim(), "users").values())
    username = request.args.get("username")
    if username is not None:
        # Case-insensitive on the engine (U3).
        users = [user for user in users if user["username"].lower() == username.lower()]
    email = request.args.get("email")
    if email is not None:
        users = [user for user in users if user["email"].lower() == email.lower()]
    return page(users, default_size=100)


@blueprint.post("/api/v1/users/", strict_slashes=False)
@oncall_view("write")
def create_user():
    raise server_error_page()


@blueprint.get("/api/v1/users/current/", strict_slashes=False)
@oncall_view("read")
def current_user():
    identity = current_identity()
    if identity["kind"] == "service_account":
        raise server_error_page()
    return _get("users", identity["user_id"])


@blueprint.get("/api/v1/users/<user_id>/", strict_slashes=False)
@oncall_view("read")
def get_user(user_id):
    return _get("users", user_id)


@blueprint.get("/api/v1/teams/", strict_slashes=False)
@oncall_view("read")
def list_teams():
    return page(name_filtered(objects(get_sim(), "teams").values()))


@blueprint.get("/api/v1/teams/<team_id>/", strict_slashes=False)
@oncall_view("read")
def get_team(team_id):
    return _get("teams", team_id)


@blueprint.get("/api/v1/info/", strict_slashes=False)
@oncall_view("read", service_accounts=False)
def info():
    return {"url": grafana_url(get_sim())}


@blueprint.get("/api/v1/organizations/", strict_slashes=False)
@oncall_view("read")
def organizations():
    raise server_error_page()


@blueprint.get("/api/v1/personal_notification_rules/", strict_slashes=False)
@oncall_view("read", service_accounts=False)
def personal_notification_rules():
    return page([])
