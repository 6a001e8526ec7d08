# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The stack_teardown role, through playbooks/teardown_stack.yml and the example vars.

It deletes what bootstrap_stack.yml made (tokens, policies, service account, plugins, the
stack), lifts delete protection only when asked, keeps policies that also serve other
stacks, and a second run changes nothing and only reads.
"""

import json
import re
from pathlib import Path

import requests

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
EXAMPLE_VARS = REPO / "playbooks" / "vars" / "simulator.yml"
BOOTSTRAP = REPO / "playbooks" / "bootstrap_stack.yml"
TEARDOWN = REPO / "playbooks" / "teardown_stack.yml"

SLUG = "demostack"
FAST = {"stacks_ready_after": 0.2, "stacks_deleting_after": 0.2, "stacks_recent_slug_wait": 0.5,
        "stack_plugins_operation_window": 0.2}
LIFT = "stack_teardown_lift_delete_protection=true"


def recap(run):
    match = re.search(r"^localhost\s+:\s+(.*)$", run.output, re.M)
    assert match, run
    return {key: int(value) for key, value in re.findall(r"(\w+)=(\d+)", match.group(1))}


def writes(log):
    return ["%s %s" % (entry["method"], entry["path"]) for entry in log if entry["method"] != "GET"]


def violations(log):
    return [entry["path"] for entry in log if entry.get("contract_violation")]


def api(sim, method, path, **kwargs):
    headers = dict(sim.auth(), **({"X-Request-Id": "test-teardown"} if method != "GET" else {}))
    return requests.request(method, sim.url + path, headers=headers, timeout=10, **kwargs)


def example_vars(tmp_path):
    credentials = {"stack_bootstrap_credentials_file": {"path": str(tmp_path / "grafana-cloud.env")}}
    return ["-e", "@%s" % EXAMPLE_VARS, "-e", json.dumps(credentials)]


def test_teardown_deletes_everything_only_when_allowed_and_reruns_cleanly(sim, ansible_playbook, tmp_path):
    sim.configure(**FAST)
    bootstrapped = ansible_playbook(BOOTSTRAP, *example_vars(tmp_path))
    assert bootstrapped.returncode == 0, bootstrapped
    stack = api(sim, "GET", "/instances/%s" % SLUG).json()
    # A policy that also covers another stack must survive the teardown of this one.
    other = sim.add_stack("otherstack")
    shared = api(sim, "POST", "/v1/accesspolicies", params={"region": "us"}, json={
        "name": "shared-reader", "scopes": ["metrics:read"],
        "realms": [{"type": "stack", "identifier": str(stack["id"]), "labelPolicies": []},
                   {"type": "stack", "identifier": str(other["id"]), "labelPolicies": []}]})
    assert shared.status_code == 200, shared.text

    # The stack is protected: without the explicit lift, nothing at all is deleted.
    sim.clear_requests()
    refused = ansible_playbook(TEARDOWN, *example_vars(tmp_path))
    assert refused.returncode != 0
    assert "has delete protection. Nothing was deleted" in refused.output
    assert writes(sim.requests()) == []

    # Asked explicitly: children first, then the stack.
    sim.clear_requests()
    deleted = ansible_playbook(TEARDOWN, *example_vars(tmp_path), "-e", LIFT)
    assert deleted.returncode == 0, deleted
    assert violations(sim.requests()) == []
    order = writes(sim.requests())
    kinds = [_kind(write.split(" ", 1)[1]) for write in order]
    assert kinds == sorted(kinds, key=["token", "policy", "service account", "plugin", "stack"].index), order
    assert set(kinds) == {"token", "policy", "service account", "plugin", "stack"}
    assert "Kept (they also cover other stacks or the org): shared-reader" in deleted.output

    # Nothing left behind but the shared policy.
    gone = api(sim, "GET", "/instances/%s" % SLUG)
    assert gone.status_code == 404 or gone.json()["status"] == "deleted"
    policies = api(sim, "GET", "/v1/accesspolicies", params={"region": "us"}).json()["items"]
    assert [policy["name"] for policy in policies] == ["shared-reader"]
    tokens = api(sim, "GET", "/v1/tokens", params={"region": "us", "includeExpired": "true"}).json()["items"]
    assert tokens == []

    # Again: nothing to do, and only reads.
    sim.clear_requests()
    again = ansible_playbook(TEARDOWN, *example_vars(tmp_path), "-e", LIFT)
    assert again.returncode == 0, again
    assert recap(again)["changed"] == 0, again
    assert writes(sim.requests()) == []


def _kind(path):
    if path.startswith("/v1/tokens"):
        return "token"
    if path.startswith("/v1/accesspolicies"):
        return "policy"
    if "/serviceaccounts" in path:
        return "service account"
    if "/plugins/" in path:
        return "plugin"
    return "stack"
