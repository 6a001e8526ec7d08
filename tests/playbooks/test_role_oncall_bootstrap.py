# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The oncall_bootstrap role, through playbooks/bootstrap_oncall.yml and its example vars.

What an on-call team relies on: the first run builds everything the variable declares, a
re-run changes nothing and only reads, check mode predicts and writes nothing, an object
removed from the variable stays until purge is asked for, and who is on call is shown.
"""

import copy
import json
import re
from pathlib import Path

import requests
import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
PLAYBOOK = REPO / "playbooks" / "bootstrap_oncall.yml"
EXAMPLE_VARS = REPO / "playbooks" / "vars" / "oncall_simulator.yml"


def recap(run):
    match = re.search(r"^localhost\s+:\s+(.*)$", run.output, re.M)
    assert match, run
    return {key: int(value) for key, value in re.findall(r"(\w+)=(\d+)", match.group(1))}


class OnCall:
    def __init__(self, sim):
        self.sim = sim
        self.access = requests.get(sim.root + "/_sim/oncall", timeout=10).json()
        self.env = {"GRAFANA_ONCALL_API_URL": self.access["url"],
                    "GRAFANA_ONCALL_ACCESS_TOKEN": self.access["service_account_token"],
                    "GRAFANA_URL": self.access["grafana_url"]}

    def get(self, resource, **params):
        answer = requests.get("%s/api/v1/%s/" % (self.access["url"], resource), params=dict(params, perpage=100),
                              headers={"Authorization": self.access["legacy_key"]}, timeout=10)
        answer.raise_for_status()
        return answer.json()["results"]

    def names(self, resource):
        return sorted(item.get("name") for item in self.get(resource))

    def log(self):
        return [entry for entry in requests.get(self.sim.root + "/_sim/requests", timeout=10).json()
                if entry["path"].startswith("/oncall/")]

    def clear_log(self):
        requests.delete(self.sim.root + "/_sim/requests", timeout=10)


def run_bootstrap(ansible_playbook, oncall, tmp_path, variables=None, *args):
    extra = []
    if variables is not None:
        path = tmp_path / "oncall-vars.json"
        path.write_text(json.dumps(variables))
        extra = ["-e", "@%s" % path]
    run = ansible_playbook(PLAYBOOK, "-e", "@%s" % EXAMPLE_VARS, *extra, *args, env=oncall.env)
    assert run.returncode == 0, run
    return run


def writes(log):
    return ["%s %s" % (entry["method"], entry["path"]) for entry in log if entry["method"] != "GET"]


def test_check_mode_first_run_and_rerun(sim, ansible_playbook, tmp_path):
    oncall = OnCall(sim)
    oncall.clear_log()
    checked = run_bootstrap(ansible_playbook, oncall, tmp_path, None, "--check")
    assert recap(checked)["changed"] > 0
    assert writes(oncall.log()) == []
    assert oncall.names("schedules") == []

    first = run_bootstrap(ansible_playbook, oncall, tmp_path)
    assert recap(first)["changed"] == recap(checked)["changed"]
    assert oncall.names("schedules") == ["platform-primary"]
    assert oncall.names("on_call_shifts") == ["platform-friday-cover", "platform-weekly"]
    assert oncall.names("escalation_chains") == ["platform-critical", "platform-low"]
    assert oncall.names("webhooks") == ["platform-ticket"]
    integration = [item for item in oncall.get("integrations") if item["name"] == "platform-alertmanager"][0]
    chains = dict((chain["name"], chain["id"]) for chain in oncall.get("escalation_chains"))
    assert integration["default_route"]["escalation_chain_id"] == chains["platform-low"]
    routes = [route for route in oncall.get("routes", integration_id=integration["id"])
              if not route["is_the_last_route"]]
    assert [(route["routing_regex"], route["escalation_chain_id"]) for route in routes] == [
        ("severity=critical", chains["platform-critical"])]
    steps = oncall.get("escalation_policies", escalation_chain_id=chains["platform-critical"])
    assert [step["type"] for step in sorted(steps, key=lambda s: s["position"])] == [
        "notify_on_call_from_schedule", "wait", "notify_persons", "trigger_webhook"]
    assert re.search(r"platform-primary: (alice|bob)\"", first.output), first

    oncall.clear_log()
    again = run_bootstrap(ansible_playbook, oncall, tmp_path)
    assert recap(again)["changed"] == 0, again
    assert writes(oncall.log()) == []


def test_removed_objects_stay_unless_purged(sim, ansible_playbook, tmp_path):
    oncall = OnCall(sim)
    run_bootstrap(ansible_playbook, oncall, tmp_path)
    declared = yaml.safe_load(EXAMPLE_VARS.read_text())["oncall_bootstrap_config"]
    smaller = copy.deepcopy(declared)
    smaller["integrations"][0]["routes"] = []
    smaller["escalation_chains"][0]["steps"] = smaller["escalation_chains"][0]["steps"][:2]
    smaller["schedules"].append({"name": "platform-secondary", "team": "platform", "time_zone": "UTC"})
    smaller["integrations"].append({"name": "platform-grafana", "type": "grafana_alerting", "team": "platform"})
    run_bootstrap(ansible_playbook, oncall, tmp_path, {"oncall_bootstrap_config": smaller})
    # Left out now: the route, two steps; new: a schedule and an integration.
    fewer = copy.deepcopy(smaller)
    fewer["schedules"] = [item for item in fewer["schedules"] if item["name"] != "platform-secondary"]
    fewer["integrations"] = [item for item in fewer["integrations"] if item["name"] != "platform-grafana"]

    oncall.clear_log()
    kept = run_bootstrap(ansible_playbook, oncall, tmp_path, {"oncall_bootstrap_config": fewer})
    assert recap(kept)["changed"] == 0, kept
    assert writes(oncall.log()) == []
    assert "platform-secondary" in oncall.names("schedules")

    chains = dict((chain["name"], chain["id"]) for chain in oncall.get("escalation_chains"))
    purge = {"oncall_bootstrap_config": fewer, "oncall_bootstrap_purge": True, "oncall_bootstrap_purge_max_extra_steps": 3}
    purged = run_bootstrap(ansible_playbook, oncall, tmp_path, purge)
    assert recap(purged)["changed"] > 0
    assert oncall.names("schedules") == ["platform-primary"]
    assert "platform-grafana" not in oncall.names("integrations")
    assert any(name.startswith("Direct paging") for name in oncall.names("integrations"))
    integration = [item for item in oncall.get("integrations") if item["name"] == "platform-alertmanager"][0]
    assert [route["is_the_last_route"] for route in oncall.get("routes", integration_id=integration["id"])] == [True]
    steps = oncall.get("escalation_policies", escalation_chain_id=chains["platform-critical"])
    assert sorted(step["type"] for step in steps) == ["notify_on_call_from_schedule", "wait"]

    oncall.clear_log()
    again = run_bootstrap(ansible_playbook, oncall, tmp_path, purge)
    assert recap(again)["changed"] == 0, again
    assert writes(oncall.log()) == []


def test_without_its_variable_the_role_fails_first_with_one_line(sim, ansible_playbook):
    oncall = OnCall(sim)
    oncall.clear_log()
    run = ansible_playbook(PLAYBOOK, env=oncall.env)
    assert run.returncode != 0, run
    failed = [line for line in run.output.splitlines() if "FAILED!" in line]
    assert len(failed) == 1, run
    assert "needs the variable(s): oncall_bootstrap_config." in failed[0]
    # One line, not the argument specification, and before anything was asked of OnCall.
    assert "argument_spec_data" not in run.output and "is undefined" not in run.output
    assert oncall.log() == []
