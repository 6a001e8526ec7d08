# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The stacks, stack_plugins and billing areas: the behaviours the modules must cope with."""

import requests


def call(simulator, method, path, **kwargs):
    headers = dict(simulator.auth(), **{"X-Request-Id": "test"})
    return requests.request(method, simulator.url + path, headers=headers, timeout=10, **kwargs)


def create(simulator, slug, **fields):
    body = dict({"name": slug, "slug": slug, "waitForReadiness": False}, **fields)
    return call(simulator, "POST", "/instances", json=body)


def test_readiness_turns_true_after_the_configured_delay(simulator):
    simulator.configure(stacks_ready_after=30)
    stack = create(simulator, "warm").json()
    assert call(simulator, "GET", "/instances/%d/readiness" % stack["id"]).json() == {"ready": False}
    simulator.advance_clock(31)
    assert call(simulator, "GET", "/instances/warm/readiness").json() == {"ready": True}


def test_delete_goes_deleting_then_deleted_and_the_slug_is_held(simulator):
    simulator.configure(stacks_deleting_after=10, stacks_recent_slug_wait=5)
    create(simulator, "gone")
    assert call(simulator, "DELETE", "/instances/gone").json()["status"] == "deleting"
    simulator.advance_clock(11)
    assert call(simulator, "GET", "/instances/gone").json()["status"] == "deleted"
    refused = create(simulator, "gone")
    assert refused.status_code == 409 and refused.json()["code"] == "Conflict"
    assert "wait for 4s" in refused.json()["message"]
    simulator.advance_clock(5)
    assert create(simulator, "gone").status_code == 200
    assert call(simulator, "GET", "/instances/gone").json()["status"] == "active"


def test_the_recent_slug_refusal_in_its_other_wording(simulator):
    simulator.configure(stacks_deleting_after=0, stacks_recent_slug_wait=5, stacks_recent_slug_wording="exists")
    create(simulator, "gone")
    call(simulator, "DELETE", "/instances/gone")
    refused = create(simulator, "gone")
    assert refused.status_code == 409 and refused.json()["code"] == "Conflict"
    assert refused.json()["message"] == "Grafana stack with the same slug already exists"
    simulator.advance_clock(6)
    assert create(simulator, "gone").status_code == 200


def test_restart_makes_the_stack_unready_for_the_configured_delay(simulator):
    simulator.configure(stacks_ready_after=0, stacks_restart_after=20)
    create(simulator, "again")
    assert call(simulator, "GET", "/instances/again/readiness").json() == {"ready": True}
    answer = call(simulator, "POST", "/instances/again/restart")
    assert answer.status_code == 200 and answer.json() is True
    assert call(simulator, "GET", "/instances/again/readiness").json() == {"ready": False}
    # Its Grafana answers 503 Loading meanwhile, like a stack that is starting.
    loading = call(simulator, "GET", "/instances/again/api/serviceaccounts/search")
    assert loading.status_code == 503 and loading.headers.get("Retry-After")
    simulator.advance_clock(21)
    assert call(simulator, "GET", "/instances/again/readiness").json() == {"ready": True}
    assert call(simulator, "POST", "/instances/nosuch/restart").status_code == 404


def test_delete_protection_answers_conflict(simulator):
    create(simulator, "safe", deleteProtection=True)
    refused = call(simulator, "DELETE", "/instances/safe")
    assert refused.status_code == 409 and "Delete protection" in refused.json()["message"]
    call(simulator, "POST", "/instances/safe", json={"deleteProtection": False})
    assert call(simulator, "DELETE", "/instances/safe").status_code == 200


def test_invalid_input_is_invalid_argument(simulator):
    for body in ({"slug": "Bad"}, {"slug": "ok", "labels": {"a b": "c"}}, {"slug": "ok", "region": "mars"},
                 {"slug": "ok", "labels": dict(("k%d" % i, "v") for i in range(11))}):
        answer = create(simulator, **dict({"slug": "x"}, **body))
        assert answer.status_code == 409 and answer.json()["code"] == "InvalidArgument", body


