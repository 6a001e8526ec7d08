# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A token whose policy's realm is one stack can't manage another stack, and the module's
error says why (the simulator enforces realms as Grafana Cloud does)."""

import textwrap

import requests


def api(sim, method, path, **kwargs):
    headers = dict(sim.auth(), **({"X-Request-Id": "realms"} if method != "GET" else {}))
    response = requests.request(method, sim.url + path, headers=headers, params={"region": "us"},
                                timeout=10, **kwargs)
    response.raise_for_status()
    return response.json()


def test_a_stack_realm_token_is_refused_on_another_stack_with_a_clear_error(sim, ansible_playbook, tmp_path):
    mine = sim.add_stack("mine")
    sim.add_stack("other")
    policy = api(sim, "POST", "/v1/accesspolicies", json={
        "name": "mine-admin", "scopes": ["stacks:read", "stacks:write", "stack-plugins:read", "stack-plugins:write"],
        "realms": [{"type": "stack", "identifier": str(mine["id"]), "labelPolicies": []}]})
    token = api(sim, "POST", "/v1/tokens", json={"name": "mine-admin", "accessPolicyId": policy["id"]})["token"]
    playbook = tmp_path / "playbook.yml"
    playbook.write_text(textwrap.dedent("""\
        - hosts: localhost
          gather_facts: false
          tasks:
            - name: Its own stack
              grafana_cloud.platform.stack:
                slug: mine
              register: own
            - name: Another stack
              grafana_cloud.platform.plugin:
                stack: other
                plugin: grafana-clock-panel
              register: foreign
              ignore_errors: true
            - name: Own stack fine, the other refused with the reason
              ansible.builtin.assert:
                that:
                  - own is not changed
                  - foreign is failed
                  - foreign.status == 403
                  - "'HTTP 403' in foreign.msg and 'not in the realms' in foreign.msg"
                  - "'its realms do not cover this stack' in foreign.msg"
        """))
    sim.clear_requests()

    run = ansible_playbook(playbook, token=token)

    assert run.returncode == 0, run
    assert [entry["method"] for entry in sim.requests()] == ["GET", "GET"]
