# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Bring integration targets written for the old pytest runner to the ansible-test convention.

    python3 scripts/adopt_targets.py        # from the repo root; prints what it changed

For every folder of tests/integration/targets/ but the setup_* helpers (see
docs/development.md, "Integration targets"):

- ``aliases`` gets the standard lines (``cloud/grafana`` goes; other aliases stay);
- a ``tasks/main.yml`` that holds the tests themselves (no ``tests.yml`` beside it) moves to
  ``tasks/tests.yml``, and ``tasks/main.yml`` becomes the standard entry point (the Grafana
  Cloud API URL and token as module defaults, diff mode on, then ``tests.yml``);
- the helper variables of setup_simulator get their role prefix (``sim_fault`` ->
  ``setup_simulator_fault``, ...).

Running it again changes nothing. Licence headers: scripts/add_licence_headers.py.
"""

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
TARGETS = ROOT / "tests" / "integration" / "targets"
HEADER = """\
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""
ALIASES = ["context/controller", "gather_facts/no", "setup/always/setup_simulator", "needs/target/setup_simulator"]
ALIASES_COMMENT = """\
# ansible-test (see docs/development.md, "Integration targets"): the modules run on the
# controller, against the simulator the test command starts; no facts needed; the simulator
# is reset by setup_simulator before the target; the target uses setup_simulator's helpers.
"""
DROPPED_ALIASES = {"cloud/grafana"}
MAIN = """\
---
%s# ansible-test runs this file (see docs/development.md, "Integration targets") after
# setup_simulator has reset the simulator (aliases: setup/always/setup_simulator): the API URL
# and token of tests/integration/integration_config.yml as the defaults of every module of
# the collection, diff mode on (the tests check the diffs, whatever the command line says),
# then the tests in tests.yml.
- name: Test %s against the simulator
  module_defaults:
    group/grafana_cloud.platform.cloud:
      cloud_api_url: "{{ grafana_cloud_api_url }}"
      cloud_access_policy_token: "{{ grafana_cloud_access_policy_token }}"
  diff: true
  block:
    - name: Run the tests
      ansible.builtin.import_tasks: tests.yml
"""
RENAMES = {
    "sim_fault": "setup_simulator_fault",
    "sim_stack": "setup_simulator_stack",
    "sim_config": "setup_simulator_config",
    "stack_creds_slug": "setup_simulator_stack_creds_slug",
    "stack_creds_ready_after": "setup_simulator_stack_creds_ready_after",
    "ap_stack_slug": "setup_simulator_ap_stack_slug",
}
RENAME = re.compile(r"\b(%s)\b" % "|".join(RENAMES))


def adopt_aliases(target):
    path = target / "aliases"
    old = path.read_text(encoding="utf-8") if path.exists() else ""
    kept = [line.strip() for line in old.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    extra = [alias for alias in kept if alias not in ALIASES and alias not in DROPPED_ALIASES]
    new = HEADER + ALIASES_COMMENT + "\n".join(ALIASES + extra) + "\n"
    if old != new:
        path.write_text(new, encoding="utf-8")
        return True
    return False


def adopt_tasks(target):
    tasks = target / "tasks"
    main, tests = tasks / "main.yml", tasks / "tests.yml"
    changed = False
    if main.exists() and not tests.exists() and "ansible.builtin.import_tasks: tests.yml" not in main.read_text(encoding="utf-8"):
        main.rename(tests)
        main.write_text(MAIN % (HEADER, target.name), encoding="utf-8")
        changed = True
    for path in sorted(tasks.glob("*.yml")):
        text = path.read_text(encoding="utf-8")
        renamed = RENAME.sub(lambda match: RENAMES[match.group(1)], text)
        if renamed != text:
            path.write_text(renamed, encoding="utf-8")
            changed = True
    return changed


def main():
    for target in sorted(TARGETS.iterdir()):
        if not target.is_dir() or target.name.startswith(("setup_", "prepare_")):
            continue
        if adopt_aliases(target) | adopt_tasks(target):
            print(target.relative_to(ROOT))
    return 0


if __name__ == "__main__":
    sys.exit(main())
