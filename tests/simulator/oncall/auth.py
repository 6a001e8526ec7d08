# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""OnCall auth: ``@oncall_view("read")`` / ``@oncall_view("write")`` on every OnCall view.

From the engine's answers (facts "Auth"):

- ``Authorization`` holds the token **bare**. ``Bearer <token>``, an unknown token or no
  header: 403 ``{"detail": "Invalid token."}`` (X1-X3, SA6, SA7). Never 401.
- A ``glsa_`` token is a service account and names its stack with ``X-Grafana-URL``
  (a trailing slash is fine, SA2). A well-formed URL that names no organization: 429
  ``{"detail": "Organization being synced, please retry."}``, forever (SA4). Without the
  header, or with one that is no URL, the OSS engine falls back to its single organization
  (SA3, SA5); Cloud serves many, so by default the simulator refuses that (403 "Invalid
  token."); ``oncall_sa_without_grafana_url: fallback`` gives the OSS answer.
- A token without the permission (a Viewer's legacy key, a read-only service account)
  writing: 403 ``{"detail": "You do not have permission to perform this action."}`` (X14,
  SA9). ``service_accounts=False`` marks views that refuse service accounts (SA11, SA12).
- 300 requests a minute per user (the service account counts as one user): 429
  ``{"detail": "Request was throttled. Expected available in N seconds."}`` with
  ``Retry-After: N`` (seed 000 "Rate limits"); ``oncall_rate_limit`` sets the number.
"""

from __future__ import annotations

import functools
import math
from typing import Callable
from urllib.parse import urlsplit

from flask import g, request

from ..core import get_sim
from .errors import detail
from .store import grafana_url, world

INVALID_TOKEN = "Invalid token."
NO_PERMISSION = "You do not have permission to perform this action."
BEING_SYNCED = "Organization being synced, please retry."
WINDOW = 60.0


def oncall_view(permission: str = "read", *, service_accounts: bool = True) -> Callable:
    """Authenticate, authorize (``read`` or ``write``) and throttle, then run the view.
    The caller is ``g.oncall_identity``: ``{"kind", "user_id", "write"}``."""
    if permission not in ("read", "write"):
        raise ValueError(permission)

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def guarded(*args, **kwargs):
            identity = authenticate(service_accounts=service_accounts)
            if permission == "write" and not identity["write"]:
                raise detail(403, NO_PERMISSION)
            throttle(identity)
            g.oncall_identity = identity
            return view(*args, **kwargs)

        guarded.oncall_permission = permission
        return guarded

    return decorate


def current_identity() -> dict:
    return g.oncall_identity


def _is_url(value: str) -> bool:
    parts = urlsplit(value)
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def authenticate(*, service_accounts: bool = True) -> dict:
    sim = get_sim()
    token = request.headers.get("Authorization", "")
    identity = world(sim)["identities"].get(token) if token else None
    if identity is None:
        raise detail(403, INVALID_TOKEN)
    if identity["kind"] == "service_account":
        if not service_accounts:
            raise detail(403, INVALID_TOKEN)
        _check_grafana_url(sim)
    return identity


def _check_grafana_url(sim) -> None:
    header = request.headers.get("X-Grafana-URL", "").strip()
    if header and _is_url(header):
        if header.rstrip("/") != grafana_url(sim).rstrip("/"):
            raise detail(429, BEING_SYNCED)
        return
    if sim.config.get("oncall_sa_without_grafana_url") != "fallback":
        raise detail(403, INVALID_TOKEN)


def throttle(identity: dict) -> None:
    sim = get_sim()
    limit = int(sim.config.get("oncall_rate_limit") or 0)
    if limit <= 0:
        return
    now = sim.now().timestamp()
    with sim.lock:
        recent = [moment for moment in world(sim)["throttle"].get(identity["user_id"], [])
                  if moment > now - WINDOW]
        if len(recent) >= limit:
            wait = max(1, math.ceil(recent[0] + WINDOW - now))
            world(sim)["throttle"][identity["user_id"]] = recent
            raise detail(429, f"Request was throttled. Expected available in {wait} seconds.",
                         headers={"Retry-After": str(wait)})
        recent.append(now)
        world(sim)["throttle"][identity["user_id"]] = recent
