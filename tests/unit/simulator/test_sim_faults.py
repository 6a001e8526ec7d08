# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Injected faults: status (+ Retry-After), delay, drop-after-commit, counted by ``times``."""

import time

import pytest
import requests
from flask import Blueprint

from tests.simulator.areas import Area
from tests.simulator.auth import requires
from tests.simulator.core import get_sim
from tests.simulator.testing import running_simulator
from tests.simulator.validation import json_body

# A stand-in write endpoint (the real write areas come later): POST /api/notes stores a note.
notes = Blueprint("notes", __name__)


@notes.post("/notes")
@requires()
def add_note():
    sim = get_sim()
    with sim.lock:
        sim.state["notes"].setdefault("items", []).append(json_body()["text"])
    return {"stored": True}


@pytest.fixture(scope="module")
def notes_simulator():
    with running_simulator(areas=[Area("notes", notes)]) as running:
        yield running


def get_regions(simulator, **kwargs):
    return requests.get(f"{simulator.url}/stack-regions", headers=simulator.auth(), timeout=5,
                        **kwargs)


def test_status_fault_answers_at_once_with_retry_after(simulator):
    simulator.fault("^/stack-regions$", method="GET", status=503, retry_after="2")

    response = get_regions(simulator)

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "2"
    body = response.json()
    assert body["code"] == "ServiceUnavailable"
    assert body["requestId"]
    assert get_regions(simulator).status_code == 200  # times defaults to 1


def test_status_fault_with_http_date_and_custom_body(simulator):
    when = "Wed, 21 Oct 2026 07:28:00 GMT"
    simulator.fault("^/stack-regions$", status=429, retry_after=when,
                    body={"code": "TooManyRequests", "message": "rate limited"})
    response = get_regions(simulator)
    assert (response.status_code, response.headers["Retry-After"]) == (429, when)
    assert response.json() == {"code": "TooManyRequests", "message": "rate limited"}


def test_status_fault_with_a_non_json_body(simulator):
    simulator.fault("^/stack-regions$", status=502, text="<html>Bad Gateway</html>")
    response = get_regions(simulator)
    assert response.status_code == 502
    assert response.text == "<html>Bad Gateway</html>"
    with pytest.raises(ValueError):
        response.json()


def test_times_counts_down_and_spent_faults_stay_listed(simulator):
    fault = simulator.fault("^/stack-regions$", status=503, times=2)
    assert fault["remaining"] == 2

    statuses = [get_regions(simulator).status_code for _attempt in range(3)]

    assert statuses == [503, 503, 200]
    assert [(f["id"], f["remaining"]) for f in simulator.faults()] == [(fault["id"], 0)]


def test_fault_matches_method_and_path(simulator):
    simulator.fault("^/orgs/", method="POST", status=500)
    simulator.fault("^/stack-regions/closest$", status=500)
    assert get_regions(simulator).status_code == 200
    assert [f["remaining"] for f in simulator.faults()] == [1, 1]


def test_delay_fault_sleeps_then_answers_normally(simulator):
    simulator.fault("^/stack-regions$", delay=0.3)
    started = time.monotonic()
    response = get_regions(simulator)
    assert response.status_code == 200
    assert time.monotonic() - started >= 0.3


def test_drop_after_commit_commits_the_write_then_answers_504(notes_simulator):
    notes_simulator.reset()
    notes_simulator.fault("^/notes$", method="POST", drop_after_commit=True)

    response = requests.post(f"{notes_simulator.url}/notes", json={"text": "hello"},
                             headers=notes_simulator.auth(), timeout=5)

    assert response.status_code == 504
    assert response.json()["code"] == "GatewayTimeout"
    assert notes_simulator.sim.state["notes"]["items"] == ["hello"]
    entry = notes_simulator.requests()[-1]
    assert (entry["status"], entry["committed_status"]) == (504, 200)


