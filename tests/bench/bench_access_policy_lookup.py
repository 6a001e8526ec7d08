# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark: ``access_policy`` on an existing policy among 2,000 others in the region.

Seeds the simulator directly (``seed_policies``), runs ansible-playbook once to create the
policy and once more on it unchanged, and writes the request count and timings to
``tests/bench/results/access_policy_lookup.json`` and stdout.

    ANSIBLE_COLLECTIONS_PATH=... python -m tests.bench.bench_access_policy_lookup
"""

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from tests.simulator.areas.accesspolicies import seed_policies
from tests.simulator.testing import running_simulator

REPO = Path(__file__).resolve().parents[2]
RESULTS = Path(__file__).resolve().parent / "results"
OTHER_POLICIES = 2000

PLAYBOOK = """\
- hosts: localhost
  gather_facts: false
  tasks:
    - name: The policy
      grafana_cloud.platform.access_policy:
        name: bench-policy
        region: us
        scopes: [metrics:read]
        realms: [{type: org, identifier: "1000"}]
"""


def run_playbook(simulator, playbook):
    env = dict(os.environ, GRAFANA_CLOUD_API_URL=simulator.url,
               GRAFANA_CLOUD_ACCESS_POLICY_TOKEN=simulator.token, ANSIBLE_PYTHON_INTERPRETER=sys.executable)
    started = time.perf_counter()
    completed = subprocess.run([str(Path(sys.executable).parent / "ansible-playbook"), "-i", "localhost,",
                                "-c", "local", str(playbook)], env=env, cwd=str(REPO),
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True,
                               check=False)
    if completed.returncode != 0:
        raise SystemExit(completed.stdout)
    return time.perf_counter() - started


def main():
    with running_simulator() as simulator, tempfile.TemporaryDirectory() as tmp:
        playbook = Path(tmp) / "bench.yml"
        playbook.write_text(PLAYBOOK)
        seed_policies(simulator.sim, OTHER_POLICIES)
        create_seconds = run_playbook(simulator, playbook)
        simulator.clear_requests()
        rerun_seconds = run_playbook(simulator, playbook)
        log = simulator.requests()
    result = dict(
        other_policies=OTHER_POLICIES,
        create_playbook_seconds=round(create_seconds, 3),
        rerun_playbook_seconds=round(rerun_seconds, 3),
        rerun_requests=len(log),
        rerun_request_paths=["%s %s" % (entry["method"], entry["path"]) for entry in log],
    )
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "access_policy_lookup.json").write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    return 0 if len(log) == 1 else 1


if __name__ == "__main__":
    sys.exit(main())
