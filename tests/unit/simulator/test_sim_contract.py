# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Contract mode: requests and responses checked against the official spec (skipped
without it). Throwaway routes on spec'd paths produce the violations to catch."""

import pytest
from flask import Blueprint

from tests.simulator import create_app
from tests.simulator.areas import Area
from tests.simulator.auth import requires
from tests.simulator.contract import LEGACY_SPEC_ENV, LEGACY_SPEC_NAME, legacy_spec_path_for, load_spec
from tests.simulator.errors import ApiError

# Throwaway routes on paths the spec knows. What each answers is set per test.
probe = Blueprint("contract_probe", __name__)
ANSWERS = {}


@probe.get("/v1/tokens")
@requires()
def list_tokens():
    return ANSWERS["tokens"]()


@probe.get("/instances/<stack>/datasources")
@requires()
def stack_datasources(stack):
    return {"anything": "goes"}  # the spec doesn't know this path


def cursor_envelope(items):
    pagination = {"pageSize": 500, "pageCursor": None, "nextPage": None}
    return {"items": items, "metadata": {"pagination": pagination}}


@pytest.fixture
def app(spec_path):
    ANSWERS.clear()
    return create_app(areas=["regions", "orgs", Area("contract_probe", probe)],
                      contract_spec=spec_path)


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def auth(app):
    return {"Authorization": f"Bearer {app.config['SIMULATOR'].admin_token}"}


def assert_violation(response, side, *fragments):
    assert response.status_code == 500
    body = response.get_json()
    assert body["code"] == "ContractViolation"
    assert body["message"].startswith(f"{side}: ")
    for fragment in fragments:
        assert fragment in body["message"]
    return body


def test_request_with_a_wrongly_typed_query_parameter(client, auth, capsys):
    response = client.get("/api/stack-regions?id=abc", headers=auth)

    assert_violation(response, "request", "id")
    assert "CONTRACT VIOLATION GET /api/stack-regions?id=abc" in capsys.readouterr().err
    entry = client.application.config["SIMULATOR"].request_log()[-1]
    assert entry["status"] == 500 and "id" in entry["contract_violation"]


def test_request_missing_a_required_parameter(client, auth):
    ANSWERS["tokens"] = lambda: cursor_envelope([])
    assert_violation(client.get("/api/v1/tokens", headers=auth), "request", "region")


def test_response_missing_a_required_field(client, auth):
    ANSWERS["tokens"] = lambda: {"items": []}
    response = client.get("/api/v1/tokens?region=us", headers=auth)
    assert_violation(response, "response", "metadata")


def test_response_with_an_undocumented_success_status(client, auth):
    ANSWERS["tokens"] = lambda: (cursor_envelope([]), 201)
    response = client.get("/api/v1/tokens?region=us", headers=auth)
    assert_violation(response, "response", "201")


def test_documented_error_with_a_wrong_code(client, auth):
    def conflict():
        raise ApiError(409, "Nope", "wrong code for a 409")
    ANSWERS["tokens"] = conflict
    response = client.get("/api/v1/tokens?region=us", headers=auth)
    assert_violation(response, "response", "Nope")


def test_409_invalid_argument_is_the_tolerated_spec_gap(client, auth):
    def invalid():
        raise ApiError(409, "InvalidArgument", "pageSize must be at most 500")
    ANSWERS["tokens"] = invalid
    response = client.get("/api/v1/tokens?region=us", headers=auth)
    assert (response.status_code, response.get_json()["code"]) == (409, "InvalidArgument")


def test_error_without_the_api_shape(client, auth):
    ANSWERS["tokens"] = lambda: ({"error": "no code, no requestId"}, 404)
    response = client.get("/api/v1/tokens?region=us", headers=auth)
    assert_violation(response, "response", "requestId")


def test_a_valid_response_passes(client, auth):
    ANSWERS["tokens"] = lambda: cursor_envelope([])
    assert client.get("/api/v1/tokens?region=us", headers=auth).status_code == 200


