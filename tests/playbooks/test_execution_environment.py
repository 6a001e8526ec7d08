# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The execution environment: `ansible-builder create` on execution-environment/execution-environment.yml.

`create` only writes the build context (no image, no network): the test checks that the
context installs the collection from its requirements.yml and the collection's Python
requirements (requests), and that ansible-builder's own introspection of the laid-out
collection (its meta/execution-environment.yml) finds requests too.
"""

import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from tests.playbooks.conftest import collections_path

REPO = Path(__file__).resolve().parent.parent.parent
DEFINITION = REPO / "execution-environment" / "execution-environment.yml"
BUILDER = Path(sys.executable).parent / "ansible-builder"


def builder_context(tmp_path):
    if not BUILDER.exists():
        pytest.fail("ansible-builder is not installed in this venv (tests/requirements.txt names it)")
    context = tmp_path / "context"
    completed = subprocess.run([str(BUILDER), "create", "-f", str(DEFINITION), "-c", str(context),
                                "--output-filename", "Containerfile"],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True,
                               timeout=300, check=False)
    assert completed.returncode == 0, completed.stdout
    return context


def test_the_definition_is_version_3_and_installs_the_collection(tmp_path):
    definition = yaml.safe_load(DEFINITION.read_text())
    assert definition["version"] == 3
    context = builder_context(tmp_path)
    build = context / "_build"
    python_requirements = (build / "requirements.txt").read_text()
    assert re.search(r"^requests\b", python_requirements, re.M), python_requirements
    galaxy = yaml.safe_load((build / "requirements.yml").read_text())
    assert [entry["name"] for entry in galaxy["collections"]] == ["grafana_cloud.platform"]
    containerfile = (context / "Containerfile").read_text()
    assert "ansible-galaxy collection install" in containerfile and "-r requirements.yml" in containerfile
    assert "COPY _build/requirements.txt requirements.txt" in containerfile


def test_the_builder_finds_the_collection_requirements_by_introspection(tmp_path):
    context = builder_context(tmp_path)
    introspect = context / "_build" / "scripts" / "introspect.py"
    completed = subprocess.run([sys.executable, str(introspect), "introspect", collections_path()],
                               stdout=subprocess.PIPE, stderr=subprocess.STDOUT, universal_newlines=True,
                               timeout=120, check=False)
    assert completed.returncode == 0, completed.stdout
    found = yaml.safe_load(completed.stdout)
    assert any(line.startswith("requests") and "grafana_cloud.platform" in line for line in found["python"]), found