def test_status_after_commit_commits_the_write_then_answers_the_status(notes_simulator):
    """Grafana's gateway: a canned 503 Loading to a write the backend went on to process."""
    notes_simulator.reset()
    fault = notes_simulator.fault("^/notes$", method="POST", status_after_commit=503, retry_after="5")

    response = requests.post(f"{notes_simulator.url}/notes", json={"text": "hello"},
                             headers=notes_simulator.auth(), timeout=5)

    assert response.status_code == 503
    assert response.headers["Retry-After"] == "5"
    assert response.json()["code"] == "ServiceUnavailable"
    assert notes_simulator.sim.state["notes"]["items"] == ["hello"]
    entry = notes_simulator.requests()[-1]
    assert (entry["status"], entry["committed_status"], entry["fault"]) == (503, 200, fault["id"])
    assert notes_simulator.faults()[0]["kind"] == "status_after_commit"
    assert notes_simulator.faults()[0]["status_after_commit"] == 503


def test_race_sends_the_same_request_as_another_client_first(notes_simulator):
    """Issue 22: "another client creates the same object between your lookup and your create"."""
    notes_simulator.reset()
    fault = notes_simulator.fault("^/notes$", method="POST", race=True)

    response = requests.post(f"{notes_simulator.url}/notes?x=1", json={"text": "hello"},
                             headers=notes_simulator.auth(), timeout=5)

    assert response.status_code == 200
    # Handled twice, the other client's first: a unique key would have answered "exists".
    assert notes_simulator.sim.state["notes"]["items"] == ["hello", "hello"]
    other, ours = notes_simulator.requests()
    assert (other["other_client"], other["fault"]) == (True, None)
    assert (other["query"], other["body"]) == ({"x": "1"}, {"text": "hello"})
    assert (ours["other_client"], ours["fault"]) == (False, fault["id"])
    assert other["request_id"] != ours["request_id"]
    assert notes_simulator.faults()[0]["kind"] == "race" and notes_simulator.faults()[0]["race"] is True


def test_race_on_a_unique_create_answers_conflict(simulator):
    simulator.fault("^/v1/accesspolicies$", method="POST", race=True)
    body = {"name": "raced", "scopes": ["metrics:read"], "realms": [{"type": "org", "identifier": "1000"}]}
    response = requests.post(f"{simulator.url}/v1/accesspolicies", params={"region": "us"}, json=body,
                             headers=dict(simulator.auth(), **{"X-Request-Id": "r1"}), timeout=5)
    assert response.status_code == 409 and response.json()["code"] == "Conflict"
    listed = requests.get(f"{simulator.url}/v1/accesspolicies", params={"region": "us", "name": "raced"},
                          headers=simulator.auth(), timeout=5).json()["items"]
    assert len(listed) == 1


def test_faulted_requests_are_logged_with_their_status(simulator):
    fault = simulator.fault("^/stack-regions$", status=503)
    get_regions(simulator)
    entry = simulator.requests()[-1]
    assert (entry["path"], entry["status"], entry["fault"]) == ("/stack-regions", 503, fault["id"])


def test_clearing_faults(simulator):
    simulator.fault("^/stack-regions$", status=503)
    requests.delete(f"{simulator.root}/_sim/faults", timeout=5).raise_for_status()
    assert simulator.faults() == []
    assert get_regions(simulator).status_code == 200


def test_reset_clears_faults(simulator):
    simulator.fault("^/stack-regions$", status=503)
    simulator.reset()
    assert get_regions(simulator).status_code == 200


@pytest.mark.parametrize("spec", [
    {"path": "^/x$"},                                        # no kind
    {"path": "^/x$", "status": 503, "delay": 1},             # two kinds
    {"path": "(", "status": 503},                            # bad regex
    {"path": "^/x$", "status": 99},
    {"path": "^/x$", "status": 503, "times": 0},
    {"path": "^/x$", "delay": -1},
    {"path": "^/x$", "delay": 1, "retry_after": "2"},
    {"path": "^/x$", "drop_after_commit": "yes"},
    {"path": "^/x$", "status": 503, "colour": "red"},
    {"path": "^/x$", "status_after_commit": 503, "status": 503},
    {"path": "^/x$", "status_after_commit": 42},
    {"path": "^/x$", "race": "yes"},
    {"path": "^/x$", "race": True, "retry_after": "2"},
])
def test_invalid_fault_specs_are_refused_with_400(simulator, spec):
    response = requests.post(f"{simulator.root}/_sim/faults", json=spec, timeout=5)
    assert response.status_code == 400
    assert response.json()["code"] == "BadRequest"
    assert simulator.faults() == []
