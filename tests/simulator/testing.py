# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Run the simulator inside a test process, on a free port, in a background thread.

    with running_simulator() as simulator:
        requests.get(simulator.url + "/stack-regions", headers=simulator.auth())

Unit and integration tests share this; the pytest fixture ``simulator`` in
``tests/unit/simulator/conftest.py`` wraps it (one server per session, reset per test).
The helpers go through the ``/_sim`` control endpoints, exactly as an out-of-process
client would, so they validate their input the same way.
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from typing import Any, Iterator
from urllib.parse import urlsplit

import requests
from flask import Flask

from .app import create_app
from .contract import SPEC_ENV
from .core import Simulator
from .serving import start_server, stop_server

REPO_ROOT = Path(__file__).resolve().parents[2]


def reference_spec() -> Path | None:
    """The official OpenAPI spec, if at hand: ``$GCOM_OPENAPI_SPEC``, else
    ``../shared/reference/`` from the repo root. It is never copied into the repo; tests
    that need it skip without it."""
    configured = os.environ.get(SPEC_ENV)
    path = Path(configured) if configured else (
        REPO_ROOT.parent / "shared" / "reference" / "gcom-openapi.json")
    return path if path.is_file() else None


class RunningSimulator:
    """A served simulator: ``url`` (ends in /api), ``root``, ``token``, ``sim``, ``app``."""

    def __init__(self, app: Flask, port: int):
        self.app = app
        self.sim: Simulator = app.config["SIMULATOR"]
        self.root = f"http://127.0.0.1:{port}"
        self.url = f"{self.root}/api"
        self.token = self.sim.admin_token
        self.control = requests.Session()

    def auth(self, token: str | None = None) -> dict:
        """The Authorization header for ``token`` (the admin token by default)."""
        return {"Authorization": f"Bearer {token or self.token}"}

    def reset(self) -> None:
        self._call("POST", "/reset")

    def requests(self) -> list[dict]:
        """The /api request log, oldest first."""
        return self._call("GET", "/requests")

    def clear_requests(self) -> None:
        self._call("DELETE", "/requests")

    def fault(self, path: str, method: str = "*", **spec: Any) -> dict:
        """Arm a fault: ``fault("^/stack-regions$", status=503, retry_after="1")``."""
        return self._call("POST", "/faults", json={"path": path, "method": method, **spec})

    def faults(self) -> list[dict]:
        return self._call("GET", "/faults")

    def configure(self, **values: Any) -> dict:
        return self._call("POST", "/config", json=values)

    def advance_clock(self, seconds: float) -> dict:
        return self._call("POST", "/clock", json={"advance": seconds})

    def add_token(self, scopes: list[str], token: str | None = None) -> str:
        """Register a credential holding ``scopes``; returns its secret."""
        body = {"scopes": scopes, **({"token": token} if token else {})}
        return self._call("POST", "/tokens", json=body)["token"]

    def oncall(self) -> dict:
        """``GET /_sim/oncall``: the OnCall ``url``, ``grafana_url`` and credentials."""
        return self._call("GET", "/oncall")

    def add_stack(self, slug: str, **fields: Any) -> dict:
        """Create a stack directly (``POST /_sim/stacks``): region, ready_after, labels ..."""
        return self._call("POST", "/stacks", json={"slug": slug, **fields})

    def gateway_url(self, url: str, path: str = "") -> str:
        """Where this simulator serves ``url`` (a stack's gateway or Grafana URL), plus ``path``."""
        return gateway_url(self.root, url, path)

    def push(self, url: str, user: str, password: str, signal: str) -> int:
        """POST a push to ``signal``'s gateway at ``url`` (as handed out), basic auth; the status."""
        path = {"prometheus": "api/prom/push", "loki": "loki/api/v1/push",
                "tempo": "otlp/v1/traces", "profiles": "ingest"}[signal]
        response = requests.post(self.gateway_url(url, path), data=b"sample", auth=(str(user), password), timeout=10)
        return response.status_code

    def grafana_user(self, stack_url: str, token: str) -> int:
        """GET /api/user of a stack's Grafana with a service account token; the status."""
        response = requests.get(self.gateway_url(stack_url, "api/user"),
                                headers={"Authorization": "Bearer " + token}, timeout=10)
        return response.status_code

    def _call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.control.request(method, f"{self.root}/_sim{path}", timeout=10, **kwargs)
        response.raise_for_status()
        return response.json() if response.content else None


def gateway_url(root: str, url: str, path: str = "") -> str:
    """``https://host/x`` served by the simulator at ``root``: ``root/gateways/host/x/path``."""
    parts = urlsplit(url)
    base = "%s/gateways/%s%s" % (root, parts.hostname, parts.path.rstrip("/"))
    return base + ("/" + path.lstrip("/") if path else "")


@contextlib.contextmanager
def running_simulator(**create_app_kwargs: Any) -> Iterator[RunningSimulator]:
    """Serve ``create_app(**create_app_kwargs)`` on 127.0.0.1, a free port, until exit."""
    app = create_app(**create_app_kwargs)
    server, thread = start_server(app, quiet=True)
    running = RunningSimulator(app, server.port)
    try:
        yield running
    finally:
        running.control.close()
        stop_server(server, thread)
