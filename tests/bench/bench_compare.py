# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""``make bench``: this collection side by side with what a user would otherwise run.

    python -m tests.bench.bench_compare      (from the repo root; scripts/bench.sh sets it up)

Starts the simulator in-process with ``BENCH_LATENCY`` seconds (default 0.1) added to every
request, then times whole ``ansible-playbook`` runs, interleaved (A B C, then B C A, ...) so
that a machine whose speed drifts hurts every contender alike:

* the bench stack (``scenario.yml``): the ``stack_bootstrap`` role vs a hand-written
  ``ansible.builtin.uri`` playbook (``bootstrap_uri.yml``) vs a one-task ``ping`` playbook,
  first run (from an empty org) and unchanged re-run;
* a stack, 2 plugins and an org API key: this collection vs ``grafana.grafana``'s cloud
  modules, first run and re-run;
* one task without latency: ``region_info`` and an unchanged ``access_policy`` vs ``ping``;
* request counts at scale (not timed): unchanged ``access_policy`` and ``token`` among 5,000
  other policies and tokens, ``stack_info`` of one stack among 500, ``token_info`` over 5,000
  tokens.

Each figure is the median of ``BENCH_RUNS`` (default 5) runs after one warm-up; a ratio is the
median of the ratios of runs made one after the other. Prints the table, writes it with the
machine and versions between the markers of docs/performance.md, and the raw figures to
tests/bench/results/bench_compare.json (git-ignored). Exits 1 when a run fails or a request
count is off its minimum; the timing goals are reported, never asserted.

