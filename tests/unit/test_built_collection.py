# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What ``ansible-galaxy collection build`` ships: every file carries the licence header, and the
authors are written one way everywhere.

The collection is built from this checkout (the laid-out copy under build/ when run by
``make test``), so a file added later without a header fails here.
"""

import re
import subprocess
import sys
import tarfile
from pathlib import Path

import pytest
import yaml

COLLECTION = Path(__file__).resolve().parents[2]
AUTHOR = "grafana_cloud.platform contributors (@grafana-cloud-platform)"
COPYRIGHT = re.compile(r"Copyright \(c\) \d{4}(-\d{4})?, grafana_cloud\.platform contributors")
SPDX = "SPDX-License-Identifier: GPL-3.0-or-later"
HEADER_LINES = 12
# Files that cannot carry a header: the licence text itself, and what ansible-galaxy writes
# into the archive. A generated file that would lose a header when regenerated
# (CHANGELOG.rst, changelogs/changelog.yaml) has a "<name>.license" file beside it instead.
NO_HEADER = {"LICENSE", "MANIFEST.json", "FILES.json"}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    """{path in the archive: bytes} of the collection as ansible-galaxy builds it."""
    galaxy = Path(sys.executable).with_name("ansible-galaxy")
    if not galaxy.exists():
        pytest.fail("ansible-galaxy is not installed next to %s" % sys.executable)
    out = tmp_path_factory.mktemp("dist")
    subprocess.run([str(galaxy), "collection", "build", "--output-path", str(out), str(COLLECTION)],
                   check=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    (archive,) = out.glob("grafana_cloud-platform-*.tar.gz")
    with tarfile.open(archive) as tar:
        return {member.name: tar.extractfile(member).read() for member in tar.getmembers() if member.isfile()}


def has_header(data):
    head = "\n".join(data.decode("utf-8", "replace").splitlines()[:HEADER_LINES])
    return bool(COPYRIGHT.search(head)) and SPDX in head


def test_every_shipped_file_has_the_licence_header(built):
    missing = []
    for name, data in sorted(built.items()):
        if name in NO_HEADER or not data.strip():
            continue  # nothing to license in an empty file (ansible-test wants empty __init__.py)
        sidecar = built.get(name + ".license")
        if not has_header(data) and not (sidecar is not None and has_header(sidecar)):
            missing.append(name)
    assert not missing, "files without the licence header (copy the 4 lines of plugins/module_utils/_resource.py):\n" + "\n".join(missing)


def test_nothing_of_the_test_run_is_shipped(built):
    leaked = [name for name in built if name.startswith(("tests/output/", "build/", ".venv"))
              or name == "tests/integration/integration_config.yml"]
    assert not leaked


def test_changelog_is_shipped(built):
    assert "CHANGELOG.rst" in built
    assert "changelogs/changelog.yaml" in built


def documented_authors(data):
    """The author field of a plugin's DOCUMENTATION, as a list."""
    match = re.search(r'^DOCUMENTATION = r?"""(.*?)"""', data.decode("utf-8"), re.MULTILINE | re.DOTALL)
    if not match:
        return None
    author = yaml.safe_load(match.group(1)).get("author")
    return [author] if isinstance(author, str) else author


def test_authors_are_written_one_way(built):
    galaxy = yaml.safe_load(built["MANIFEST.json"])["collection_info"]
    found = {"galaxy.yml authors": galaxy["authors"]}
    for name, data in built.items():
        if name.startswith("plugins/") and name.endswith(".py") and "/module_utils/" not in name:
            authors = documented_authors(data)
            if authors is not None:
                found[name] = authors
        elif re.match(r"roles/[^/]+/meta/main\.ya?ml$", name):
            found[name] = [yaml.safe_load(data)["galaxy_info"]["author"]]
        elif re.match(r"roles/[^/]+/meta/argument_specs\.ya?ml$", name):
            for entry, spec in yaml.safe_load(data)["argument_specs"].items():
                authors = spec.get("author")
                found["%s (%s)" % (name, entry)] = [authors] if isinstance(authors, str) else authors
    wrong = {name: authors for name, authors in found.items() if authors != [AUTHOR]}
    assert not wrong, "authors must read exactly [%r]:\n%s" % (AUTHOR, "\n".join("%s: %r" % item for item in sorted(wrong.items())))
