# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Grafana's gateway answers a canned ``503 Loading`` (with ``Retry-After``) to a write the
backend went on to process. Every create must then look the object up and adopt it, never
resend blindly (a duplicate, or a 400/409 "already exists"); and when the lookup shows the
create did not happen, send it once more.

The ``status_after_commit`` fault commits the create, then answers 503; the ``status`` fault
answers 503 without handling it. The request log's ``committed_status`` tells which writes
the server committed.
"""

import re
import textwrap

import pytest
import requests

STACK = "gwstack"
ORG_REALM = '[{type: org, identifier: "1000"}]'

# module -> (create request path regex, task arguments as YAML, what setup it needs)
CREATES = {
    "stack": (r"^/v1/stacks$", "slug: gwnew\nwait_timeout: 60", None),
    "access_policy": (r"^/v1/accesspolicies$",
                      "name: gw-policy\nregion: us\nscopes: [metrics:read]\nrealms: %s" % ORG_REALM, None),
    "token": (r"^/v1/tokens$", "name: gw-token\nregion: us\naccess_policy: gw-base", "policy"),
    "plugin": (r"^/instances/%s/plugins$" % STACK, "stack: %s\nplugin: grafana-clock-panel" % STACK, "stack"),
    "stack_service_account": (r"^/instances/%s/api/serviceaccounts$" % STACK,
                              "stack: %s\nname: gw-account\nrole: Editor" % STACK, "stack"),
    "stack_service_account_token": (r"^/instances/%s/api/serviceaccounts/\d+/tokens$" % STACK,
                                    "stack: %s\nservice_account: gw-base\nname: gw-token" % STACK, "account"),
    "api_key": (r"^/orgs/simorg/api-keys$", "org: simorg\nname: gw-key\nrole: Viewer", None),
}
# Modules whose create returns a secret: adopting saves the object but not its secret, and
# how the module then ends (a failure that says so) is the concern of the secrets tests.
# Here: sent once, committed once.
SECRET_MODULES = {"token", "stack_service_account_token", "api_key"}


def api(sim, method, path, **kwargs):
    headers = dict(sim.auth(), **({"X-Request-Id": "gw-setup"} if method != "GET" else {}))
    response = requests.request(method, sim.url + path, headers=headers, timeout=10, **kwargs)
    response.raise_for_status()
    return response.json()


def set_up(sim, need):
    if need == "policy":
        api(sim, "POST", "/v1/accesspolicies", params={"region": "us"},
            json={"name": "gw-base", "scopes": ["metrics:read"],
                  "realms": [{"type": "org", "identifier": "1000", "labelPolicies": []}]})
    if need in ("stack", "account"):
        sim.add_stack(STACK)
    if need == "account":
        api(sim, "POST", "/instances/%s/api/serviceaccounts" % STACK, json={"name": "gw-base", "role": "Viewer"})


def playbook(tmp_path, module, arguments):
    path = tmp_path / "playbook.yml"
    path.write_text(textwrap.dedent("""\
        - hosts: localhost
          gather_facts: false
          tasks:
            - name: Create
              grafana_cloud.platform.%s:
        %s
        """) % (module, textwrap.indent(arguments, " " * 10)))
    return path


def creates(sim, pattern):
    """The POSTs to the create path: (status the client saw, status the server committed)."""
    return [(entry["status"], entry["committed_status"] or entry["status"]) for entry in sim.requests()
            if entry["method"] == "POST" and re.search(pattern, entry["path"])]


@pytest.mark.parametrize("module", sorted(CREATES))
def test_a_create_answered_503_after_commit_is_adopted_not_resent(module, sim, ansible_playbook, tmp_path):
    pattern, arguments, need = CREATES[module]
    set_up(sim, need)
    sim.clear_requests()
    sim.fault(pattern, method="POST", status_after_commit=503, retry_after="1",
              body={"code": "Loading", "message": "Loading", "requestId": "gw"})

    run = ansible_playbook(playbook(tmp_path, module, arguments))

    # Sent once, committed once: nothing was resent on the Retry-After.
    assert creates(sim, pattern) == [(503, 200)], run
    if module not in SECRET_MODULES:
        assert run.returncode == 0, run
        assert "adopted" in run.output, run


@pytest.mark.parametrize("module", ["stack", "stack_service_account", "access_policy"])
def test_a_create_refused_with_503_is_sent_once_more_when_the_lookup_finds_nothing(
        module, sim, ansible_playbook, tmp_path):
    pattern, arguments, need = CREATES[module]
    set_up(sim, need)
    sim.clear_requests()
    sim.fault(pattern, method="POST", status=503, retry_after="1")

    run = ansible_playbook(playbook(tmp_path, module, arguments))

    assert run.returncode == 0, run
    assert creates(sim, pattern) == [(503, 503), (200, 200)], run
    assert "sent once more" in run.output, run


def test_hosted_api_key_on_old_grafana_is_not_resent(sim, ansible_playbook, tmp_path):
    """The API can't read hosted keys: after an unclear answer the module can only fail."""
    sim.add_stack(STACK, grafana_version="11.2.0")
    pattern = r"^/instances/%s/api/auth/keys$" % STACK
    sim.clear_requests()
    sim.fault(pattern, method="POST", status_after_commit=503, retry_after="1")

    run = ansible_playbook(playbook(tmp_path, "hosted_api_key", "stack: %s\nname: gw\nrole: Viewer" % STACK))

    assert run.returncode != 0, run
    assert creates(sim, pattern) == [(503, 200)], run


def test_hosted_api_key_fallback_adopts_its_service_account(sim, ansible_playbook, tmp_path):
    sim.add_stack(STACK)
    pattern = r"^/instances/%s/api/serviceaccounts$" % STACK
    sim.clear_requests()
    sim.fault(pattern, method="POST", status_after_commit=503, retry_after="1")

    run = ansible_playbook(playbook(tmp_path, "hosted_api_key", "stack: %s\nname: gw\nrole: Viewer" % STACK))

    assert run.returncode == 0, run
    assert creates(sim, pattern) == [(503, 200)], run
    assert len(creates(sim, r"/api/serviceaccounts/\d+/tokens$")) == 1


def test_an_adopted_access_policy_still_gets_the_status_asked_for(sim, ansible_playbook, tmp_path):
    """The create body has no status: an inactive policy takes an update, adopted or not."""
    pattern = r"^/v1/accesspolicies$"
    sim.fault(pattern, method="POST", status_after_commit=503, retry_after="1")
    arguments = CREATES["access_policy"][1] + "\nstatus: inactive"

    run = ansible_playbook(playbook(tmp_path, "access_policy", arguments))

    assert run.returncode == 0, run
    assert creates(sim, pattern) == [(503, 200)], run
    policies = api(sim, "GET", "/v1/accesspolicies", params={"region": "us", "name": "gw-policy"})["items"]
    assert [policy["status"] for policy in policies] == ["inactive"]
