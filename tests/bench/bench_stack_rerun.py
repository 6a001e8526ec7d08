# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Benchmark: requests and time of a re-run of one stack and three plugins.

    .venv/bin/python -m tests.bench.bench_stack_rerun [--runs 5]

Starts the simulator in-process, runs a playbook that creates a stack and installs three
plugins, then re-runs it ``--runs`` times. Each re-run must send exactly four requests (one
read per resource) and change nothing. Writes the request counts and timings to
``tests/bench/results/bench_stack_rerun-<UTC time>.json`` (git-ignored) and prints them.
Exits 1 if a re-run sent anything but four reads.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from tests.simulator.testing import running_simulator  # noqa: E402

RESULTS = REPO / "tests" / "bench" / "results"
PLUGINS = ["grafana-github-datasource", "grafana-clock-panel", "grafana-polystat-panel"]
PLAYBOOK = """
- hosts: localhost
  gather_facts: false
  tasks:
    - grafana_cloud.platform.stack:
        slug: benchstack
        region: eu
        labels: {bench: "true"}
    - grafana_cloud.platform.plugin:
        stack: benchstack
        plugin: "{{ item }}"
      loop: %s
""" % json.dumps(PLUGINS)


def collections_path(tmp: Path) -> str:
    """A collection layout pointing at this checkout (or the one the caller set)."""
    if os.environ.get("ANSIBLE_COLLECTIONS_PATH"):
        return os.environ["ANSIBLE_COLLECTIONS_PATH"]
    link = tmp / "collections" / "ansible_collections" / "grafana_cloud" / "platform"
    link.parent.mkdir(parents=True)
    link.symlink_to(REPO)
    return str(tmp / "collections")


def run_playbook(sim, playbook: Path, collections: str) -> float:
    env = dict(os.environ, ANSIBLE_COLLECTIONS_PATH=collections, ANSIBLE_NOCOLOR="1",
               ANSIBLE_LOCALHOST_WARNING="0", ANSIBLE_INVENTORY_UNPARSED_WARNING="0",
               ANSIBLE_PYTHON_INTERPRETER=sys.executable,
               GRAFANA_CLOUD_API_URL=sim.url, GRAFANA_CLOUD_ACCESS_POLICY_TOKEN=sim.token)
    started = time.monotonic()
    done = subprocess.run([str(Path(sys.executable).parent / "ansible-playbook"), "-i", "localhost,",
                           "-c", "local", str(playbook)], env=env, stdout=subprocess.PIPE,
                          stderr=subprocess.STDOUT, universal_newlines=True, check=False)
    elapsed = time.monotonic() - started
    if done.returncode != 0:
        sys.exit("ansible-playbook failed:\n" + done.stdout[-4000:])
    return elapsed


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp, running_simulator(contract_spec=False) as sim:
        tmp = Path(tmp)
        playbook = tmp / "bench.yml"
        playbook.write_text(PLAYBOOK)
        collections = collections_path(tmp)
        sim.configure(stacks_ready_after=0.5, stack_plugins_operation_window=0.2)
        first_seconds = run_playbook(sim, playbook, collections)
        first_requests = len(sim.requests())
        reruns = []
        for _run in range(args.runs):
            sim.clear_requests()
            seconds = run_playbook(sim, playbook, collections)
            log = sim.requests()
            reruns.append({"seconds": round(seconds, 3), "requests": len(log),
                           "writes": sum(1 for entry in log if entry["method"] != "GET"),
                           "paths": [entry["path"] for entry in log]})
    result = {
        "benchmark": "stack_rerun",
        "at": datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "resources": {"stacks": 1, "plugins": len(PLUGINS)},
        "first_run": {"seconds": round(first_seconds, 3), "requests": first_requests},
        "reruns": reruns,
        "rerun_requests_expected": 1 + len(PLUGINS),
        "rerun_seconds_median": sorted(run["seconds"] for run in reruns)[len(reruns) // 2],
    }
    RESULTS.mkdir(parents=True, exist_ok=True)
    out = RESULTS / ("bench_stack_rerun-%s.json" % result["at"].replace(":", ""))
    out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps({key: value for key, value in result.items() if key != "reruns"}, indent=2))
    print("re-run requests: %s (writes: %s)" % ([run["requests"] for run in reruns],
                                                [run["writes"] for run in reruns]))
    print("written to %s" % out.relative_to(REPO))
    ok = all(run["requests"] == 1 + len(PLUGINS) and run["writes"] == 0 for run in reruns)
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
