"""Contract mode and the spec's enum of access-policy scopes (skipped without the spec).

The published spec omits the profiles scopes that Grafana Cloud grants; the contract check
adds them (``MISSING_SCOPES``) and still refuses a scope that exists nowhere.
"""

import pytest

from tests.simulator import create_app


@pytest.fixture
def client(spec_path):
    return create_app(areas=["regions", "orgs", "accesspolicies"], contract_spec=spec_path).test_client()


def create_policy(client, scopes):
    token = client.application.config["SIMULATOR"].admin_token
    return client.post("/api/v1/accesspolicies?region=us", headers={"Authorization": "Bearer %s" % token, "X-Request-Id": "test-1"},
                       json={"name": "writer", "scopes": scopes,
                             "realms": [{"type": "org", "identifier": "1000", "labelPolicies": []}]})


def test_a_policy_with_the_profiles_scope_passes(client):
    response = create_policy(client, ["metrics:write", "profiles:write"])

    assert response.status_code == 200, response.get_json()
    assert "profiles:write" in response.get_json()["scopes"]


def test_a_scope_the_api_does_not_know_is_still_a_violation(client):
    response = create_policy(client, ["metrics:write", "nonsense:write"])

    assert response.status_code == 500
    assert response.get_json()["code"] == "ContractViolation"
    assert "nonsense:write" in response.get_json()["message"]