grafana.grafana's modules hard-code https://grafana.com/api. The bench copies the collection
(found on ``sys.path``, from PyPI's ``ansible`` package) into a temporary directory and
replaces that URL with the simulator's in the copy, and nothing else but one bug: its
``cloud_plugin`` reads ``module.params['grafana_api_key']``, an option it does not declare
(a KeyError on every install), read as ``cloud_api_key`` in the copy.
"""

from __future__ import annotations

import json
import math
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter
from datetime import datetime, timezone
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from tests.simulator.areas._stackdata import new_stack  # noqa: E402
from tests.simulator.areas.accesspolicies import seed_policies, seed_tokens  # noqa: E402
from tests.simulator.testing import running_simulator  # noqa: E402

HERE = Path(__file__).resolve().parent
RESULTS = HERE / "results"
DOC = REPO / "docs" / "performance.md"
BEGIN, END = "<!-- make bench: begin -->", "<!-- make bench: end -->"
RUNS = int(os.environ.get("BENCH_RUNS", "5"))
# Seconds the whole bench may take: a group stops adding rounds (keeping at least one counted)
# when it has used its share of what is left, so a loaded machine gets fewer runs, not a
# longer bench. The report says how many were counted.
BUDGET = float(os.environ.get("BENCH_BUDGET", "540"))
# Shares of the budget of each group's interleaved comparisons, in the order they run; the
# scale counts (not interleaved) get what is left.
WEIGHTS = dict(bootstrap=[3.0, 2.0], subset=[1.5, 1.0], per_task=[1.5], fleet=[2.0], scale=[0.5])
# Which groups run (all by default): BENCH_GROUPS="bootstrap per_task" runs those only.
GROUPS = os.environ.get("BENCH_GROUPS", "bootstrap subset per_task fleet scale").split()
LATENCY = float(os.environ.get("BENCH_LATENCY", "0.1"))
SCALE_POLICIES = SCALE_TOKENS = 5000
SCALE_STACKS = 500
GRAFANA_URL = "https://grafana.com/api"


class PlaybookFailed(SystemExit):
    pass


class Bench:
    def __init__(self, sim, tmp: Path, collections: str):
        self.sim = sim
        self.tmp = tmp
        self.env = dict(
            os.environ, ANSIBLE_COLLECTIONS_PATH=collections, ANSIBLE_NOCOLOR="1",
            ANSIBLE_LOCALHOST_WARNING="0", ANSIBLE_INVENTORY_UNPARSED_WARNING="0",
            ANSIBLE_PYTHON_INTERPRETER=sys.executable, ANSIBLE_RETRY_FILES_ENABLED="0",
            GRAFANA_CLOUD_API_URL=sim.url, GRAFANA_CLOUD_ACCESS_POLICY_TOKEN=sim.token)
        self.playbook_bin = str(Path(sys.executable).parent / "ansible-playbook")
        self.deadline = time.monotonic() + BUDGET
        self.weights_left = [weight for group in WEIGHTS if group in GROUPS for weight in WEIGHTS[group]]
        self.counted = []

    def play(self, playbook: str, env=None, args=("-i", "localhost,")) -> dict:
        """One timed ansible-playbook run: wall and CPU seconds, requests by method, changed."""
        self.sim.clear_requests()
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        started = time.monotonic()
        command = [self.playbook_bin] + list(args) + [str(HERE / playbook), "-e", "bench_dir=%s" % self.tmp]
        done = subprocess.run(command, env=dict(self.env, **(env or {})), cwd=str(HERE),
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              universal_newlines=True, check=False)
        wall = time.monotonic() - started
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        if done.returncode != 0:
            raise PlaybookFailed("%s failed:\n%s" % (playbook, done.stdout[-6000:]))
        log = self.sim.requests()
        changed = re.search(r"changed=(\d+)", done.stdout)
        return dict(wall=wall, cpu=(after.ru_utime + after.ru_stime) - (before.ru_utime + before.ru_stime),
                    requests=dict(Counter(entry["method"] for entry in log)),
                    changed=int(changed.group(1)) if changed else None)

    def fresh(self):
        """An empty org (the simulator's seed), at the bench's latency, no credentials file."""
        self.sim.reset()
        for path in self.tmp.glob("*.env"):
            path.unlink()

    def no_latency(self):
        self.sim.configure(latency=0)

    def compare(self, contenders):
        """``contenders``: [(label, playbook, prepare[, play options])]. Interleaved runs; returns label -> runs."""
        runs = dict((contender[0], []) for contender in contenders)
        started = time.monotonic()
        weight = self.weights_left.pop(0) if len(self.weights_left) > 1 else 1.0
        share = max(0.0, self.deadline - started) * weight / (weight + sum(self.weights_left))
        for round_number in range(RUNS + 1):
            if round_number >= 2 and time.monotonic() - started > share:
                break
            shift = round_number % len(contenders)
            for label, playbook, prepare, *options in contenders[shift:] + contenders[:shift]:
                if prepare:
                    prepare()
                result = self.play(playbook, **(options[0] if options else {}))
                if round_number:  # the first round warms caches up and is not counted
                    runs[label].append(result)
        self.counted.append(len(next(iter(runs.values()))))
        return runs


def median(values):
    return statistics.median(values) if values else float("nan")


def pair_ratio(runs_a, runs_b):
    """The median of run-by-run wall ratios (runs of one round were made one after the other)."""
    return median([a["wall"] / b["wall"] for a, b in zip(runs_a, runs_b)])


def requests_of(runs):
    """Requests by method of the last run, as ``3 GET + 1 POST``."""
    counts = runs[-1]["requests"]
    return " + ".join("%d %s" % (counts[method], method) for method in sorted(counts)) or "none"


def grafana_grafana_copy(tmp: Path, api_url: str):
    """grafana.grafana from sys.path, copied to ``tmp`` and pointed at the simulator; or None."""
    for entry in sys.path:
        source = Path(entry) / "ansible_collections" / "grafana" / "grafana"
        if (source / "plugins" / "modules" / "cloud_stack.py").is_file():
            break
    else:
        return None, None
    target = tmp / "grafana" / "ansible_collections" / "grafana" / "grafana"
    shutil.copytree(source, target, ignore=shutil.ignore_patterns("roles", "tests", "docs", "examples"))
    for name in ("cloud_stack.py", "cloud_plugin.py", "cloud_api_key.py"):
        module = target / "plugins" / "modules" / name
        text = module.read_text().replace(GRAFANA_URL, api_url)
        text = text.replace("module.params['grafana_api_key']", "module.params['cloud_api_key']")
        module.write_text(text)
    version = json.loads((source / "MANIFEST.json").read_text())["collection_info"]["version"]
    return str(tmp / "grafana"), version


# The collection's modules as module processes (GRAFANA_CLOUD_PLATFORM_EXECUTION=module): how
# every task ran before issue 17, measured side by side with the default, in-process run.
MODULE_MODE = dict(env=dict(GRAFANA_CLOUD_PLATFORM_EXECUTION="module"))
TASKS_PER_PLAY = 20
FLEET_STACKS = 20


def bootstrap_groups(bench):
    first = bench.compare([
        ("role", "bootstrap_role.yml", bench.fresh),
        ("role_module_mode", "bootstrap_role.yml", bench.fresh, MODULE_MODE),
        ("uri", "bootstrap_uri.yml", bench.fresh),
        ("ping", "ping.yml", None),
    ])
    bench.fresh()
    bench.play("bootstrap_role.yml")
    rerun = bench.compare([
        ("role", "bootstrap_role.yml", None),
        ("role_module_mode", "bootstrap_role.yml", None, MODULE_MODE),
        ("uri", "bootstrap_uri.yml", None),
        ("ping", "ping.yml", None),
    ])
    return first, rerun


def subset_groups(bench):
    first = bench.compare([
        ("ours", "subset_ours.yml", bench.fresh),
        ("grafana", "subset_grafana.yml", bench.fresh),
    ])
    bench.fresh()
    bench.play("subset_ours.yml")
    rerun = bench.compare([
        ("ours", "subset_ours.yml", None),
        ("grafana", "subset_grafana.yml", None),
    ])
    return first, rerun


def many_tasks_playbook(bench, name, task):
    """A play of TASKS_PER_PLAY copies of ``task`` (0 copies: the cost of the play alone)."""
    count = 0 if task is None else TASKS_PER_PLAY
    path = bench.tmp / name
    path.write_text(json.dumps([{"name": name, "hosts": "localhost", "connection": "local", "gather_facts": False,
                                 "tasks": [dict(task, name="Task %d" % index) for index in range(count)]
                                 or [{"name": "Nothing", "ansible.builtin.meta": "noop"}]}]))
    return str(path)


def per_task_group(bench):
    """20 unchanged access_policy tasks, 20 region_info tasks, 20 pings, and an empty play."""
    bench.fresh()
    bench.no_latency()
    policy = {"grafana_cloud.platform.access_policy": {
        "name": "bench-policy", "region": "us", "scopes": ["metrics:read"],
        "realms": [{"type": "org", "identifier": "1000"}]}}
    bench.play("one_access_policy.yml")
    playbooks = dict(
        access_policy=many_tasks_playbook(bench, "many_access_policy.yml", policy),
        region_info=many_tasks_playbook(bench, "many_region_info.yml", {"grafana_cloud.platform.region_info": {"slug": "us"}}),
        ping=many_tasks_playbook(bench, "many_ping.yml", {"ansible.builtin.ping": {}}),
        empty=many_tasks_playbook(bench, "empty.yml", None),
    )
    return bench.compare([
        ("access_policy", playbooks["access_policy"], None),
        ("access_policy_module_mode", playbooks["access_policy"], None, MODULE_MODE),
        ("region_info", playbooks["region_info"], None),
        ("ping", playbooks["ping"], None),
        ("empty", playbooks["empty"], None),
    ])


def per_task_ratio(runs, label):
    """Per task, ``label`` against ping: each play's time less the empty play's, run by run."""
    return median([(a["wall"] - e["wall"]) / (p["wall"] - e["wall"])
                   for a, p, e in zip(runs[label], runs["ping"], runs["empty"])])


def per_task_seconds(runs, label):
    return "%.3f s" % median([(a["wall"] - e["wall"]) / TASKS_PER_PLAY for a, e in zip(runs[label], runs["empty"])])


def fleet_group(bench):
    """playbooks/bootstrap_fleet.yml over FLEET_STACKS stacks with -f 5, unchanged re-run, both modes."""
    bench.fresh()
    sim = bench.sim.sim
    with sim.lock:
        for index in range(FLEET_STACKS):
            new_stack(sim, "fleet%02d" % index)
    inventory = bench.tmp / "grafana_cloud.stacks.yml"
    inventory.write_text(json.dumps({"plugin": "grafana_cloud.platform.stacks", "org": "simorg"}))
    fleet = str(REPO / "playbooks" / "bootstrap_fleet.yml")
    # Both with the interpreter named (ANSIBLE_PYTHON_INTERPRETER, as every row here): module
    # mode then pays no interpreter discovery, which it would per stack on a user's controller
    # (and which fails on the build machine, whose discovery finds a pyenv shim that cannot
    # run), so today's figure is the cheaper one.
    options = dict(args=("-i", str(inventory), "-f", "5"))
    module_options = dict(options, **MODULE_MODE)
    bench.play(fleet, **options)
    return bench.compare([
        ("fleet", fleet, None, options),
        ("fleet_module_mode", fleet, None, module_options),
    ])


def scale_counts(bench):
    """Requests of unchanged runs at scale (latency off: only the counts matter here)."""
    bench.fresh()
    bench.no_latency()
    sim = bench.sim.sim
    seed_policies(sim, SCALE_POLICIES)
    seed_tokens(sim, SCALE_TOKENS)
    with sim.lock:
        for index in range(SCALE_STACKS):
            new_stack(sim, "scale%04d" % index)
    counts = {}
    for playbook in ("one_access_policy.yml", "one_token.yml"):
        bench.play(playbook)  # creates it
        counts[playbook] = bench.play(playbook)["requests"]
    for playbook in ("one_stack_info.yml", "one_token_info.yml"):
        counts[playbook] = bench.play(playbook)["requests"]
    tokens = SCALE_TOKENS + 1
    minimum = {"one_access_policy.yml": 1, "one_token.yml": 1, "one_stack_info.yml": 1,
               "one_token_info.yml": int(math.ceil(tokens / 500.0))}
    return counts, minimum, tokens


def versions(grafana_version):
    from ansible.release import __version__ as core
    import requests
    cpu = "unknown"
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in open("/proc/cpuinfo")
                   if line.startswith("model name"))
    except (OSError, StopIteration):
        pass
    return dict(date=datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M UTC"), cpu=cpu,
                cores=os.cpu_count(), load=os.getloadavg()[0], system=platform.platform(),
                python=platform.python_version(), ansible_core=core, requests=requests.__version__,
                grafana_grafana=grafana_version or "not installed")


def seconds(runs):
    return "%.2f s" % median([run["wall"] for run in runs])


def verdict(ratio, goal, faster_than=False):
    if math.isnan(ratio):
        return "not measured"
    met = ratio < goal if faster_than else ratio <= goal
    return "met" if met else "**not met**"


def table(figures):
    rows = [
        "| what | this collection | module mode (before issue 17) | the alternative | ratio (goal) | goal |",
        "|---|---|---|---|---|---|",
    ]

    def row(title, ours, before, alternative, ratio, goal):
        figures["ratios"][title] = ratio
        rows.append("| %s | %s | %s | %s | %.2f (<= %.1f) | %s |" % (
            title, ours, before, alternative, ratio, goal, verdict(ratio, goal)))

    def played(runs, label):
        return "%s, %s" % (seconds(runs[label]), requests_of(runs[label]))

    for key, title in (("bootstrap_first", "bootstrap, first run, vs `uri` by hand"),
                       ("bootstrap_rerun", "bootstrap, unchanged re-run, vs `uri` by hand")):
        if key in figures:
            runs = figures[key]
            row(title, played(runs, "role"), "%s (%.2fx)" % (seconds(runs["role_module_mode"]),
                                                             pair_ratio(runs["role_module_mode"], runs["uri"])),
                played(runs, "uri") + "; ping %s" % seconds(runs["ping"]), pair_ratio(runs["role"], runs["uri"]), 0.6)
    if "per_task" in figures:
        runs = figures["per_task"]
        for label, title in (("access_policy", "one task, no latency: unchanged `access_policy` vs `ping`"),
                             ("region_info", "one task, no latency: `region_info` vs `ping`")):
            before = ("%s (%.2fx)" % (per_task_seconds(runs, "access_policy_module_mode"),
                                      per_task_ratio(runs, "access_policy_module_mode"))
                      if label == "access_policy" else "")
            row(title, "%s a task" % per_task_seconds(runs, label), before,
                "`ping` %s a task" % per_task_seconds(runs, "ping"), per_task_ratio(runs, label), 0.5)
    if "fleet" in figures:
        runs = figures["fleet"]
        row("fleet bootstrap, %d stacks, `-f 5`, unchanged re-run, vs module mode" % FLEET_STACKS,
            played(runs, "fleet"), played(runs, "fleet_module_mode"), "", pair_ratio(runs["fleet"], runs["fleet_module_mode"]),
            0.5)
    for title, key in (("stack + 2 plugins + org API key, first run, vs `grafana.grafana`", "subset_first"),
                       ("stack + 2 plugins + org API key, re-run, vs `grafana.grafana`", "subset_rerun")):
        runs = figures.get(key)
        if not runs:
            continue
        ratio = pair_ratio(runs["ours"], runs["grafana"])
        figures["ratios"][title] = ratio
        rows.append("| %s | %s | | %s | %.2f (< 1) | %s |" % (
            title, played(runs, "ours"), played(runs, "grafana"), ratio, verdict(ratio, 1.0, faster_than=True)))
    return rows


def scale_table(counts, minimum, tokens):
    titles = {
        "one_access_policy.yml": "unchanged `access_policy` among %d other policies" % SCALE_POLICIES,
        "one_token.yml": "unchanged `token` among %d other tokens" % SCALE_TOKENS,
        "one_stack_info.yml": "`stack_info` of one stack among %d" % SCALE_STACKS,
        "one_token_info.yml": "`token_info` over %d tokens (pages of 500)" % tokens,
    }
    rows = ["| request count at scale | requests | fewest possible | |", "|---|---|---|---|"]
    for playbook, title in titles.items():
        sent = sum(counts[playbook].values())
        met = "met" if sent == minimum[playbook] else "**not met**"
        rows.append("| %s | %d | %d | %s |" % (title, sent, minimum[playbook], met))
    return rows


def report(figures, machine):
    lines = [
        BEGIN,
        "Written by `make bench` on %(date)s: %(cores)s cores (%(cpu)s), load %(load).1f when it ended, "
        "%(system)s; Python %(python)s, ansible-core %(ansible_core)s, requests %(requests)s, "
        "grafana.grafana %(grafana_grafana)s." % machine,
        "Medians of %s interleaved runs per row (of %d asked for, within the bench's time budget) after a warm-up, whole `ansible-playbook` processes, "
        "%.0f ms added to every request (none in the one-task rows); a ratio is the median of "
        "run-by-run ratios; request counts are those of the last run. A one-task row is per task: "
        "a play of %d such tasks less an empty play, divided by %d." % (
            "/".join(str(count) for count in figures["counted"]), RUNS, LATENCY * 1000,
            TASKS_PER_PLAY, TASKS_PER_PLAY),
        "",
    ]
    lines += table(figures)
    if "scale" in figures:
        lines += [""] + scale_table(*figures["scale"])
    if "bootstrap_rerun" in figures:
        rerun = figures["bootstrap_rerun"]["role"][-1]["requests"]
        lines += ["", "Bootstrap re-run, requests by method: %s; changed tasks: %s." % (
            ", ".join("%s %d" % item for item in sorted(rerun.items())), figures["bootstrap_rerun"]["role"][-1]["changed"])]
    skipped = [group for group in WEIGHTS if group not in GROUPS]
    if skipped:
        lines += ["", "Not run this time (BENCH_GROUPS): %s." % ", ".join(skipped)]
    lines += [END]
    return lines


def write_doc(lines):
    text = DOC.read_text() if DOC.exists() else ""
    block = "\n".join(lines)
    if BEGIN in text and END in text:
        text = text[:text.index(BEGIN)] + block + text[text.index(END) + len(END):]
    else:
        text = text.rstrip("\n") + "\n\n" + block + "\n"
    DOC.write_text(text)


def main() -> int:
    started = time.monotonic()
    with tempfile.TemporaryDirectory() as tmp_name, \
            running_simulator(contract_spec=False, latency=LATENCY) as sim:
        tmp = Path(tmp_name)
        ours = os.environ.get("ANSIBLE_COLLECTIONS_PATH") or str(REPO.parents[2])
        grafana_path, grafana_version = grafana_grafana_copy(tmp, sim.url)
        collections = ":".join(path for path in (ours, grafana_path) if path)
        bench = Bench(sim, tmp, collections)
        figures = dict(ratios={})
        if "bootstrap" in GROUPS:
            figures["bootstrap_first"], figures["bootstrap_rerun"] = bootstrap_groups(bench)
        if "subset" in GROUPS and grafana_path:
            figures["subset_first"], figures["subset_rerun"] = subset_groups(bench)
        elif "subset" in GROUPS:
            del bench.weights_left[:2]
        if "per_task" in GROUPS:
            figures["per_task"] = per_task_group(bench)
        if "fleet" in GROUPS:
            figures["fleet"] = fleet_group(bench)
        if "scale" in GROUPS:
            figures["scale"] = scale_counts(bench)
        figures["counted"] = bench.counted
    machine = versions(grafana_version)
    lines = report(figures, machine)
    lines[-1:-1] = ["", "(make bench took %.0f s; it keeps within BENCH_BUDGET, %.0f s, by counting fewer runs "
                        "on a loaded machine)" % (time.monotonic() - started, BUDGET)]
    print("\n".join(lines[1:-1]))
    write_doc(lines)
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / "bench_compare.json").write_text(json.dumps(dict(machine=machine, figures=figures), indent=1) + "\n")
    counts, minimum = figures["scale"][:2] if "scale" in figures else ({}, {})
    off = [playbook for playbook in counts if sum(counts[playbook].values()) != minimum[playbook]]
    if off:
        print("request counts off their minimum: %s" % ", ".join(off))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
