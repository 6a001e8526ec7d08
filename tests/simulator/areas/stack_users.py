# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Area ``stack_users``: the users of a stack's Grafana, ``GET /api/instances/{id}/users``
(getInstanceUsers, scope ``stack-users:read``).

The answer is the spec's ``InstanceUsersResponse``: ``{"items": [...]}``, each user with
``id``, ``login``, ``email``, ``name``, ``role``, ``isServiceAccount``, ``createdAt``,
``updatedAt`` and, once seen, ``lastSeenAt``. The spec's query parameters:

- ``active`` (boolean): only the users seen in the last 30 days (``true``) or the others
  (``false``). The window is the spec's silence; 30 days is Grafana's own "active user".
- ``activeSince`` (date-time): only the users seen at or after that time; anything but an
  ISO 8601 time is 409 ``InvalidArgument``.
- ``includeInternal`` (boolean): also the Grafana Labs staff user every stack holds
  (left out by default, as its name says).

Each live stack has its users from its creation: its ``admin`` (Admin, seen now), an
``editor`` (Editor, seen 3 days ago), a ``viewer`` never seen, a ``former`` user last seen
90 days ago, and a service account. An unknown or deleted stack is 404 ``NotFound``.
"""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from flask import Blueprint, request

from ..auth import requires
from ..core import format_time, get_sim
from ..errors import invalid_argument, not_found
from ._stackdata import find_stack

blueprint = Blueprint("stack_users", __name__)

ACTIVE_WINDOW = timedelta(days=30)
# login, role, service account, internal, last seen (days before now; None: never).
SEED_USERS = (
    ("admin", "Admin", False, False, 0),
    ("editor", "Editor", False, False, 3),
    ("viewer", "Viewer", False, False, None),
    ("former", "Viewer", False, False, 90),
    ("sa-1-ci", "Editor", True, False, 1),
    ("grafana-support", "Admin", False, True, 10),
)


def _users_of(sim, stack: dict) -> list[dict]:
    now, slug = sim.now(), stack["slug"]
    users = []
    for index, (login, role, service_account, internal, seen_days) in enumerate(SEED_USERS, start=1):
        email = "" if service_account else "%s@%s.example.com" % (login, slug)
        user = {"id": index, "login": login, "email": email, "name": login.capitalize(), "role": role,
                "isServiceAccount": service_account, "createdAt": stack["createdAt"],
                "updatedAt": stack["createdAt"], "_internal": internal}
        if seen_days is not None:
            user["lastSeenAt"] = format_time(now - timedelta(days=seen_days))
        users.append(user)
    return users


def _flag(name: str) -> bool | None:
    value = request.args.get(name)
    if value is None:
        return None
    if value.lower() not in ("true", "false"):
        raise invalid_argument(f"{name} must be true or false")
    return value.lower() == "true"


def _time(name: str) -> datetime | None:
    value = request.args.get(name)
    if value is None:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        raise invalid_argument(f"{name} must be a date-time, got {value!r}") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=timezone.utc)


def _last_seen(user: dict) -> datetime | None:
    seen = user.get("lastSeenAt")
    return datetime.fromisoformat(seen.replace("Z", "+00:00")) if seen else None


@blueprint.get("/instances/<stack_id>/users")
@requires("stack-users:read")
def stack_users(stack_id: str):
    active, since, internal = _flag("active"), _time("activeSince"), _flag("includeInternal")
    sim = get_sim()
    with sim.lock:
        stack = find_stack(sim, stack_id)
        if stack is None:
            raise not_found("Cloud Stack not found")
        users, now = _users_of(sim, stack), sim.now()
    selected = []
    for user in users:
        seen = _last_seen(user)
        if user["_internal"] and not internal:
            continue
        if active is not None and (seen is not None and now - seen <= ACTIVE_WINDOW) != active:
            continue
        if since is not None and (seen is None or seen < since):
            continue
        selected.append({key: value for key, value in user.items() if not key.startswith("_")})
    return {"items": selected}
