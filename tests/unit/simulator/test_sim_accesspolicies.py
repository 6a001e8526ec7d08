# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The accesspolicies area: rate limit, credentials issued, cascade delete, filters."""

import requests

ORG_REALM = [{"type": "org", "identifier": "1000"}]


def call(simulator, method, path, token=None, **kwargs):
    headers = dict(simulator.auth(token), **{"X-Request-Id": "test"})
    params = dict({"region": "us"}, **kwargs.pop("params", {}))
    return requests.request(method, simulator.url + path, headers=headers, params=params, timeout=10, **kwargs)


def new_policy(simulator, name="p", scopes=("accesspolicies:read",)):
    answer = call(simulator, "POST", "/v1/accesspolicies",
                  json={"name": name, "scopes": list(scopes), "realms": ORG_REALM})
    assert answer.status_code == 200, answer.text
    return answer.json()


def new_token(simulator, policy, name="t", **body):
    answer = call(simulator, "POST", "/v1/tokens", json=dict(name=name, accessPolicyId=policy["id"], **body))
    assert answer.status_code == 200, answer.text
    return answer.json()


def test_region_must_be_known(simulator):
    # (A missing region is also refused; in contract mode the spec check refuses it first.)
    answer = call(simulator, "GET", "/v1/accesspolicies", params={"region": "nowhere"})
    assert answer.status_code == 409 and answer.json()["code"] == "InvalidArgument"


def test_writes_are_rate_limited_per_token(simulator):
    simulator.configure(accesspolicies_write_limit=2)
    new_policy(simulator, "a")
    new_policy(simulator, "b")
    refused = call(simulator, "POST", "/v1/accesspolicies", json={"name": "c", "scopes": ["metrics:read"], "realms": ORG_REALM})
    assert refused.status_code == 429
    assert 3500 <= int(refused.headers["Retry-After"]) <= 3600
    simulator.advance_clock(3601)
    assert new_policy(simulator, "c")["name"] == "c"


def test_issued_token_has_exactly_the_policy_scopes_until_inactive_or_deleted(simulator):
    policy = new_policy(simulator)
    secret = new_token(simulator, policy)["token"]
    assert secret.startswith("glc_")
    assert call(simulator, "GET", "/v1/tokens", token=secret).status_code == 200
    assert call(simulator, "POST", "/v1/tokens", token=secret, json={"name": "x", "accessPolicyId": policy["id"]}).status_code == 403
    call(simulator, "POST", "/v1/accesspolicies/" + policy["id"], json={"status": "inactive"})
    assert call(simulator, "GET", "/v1/tokens", token=secret).status_code == 401
    call(simulator, "POST", "/v1/accesspolicies/" + policy["id"], json={"status": "active"})
    assert call(simulator, "GET", "/v1/tokens", token=secret).status_code == 200
    assert call(simulator, "DELETE", "/v1/accesspolicies/" + policy["id"]).status_code == 200
    assert call(simulator, "GET", "/v1/tokens", token=secret).status_code == 401
    assert call(simulator, "GET", "/v1/tokens").json()["items"] == []


def test_expired_tokens_stop_working_and_are_hidden_unless_asked(simulator):
    policy = new_policy(simulator)
    secret = new_token(simulator, policy, expiresAt="2099-01-01T00:00:00Z")["token"]
    simulator.advance_clock(100 * 365 * 86400)
    assert call(simulator, "GET", "/v1/tokens", token=secret).status_code == 401
    assert call(simulator, "GET", "/v1/tokens").json()["items"] == []
    assert len(call(simulator, "GET", "/v1/tokens", params={"includeExpired": "true"}).json()["items"]) == 1


def test_names_conflict_per_region_and_validation_is_invalid_argument(simulator):
    policy = new_policy(simulator)
    again = call(simulator, "POST", "/v1/accesspolicies", json={"name": "p", "scopes": ["metrics:read"], "realms": ORG_REALM})
    assert again.status_code == 409 and again.json()["code"] == "Conflict"
    body = {"name": "p2", "scopes": ["metrics:read"], "realms": ORG_REALM,
            "conditions": {"allowedSubnets": ["10.0.0.1"]}}
    bad = call(simulator, "POST", "/v1/accesspolicies", json=body)
    assert bad.status_code == 409 and bad.json()["code"] == "InvalidArgument"
    past = call(simulator, "POST", "/v1/tokens", json={"name": "t", "accessPolicyId": policy["id"], "expiresAt": "2001-01-01T00:00:00Z"})
    assert past.status_code == 409 and past.json()["code"] == "InvalidArgument"


def test_cursor_paging_and_conditions_removal(simulator):
    for index in range(3):
        new_policy(simulator, "p%d" % index)
    first = call(simulator, "GET", "/v1/accesspolicies", params={"pageSize": 2}).json()
    cursor = first["metadata"]["pagination"]["pageCursor"]
    second = call(simulator, "GET", "/v1/accesspolicies", params={"pageSize": 2, "pageCursor": cursor}).json()
    assert [p["name"] for p in first["items"] + second["items"]] == ["p0", "p1", "p2"]
    assert call(simulator, "GET", "/v1/accesspolicies", params={"pageSize": 501}).status_code == 409
    policy = first["items"][0]
    with_subnets = call(simulator, "POST", "/v1/accesspolicies/" + policy["id"],
                        json={"conditions": {"allowedSubnets": ["2001:db8::/32"]}}).json()
    assert with_subnets["conditions"] == {"allowedSubnets": ["2001:db8::/32"]}
    removed = call(simulator, "POST", "/v1/accesspolicies/" + policy["id"], json={"conditions": {}}).json()
    assert "conditions" not in removed


def test_contract_mode_accepts_scopes_outside_the_specs_closed_list(spec_path):
    """The spec enumerates 18 scopes; the API accepts every product scope (profiles, stacks ...)."""
    import requests

    from tests.simulator.testing import running_simulator

    with running_simulator(contract_spec=spec_path) as simulator:
        answer = requests.post(simulator.url + "/v1/accesspolicies", params={"region": "us"},
                               headers={**simulator.auth(), "X-Request-Id": "t-1"},
                               json={"name": "agents", "scopes": ["profiles:write", "stacks:read"],
                                     "realms": [{"type": "org", "identifier": "1000"}]}, timeout=10)
    assert answer.status_code == 200, answer.text
    assert sorted(answer.json()["scopes"]) == ["profiles:write", "stacks:read"]


def test_config_is_a_path_of_its_own_not_a_policy_named_config(simulator):
    stack = simulator.add_stack("cfgstack")
    answer = call(simulator, "GET", "/v1/accesspolicies/config")
    assert answer.status_code == 200, answer.text
    config = answer.json()
    assert {"type": "org", "identifier": "1000"} in config["realms"]
    assert {"type": "stack", "identifier": str(stack["id"])} in config["realms"]
    assert {"name": "metrics:write", "description": "Write metrics"} in config["scopes"]
    assert {"name": "metrics", "scopes": ["metrics:read", "metrics:write", "metrics:delete", "metrics:import"]} \
        in config["sets"]
    assert [entry["contract_violation"] for entry in simulator.requests()] == [None]
    # Any other name is still an id that no policy has.
    assert call(simulator, "GET", "/v1/accesspolicies/configs").status_code == 404
