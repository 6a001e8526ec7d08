# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A stack created with a token whose access policy was made for stacks only (no orgs:read).

``createStackV1`` must name the org, which the module reads with ``GET /orgs/{id}``: the spec
gives that operation ``x-permissions: [orgs:read]``. A policy without it still creates the
stack, through ``POST /instances`` (whose spec permission is ``stacks:write``), with a warning
that says which scope would let it use /v1/stacks.
"""

import json

import pytest
import requests

from tests.simulator.testing import reference_spec, running_simulator

from ansible_collections.grafana_cloud.platform.plugins.plugin_utils._api_module_action import run_module_main


@pytest.fixture
def sim():
    with running_simulator(contract_spec=reference_spec() or False) as running:
        running.configure(stacks_ready_after=0)
        yield running


def token_with(sim, scopes):
    headers = dict(sim.auth(), **{"X-Request-Id": "test-setup"})
    policy = requests.post(sim.url + "/v1/accesspolicies", params={"region": "us"}, headers=headers, timeout=10, json={
        "name": "stacks-only", "scopes": scopes,
        "realms": [{"type": "org", "identifier": str(sim.sim.org["id"]), "labelPolicies": []}]}).json()
    return requests.post(sim.url + "/v1/tokens", params={"region": "us"}, headers=headers, timeout=10,
                         json={"name": "stacks-only", "accessPolicyId": policy["id"]}).json()["token"]


def test_a_token_without_orgs_read_creates_the_stack_through_instances(sim):
    token = token_with(sim, ["stacks:read", "stacks:write", "stacks:delete"])
    args = dict(cloud_api_url=sim.url, cloud_access_policy_token=token, slug="scoped", region="us",
                delete_protection=False, _ansible_remote_tmp="/tmp", _ansible_keep_remote_files=False)
    stdout, stderr, _rc = run_module_main("ansible_collections.grafana_cloud.platform.plugins.modules.stack", args, {})
    result = json.loads(stdout or "{}")

    assert not result.get("failed"), (result, stderr)
    assert result["changed"] is True and result["stack"]["slug"] == "scoped"
    assert "orgs:read" in json.dumps(result.get("warnings")), result
    posts = [entry["path"] for entry in sim.requests() if entry["method"] == "POST"]
    assert "/instances" in posts and "/v1/stacks" not in posts, posts
    again = json.loads(run_module_main("ansible_collections.grafana_cloud.platform.plugins.modules.stack", args, {})[0])
    assert again["changed"] is False
