# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""scripts/ansible_test_progress.py: what `make test` shows and counts of an ansible-test run."""

import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "ansible_test_progress.py"

INTEGRATION_RUN = """\
WARNING: Using locale "C.UTF-8" instead of "en_US.UTF-8".
Running setup_simulator integration test role
TASK [setup_simulator : Reset the simulator] ***
Running stack integration test role
TASK [stack : Create] ***
ok: [testhost]
Running setup_simulator integration test role
Running plugin integration test role
fatal: [testhost]: FAILED! => {"msg": "boom"}
ERROR: Command "ansible-playbook plugin-x.yml -i inventory" returned exit status 2.
Running setup_simulator integration test role
fatal: [testhost]: FAILED! => {"msg": "no simulator"}
ERROR: Command "ansible-playbook setup_simulator-x.yml -i inventory" returned exit status 2.
Running setup_simulator integration test role
Running token integration test role
ok: [testhost]
ERROR: The 2 integration test(s) listed below (out of 4) failed. See error output above for details:
plugin
region_info
"""


def follow(kind, text, tmp_path, *targets):
    junit = tmp_path / "junit.xml"
    done = subprocess.run([sys.executable, str(SCRIPT), kind, str(tmp_path / "log"), str(junit), *targets],
                          input=text, stdout=subprocess.PIPE, universal_newlines=True, check=True)
    return done.stdout, junit


def cases(junit):
    return {case.get("name"): case.find("failure") is not None for case in ET.parse(str(junit)).iter("testcase")}


def test_each_target_is_a_test_and_a_failed_setup_fails_its_target(tmp_path):
    shown, junit = follow("integration", INTEGRATION_RUN, tmp_path, "stack", "plugin", "region_info", "token", "typo")

    assert cases(junit) == {"stack": False, "plugin": True, "token": False, "region_info": True, "typo": True}
    lines = [line.split() for line in shown.splitlines() if line.startswith("   ")]
    assert [line[:2] for line in lines if line[0] in ("ok", "FAIL")][:4] == [
        ["ok", "stack"], ["FAIL", "plugin"], ["FAIL", "setup_simulator"], ["ok", "token"]]
    # A failure shows its own output, under the item.
    assert '| fatal: [testhost]: FAILED! => {"msg": "boom"}' in shown
    assert "region_info" in shown and "its setup failed" in shown
    assert "typo" in shown and "check its aliases" in shown
    assert (tmp_path / "log").read_text() == INTEGRATION_RUN


@pytest.mark.parametrize("quote", ['"', "'"])  # ansible-core 2.17 quotes with ', newer with "
def test_sanity_items_are_shown_per_test_and_python(tmp_path, quote):
    run = ("Running sanity test {q}pep8{q}\nRunning sanity test {q}compile{q} on Python 3.11\n"
           "ERROR: Found 1 compile issue(s) which need to be resolved:\nERROR: plugins/x.py:1:1: bad\n"
           "Running sanity test {q}yamllint{q}\n").format(q=quote)

    shown = follow("sanity", run, tmp_path)[0]

    results = [line.split()[:2] for line in shown.splitlines() if line.startswith("   ") and not line.startswith("        ")]
    assert results == [["ok", "pep8"], ["FAIL", "compile"], ["ok", "yamllint"]]
    assert "compile --python 3.11" in shown
