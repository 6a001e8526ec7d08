#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: plugin_info
short_description: List the plugins installed on a Grafana Cloud stack
version_added: 0.1.0
description:
  - Lists the plugins installed on a stack (C(GET /instances/{stack}/plugins)), or reads one
    (C(GET /instances/{stack}/plugins/{plugin})), each with its installed and latest version.
  - One request either way.
author:
  - grafana_cloud.platform contributors (@grafana-cloud-platform)
options:
  stack:
    description:
      - Slug or numeric id of the stack.
    type: str
    required: true
  plugin:
    description:
      - Slug of one plugin. The result is empty when that plugin is not installed.
    type: str
extends_documentation_fragment:
  - grafana_cloud.platform.gcom
  - grafana_cloud.platform.attributes.INFO_MODULE
  - grafana_cloud.platform.attributes.ACTIONGROUP_CLOUD
"""

EXAMPLES = r"""
- name: List the plugins of a stack
  grafana_cloud.platform.plugin_info:
    stack: acmeprod
  register: installed

- name: Show the plugins with an upgrade available
  ansible.builtin.debug:
    msg: "{{ item.pluginSlug }}: {{ item.version }} -> {{ item.latestVersion }}"
  loop: "{{ installed.plugins }}"
  when: item.version != item.latestVersion

- name: Read one plugin
  grafana_cloud.platform.plugin_info:
    stack: acmeprod
    plugin: grafana-github-datasource
  register: github
"""

RETURN = r"""
plugins:
  description: The installed plugins, as the API returns them.
  returned: always
  type: list
  elements: dict
  contains:
    pluginSlug:
      description: Slug of the plugin.
      type: str
      sample: grafana-github-datasource
    pluginName:
      description: Display name.
      type: str
      sample: GitHub
    version:
      description: The installed version.
      type: str
      sample: 1.3.0
    latestVersion:
      description: The newest version in the catalog.
      type: str
      sample: 1.3.1
  sample:
    - id: 256519
      instanceSlug: acmeprod
      pluginSlug: grafana-github-datasource
      pluginName: GitHub
      version: 1.3.0
      latestVersion: 1.3.1
"""

from ansible_collections.grafana_cloud.platform.plugins.module_utils._gcom import (
    fail_on_problems,
    gcom_client,
    gcom_module,
    run_module,
)
from ansible_collections.grafana_cloud.platform.plugins.module_utils._stacks import (
    PLUGIN_PATTERN,
    stack_path,
    stack_ref_problem,
)


def main():
    module = gcom_module(dict(
        stack=dict(type="str", required=True),
        plugin=dict(type="str"),
    ))
    params = module.params
    problems = [stack_ref_problem(params["stack"])]
    if params["plugin"] is not None and not PLUGIN_PATTERN.match(params["plugin"]):
        problems.append("plugin %r is not a plugin slug (letters, digits, '.', '-' and '_')." % params["plugin"])
    fail_on_problems(module, problems)
    client = gcom_client(module)

    def work():
        if params["plugin"]:
            plugin = client.get_or_none(stack_path(params["stack"], "plugins", params["plugin"]))
            plugins = [plugin] if plugin else []
        else:
            plugins = (client.get(stack_path(params["stack"], "plugins")) or {}).get("items") or []
        return dict(changed=False, plugins=plugins)

    run_module(module, client, work)


if __name__ == "__main__":
    main()
