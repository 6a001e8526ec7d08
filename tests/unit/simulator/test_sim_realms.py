# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Realms are enforced: a token whose policy's realms are stacks acts on those stacks only."""

import requests

from tests.unit.simulator.test_sim_accesspolicies import call


def stack_token(simulator, stack, scopes, name=None):
    policy = call(simulator, "POST", "/v1/accesspolicies", json={
        "name": name or "only-%s" % stack["slug"], "scopes": scopes,
        "realms": [{"type": "stack", "identifier": str(stack["id"]), "labelPolicies": []}]}).json()
    return call(simulator, "POST", "/v1/tokens", json={"name": policy["name"], "accessPolicyId": policy["id"]}).json()["token"]


def get(simulator, path, token):
    return requests.get(simulator.url + path, headers=simulator.auth(token), timeout=10)


def test_a_stack_realm_token_manages_its_stack_only(simulator):
    mine, other = simulator.add_stack("mine"), simulator.add_stack("other")
    token = stack_token(simulator, mine, ["stacks:read", "stack-plugins:read", "stack-service-accounts:write"])

    assert get(simulator, "/instances/mine", token).status_code == 200
    assert get(simulator, "/instances/%d" % mine["id"], token).status_code == 200
    assert get(simulator, "/instances/mine/plugins", token).status_code == 200
    assert get(simulator, "/instances/mine/api/serviceaccounts/search", token).status_code == 200

    for path in ("/instances/other", "/instances/%d" % other["id"], "/instances/other/plugins",
                 "/instances/other/api/serviceaccounts/search"):
        refused = get(simulator, path, token)
        assert refused.status_code == 403, path
        assert refused.json()["code"] == "Forbidden"
        assert "not in the realms" in refused.json()["message"]


def test_a_stack_realm_token_does_nothing_at_the_org_level(simulator):
    mine = simulator.add_stack("mine")
    token = stack_token(simulator, mine, ["stacks:read"])
    refused = get(simulator, "/orgs/simorg/instances", token)
    assert refused.status_code == 403 and "realm of the org" in refused.json()["message"]
    # The org itself and its API keys are org-level too, though their path names the org the
    # way a stack's path names the stack (/orgs/{slugOrId}).
    org_reader = stack_token(simulator, mine, ["orgs:read", "orgs:write"], name="org-things")
    for path in ("/orgs/simorg", "/orgs/1000", "/orgs/simorg/api-keys"):
        refused = get(simulator, path, org_reader)
        assert refused.status_code == 403 and "realm of the org" in refused.json()["message"], path
    created = requests.post(simulator.url + "/orgs/simorg/api-keys", json={"name": "k", "role": "Viewer"},
                            headers=dict(simulator.auth(org_reader), **{"X-Request-Id": "t"}), timeout=10)
    assert created.status_code == 403
    # Operations that need no scope (any valid token) are not limited.
    assert get(simulator, "/stack-regions", token).status_code == 200


def test_an_org_realm_covers_every_stack(simulator):
    simulator.add_stack("other")
    policy = call(simulator, "POST", "/v1/accesspolicies", json={
        "name": "org-reader", "scopes": ["stacks:read"],
        "realms": [{"type": "org", "identifier": "1000", "labelPolicies": []}]}).json()
    token = call(simulator, "POST", "/v1/tokens", json={"name": "t", "accessPolicyId": policy["id"]}).json()["token"]
    assert get(simulator, "/instances/other", token).status_code == 200
    assert get(simulator, "/orgs/simorg/instances", token).status_code == 200


def test_the_v1_stack_routes_enforce_realms_and_scopes(simulator):
    """The v1 stack routes name the stack ``{idOrSlug}``: a stack-realm token reaches its own
    stack there and no other; and each route asks its /instances twin's scope (the spec names
    none for them but getStackConnectionsV1's: see areas/stacks.py V1_SCOPES)."""
    mine, other = simulator.add_stack("mine"), simulator.add_stack("other")
    reader = stack_token(simulator, mine, ["stacks:read"])
    for path in ("/v1/stacks/mine", "/v1/stacks/%d/connections" % mine["id"], "/v1/stacks/mine/readiness"):
        assert get(simulator, path, reader).status_code == 200, path
    for path in ("/v1/stacks/other", "/v1/stacks/%d/connections" % other["id"], "/v1/stacks/other/readiness"):
        refused = get(simulator, path, reader)
        assert refused.status_code == 403 and "not in the realms" in refused.json()["message"], path

    headers = dict(simulator.auth(reader), **{"X-Request-Id": "t"})
    deleted = requests.delete(simulator.url + "/v1/stacks/mine", headers=headers, timeout=10)
    assert deleted.status_code == 403 and "stacks:delete" in deleted.json()["message"]
    renamed = requests.post(simulator.url + "/v1/stacks/mine", json={"name": "x"}, headers=headers, timeout=10)
    assert renamed.status_code == 403 and "stacks:write" in renamed.json()["message"]
    assert get(simulator, "/v1/stacks/mine", reader).json()["name"] == mine["name"]
