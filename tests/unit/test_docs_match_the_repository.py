# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the docs say about the repository still holds: versions and the layout table."""

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent.parent


def test_the_awx_page_tags_the_image_with_the_collections_version():
    version = yaml.safe_load((ROOT / "galaxy.yml").read_text())["version"]
    tags = re.findall(r"grafana-cloud-ee:([\w.\-]+)", (ROOT / "docs" / "awx.md").read_text())
    assert tags and set(tags) == {version}, "docs/awx.md tags the image %s; galaxy.yml says %s" % (
        sorted(set(tags)), version)


def test_the_development_layout_names_every_module_util():
    """docs/development.md's layout table lists every file of plugins/module_utils."""
    text = (ROOT / "docs" / "development.md").read_text()
    layout = text[text.index("## Layout"):text.index("## Writing a resource module")]
    missing = [path.name for path in sorted((ROOT / "plugins" / "module_utils").glob("_*.py"))
               if "`%s`" % path.name not in layout and "`plugins/module_utils/%s`" % path.name not in layout]
    assert not missing, "docs/development.md's layout leaves out %s" % ", ".join(missing)
