# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Two pipelines at once: two runs of bootstrap_stack and two of bootstrap_oncall, started together.

A merge and a scheduled run, or a retried job, run the same playbook at the same moment.
Every run must succeed, and the org must end with one object of each name, whoever wins each
race. Each round starts from the simulator's seed, so the runs race for every create. The
objects are counted through the APIs (never through the roles' outputs), by the names the
example vars declare.
"""

import json
import re
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import requests
import yaml

from tests.playbooks.test_role_oncall_bootstrap import OnCall

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
ROUNDS = 5
STACK_PLAYBOOK = REPO / "playbooks" / "bootstrap_stack.yml"
STACK_VARS = REPO / "playbooks" / "vars" / "simulator.yml"
ONCALL_PLAYBOOK = REPO / "playbooks" / "bootstrap_oncall.yml"
ONCALL_VARS = REPO / "playbooks" / "vars" / "oncall_simulator.yml"
# Short simulator delays: the runs still wait for readiness, just not for long.
FAST = {"stacks_ready_after": 0.2, "stacks_deleting_after": 0.2, "stack_plugins_operation_window": 0.2}


def all_at_once(ansible_playbook, tmp_path, runs):
    """Start every run of ``runs`` (name -> (playbook, vars file, environment)) together; each
    has its own folder (credentials file, temporary files). Their results by name."""
    def one(name):
        playbook, variables, env = runs[name]
        folder = tmp_path / name
        folder.mkdir(parents=True)
        run_env = dict(env, ANSIBLE_LOCAL_TEMP=str(folder / "ansible-local"))
        return ansible_playbook(playbook, "-e", "@%s" % variables, "-e", "demo_output_dir=%s" % folder,
                                env=run_env)

    names = sorted(runs)
    with ThreadPoolExecutor(max_workers=len(names)) as pool:
        return dict(zip(names, pool.map(one, names)))


def duplicates(names):
    return sorted(set(name for name in names if names.count(name) > 1))


class Gcom:
    def __init__(self, sim):
        self.sim = sim

    def get(self, path, **params):
        answer = requests.get(self.sim.url + path, params=params, headers=self.sim.auth(), timeout=10)
        answer.raise_for_status()
        return answer.json()


def token_family(names, name):
    """The tokens of ``names`` that are ``name`` or its replacement by a keep_old rotation."""
    return [found for found in names if re.match(r"^%s(-\d{14})?$" % re.escape(name), found)]


def stack_objects(sim, declared):
    """Name -> how many objects of each declared name the Grafana Cloud API holds."""
    api = Gcom(sim)
    slug = declared["stack_bootstrap_stack_slug"]
    region = declared["stack_bootstrap_stack_region"]
    stacks = [stack["slug"] for stack in api.get("/orgs/%s/instances" % sim.sim.org["slug"])["items"]
              if stack["status"] == "active"]
    policies = [policy["name"] for policy in api.get("/v1/accesspolicies", region=region)["items"]]
    tokens = [token["name"] for token in api.get("/v1/tokens", region=region)["items"]]
    plugins = [plugin["pluginSlug"] for plugin in api.get("/instances/%s/plugins" % slug)["items"]]
    account = declared["stack_bootstrap_service_account"]
    accounts = api.get("/instances/%s/api/serviceaccounts/search" % slug,
                       query=account["name"])["serviceAccounts"]
    accounts = [found for found in accounts if found["name"] == account["name"]]
    account_tokens = [token["name"] for token in api.get(
        "/instances/%s/api/serviceaccounts/%s/tokens" % (slug, accounts[0]["id"]))] if accounts else []
    return {
        "stacks": stacks.count(slug),
        "policies": dict((p["name"], policies.count(p["name"])) for p in declared["stack_bootstrap_access_policies"]),
        # A token and its replacements after a rotation with keep_old (name-YYYYmmddHHMMSS) are one family:
        # a run that finds another run's token without its secret in its own destination rotates it.
        "tokens": dict((t["name"], len(token_family(tokens, t["name"])))
                       for p in declared["stack_bootstrap_access_policies"] for t in p.get("tokens") or []),
        "plugins": dict((p["name"], plugins.count(p["name"])) for p in declared["stack_bootstrap_plugins"]),
        "service accounts": len(accounts),
        # The same for the service account token (its rotations keep the old one too).
        "service account tokens": len(token_family(account_tokens, account["token"]["name"])),
        "duplicates": (duplicates(stacks) + duplicates(policies) + duplicates(tokens) + duplicates(plugins)
                       + duplicates(account_tokens)),
    }


def oncall_objects(oncall, config):
    """What the OnCall API holds of each declared object: counts by name, steps and routes."""
    held = {}
    for collection, key in (("schedules", "schedules"), ("escalation_chains", "escalation_chains"),
                            ("integrations", "integrations"), ("webhooks", "outgoing_webhooks")):
        names = [obj["name"] for obj in oncall.get(collection)]
        held[collection] = dict((obj["name"], names.count(obj["name"])) for obj in config.get(key) or [])
    shifts = [obj["name"] for obj in oncall.get("on_call_shifts")]
    held["on_call_shifts"] = dict((shift["name"], shifts.count(shift["name"]))
                                  for schedule in config.get("schedules") or [] for shift in schedule.get("shifts") or [])
    held["steps"] = {}
    for chain in config.get("escalation_chains") or []:
        found = [obj for obj in oncall.get("escalation_chains") if obj["name"] == chain["name"]]
        held["steps"][chain["name"]] = len(oncall.get("escalation_policies", escalation_chain_id=found[0]["id"])) \
            if len(found) == 1 else None
    held["routes"] = {}
    for integration in config.get("integrations") or []:
        found = [obj for obj in oncall.get("integrations") if obj["name"] == integration["name"]]
        routes = oncall.get("routes", integration_id=found[0]["id"]) if len(found) == 1 else []
        regexes = [route["routing_regex"] for route in routes if not route.get("is_the_last_route")]
        held["routes"][integration["name"]] = dict((route["routing_regex"], regexes.count(route["routing_regex"]))
                                                   for route in integration.get("routes") or [])
    return held


def oncall_expected(config):
    """One of each declared object, and as many steps and routes as declared."""
    expected = {}
    for collection, key in (("schedules", "schedules"), ("escalation_chains", "escalation_chains"),
                            ("integrations", "integrations"), ("webhooks", "outgoing_webhooks")):
        expected[collection] = dict((obj["name"], 1) for obj in config.get(key) or [])
    expected["on_call_shifts"] = dict((shift["name"], 1) for schedule in config.get("schedules") or []
                                      for shift in schedule.get("shifts") or [])
    expected["steps"] = dict((chain["name"], len(chain.get("steps") or []))
                             for chain in config.get("escalation_chains") or [])
    expected["routes"] = dict((integration["name"], dict((route["routing_regex"], 1)
                                                         for route in integration.get("routes") or []))
                              for integration in config.get("integrations") or [])
    return expected


def delivered(sim, folder):
    """What a run's credentials file holds, name -> whether the secret works (an access policy
    token authenticates; the service account token reads its Grafana's /api/user)."""
    path = folder / "grafana-cloud.env"
    if not path.exists():
        return {}
    values = dict(line.split("=", 1) for line in path.read_text().splitlines() if "=" in line and not line.startswith("#"))
    working = dict((name, sim.sim.authenticate(values.get(key[:-len("_NAME")], "")) is not None)
                   for key, name in values.items() if re.match(r"^GRAFANA_CLOUD_TOKEN_.+_NAME$", key))
    if "GRAFANA_SA_TOKEN" in values:
        working["service account token"] = sim.grafana_user(values["GRAFANA_URL"], values["GRAFANA_SA_TOKEN"]) == 200
    return working


def one_of_each(held):
    return dict((kind, dict((name, 1) for name in counts) if isinstance(counts, dict) else 1)
                for kind, counts in held.items())


def test_two_stack_and_two_oncall_bootstraps_at_once_all_succeed_and_leave_one_of_each(
        sim, ansible_playbook, tmp_path):
    # The four runs of a round go together: the two APIs are apart, and a round takes as long
    # as its slowest run, not as the sum of two pairs.
    declared = yaml.safe_load(STACK_VARS.read_text())
    config = yaml.safe_load(ONCALL_VARS.read_text())["oncall_bootstrap_config"]
    expected_oncall = oncall_expected(config)
    for round_number in range(ROUNDS):
        sim.reset()
        sim.configure(**FAST)
        oncall = OnCall(sim)
        stack_run = (STACK_PLAYBOOK, STACK_VARS, {})
        oncall_run = (ONCALL_PLAYBOOK, ONCALL_VARS, oncall.env)
        runs = all_at_once(ansible_playbook, tmp_path / ("round-%d" % round_number),
                           {"stack-a": stack_run, "stack-b": stack_run, "oncall-a": oncall_run, "oncall-b": oncall_run})

        assert dict((name, run.returncode) for name, run in runs.items()) == dict((name, 0) for name in runs), runs
        held = stack_objects(sim, declared)
        assert held == dict(one_of_each(held), duplicates=[]), "round %d: %s" % (round_number, held)
        # No secret is lost: each one works from one run's file at least. (Not from both: each run
        # has its own file, and a run whose file lacks a token the other created rotates it, which
        # ends the other's copy once the new one is delivered.)
        files = dict((name, delivered(sim, tmp_path / ("round-%d" % round_number) / name)) for name in ("stack-a", "stack-b"))
        working = set(name for held_by_run in files.values() for name, works in held_by_run.items() if works)
        assert working == set([t["name"] for p in declared["stack_bootstrap_access_policies"] for t in p.get("tokens") or []]
                              + ["service account token"]), (round_number, files)
        held = oncall_objects(oncall, config)
        assert held == expected_oncall, "round %d: %s" % (round_number, json.dumps(held))
