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
    sim.configure(stacks_ready_after=0.2, stacks_deleting_after=0.2, stack_plugins_operation_window=0.1)
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
    assert writes == [
        ("POST", "/instances"),
        ("POST", "/instances/migrated/plugins"),
        ("POST", "/instances/migrated/plugins/grafana-github-datasource"),
        ("POST", "/instances/migrated/plugins"),
        ("POST", "/orgs/simorg/api-keys"),
        ("DELETE", "/orgs/simorg/api-keys/legacy-agent"),
        ("DELETE", "/instances/migrated/plugins/grafana-github-datasource"),
        ("DELETE", "/instances/migrated/plugins/grafana-clock-panel"),
        ("POST", "/instances/migrated"),
        ("DELETE", "/instances/migrated"),
    ], writes
    assert not [entry for entry in sim.requests() if entry.get("contract_violation")]
    assert sim.token not in run.output
