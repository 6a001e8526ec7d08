# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Moving from grafana.grafana takes a rename: its cloud modules' playbook, modules renamed only.

tests/playbooks/migration/grafana_grafana_cloud.yml.in uses grafana.grafana.cloud_stack,
cloud_plugin and cloud_api_key with their options and return values. The test replaces the
three module names, checks that nothing else differs, and runs it against the simulator.
"""

import difflib
import re
from pathlib import Path

import requests

HERE = Path(__file__).resolve().parent
ORIGINAL = HERE / "migration" / "grafana_grafana_cloud.yml.in"
RENAMES = {
    "grafana.grafana.cloud_stack:": "grafana_cloud.platform.stack:",
    "grafana.grafana.cloud_plugin:": "grafana_cloud.platform.plugin:",
    "grafana.grafana.cloud_api_key:": "grafana_cloud.platform.api_key:",
}


def renamed(text):
    for old, new in RENAMES.items():
        text = text.replace(old, new)
    return text


def test_a_grafana_grafana_playbook_runs_after_renaming_the_modules(sim, ansible_playbook, tmp_path):
    # No plugin operation window: whether a task meets it ("operation in progress", retried)
    # depends on how fast the tasks follow each other, and the writes below are the subject.
    sim.configure(stacks_ready_after=0.2, stacks_deleting_after=0.2, stack_plugins_operation_window=0)
    original = ORIGINAL.read_text()
    playbook = tmp_path / "migrated.yml"
    playbook.write_text(renamed(original))

    # Only the module names differ.
    changed = [line for line in difflib.ndiff(original.splitlines(), renamed(original).splitlines())
               if line.startswith(("- ", "+ "))]
    assert changed and all(re.match(r"^[-+]\s+(grafana\.grafana\.cloud_\w+|grafana_cloud\.platform\.\w+):$", line)
                           for line in changed), changed

    run = ansible_playbook(playbook, env={"ANSIBLE_DEPRECATION_WARNINGS": "1"})
    assert run.returncode == 0, run
    assert re.search(r"ok=\d+\s+changed=\d+\s+unreachable=0\s+failed=0", run.output), run
    # Options with no meaning here are accepted, with a warning that says why.
    output = " ".join(run.output.split())
    assert "org_slug is accepted only so that tasks written for grafana.grafana run unchanged" in output
    assert "a stack is created in the org of the access policy token" in output
    # (fail_if_already_created gets the same deprecation, from a task with no_log: true, which
    # ansible-core before 2.19 censors; tests/unit/plugins/module_utils/test_migration.py has it.)

    writes = [(entry["method"], entry["path"]) for entry in sim.requests() if entry["method"] != "GET"]
    # The stack's writes go to the v1 family (checkStackSlugV1, createStackV1, updateStackV1,
    # deleteStackV1), as grafana.grafana 6.1.0's did; plugins and API keys have no v1 family.
    stack_id = next(entry["path"].rsplit("/", 1)[1] for entry in sim.requests()
                    if entry["method"] == "DELETE" and entry["path"].startswith("/v1/stacks/"))
    assert writes == [
        ("POST", "/v1/stacks/checkUrl"),
        ("POST", "/v1/stacks"),
        ("POST", "/instances/migrated/plugins"),
        ("POST", "/instances/migrated/plugins/grafana-github-datasource"),
        ("POST", "/instances/migrated/plugins"),
        ("POST", "/orgs/simorg/api-keys"),
        ("DELETE", "/orgs/simorg/api-keys/legacy-agent"),
        ("DELETE", "/instances/migrated/plugins/grafana-github-datasource"),
        ("DELETE", "/instances/migrated/plugins/grafana-clock-panel"),
        ("POST", "/v1/stacks/%s" % stack_id),
        ("DELETE", "/v1/stacks/%s" % stack_id),
    ], writes
    assert not [entry for entry in sim.requests() if entry.get("contract_violation")]
    assert sim.token not in run.output


CREATE_ASSERT_DELETE = HERE / "migration" / "create_assert_delete.yml.in"
CREATE_TWICE = HERE / "migration" / "create_twice.yml.in"
PROTECTION_LINE_OF_6_1_0 = "        delete_protection: false  # 6.1.0\n"


def migrated(tmp_path, original, text=None):
    playbook = tmp_path / original.name.replace(".yml.in", ".yml")
    playbook.write_text(renamed(text if text is not None else original.read_text()))
    return playbook


def test_create_assert_delete_as_grafana_grafana_writes_it_passes_on_a_first_and_a_second_run(
        sim, ansible_playbook, tmp_path):
    """Every key asserted is one grafana.grafana 6.0.6 and 6.1.0 returned, after the deletes too
    (cloud_api_key's output "Cloud API key is deleted", cloud_plugin's and cloud_stack's keys)."""
    # The slug is reused by the second run: the recent-slug refusal is waited out in it.
    sim.configure(stacks_ready_after=0.1, stacks_deleting_after=0.1, stacks_recent_slug_wait=0.5,
                  stack_plugins_operation_window=0.1)
    playbook = migrated(tmp_path, CREATE_ASSERT_DELETE)
    for attempt in ("first", "second"):
        run = ansible_playbook(playbook)
        assert run.returncode == 0, (attempt, run)
        assert re.search(r"ok=\d+\s+changed=6\s+unreachable=0\s+failed=0", run.output), (attempt, run)
    assert not [entry for entry in sim.requests() if entry.get("contract_violation")]
    assert sim.token not in run.output


def test_a_6_0_6_playbook_that_left_delete_protection_out_fails_on_the_delete_and_says_why(
        sim, ansible_playbook, tmp_path):
    """grafana.grafana 6.0.6 sent deleteProtection: null, so its stacks were unprotected and its
    users' delete tasks worked without delete_protection; here the new stack is protected."""
    sim.configure(stacks_ready_after=0.1, stack_plugins_operation_window=0.1)
    text = CREATE_ASSERT_DELETE.read_text()
    assert PROTECTION_LINE_OF_6_1_0 in text
    playbook = migrated(tmp_path, CREATE_ASSERT_DELETE, text.replace(PROTECTION_LINE_OF_6_1_0, ""))
    run = ansible_playbook(playbook)
    assert run.returncode != 0, run
    assert "TASK [Delete a Grafana Cloud stack]" in run.output
    message = " ".join(run.output.split())
    assert "has delete protection on, so it was not deleted" in message
    assert "add delete_protection: false to this task" in message
    assert "6.0.6 created stacks unprotected when delete_protection was left out" in message
    assert "6.1.0, like this collection, protects a new stack" in message
    # Nothing was deleted: the stack is still there, protected.
    stack = requests.get(sim.url + "/instances/ansiblecollectionstack", headers=sim.auth(), timeout=10).json()
    assert stack["status"] == "active" and stack["deleteProtection"] is True


def test_a_playbook_that_keeps_things_in_place_reports_them_as_grafana_grafana_did_on_a_second_run(
        sim, ansible_playbook, tmp_path):
    sim.configure(stacks_ready_after=0.1, stack_plugins_operation_window=0.1)
    playbook = migrated(tmp_path, CREATE_TWICE)
    first = ansible_playbook(playbook)
    assert first.returncode == 0, first
    assert "changed: stack=True plugin=True key=True" in first.output
    sim.clear_requests()
    second = ansible_playbook(playbook)
    assert second.returncode == 0, second
    assert "changed: stack=False plugin=False key=False" in second.output
    assert {entry["method"] for entry in sim.requests()} == {"GET"}
    assert not [entry for entry in sim.requests() if entry.get("contract_violation")]
