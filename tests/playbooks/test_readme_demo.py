# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The README's sample output of `make demo` still holds: each step's PLAY RECAP line in the
README is the one the step prints today.

The steps (playbook and arguments) are read from scripts/demo.sh, the recaps from README.md's
"==> step N/M" excerpt; the steps run in order against one simulator, as the demo does.
When a role or playbook changes what it runs, this fails with the lines to paste.
"""

import re
import shlex

from conftest import REPO

STEP_LINE = re.compile(r'^\s*"(?P<title>[^"|]+)\|(?P<playbook>[^|]+)\|(?P<expect>[^|]*)\|(?P<args>[^"]*)"\s*$')
RECAP = re.compile(r"^localhost\s+:\s+(ok=.*\S)\s*$")


def demo_steps():
    """``(title, playbook, arguments)`` of every step of scripts/demo.sh, in order."""
    text = (REPO / "scripts" / "demo.sh").read_text()
    block = text[text.index("STEPS=("):]
    block = block[:block.index("\n)\n")]
    return [(m["title"], m["playbook"], m["args"]) for m in map(STEP_LINE.match, block.splitlines()) if m]


def readme_recaps():
    """``({step number: [recap lines]}, number of steps)`` of the README's sample output."""
    recaps, step, total = {}, None, 0
    for line in (REPO / "README.md").read_text().splitlines():
        header = re.match(r"^==> step (\d+)/(\d+):", line)
        if header:
            step, total = int(header.group(1)), int(header.group(2))
        elif step is not None and RECAP.match(line):
            recaps.setdefault(step, []).append(" ".join(RECAP.match(line).group(1).split()))
    return recaps, total


def test_the_readme_shows_the_recaps_the_demo_prints(sim, ansible_playbook, tmp_path):
    steps = demo_steps()
    expected, total = readme_recaps()
    # The README counts the demo's steps, and every recap it shows belongs to a playbook step
    # (the push and the audit show none).
    playbook_steps = set(number for number, step in enumerate(steps, 1) if step[1].endswith(".yml"))
    assert total == len(steps) and len(expected) >= 4 and set(expected) <= playbook_steps, (steps, expected)
    oncall = sim.oncall()
    env = {
        "GRAFANA_ONCALL_API_URL": oncall["url"],
        "GRAFANA_ONCALL_ACCESS_TOKEN": oncall["service_account_token"],
        "GRAFANA_URL": oncall["grafana_url"],
        "ANSIBLE_DISPLAY_SKIPPED_HOSTS": "false",
    }
    actual = {}
    for number, (title, playbook, arguments) in enumerate(steps, 1):
        if number not in expected:
            continue  # a step whose recap the README does not show (the audit): nothing to check
        arguments = arguments.replace("$VARS", "playbooks/vars/simulator.yml")
        arguments = arguments.replace("$ONCALL_VARS", "playbooks/vars/oncall_simulator.yml")
        run = ansible_playbook(REPO / playbook, *shlex.split(arguments), "-e", "demo_output_dir=%s" % tmp_path,
                               env=env)
        assert run.returncode == 0, (title, run)
        actual[number] = [" ".join(RECAP.match(line).group(1).split())
                          for line in run.output.splitlines() if RECAP.match(line)]
    stale = {number: actual[number] for number in expected if actual[number] != expected[number]}
    assert not stale, "README.md's sample output is out of date; the recaps today:\n" + "\n".join(
        "step %d: localhost : %s" % (number, line) for number, lines in sorted(stale.items()) for line in lines)
