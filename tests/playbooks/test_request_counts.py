# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Request counts (not timings): every module's unchanged run sends the fewest requests the API
allows, and the stack_bootstrap re-run sends exactly the reads it needs, one per kind of object
where a list read answers for all of them.

Each case creates its object with one run, then runs the same task again and counts what
the simulator saw. ``hosted_api_key`` is left out: the API can create such keys but never
read them, so it has no unchanged run (its target covers what it sends).
"""

import json
from collections import Counter
from pathlib import Path

import pytest
import requests

from tests.playbooks.test_role_stack_bootstrap import EXAMPLE_VARS, FACT_PLAYBOOK, WRITER, recap

STACK = "countstack"
POLICY = {"name": "count-policy", "region": "us", "scopes": ["metrics:read"],
          "realms": [{"type": "org", "identifier": "1000"}]}

# (module, arguments, the requests of the unchanged run as "METHOD path")
CASES = [
    ("stack", {"slug": "countnew", "region": "us", "labels": {"team": "a"}},
     ["GET /instances/countnew"]),
    ("plugin", {"stack": STACK, "plugin": "grafana-clock-panel", "version": "2.1.5"},
     ["GET /instances/countstack/plugins/grafana-clock-panel"]),
    ("access_policy", POLICY, ["GET /v1/accesspolicies"]),
    ("stack_service_account", {"stack": STACK, "name": "ci", "role": "Editor"},
     ["GET /instances/countstack/api/serviceaccounts/search"]),
    ("api_key", {"org": "simorg", "name": "count-key", "role": "Viewer"},
     ["GET /orgs/simorg/api-keys/count-key"]),
    ("region_info", {}, ["GET /stack-regions"]),
    ("stack_info", {"slug": STACK}, ["GET /instances/countstack"]),
    ("plugin_info", {"stack": STACK}, ["GET /instances/countstack/plugins"]),
    ("access_policy_info", {"region": "us"}, ["GET /v1/accesspolicies"]),
    ("token_info", {"region": "us"}, ["GET /v1/tokens"]),
    ("billed_usage_info", {"org": "simorg", "year": 2026, "month": 1}, ["GET /orgs/simorg/billed-usage"]),
]


def playbook(tmp_path, tasks):
    path = tmp_path / "counts.yml"
    path.write_text(json.dumps([{"hosts": "localhost", "gather_facts": False, "tasks": tasks}]))
    return path


def task(module, arguments, **keywords):
    return dict({"grafana_cloud.platform.%s" % module: arguments, "no_log": True}, **keywords)


def requests_of(sim):
    return ["%s %s" % (entry["method"], entry["path"]) for entry in sim.requests()]


def unchanged_requests(sim, ansible_playbook, tmp_path, tasks):
    """Run ``tasks`` once (creating), then again; the requests of the second run."""
    path = playbook(tmp_path, tasks)
    first = ansible_playbook(path)
    assert first.returncode == 0, first
    sim.clear_requests()
    second = ansible_playbook(path)
    assert second.returncode == 0, second
    assert recap(second)["changed"] == 0, second
    return requests_of(sim)


@pytest.mark.parametrize("module, arguments, expected", CASES, ids=[case[0] for case in CASES])
def test_an_unchanged_run_sends_the_fewest_requests(sim, ansible_playbook, tmp_path, module, arguments, expected):
    sim.add_stack(STACK, region="us")
    assert unchanged_requests(sim, ansible_playbook, tmp_path, [task(module, arguments)]) == expected


def test_an_unchanged_token_is_one_request_and_its_create_two_with_a_policy_id(sim, ansible_playbook, tmp_path):
    path = playbook(tmp_path, [task("access_policy", POLICY)])
    assert ansible_playbook(path).returncode == 0
    policy_id = next(entry for entry in sim_policies(sim) if entry["name"] == POLICY["name"])["id"]
    token = {"name": "count-token", "region": "us", "access_policy": policy_id}
    sim.clear_requests()
    path = playbook(tmp_path, [task("token", token)])
    assert ansible_playbook(path).returncode == 0
    assert requests_of(sim) == ["GET /v1/tokens", "POST /v1/tokens"]
    sim.clear_requests()
    assert ansible_playbook(path).returncode == 0
    assert requests_of(sim) == ["GET /v1/tokens"]
    # By name: the same single read once it exists.
    assert unchanged_requests(sim, ansible_playbook, tmp_path, [task("token", dict(token, access_policy=POLICY["name"]))]) \
        == ["GET /v1/tokens"]


def test_an_unchanged_service_account_token_is_one_request_by_account_id(sim, ansible_playbook, tmp_path):
    sim.add_stack(STACK, region="us")
    path = playbook(tmp_path, [task("stack_service_account", {"stack": STACK, "name": "ci", "role": "Editor"})])
    assert ansible_playbook(path).returncode == 0
    search = requests.get(sim.url + "/instances/%s/api/serviceaccounts/search" % STACK,
                          params={"query": "ci"}, headers=sim.auth(), timeout=10).json()
    account_id = search["serviceAccounts"][0]["id"]
    arguments = {"stack": STACK, "service_account_id": account_id, "name": "ci-token"}
    assert unchanged_requests(sim, ansible_playbook, tmp_path, [task("stack_service_account_token", arguments)]) \
        == ["GET /instances/countstack/api/serviceaccounts/%s/tokens" % account_id]


def sim_policies(sim):
    return list(sim.sim.state["accesspolicies"]["policies"].values())


def test_the_bootstrap_rerun_reads_each_kind_of_object_once(sim, ansible_playbook, tmp_path):
    fact_file = tmp_path / "fact.json"
    credentials = {"stack_bootstrap_credentials_file": {"path": str(tmp_path / "grafana-cloud.env"), "token": WRITER}}
    arguments = ("-e", "@%s" % EXAMPLE_VARS, "-e", json.dumps(credentials), "-e", "fact_file=%s" % fact_file)
    assert ansible_playbook(FACT_PLAYBOOK, *arguments).returncode == 0
    account_id = json.loads(Path(fact_file).read_text())["service_account"]["id"]
    sim.clear_requests()

    rerun = ansible_playbook(FACT_PLAYBOOK, *arguments)

    assert rerun.returncode == 0 and recap(rerun)["changed"] == 0, rerun
    sent = requests_of(sim)
    assert Counter(entry.split()[0] for entry in sent) == {"GET": 8}
    assert Counter(sent) == Counter({
        "GET /instances/demostack": 1,
        # One list read for both plugins.
        "GET /instances/demostack/plugins": 1,
        # One filtered read per access policy and per token (the API filters by name).
        "GET /v1/accesspolicies": 2,
        "GET /v1/tokens": 2,
        "GET /instances/demostack/api/serviceaccounts/search": 1,
        # The token of the service account, by the account's id: no second search.
        "GET /instances/demostack/api/serviceaccounts/%s/tokens" % account_id: 1,
    })
