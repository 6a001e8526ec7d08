# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The grafana_cloud.platform.stacks inventory, through ansible-inventory and ansible-playbook.

An org's stacks become hosts with their slug, id, region, status, URL, endpoints and labels,
grouped by region and label; an org of 500 stacks is read in one request; compose,
keyed_groups, groups, filters and the cache work; and playbooks/bootstrap_fleet.yml runs the
stack_bootstrap role over several stacks in parallel (forks > 1), a second run changing
nothing.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

from tests.playbooks.conftest import collections_path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
FLEET = REPO / "playbooks" / "bootstrap_fleet.yml"
BIN = Path(sys.executable).parent
ORG_LISTING = "/orgs/simorg/instances"


def environment(sim, tmp_path, **extra):
    env = dict(os.environ)
    env.update({
        "ANSIBLE_COLLECTIONS_PATH": collections_path(),
        "ANSIBLE_ROLES_PATH": str(REPO / "roles"),
        "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
        "ANSIBLE_NOCOLOR": "1",
        "ANSIBLE_DEPRECATION_WARNINGS": "0",
        "ANSIBLE_RETRY_FILES_ENABLED": "0",
        "ANSIBLE_LOCAL_TEMP": str(tmp_path / "ansible-local"),
        "GRAFANA_CLOUD_API_URL": sim.url,
        "GRAFANA_CLOUD_ACCESS_POLICY_TOKEN": sim.token,
    })
    env.update(extra)
    return env


def run(command, sim, tmp_path, **extra):
    completed = subprocess.run([str(BIN / command[0])] + command[1:], cwd=str(tmp_path),
                               env=environment(sim, tmp_path, **extra), stdout=subprocess.PIPE,
                               stderr=subprocess.PIPE, universal_newlines=True, timeout=900, check=False)
    return completed


def inventory_file(tmp_path, name="grafana_cloud.stacks.yml", **options):
    config = dict({"plugin": "grafana_cloud.platform.stacks", "org": "simorg"}, **options)
    path = tmp_path / name
    path.write_text(json.dumps(config))  # JSON is YAML
    return path


def plain(value):
    """The JSON of ansible-inventory without its marking of untrusted (API) strings."""
    if isinstance(value, dict):
        if set(value) == {"__ansible_unsafe"}:
            return value["__ansible_unsafe"]
        return dict((key, plain(item)) for key, item in value.items())
    if isinstance(value, list):
        return [plain(item) for item in value]
    return value


def inventory_list(sim, tmp_path, path, **extra):
    listed = run(["ansible-inventory", "-i", str(path), "--list"], sim, tmp_path, **extra)
    assert listed.returncode == 0, listed.stderr
    return plain(json.loads(listed.stdout))


def listing_requests(sim):
    return [entry for entry in sim.requests() if entry["path"].startswith(ORG_LISTING)]


def hosts_of(listed, group):
    return sorted(listed.get(group, {}).get("hosts", []))


def test_an_org_of_500_stacks_is_read_in_one_request(sim, tmp_path):
    for number in range(500):
        sim.add_stack("fleet%03d" % number, region=("us", "eu")[number % 2],
                      labels={"team": "search" if number % 4 == 0 else "payments"})
    sim.clear_requests()
    listed = inventory_list(sim, tmp_path, inventory_file(tmp_path))

    requests = sim.requests()
    assert [(entry["method"], entry["path"]) for entry in requests] == [("GET", ORG_LISTING)]
    assert "pageSize" not in requests[0]["query"]
    hostvars = listed["_meta"]["hostvars"]
    assert len(hostvars) == 500
    assert len(hosts_of(listed, "region_us")) == 250 and len(hosts_of(listed, "region_eu")) == 250
    assert len(hosts_of(listed, "label_team_search")) == 125
    assert len(hosts_of(listed, "label_team_payments")) == 375


