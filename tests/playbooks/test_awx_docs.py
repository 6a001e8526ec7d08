# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""docs/awx.md works as written: its credential type and project, without AWX.

The credential type's injectors are rendered with Jinja (AWX renders them so, in a sandbox)
for a credential pointing at the simulator; the project files of the page are written out;
then the job template's run is what AWX would start: ansible-playbook over the inventory
file, with the injected environment only (no other URL, token or org), several forks.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import yaml
from jinja2.sandbox import SandboxedEnvironment

from tests.playbooks.conftest import collections_path

REPO = Path(__file__).resolve().parent.parent.parent
PAGE = REPO / "docs" / "awx.md"
BIN = Path(sys.executable).parent
BLOCK = r"<!-- %s: %s -->\n```yaml\n(.*?)\n```"


def page_block(kind, name):
    match = re.search(BLOCK % (kind, re.escape(name)), PAGE.read_text(), re.S)
    assert match, "docs/awx.md has no %s block %r" % (kind, name)
    return match.group(1)


def injected_env(credential_type, inputs):
    """The environment AWX gives a job with a credential of this type and these inputs."""
    defaults = dict((field["id"], field.get("default", "")) for field in credential_type["inputs"]["fields"])
    values = dict(defaults, **inputs)
    jinja = SandboxedEnvironment()
    return dict((name, jinja.from_string(template).render(**values))
                for name, template in credential_type["injectors"]["env"].items())


def test_the_credential_types_inject_what_the_collection_reads():
    cloud = yaml.safe_load(page_block("credential-type", "Grafana Cloud"))
    irm = yaml.safe_load(page_block("credential-type", "Grafana IRM"))
    assert set(cloud["injectors"]["env"]) == {"GRAFANA_CLOUD_API_URL", "GRAFANA_CLOUD_ACCESS_POLICY_TOKEN",
                                              "GRAFANA_CLOUD_ORG"}
    assert set(irm["injectors"]["env"]) == {"GRAFANA_URL", "GRAFANA_ONCALL_API_URL", "GRAFANA_ONCALL_ACCESS_TOKEN",
                                            "GRAFANA_INCIDENT_ACCESS_TOKEN"}
    for credential_type in (cloud, irm):
        fields = dict((field["id"], field) for field in credential_type["inputs"]["fields"])
        assert set(credential_type["inputs"]["required"]) <= set(fields)
        # Every secret input is marked secret, so AWX never shows it.
        assert all(fields[name].get("secret") for name in fields if "token" in name)
    # The names are the ones the modules and the inventory read.
    gcom = (REPO / "plugins" / "module_utils" / "_gcom.py").read_text()
    inventory = (REPO / "plugins" / "inventory" / "stacks.py").read_text()
    for name in cloud["injectors"]["env"]:
        assert name in gcom or "name: %s" % name in inventory, name
    # An empty URL field still gives the modules a URL.
    assert injected_env(cloud, {"cloud_access_policy_token": "t", "org": "o", "cloud_api_url": ""})[
        "GRAFANA_CLOUD_API_URL"] == "https://grafana.com/api"


def test_the_job_template_runs_the_project_over_the_inventory_source(sim, tmp_path):
    sim.configure(stack_plugins_operation_window=0.1)
    for slug, region in (("awxone", "us"), ("awxtwo", "eu"), ("awxthree", "us")):
        sim.add_stack(slug, region=region)
    project = tmp_path / "project"
    for name in ("inventory/grafana_cloud.stacks.yml", "bootstrap.yml", "inventory/group_vars/all.yml"):
        path = project / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(page_block("file", name) + "\n")
    cloud = yaml.safe_load(page_block("credential-type", "Grafana Cloud"))
    env = dict((key, value) for key, value in os.environ.items() if not key.startswith("GRAFANA_"))
    env.update(injected_env(cloud, {"cloud_api_url": sim.url, "cloud_access_policy_token": sim.token,
                                    "org": "simorg"}))
    env.update({"ANSIBLE_COLLECTIONS_PATH": collections_path(), "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
                "ANSIBLE_NOCOLOR": "1", "ANSIBLE_LOCAL_TEMP": str(tmp_path / "ansible-local"),
                "ANSIBLE_DEPRECATION_WARNINGS": "0"})

    def run(*command):
        return subprocess.run([str(BIN / command[0])] + list(command[1:]), cwd=str(project), env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True,
                              timeout=900, check=False)

    # The inventory sync.
    sim.clear_requests()
    synced = run("ansible-inventory", "-i", "inventory/grafana_cloud.stacks.yml", "--list")
    assert synced.returncode == 0, synced.stdout
    hosts = sorted(json.loads(synced.stdout[synced.stdout.index("{"):])["_meta"]["hostvars"])
    assert hosts == ["awxone", "awxthree", "awxtwo"]
    assert [entry["path"] for entry in sim.requests()] == ["/orgs/simorg/instances"]

    # The job.
    sim.clear_requests()
    job = run("ansible-playbook", "-i", "inventory/grafana_cloud.stacks.yml", "-f", "3", "bootstrap.yml")
    assert job.returncode == 0, job.stdout[-12000:]
    recap = dict(re.findall(r"^(\S+)\s+:\s+ok=\d+\s+changed=(\d+)\s+unreachable=0\s+failed=0", job.stdout, re.M))
    assert sorted(recap) == hosts and all(int(changed) > 0 for changed in recap.values()), job.stdout[-6000:]
    installed = sorted(entry["path"] for entry in sim.requests()
                       if entry["method"] == "POST" and entry["path"].endswith("/plugins"))
    assert installed == ["/instances/%s/plugins" % slug for slug in hosts]
    assert sim.token not in job.stdout
