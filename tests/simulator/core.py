# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The simulator's in-memory world: org, config, clock, area state, tokens, faults, request log.

One :class:`Simulator` backs one app. The werkzeug server is threaded, so everything here
is guarded by one re-entrant lock, ``sim.lock``; areas take it too while they read-modify-
write ``sim.state`` (``with sim.lock: ...``), which makes each request atomic.
"""

from __future__ import annotations

import base64
import itertools
import json
import secrets
import threading
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from typing import Any, Callable, Iterable, Mapping

from flask import current_app

from .faults import Fault, parse_fault

ADMIN_SCOPE = "*"
EXTENSION_KEY = "grafana_cloud_simulator"

Seeder = Callable[["Simulator"], None]
TokenCheck = Callable[["Simulator"], bool]


def get_sim() -> "Simulator":
    """The simulator of the app handling the current request (for areas' views)."""
    return current_app.extensions[EXTENSION_KEY]


def format_time(moment: datetime) -> str:
    """The API's timestamp format: ``2022-06-08T20:07:21.223Z``."""
    utc = moment.astimezone(timezone.utc)
    return utc.strftime("%Y-%m-%dT%H:%M:%S.") + f"{utc.microsecond // 1000:03d}Z"


def make_token(name: str, org_id: int, region: str = "us") -> str:
    """A secret shaped like a real access-policy token: ``glc_`` + base64 of a JSON blob."""
    blob = {"o": str(org_id), "n": name, "k": secrets.token_hex(20), "m": {"r": region}}
    encoded = base64.urlsafe_b64encode(json.dumps(blob, separators=(",", ":")).encode())
    return "glc_" + encoded.decode().rstrip("=")


@dataclass
class Token:
    """A credential the simulator accepts. ``is_valid(sim)`` lets an area revoke it lazily."""

    value: str
    scopes: frozenset[str]
    org_id: int
    is_valid: TokenCheck | None = None
    meta: dict = field(default_factory=dict)

    def has_scope(self, scope: str) -> bool:
        return ADMIN_SCOPE in self.scopes or scope in self.scopes


class Simulator:
    """Everything the simulated Grafana Cloud knows. Construct, then ``create_app(sim)``."""

    def __init__(self, *, admin_token: str | None = None, org_slug: str = "simorg",
                 org_id: int = 1000, org_name: str | None = None, latency: float = 0.0):
        self.lock = threading.RLock()
        self.admin_token = admin_token or make_token("sim-admin", org_id)
        self._initial_org = {"id": org_id, "slug": org_slug, "name": org_name or org_slug,
                             "url": f"https://grafana.com/orgs/{org_slug}",
                             "createdAt": "2023-01-04T06:43:24.000Z"}
        # Ids and request ids stay unique across resets, so a stale id from an earlier
        # test can never name a new object.
        self._ids = itertools.count(10001)
        self._fault_ids = itertools.count(1)
        self._areas: dict[str, Seeder | None] = {}
        # ``latency``: seconds added to every /api request (as across the internet), for
        # benchmarks; the only tunable that is not an area's.
        self._config_defaults: dict[str, Any] = {"latency": float(latency)}
        self.org: dict = {}
        self.config: dict[str, Any] = {}
        self.state: dict[str, Any] = {}
        self.clock_offset = 0.0
        self._tokens: dict[str, Token] = {}
        self._faults: list[Fault] = []
        self._request_log: list[dict] = []
        self.reset()

    # -- areas and reset ---------------------------------------------------------------

    def register_area(self, name: str, seed: Seeder | None = None,
                      config_defaults: Mapping[str, Any] | None = None) -> None:
        """Called by ``create_app`` for each area; re-registering a name replaces it."""
        with self.lock:
            self._areas[name] = seed
            self._config_defaults.update(config_defaults or {})

    def reset(self) -> None:
        """Back to the seed: area seeds, default config, clock, admin token; no faults or log."""
        with self.lock:
            self.clock_offset = 0.0
            self._faults.clear()
            self._request_log.clear()
            # Updated in place: an area may hold on to these dicts.
            self.config.clear()
            self.config.update(self._config_defaults)
            self.org.clear()
            self.org.update(self._initial_org)
            self._tokens.clear()
            self.add_token(self.admin_token, [ADMIN_SCOPE])
            self.state.clear()
            for name, seed in self._areas.items():
                self.state[name] = {}
                if seed is not None:
                    seed(self)

    def update_config(self, values: Mapping[str, Any]) -> dict:
        """Override tunables; unknown keys are refused so a typo can't silently do nothing."""
        with self.lock:
            unknown = set(values) - set(self._config_defaults)
            if unknown:
                raise KeyError(f"unknown config keys: {', '.join(sorted(unknown))}; "
                               f"known: {', '.join(sorted(self._config_defaults)) or 'none'}")
            self.config.update(values)
            return dict(self.config)

    # -- time and ids --------------------------------------------------------------------

    def now(self) -> datetime:
        """Aware UTC "now", shifted by the clock offset tests set to jump ahead."""
        return datetime.now(timezone.utc) + timedelta(seconds=self.clock_offset)

    def now_iso(self) -> str:
        return format_time(self.now())

    def advance_clock(self, seconds: float) -> None:
        with self.lock:
            self.clock_offset += seconds

    def set_clock_offset(self, seconds: float) -> None:
        with self.lock:
            self.clock_offset = float(seconds)

    def next_id(self) -> int:
        with self.lock:
            return next(self._ids)

    @staticmethod
    def request_id() -> str:
        return str(uuid.uuid4())

    # -- tokens --------------------------------------------------------------------------

    def add_token(self, value: str, scopes: Iterable[str], *, is_valid: TokenCheck | None = None,
                  org_id: int | None = None, meta: Mapping[str, Any] | None = None) -> Token:
        """Register a credential; ``is_valid(sim)`` is asked on every request that uses it."""
        token = Token(value=value, scopes=frozenset(scopes),
                      org_id=self.org["id"] if org_id is None else org_id,
                      is_valid=is_valid, meta=dict(meta or {}))
        with self.lock:
            self._tokens[value] = token
        return token

    def remove_token(self, value: str) -> None:
        with self.lock:
            self._tokens.pop(value, None)

    def authenticate(self, value: str) -> Token | None:
        """The live token with this secret, or None (unknown, or its ``is_valid`` said no)."""
        with self.lock:
            token = self._tokens.get(value)
            if token is None or (token.is_valid is not None and not token.is_valid(self)):
                return None
            return token

    # -- faults --------------------------------------------------------------------------

    def add_fault(self, spec: Mapping[str, Any]) -> Fault:
        """Parse and arm a fault (see ``faults.py``); ``ValueError`` if the spec is wrong."""
        with self.lock:
            fault = parse_fault(dict(spec), next(self._fault_ids))
            self._faults.append(fault)
            return fault

    def take_fault(self, method: str, path: str) -> Fault | None:
        """The first armed fault matching this request, with one use counted off."""
        with self.lock:
            for fault in self._faults:
                if fault.matches(method, path):
                    fault.remaining -= 1
                    return fault
            return None

    def faults(self) -> list[dict]:
        """All faults, spent ones too (``remaining: 0``), so tests can see they fired."""
        with self.lock:
            return [fault.to_dict() for fault in self._faults]

    def clear_faults(self) -> None:
        with self.lock:
            self._faults.clear()

    # -- request log ---------------------------------------------------------------------

    def log_request(self, entry: dict) -> None:
        with self.lock:
            self._request_log.append(entry)

    def request_log(self) -> list[dict]:
        with self.lock:
            return [dict(entry) for entry in self._request_log]

    def clear_request_log(self) -> None:
        with self.lock:
            self._request_log.clear()