def test_hostvars_groups_compose_filters_and_graph(sim, tmp_path):
    prod = sim.add_stack("prodeu", region="eu", labels={"env": "prod", "team": "payments"},
                         delete_protection=True)
    sim.add_stack("devus", region="us", labels={"env": "dev"})
    sim.add_stack("stageus", region="us", labels={"env": "stage"})
    path = inventory_file(
        tmp_path, include_connections=True,
        filters=[{"exclude": "stack_labels.env | default('') == 'stage'"}],
        compose={"otlp_url": "stack_endpoints.otlp.url", "ansible_connection": "'local'"},
        keyed_groups=[{"key": "stack_labels.env", "prefix": "env"}],
        groups={"protected": "stack_delete_protection"})
    sim.clear_requests()
    listed = inventory_list(sim, tmp_path, path)

    hostvars = listed["_meta"]["hostvars"]
    assert sorted(hostvars) == ["devus", "prodeu"]
    stack = hostvars["prodeu"]
    assert stack["stack_slug"] == "prodeu" and stack["stack_id"] == prod["id"]
    assert stack["stack_region"] == "eu" and stack["stack_status"] == "active"
    assert stack["stack_url"] == "https://prodeu.grafana.net"
    assert stack["stack_labels"] == {"env": "prod", "team": "payments"}
    endpoints = stack["stack_endpoints"]
    assert endpoints["prometheus"] == {"url": prod["hmInstancePromUrl"], "user_id": prod["hmInstancePromId"]}
    assert endpoints["loki"]["user_id"] == prod["hlInstanceId"]
    assert endpoints["tempo"]["url"] == prod["htInstanceUrl"]
    assert endpoints["otlp"]["url"].startswith("https://otlp-gateway-")
    assert endpoints["oncall"]["url"].endswith("/oncall")
    assert stack["otlp_url"] == endpoints["otlp"]["url"] and stack["ansible_connection"] == "local"
    # No token of any kind reaches the inventory.
    assert sim.token not in json.dumps(listed) and "Token" not in json.dumps(hostvars)
    assert hosts_of(listed, "region_eu") == ["prodeu"] and hosts_of(listed, "region_us") == ["devus"]
    assert hosts_of(listed, "label_env_prod") == ["prodeu"]
    assert hosts_of(listed, "env_prod") == ["prodeu"] and hosts_of(listed, "env_dev") == ["devus"]
    assert hosts_of(listed, "protected") == ["prodeu"]
    # One listing, then one connectivity read per stack of the listing, from the v1 family
    # (getStackConnectionsV1, by id).
    ids = dict((slug, hostvars[slug]["stack_id"]) for slug in hostvars)
    ids["stageus"] = next(entry["id"] for entry in sim.sim.state["stack_records"].values() if entry["slug"] == "stageus")
    paths = sorted(entry["path"] for entry in sim.requests())
    assert paths == sorted([ORG_LISTING] + ["/v1/stacks/%d/connections" % ids[slug]
                                            for slug in ("devus", "prodeu", "stageus")])
    assert not [entry for entry in sim.requests() if entry.get("contract_violation")]

    graph = run(["ansible-inventory", "-i", str(path), "--graph"], sim, tmp_path)
    assert graph.returncode == 0, graph.stderr
    assert re.search(r"\|--@region_eu:\n\s*\|  \|--prodeu", graph.stdout), graph.stdout


def test_connections_from_an_api_without_v1_come_from_instances_after_one_404_with_a_warning(sim, tmp_path):
    sim.add_stack("olderone", region="us")
    sim.add_stack("oldertwo", region="us")
    sim.fault("^/v1/stacks", status=404, times=1, body={"code": "NotFound", "message": "Not Found"})
    path = inventory_file(tmp_path, include_connections=True)
    sim.clear_requests()
    listed = run(["ansible-inventory", "-i", str(path), "--list"], sim, tmp_path)
    assert listed.returncode == 0, listed.stderr
    hostvars = plain(json.loads(listed.stdout))["_meta"]["hostvars"]
    assert all(hostvars[slug]["stack_endpoints"]["oncall"]["url"].endswith("/oncall") for slug in hostvars)
    v1 = [entry["path"] for entry in sim.requests() if entry["path"].startswith("/v1/")]
    older = [entry["path"] for entry in sim.requests() if entry["path"].endswith("/connections")
             and entry["path"].startswith("/instances/")]
    assert len(v1) == 1 and len(older) == 2
    assert " ".join(listed.stderr.split()).count("serves no /v1/stacks") == 1


def test_the_cache_spares_the_api(sim, tmp_path):
    sim.add_stack("cached", region="us")
    path = inventory_file(tmp_path, cache=True, cache_plugin="ansible.builtin.jsonfile",
                          cache_connection=str(tmp_path / "cache"), cache_timeout=3600)
    sim.clear_requests()
    first = inventory_list(sim, tmp_path, path)
    second = inventory_list(sim, tmp_path, path)
    assert sorted(first["_meta"]["hostvars"]) == sorted(second["_meta"]["hostvars"]) == ["cached"]
    assert len(listing_requests(sim)) == 1
    cached = "".join(entry.read_text() for entry in (tmp_path / "cache").iterdir())
    assert sim.token not in cached


