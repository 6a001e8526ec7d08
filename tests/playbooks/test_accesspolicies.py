# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Access policies and tokens: what a target can't show well.

- the lookup of a policy costs one request with 2,000 other policies in the region;
- at ``-vvv`` a token's secret appears only in the result of the task that created it,
  and nowhere when that task has ``no_log: true``.
"""

import textwrap

from tests.simulator.areas.accesspolicies import seed_policies

EXISTING = dict(name="big-region", region="us", scopes=["metrics:read"],
                realms=[{"type": "org", "identifier": "1000"}])


def write_playbook(tmp_path, tasks):
    path = tmp_path / "playbook.yml"
    path.write_text("- hosts: localhost\n  gather_facts: false\n  tasks:\n" + textwrap.indent(tasks, "    "))
    return path


def test_one_request_among_2000_policies(sim, ansible_playbook, tmp_path):
    seed_policies(sim.sim, 1000, prefix="before")
    playbook = write_playbook(tmp_path, textwrap.dedent("""\
        - name: The policy
          grafana_cloud.platform.access_policy:
            name: big-region
            region: us
            scopes: [metrics:read]
            realms: [{type: org, identifier: "1000"}]
        """))
    assert ansible_playbook(playbook).returncode == 0
    seed_policies(sim.sim, 1000, prefix="after")
    sim.clear_requests()

    run = ansible_playbook(playbook)

    assert run.returncode == 0, run
    assert "changed=0" in run.output
    log = sim.requests()
    assert [(entry["method"], entry["path"]) for entry in log] == [("GET", "/v1/accesspolicies")]
    assert log[0]["query"]["name"] == "big-region"


SECRET_PLAYBOOK = """\
- name: A policy
  grafana_cloud.platform.access_policy:
    name: vvv-policy
    region: us
    scopes: [accesspolicies:read]
    realms: [{type: org, identifier: "1000"}]

- name: Create the token
  grafana_cloud.platform.token:
    name: vvv-token
    region: us
    access_policy: vvv-policy
    expires_in: 1d
  register: created
  no_log: %(no_log)s

- name: Run again
  grafana_cloud.platform.token:
    name: vvv-token
    region: us
    access_policy: vvv-policy
    expires_in: 1d

- name: Use the secret as the credential
  grafana_cloud.platform.token_info:
    region: us
    cloud_access_policy_token: "{{ created.secret }}"

- name: Fail with the secret as the credential
  grafana_cloud.platform.access_policy:
    name: vvv-denied
    region: us
    scopes: [metrics:read]
    realms: [{type: org, identifier: "1000"}]
    cloud_access_policy_token: "{{ created.secret }}"
  ignore_errors: true

- name: List the tokens
  grafana_cloud.platform.token_info:
    region: us
"""


def issued_secret(sim):
    tokens = sim.sim.state["accesspolicies"]["tokens"].values()
    return next(token["_secret"] for token in tokens if token["name"] == "vvv-token")


def task_sections(output):
    """Output split by task banner: [(title, text)]."""
    sections, title, lines = [], "", []
    for line in output.splitlines():
        if line.startswith("TASK ["):
            sections.append((title, "\n".join(lines)))
            title, lines = line, []
        else:
            lines.append(line)
    sections.append((title, "\n".join(lines)))
    return sections


def test_vvv_shows_the_secret_only_in_the_creating_task(sim, ansible_playbook, tmp_path):
    run = ansible_playbook(write_playbook(tmp_path, SECRET_PLAYBOOK % dict(no_log="false")), "-vvv")
    assert run.returncode == 0, run
    secret = issued_secret(sim)
    showing = [title for title, text in task_sections(run.output) if secret in text]
    assert len(showing) == 1 and showing[0].startswith("TASK [Create the token]"), showing


def test_vvv_shows_no_secret_with_no_log(sim, ansible_playbook, tmp_path):
    run = ansible_playbook(write_playbook(tmp_path, SECRET_PLAYBOOK % dict(no_log="true")), "-vvv")
    assert run.returncode == 0, run
    # The play ran to its end, the denied write included.
    assert "TASK [List the tokens]" in run.output and "ignored=1" in run.output
    assert issued_secret(sim) not in run.output