def test_paths_the_spec_lacks_pass_unvalidated(client, auth):
    response = client.get("/api/instances/1/datasources", headers=auth)
    assert response.get_json() == {"anything": "goes"}


def test_auth_is_left_to_the_views(client):
    assert client.get("/api/stack-regions").status_code == 401
    assert client.get("/api/orgs/simorg").status_code == 401


def test_regions_and_org_endpoints_pass_cleanly(client, auth):
    limited = {"Authorization": "Bearer glc_limited"}
    client.application.config["SIMULATOR"].add_token("glc_limited", [])
    requests_made = [
        ("/api/stack-regions", auth, 200),
        ("/api/stack-regions?provider=gcp&orderBy=updatedAt&direction=desc", auth, 200),
        ("/api/stack-regions?idIn=1&idIn=2&slugIn=us&pageSize=1&page=2", auth, 200),
        ("/api/stack-regions?pageSize=0", auth, 409),
        ("/api/orgs/simorg", auth, 200),
        ("/api/orgs/1000", auth, 200),
        ("/api/orgs/unknown", auth, 404),
        ("/api/orgs/simorg", limited, 403),
    ]
    for path, headers, status in requests_made:
        response = client.get(path, headers=headers)
        assert response.status_code == status, (path, response.get_json())


def test_fault_answers_are_not_validated(client, auth):
    sim = client.application.config["SIMULATOR"]
    sim.add_fault({"path": "^/stack-regions$", "status": 503, "text": "upstream down"})
    assert client.get("/api/stack-regions", headers=auth).status_code == 503


def test_the_spec_is_loaded_once_per_path(spec_path):
    assert load_spec(spec_path.resolve()) is load_spec(spec_path.resolve())


# -- the older spec: the org API keys the current one dropped -------------------------------

@pytest.fixture
def legacy_client(spec_path):
    legacy = legacy_spec_path_for(spec_path.resolve())
    if legacy is None:
        pytest.skip("the older OpenAPI spec (%s) is not available" % LEGACY_SPEC_NAME)
    return create_app(areas=["org_api_keys"], contract_spec=spec_path).test_client()


def legacy_auth(client):
    return {"Authorization": "Bearer %s" % client.application.config["SIMULATOR"].admin_token,
            "X-Request-Id": "legacy"}


def test_org_api_keys_are_checked_against_the_older_spec(legacy_client):
    bad_role = legacy_client.post("/api/orgs/simorg/api-keys", json={"name": "k", "role": "Owner"},
                                  headers=legacy_auth(legacy_client))
    assert_violation(bad_role, "request", "Owner")


def test_org_api_key_answers_match_the_older_spec(legacy_client):
    headers = legacy_auth(legacy_client)
    assert legacy_client.post("/api/orgs/simorg/api-keys", json={"name": "k", "role": "Viewer"},
                              headers=headers).status_code == 200
    assert legacy_client.get("/api/orgs/simorg/api-keys", headers=headers).status_code == 200
    assert legacy_client.get("/api/orgs/simorg/api-keys/k", headers=headers).status_code == 200
    assert legacy_client.delete("/api/orgs/simorg/api-keys/k", headers=headers).status_code == 200
    log = legacy_client.application.config["SIMULATOR"].request_log()
    assert [entry["contract_violation"] for entry in log] == [None] * 4


def test_the_older_spec_is_found_beside_the_main_one(spec_path, monkeypatch, tmp_path):
    monkeypatch.delenv(LEGACY_SPEC_ENV, raising=False)
    alone = tmp_path / "gcom-openapi.json"
    alone.write_text(spec_path.read_text())
    assert legacy_spec_path_for(alone) is None
    (tmp_path / LEGACY_SPEC_NAME).write_text("{}")
    assert legacy_spec_path_for(alone) == tmp_path / LEGACY_SPEC_NAME
