# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Secrets of the credential modules at -vvv: shown by the task that created them, never again,
and never at all under ``no_log``."""

import re
from pathlib import Path

PLAYBOOK = Path(__file__).resolve().parent / "stack_credentials_secrets.yml"
# glsa_ service account tokens; base64 JSON ({"k": ...}) hosted and org API keys.
SECRET = re.compile(r"glsa_[A-Za-z0-9]{32}_[0-9a-f]{8}|eyJrIjoi[A-Za-z0-9+/=_-]+")
TASK = re.compile(r"^TASK \[(.*?)\]", re.MULTILINE)


def task_sections(output):
    """(task name, text of its output) for every task, in order."""
    starts = list(TASK.finditer(output))
    for index, match in enumerate(starts):
        end = starts[index + 1].start() if index + 1 < len(starts) else len(output)
        yield match.group(1), output[match.start():end]


def test_secrets_are_shown_once_and_never_under_no_log(ansible_playbook):
    run = ansible_playbook(PLAYBOOK, "-vvv")
    assert run.returncode == 0, run

    secrets_by_task = {name: set(SECRET.findall(text)) for name, text in task_sections(run.output)}
    shown_tasks = [name for name in secrets_by_task if name.startswith("SHOWN")]
    assert len(shown_tasks) == 3, run
    for name in shown_tasks:
        assert len(secrets_by_task[name]) == 1, "%s should print its one secret" % name

    shown = set().union(*(secrets_by_task[name] for name in shown_tasks))
    everywhere = set(SECRET.findall(run.output))
    # Only the three secrets of the SHOWN tasks appear, and only in those tasks' output.
    assert everywhere == shown
    for name, found in secrets_by_task.items():
        if not name.startswith("SHOWN"):
            assert not found, "%s printed a secret" % name
