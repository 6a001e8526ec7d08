# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The /_sim control endpoints: request log, reset, clock, config, tokens, health."""

from datetime import datetime, timedelta, timezone

import pytest
import requests
from flask import Blueprint

from tests.simulator import Simulator, create_app
from tests.simulator import app as sim_app
from tests.simulator.areas import Area


def control(simulator, method, path, **kwargs):
    return requests.request(method, f"{simulator.root}/_sim{path}", timeout=5, **kwargs)


def test_health(simulator):
    assert control(simulator, "GET", "/health").json() == {"status": "ok"}


def test_request_log_records_api_requests_in_order(simulator):
    requests.get(f"{simulator.url}/stack-regions?provider=gcp&slugIn=us&slugIn=eu",
                 headers={**simulator.auth(), "X-Request-Id": "client-42"}, timeout=5)
    requests.get(f"{simulator.url}/orgs/nope", headers=simulator.auth(), timeout=5)

    log = simulator.requests()

    assert [(e["method"], e["path"], e["query"], e["status"]) for e in log] == [
        ("GET", "/stack-regions", {"provider": "gcp", "slugIn": ["us", "eu"]}, 200),
        ("GET", "/orgs/nope", {}, 404),
    ]
    assert log[0]["x_request_id"] == "client-42"
    assert log[1]["x_request_id"] is None
    assert log[0]["request_id"] != log[1]["request_id"]


def test_request_log_skips_control_requests_and_can_be_cleared(simulator):
    requests.get(f"{simulator.url}/stack-regions", headers=simulator.auth(), timeout=5)
    control(simulator, "GET", "/health")
    assert len(simulator.requests()) == 1

    assert control(simulator, "DELETE", "/requests").status_code == 204

    assert simulator.requests() == []


def test_reset_restores_the_seed_and_forgets_everything_else(simulator):
    sim = simulator.sim
    sim.state["regions"]["items"].clear()
    sim.org["slug"] = "renamed"
    simulator.add_token(["orgs:read"], token="glc_test_token")
    simulator.fault("^/x$", status=503)
    simulator.advance_clock(3600)
    requests.get(f"{simulator.url}/stack-regions", headers=simulator.auth(), timeout=5)

    assert control(simulator, "POST", "/reset").status_code == 200

    assert len(sim.state["regions"]["items"]) == 7
    assert sim.org["slug"] == "simorg"
    assert sim.authenticate("glc_test_token") is None
    assert simulator.faults() == [] and simulator.requests() == []
    assert sim.clock_offset == 0


def test_clock_advance_and_offset(simulator):
    before = simulator.sim.now()

    moved = simulator.advance_clock(3600)
    simulator.advance_clock(60)

    assert moved["offset"] == 3600
    assert simulator.sim.now() - before >= timedelta(seconds=3660)
    set_back = control(simulator, "POST", "/clock", json={"offset": 5}).json()
    assert set_back["offset"] == 5
    assert datetime.fromisoformat(set_back["now"]) > datetime.now(timezone.utc)


@pytest.mark.parametrize("body", [{}, {"advance": "1h"}, {"advance": 1, "offset": 2}, [1]])
def test_clock_refuses_bad_input(simulator, body):
    assert control(simulator, "POST", "/clock", json=body).status_code == 400


def test_now_is_aware_utc():
    now = Simulator().now()
    assert now.tzinfo is not None and now.utcoffset() == timedelta(0)


def test_tokens_endpoint_generates_a_real_looking_token(simulator):
    created = control(simulator, "POST", "/tokens", json={"scopes": ["orgs:read"]}).json()
    assert created["token"].startswith("glc_")
    assert created["scopes"] == ["orgs:read"]
    assert created["orgId"] == 1000


def test_tokens_endpoint_refuses_bad_scopes(simulator):
    response = control(simulator, "POST", "/tokens", json={"scopes": "orgs:read"})
    assert response.status_code == 400


@pytest.fixture
def tunable_client():
    area = Area("tunable", Blueprint("tunable", __name__),
                config_defaults={"tunable_delay": 0, "tunable_mode": "fast"})
    return create_app(areas=[area]).test_client()


def test_config_merges_known_keys_and_reset_restores_defaults(tunable_client):
    sim = tunable_client.application.config["SIMULATOR"]

    response = tunable_client.post("/_sim/config", json={"tunable_delay": 5})

    assert response.get_json() == {"latency": 0.0, "tunable_delay": 5, "tunable_mode": "fast"}
    assert sim.config["tunable_delay"] == 5
    tunable_client.post("/_sim/reset")
    assert sim.config == {"latency": 0.0, "tunable_delay": 0, "tunable_mode": "fast"}


def test_latency_is_added_to_api_requests_only(monkeypatch):
    slept = []
    monkeypatch.setattr(sim_app.time, "sleep", slept.append)
    app = create_app(latency=0.1)
    client = app.test_client()
    client.get("/api/stack-regions")
    client.get("/_sim/health")
    assert slept == [0.1]
    client.post("/_sim/reset")
    assert app.config["SIMULATOR"].config["latency"] == 0.1


def test_config_refuses_unknown_keys(tunable_client):
    response = tunable_client.post("/_sim/config", json={"tunable_dealy": 5})
    assert response.status_code == 400
    assert "tunable_dealy" in response.get_json()["message"]
