# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Integration tests: real ``ansible-playbook`` runs against the simulator.

One simulator serves the whole session (started in-process on a free port); it is reset
before every test, so each target starts from the seed data.
"""

import os
import subprocess
import sys
from pathlib import Path

import pytest

from tests.simulator.testing import running_simulator

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
TARGETS = HERE.parent / "integration" / "targets"  # the helper roles of the ansible-test targets


def collections_path():
    """Where ansible finds grafana_cloud.platform: the pipeline's build layout."""
    configured = os.environ.get("ANSIBLE_COLLECTIONS_PATH")
    if configured:
        return configured
    build = REPO / "build" / "collections"
    if (build / "ansible_collections" / "grafana_cloud" / "platform").is_dir():
        return str(build)
    pytest.exit("ANSIBLE_COLLECTIONS_PATH is not set and build/collections is missing: run `make playbooks`", 2)


@pytest.fixture(scope="session")
def simulator():
    with running_simulator() as sim:
        yield sim


@pytest.fixture
def sim(simulator):
    simulator.reset()
    return simulator


class PlaybookRun:
    def __init__(self, completed):
        self.returncode = completed.returncode
        self.output = completed.stdout

    def __repr__(self):
        return "<PlaybookRun rc=%s>\n%s" % (self.returncode, self.output[-6000:])


@pytest.fixture
def ansible_playbook(sim, tmp_path):
    """Run ansible-playbook against the simulator: ``ansible_playbook(path, *args, env=..., cwd=...)``."""
    bin_dir = Path(sys.executable).parent

    def run(playbook, *args, env=None, token=None, cwd=None):
        environment = dict(os.environ)
        environment.update({
            "ANSIBLE_COLLECTIONS_PATH": collections_path(),
            "ANSIBLE_ROLES_PATH": str(TARGETS) + os.pathsep + str(REPO / "roles"),
            "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
            "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_LOCALHOST_WARNING": "0",
            "ANSIBLE_INVENTORY_UNPARSED_WARNING": "0",
            "ANSIBLE_DEPRECATION_WARNINGS": "0",
            "ANSIBLE_RETRY_FILES_ENABLED": "0",
            "ANSIBLE_LOCAL_TEMP": str(tmp_path / "ansible-local"),
            "GRAFANA_CLOUD_API_URL": sim.url,
            "GRAFANA_CLOUD_ACCESS_POLICY_TOKEN": token or sim.token,
            "SIM_ROOT": sim.root,
        })
        environment.update(env or {})
        command = [str(bin_dir / "ansible-playbook"), "-i", "localhost,", "-c", "local",
                   "-e", "sim_root=%s" % sim.root, str(playbook)] + list(args)
        completed = subprocess.run(command, cwd=str(cwd or REPO), env=environment, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, universal_newlines=True, timeout=900, check=False)
        return PlaybookRun(completed)

    return run
