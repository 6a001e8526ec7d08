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
  - With O(catalog), reads the plugin's entry in the Grafana plugin catalog
    (C(GET /plugins/{plugin}), one request), with its newest version, or whether a given
    O(version) is available; O(stack) may then be left out.
author:
  - grafana_cloud.platform contributors (@grafana-cloud-platform)
options:
  stack:
    description:
      - Slug or numeric id of the stack.
      - Required unless O(catalog=true).
    type: str
  plugin:
    description:
      - Slug of one plugin. The result is empty when that plugin is not installed.
      - Required with O(catalog=true).
    type: str
  catalog:
    description:
      - Also read O(plugin) in the plugin catalog, returned as RV(catalog).
    type: bool
    default: false
  version:
    description:
      - With O(catalog), read this version of the plugin in the catalog instead of the newest;
        RV(catalog) is empty when the catalog has no such version.
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

- name: The installed version and the newest in the catalog, in two requests
  grafana_cloud.platform.plugin_info:
    stack: acmeprod
    plugin: grafana-github-datasource
    catalog: true
  register: github

- name: Is version 1.3.1 available?
  grafana_cloud.platform.plugin_info:
    plugin: grafana-github-datasource
    catalog: true
    version: 1.3.1
  register: wanted
  failed_when: wanted.catalog == {}
"""

RETURN = r"""
catalog:
  description:
    - The catalog entry of O(plugin), as the API returns it (its newest version, or
      O(version)); empty when the catalog has no such plugin or version.
  returned: when O(catalog=true)
  type: dict
  contains:
    slug:
      description: Slug of the plugin.
      type: str
      sample: grafana-github-datasource
    version:
      description: The newest version (or O(version)).
      type: str
      sample: 1.3.1
    typeCode:
      description: V(datasource), V(panel) or V(app).
      type: str
      sample: datasource
  sample:
    slug: grafana-github-datasource
    name: GitHub
    typeCode: datasource
    version: 1.3.1
    versionStatus: active
plugins:
  description: The installed plugins, as the API returns them; empty without O(stack).
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

from ansible_collections.grafana_cloud.platform.plugins.module_utils._client import api_path
from ansible_collections.grafana_cloud.platform.plugins.module_utils._gcom import (
    fail_on_problems,
    gcom_client,
    gcom_module,
    run_module,
)
from ansible_collections.grafana_cloud.platform.plugins.module_utils._stacks import (
    PLUGIN_PATTERN,
    VERSION_PATTERN,
    stack_path,
    stack_ref_problem,
)


def input_problems(params):
    problems = []
    if params["stack"] is not None:
        problems.append(stack_ref_problem(params["stack"]))
    elif not params["catalog"]:
        problems.append("stack is required, unless catalog is true.")
    if params["plugin"] is not None and not PLUGIN_PATTERN.match(params["plugin"]):
        problems.append("plugin %r is not a plugin slug (letters, digits, '.', '-' and '_')." % params["plugin"])
    if params["catalog"] and not params["plugin"]:
        problems.append("plugin is required with catalog: name the plugin to read in the catalog.")
    if params["version"] is not None and not params["catalog"]:
        problems.append("version is only for the catalog: set catalog to true.")
    if params["version"] is not None and not VERSION_PATTERN.match(params["version"]):
        problems.append("version %r is not a plugin version such as 1.3.1." % params["version"])
    return problems


def installed_plugins(client, params):
    """The stack's plugins, or the one named (empty when it is not installed): one request."""
    if params["plugin"]:
        plugin = client.get_or_none(stack_path(params["stack"], "plugins", params["plugin"]))
        return [plugin] if plugin else []
    return (client.get(stack_path(params["stack"], "plugins")) or {}).get("items") or []


def main():
    module = gcom_module(dict(
        stack=dict(type="str"),
        plugin=dict(type="str"),
        catalog=dict(type="bool", default=False),
        version=dict(type="str"),
    ))
    params = module.params
    fail_on_problems(module, input_problems(params))
    client = gcom_client(module)

    def work():
        result = dict(changed=False, plugins=installed_plugins(client, params) if params["stack"] else [])
        if params["catalog"]:
            query = dict(version=params["version"]) if params["version"] else None
            result["catalog"] = client.get_or_none(api_path("plugins", params["plugin"]), params=query) or {}
        return result

    run_module(module, client, work)


if __name__ == "__main__":
    main()