def test_errors_name_the_request_and_never_the_token(sim, tmp_path):
    path = inventory_file(tmp_path, org="otherorg")
    failed = run(["ansible-inventory", "-i", str(path), "--list"], sim, tmp_path,
                 ANSIBLE_INVENTORY_UNPARSED_FAILED="1")
    assert failed.returncode != 0
    message = " ".join(failed.stderr.split())  # ansible-core 2.17 wraps warnings
    assert "GET /orgs/otherorg/instances" in message and "404" in message
    assert sim.token not in failed.stderr + failed.stdout


def recaps(output):
    return {host: {key: int(value) for key, value in re.findall(r"(\w+)=(\d+)", counts)}
            for host, counts in re.findall(r"^(\S+)\s+:\s+(ok=.*)$", output, re.M)}


def test_bootstrap_fleet_runs_the_role_over_every_stack_in_parallel(sim, tmp_path):
    forks = 4
    sim.configure(stack_plugins_operation_window=0.1)
    slugs = ["fleeta", "fleetb", "fleetc", "fleetd"]
    for index, slug in enumerate(slugs):
        sim.add_stack(slug, region=("us", "eu")[index % 2], labels={"team": "t%d" % index})
    path = inventory_file(tmp_path)
    extra = json.dumps({"stack_bootstrap_plugins": [{"name": "grafana-clock-panel"}]})

    first = run(["ansible-playbook", "-i", str(path), "-f", str(forks), "-e", extra, str(FLEET)], sim, tmp_path)
    assert first.returncode == 0, first.stdout[-12000:]
    counts = recaps(first.stdout)
    assert sorted(counts) == slugs
    assert all(count["changed"] >= 3 and count["failed"] == 0 for count in counts.values()), counts
    writes = [(entry["method"], entry["path"]) for entry in sim.requests() if entry["method"] != "GET"]
    for slug in slugs:
        assert ("POST", "/instances/%s/plugins" % slug) in writes
        # The stacks existed: the role read them, it never created or updated one.
        assert ("POST", "/instances/%s" % slug) not in writes
    policies = [entry["body"]["name"] for entry in sim.requests()
                if entry["method"] == "POST" and entry["path"] == "/v1/accesspolicies"]
    assert sorted(policies) == ["%s-telemetry-writer" % slug for slug in slugs]
    assert not [entry for entry in sim.requests() if entry.get("contract_violation")]
    assert_every_stack_got_working_credentials(sim, tmp_path, slugs)

    sim.clear_requests()
    second = run(["ansible-playbook", "-i", str(path), "-f", str(forks), "-e", extra, str(FLEET)], sim, tmp_path)
    assert second.returncode == 0, second.stdout[-12000:]
    assert all(count["changed"] == 0 for count in recaps(second.stdout).values()), second.stdout[-6000:]
    assert [entry for entry in sim.requests() if entry["method"] != "GET"] == []
    assert_every_stack_got_working_credentials(sim, tmp_path, slugs)


def assert_every_stack_got_working_credentials(sim, start_dir, slugs):
    """Issue 16: the fleet playbook delivers each stack's secrets to its own file (mode 0600)
    under the directory ansible-playbook was started from, and they push to that stack."""
    for slug in slugs:
        secrets = start_dir / "grafana-cloud-secrets" / ("%s.env" % slug)
        assert oct(secrets.stat().st_mode & 0o777) == oct(0o600), secrets
        values = dict(line.split("=", 1) for line in secrets.read_text().splitlines()
                      if line and not line.startswith("#"))
        assert sim.push(values["GRAFANA_CLOUD_PROMETHEUS_URL"], values["GRAFANA_CLOUD_PROMETHEUS_USER"],
                        values["GRAFANA_CLOUD_TOKEN"], "prometheus") == 204, slug


def test_what_the_api_returns_is_never_templated(sim, tmp_path):
    # A description is anyone's text: as a host variable it must stay text, not run.
    sim.add_stack("textstack", region="us", description="{{ 6 * 7 }}")
    playbook = tmp_path / "show.yml"
    playbook.write_text(json.dumps([{
        "name": "Read a host variable", "hosts": "all", "connection": "local", "gather_facts": False,
        "tasks": [{"name": "The description is the text the API holds",
                   "ansible.builtin.assert": {"that": ["stack_description is search('6 \\\\* 7')",
                                                       "stack_description != '42'"]}}]}]))
    shown = run(["ansible-playbook", "-i", str(inventory_file(tmp_path)), str(playbook)], sim, tmp_path)
    assert shown.returncode == 0, shown.stdout[-6000:]
    assert re.search(r"^textstack\s+:\s+ok=1\s", shown.stdout, re.M), shown.stdout