def test_the_org_stack_limit_is_forbidden(simulator):
    simulator.configure(stacks_org_limit=1)
    assert create(simulator, "first").status_code == 200
    answer = create(simulator, "second")
    assert answer.status_code == 403 and answer.json()["code"] == "Forbidden"


def test_org_listing_pages_and_filters(simulator):
    for slug in ("one", "two", "three"):
        create(simulator, slug)
    page = call(simulator, "GET", "/orgs/simorg/instances", params={"pageSize": 2, "page": 2}).json()
    assert page["total"] == 3 and page["pages"] == 2 and len(page["items"]) == 1
    named = call(simulator, "GET", "/orgs/simorg/instances", params={"name": "two"}).json()
    assert [stack["slug"] for stack in named["items"]] == ["two"]


def test_plugins_change_in_place_with_an_operation_window(simulator):
    simulator.configure(stack_plugins_operation_window=30)
    simulator.add_stack("plugs")
    installed = call(simulator, "POST", "/instances/plugs/plugins",
                     json={"plugin": "grafana-github-datasource", "version": "1.3.0"}).json()
    assert installed["version"] == "1.3.0" and installed["latestVersion"] == "1.3.1"
    busy = call(simulator, "POST", "/instances/plugs/plugins/grafana-github-datasource", json={"version": "1.3.1"})
    assert busy.status_code == 409 and "in progress" in busy.json()["message"]
    simulator.advance_clock(31)
    changed = call(simulator, "POST", "/instances/plugs/plugins/grafana-github-datasource",
                   json={"version": "1.3.1"}).json()
    assert changed["version"] == "1.3.1" and changed["id"] == installed["id"]
    catalog = requests.get(simulator.url + "/plugins/grafana-github-datasource", timeout=5).json()
    assert catalog["version"] == "1.3.1"


def test_billed_usage_for_a_month(simulator):
    answer = call(simulator, "GET", "/orgs/simorg/billed-usage", params={"year": 2024, "month": 2}).json()
    assert [item["dimensionId"] for item in answer["items"]] == ["hl", "hm", "hg"]
    assert answer["items"][0]["periodEnd"] == "2024-02-29T23:59:59Z"
    assert call(simulator, "GET", "/orgs/simorg/billed-usage", params={"year": 2024, "month": 13}).status_code == 409


def test_errors_of_a_newer_endpoint_carry_status_code(simulator):
    """GET /instances/{id}/connections answers errors as the spec's ErrorPayload."""
    missing = call(simulator, "GET", "/instances/nosuch/connections")
    assert missing.status_code == 404
    assert missing.json()["statusCode"] == 404 and missing.json()["code"] == "NotFound"
    simulator.add_stack("conn")
    unauthorized = requests.get(f"{simulator.url}/instances/conn/connections", timeout=5)
    assert unauthorized.status_code == 401
    assert set(unauthorized.json()) == {"code", "message", "requestId", "statusCode"}
    assert unauthorized.json()["statusCode"] == 401
    # The older endpoints keep the older shape.
    assert "statusCode" not in call(simulator, "GET", "/instances/nosuch").json()
    assert [entry["contract_violation"] for entry in simulator.requests()] == [None, None, None]


def test_the_v1_create_refuses_a_taken_slug_in_its_own_words_and_the_v1_listing_shows_it(simulator):
    simulator.configure(stacks_ready_after=0)
    # What grafana.grafana.cloud_stack sends (the spec's createStackV1 body).
    body = {"name": "vone", "slug": "vone", "region": "us", "org": "simorg",
            "url": "https://vone.grafana.net", "deleteProtection": True}
    created = call(simulator, "POST", "/v1/stacks", json=body)
    assert created.status_code == 200 and created.json()["slug"] == "vone"
    again = call(simulator, "POST", "/v1/stacks", json=body)
    assert again.status_code == 409
    assert again.json()["message"] == "That URL has already been taken, please try an alternate URL"
    # The /instances create keeps its own wording.
    assert create(simulator, "vone").json()["message"] == "That url is not available"
    listing = call(simulator, "GET", "/v1/stacks", params={"org": "simorg"}).json()
    assert [stack["slug"] for stack in listing["items"]] == ["vone"]
    assert call(simulator, "GET", "/v1/stacks", params={"org": "other"}).status_code == 404
