# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The collection as a user gets it: built with ``ansible-galaxy collection build``, installed
into an empty collections path, it runs the README's example and the bootstrap playbook with
the example vars, by FQCN, against the simulator."""

import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
GALAXY = Path(sys.executable).with_name("ansible-galaxy")


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The collections path the built collection was installed into (and nothing else)."""
    dist = tmp_path_factory.mktemp("dist")
    subprocess.run([str(GALAXY), "collection", "build", "--output-path", str(dist), str(REPO)],
                   check=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    (tarball,) = dist.glob("grafana_cloud-platform-*.tar.gz")
    path = tmp_path_factory.mktemp("collections")
    subprocess.run([str(GALAXY), "collection", "install", "--offline", "--force", "-p", str(path), str(tarball)],
                   check=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    assert sorted(p.name for p in (path / "ansible_collections").iterdir()) == ["grafana_cloud"]
    return path


def only_the_installed(installed, tmp_path):
    """Environment that lets ansible see the installed collection and no role of the checkout."""
    no_roles = tmp_path / "no-roles"
    no_roles.mkdir()
    return {"ANSIBLE_COLLECTIONS_PATH": str(installed), "ANSIBLE_ROLES_PATH": str(no_roles)}


def readme_example():
    """The README's play under "Authentication", as written there."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```yaml\n(.*?)```", text, re.DOTALL)
    (play,) = [block for block in blocks if "grafana_cloud.platform.region_info" in block]
    return play


def test_readme_example_runs_from_the_installed_collection(installed, sim, ansible_playbook, tmp_path):
    playbook = tmp_path / "readme.yml"
    playbook.write_text(readme_example(), encoding="utf-8")

    run = ansible_playbook(playbook, "-e", "vault_grafana_cloud_token=%s" % sim.token,
                           env=only_the_installed(installed, tmp_path))

    assert run.returncode == 0, run
    assert re.search(r"[\"']prod-eu-west-2[\"']", run.output), run
    assert [entry["path"] for entry in sim.requests()] == ["/stack-regions"]


def test_bootstrap_playbook_runs_with_the_example_vars(installed, sim, ansible_playbook, tmp_path):
    collection = installed / "ansible_collections" / "grafana_cloud" / "platform"
    # As a user runs it: from a folder of their own (which the shell exports as PWD). The
    # example vars put the credentials file under build/demo there; the role makes the folders.
    workdir = tmp_path / "work"
    workdir.mkdir()
    run = ansible_playbook("grafana_cloud.platform.bootstrap_stack",
                           "-e", "@%s" % (collection / "playbooks" / "vars" / "simulator.yml"),
                           cwd=workdir, env=dict(only_the_installed(installed, tmp_path), PWD=str(workdir)))

    assert run.returncode == 0, run
    assert "failed=0" in run.output
    stacks = [stack for stack in sim.sim.state["stack_records"].values() if stack["slug"] == "demostack"]
    assert [stack["status"] for stack in stacks] == ["active"]
    written = workdir / "build" / "demo" / "grafana-cloud.env"
    assert "delivered to the file %s: demostack-telemetry-writer" % written in run.output, run
    assert written.is_file() and stat.S_IMODE(written.stat().st_mode) == 0o600
    values = env_values(written)
    assert sim.push(values["GRAFANA_CLOUD_PROMETHEUS_URL"], values["GRAFANA_CLOUD_PROMETHEUS_USER"],
                    values["GRAFANA_CLOUD_TOKEN"], "prometheus") == 204


def env_values(path):
    return dict(line.split("=", 1) for line in path.read_text().splitlines() if line and not line.startswith("#"))


def test_relative_secrets_folders_resolve_against_the_start_directory(installed, sim, ansible_playbook, tmp_path):
    """Issue 16: the minimal bootstrap and rotate_tokens with a relative folder, by FQCN from the
    tarball: the secrets land under the directory ansible-playbook was started from, never inside
    the installed collection, and they work after each run."""
    sim.configure(stacks_ready_after=0.2)
    collection = installed / "ansible_collections" / "grafana_cloud" / "platform"
    workdir = tmp_path / "work"
    workdir.mkdir()
    env = only_the_installed(installed, tmp_path)
    minimal = ("-e", "stack_bootstrap_stack_slug=minimal", "-e", "stack_bootstrap_stack_region=eu",
               "-e", "stack_bootstrap_secrets_dir=secrets")

    first = ansible_playbook("grafana_cloud.platform.bootstrap_stack", *minimal, cwd=workdir, env=env)
    assert first.returncode == 0, first
    secrets_file = workdir / "secrets" / "minimal.env"
    before = env_values(secrets_file)
    assert sim.push(before["GRAFANA_CLOUD_LOKI_URL"], before["GRAFANA_CLOUD_LOKI_USER"],
                    before["GRAFANA_CLOUD_TOKEN"], "loki") == 204

    rotated = ansible_playbook("grafana_cloud.platform.rotate_tokens", "-e", "rotate_tokens_stack=minimal",
                               "-e", "rotate_tokens_within_days=400", "-e", "rotate_tokens_secrets_dir=secrets",
                               cwd=workdir, env=env)

    assert rotated.returncode == 0, rotated
    after = env_values(secrets_file)
    assert after["GRAFANA_CLOUD_TOKEN"] != before["GRAFANA_CLOUD_TOKEN"]
    assert sim.push(after["GRAFANA_CLOUD_LOKI_URL"], after["GRAFANA_CLOUD_LOKI_USER"],
                    after["GRAFANA_CLOUD_TOKEN"], "loki") == 204
    assert sim.push(before["GRAFANA_CLOUD_LOKI_URL"], before["GRAFANA_CLOUD_LOKI_USER"],
                    before["GRAFANA_CLOUD_TOKEN"], "loki") == 401
    assert not list(collection.glob("**/minimal.env")) and not (collection / "playbooks" / "secrets").exists()
