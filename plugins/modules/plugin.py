#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: plugin
short_description: Install, upgrade and remove plugins on a Grafana Cloud stack
version_added: 0.1.0
description:
  - Installs a plugin on a stack (C(POST /instances/{stack}/plugins)), changes its version in
    place (C(POST /instances/{stack}/plugins/{plugin})) and removes it.
  - The installed plugin is read first, with one request; a re-run that changes nothing sends
    only that read. An HTTP 409 is never taken to mean "already installed".
  - While another plugin operation runs on the stack, the API answers HTTP 409 "operation in
    progress"; the module retries with a growing backoff for up to two minutes, then fails
    saying so.
author:
  - grafana_cloud.platform contributors (@grafana-cloud-platform)
options:
  stack:
    description:
      - Slug or numeric id of the stack.
      - The alias O(stack_slug) is the option's name in C(grafana.grafana.cloud_plugin).
    type: str
    required: true
    aliases: [stack_slug]
  plugin:
    description:
      - Slug of the plugin, for example V(grafana-github-datasource).
      - The alias O(name) is the option's name in C(grafana.grafana.cloud_plugin).
    type: str
    required: true
    aliases: [name]
  version:
    description:
      - The version to have installed.
      - With O(state=present) and no version, the latest version is installed and an installed
        plugin is left at its version. A version different from the installed one changes it
        in place.
      - V(latest) (any case), as users of C(grafana.grafana.cloud_plugin) write it, means
        O(state=latest), not a version named C(latest); the plugin is kept on its newest version.
      - Other versions are not allowed with O(state=latest).
    type: str
  state:
    description:
      - V(present) installs the plugin (at O(version) when set).
      - V(latest) installs or upgrades it, in place, to the newest version of the plugin
        catalog (C(GET /plugins/{plugin})).
      - V(absent) removes it.
    type: str
    choices: [present, absent, latest]
    default: present
extends_documentation_fragment:
  - grafana_cloud.platform.gcom
  - grafana_cloud.platform.attributes
  - grafana_cloud.platform.attributes.ACTIONGROUP_CLOUD
"""

EXAMPLES = r"""
- name: Install the GitHub data source
  grafana_cloud.platform.plugin:
    stack: acmeprod
    plugin: grafana-github-datasource

- name: Pin a version
  grafana_cloud.platform.plugin:
    stack: acmeprod
    plugin: grafana-github-datasource
    version: 1.3.0

- name: Keep a plugin on its newest version
  grafana_cloud.platform.plugin:
    stack: acmeprod
    plugin: grafana-clock-panel
    state: latest

- name: Remove a plugin
  grafana_cloud.platform.plugin:
    stack: acmeprod
    plugin: grafana-worldmap-panel
    state: absent
"""

RETURN = r"""
plugin:
  description:
    - The installed plugin as the API returns it; empty after O(state=absent).
    - In check mode, the predicted plugin.
  returned: always
  type: dict
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
      sample: 1.3.1
    latestVersion:
      description: The newest version in the catalog.
      type: str
      sample: 1.3.1
    instanceSlug:
      description: Slug of the stack.
      type: str
      sample: acmeprod
    instanceId:
      description: Id of the stack.
      type: int
      sample: 507363
  sample:
    id: 256519
    instanceId: 507363
    instanceSlug: acmeprod
    instanceUrl: https://acmeprod.grafana.net
    pluginId: 663
    pluginSlug: grafana-github-datasource
    pluginName: GitHub
    version: 1.3.1
    latestVersion: 1.3.1
pluginId:
  description:
    - The id of the plugin in the catalog (C(plugin.pluginId)), under the name C(grafana.grafana.cloud_plugin) returned it.
    - B(Deprecated), for tasks written for C(grafana.grafana.cloud_plugin) (removed in 2.0.0); use RV(plugin).
  returned: when the plugin is installed, or was before this task removed it
  type: int
  sample: 663
pluginName:
  description:
    - Same as RV(plugin.pluginName), for tasks written for C(grafana.grafana.cloud_plugin).
    - B(Deprecated), for tasks written for C(grafana.grafana.cloud_plugin) (removed in 2.0.0); use RV(plugin).
  returned: when the plugin is installed, or was before this task removed it
  type: str
  sample: GitHub
pluginSlug:
  description:
    - Same as RV(plugin.pluginSlug), for tasks written for C(grafana.grafana.cloud_plugin).
    - B(Deprecated), for tasks written for C(grafana.grafana.cloud_plugin) (removed in 2.0.0); use RV(plugin).
  returned: when the plugin is installed, or was before this task removed it
  type: str
  sample: grafana-github-datasource
current_version:
  description:
    - Same as RV(plugin.version), for tasks written for C(grafana.grafana.cloud_plugin).
    - B(Deprecated), for tasks written for C(grafana.grafana.cloud_plugin) (removed in 2.0.0); use RV(plugin).
  returned: when the plugin is installed, or was before this task removed it
  type: str
  sample: 1.3.1
latest_version:
  description:
    - Same as RV(plugin.latestVersion), for tasks written for C(grafana.grafana.cloud_plugin).
    - B(Deprecated), for tasks written for C(grafana.grafana.cloud_plugin) (removed in 2.0.0); use RV(plugin).
  returned: when the plugin is installed, or was before this task removed it
  type: str
  sample: 1.3.1
"""

from ansible_collections.grafana_cloud.platform.plugins.module_utils._client import api_path
from ansible_collections.grafana_cloud.platform.plugins.module_utils._gcom import fail_on_problems, gcom_module, run_resource
from ansible_collections.grafana_cloud.platform.plugins.module_utils._migration import legacy_plugin_keys
from ansible_collections.grafana_cloud.platform.plugins.module_utils._resource import CreatedConcurrently, Field, Resource
from ansible_collections.grafana_cloud.platform.plugins.module_utils._stacks import (
    PLUGIN_PATTERN,
    VERSION_PATTERN,
    Deadline,
    retry_in_progress,
    stack_path,
    stack_ref_problem,
)

# How long "operation in progress" answers are retried before the task fails.
OPERATION_BUDGET = 120
LATEST = "latest"


class StackPlugin(Resource):
    resource_key = "plugin"
    fields = (Field("version"),)

    def __init__(self, module, client):
        super(StackPlugin, self).__init__(module, client)
        self.stack = self.params["stack"]
        self.slug = self.params["plugin"]
        self.deadline = Deadline(OPERATION_BUDGET)
        self._latest = None
        if (self.params["version"] or "").strip().lower() == LATEST:
            # grafana.grafana.cloud_plugin's way of saying state=latest; no version has this name.
            self.params["version"] = None
            if self.params["state"] == "present":
                self.params["state"] = "latest"

    def describe(self):
        return "plugin %r on stack %r" % (self.slug, self.stack)

    def validate(self):
        problems = [stack_ref_problem(self.stack)]
        if not PLUGIN_PATTERN.match(self.slug or ""):
            problems.append("plugin %r is not a plugin slug (letters, digits, '.', '-' and '_')." % self.slug)
        version = self.params["version"]
        if version is not None and not VERSION_PATTERN.match(version):
            problems.append("version %r is not a plugin version, such as 1.3.1." % version)
        if version is not None and self.params["state"] == "latest":
            problems.append("version and state=latest exclude each other: pin a version with "
                            "state=present, or drop version.")
        fail_on_problems(self.module, problems)

    # -- requests, each retried while another operation runs on the stack -------------------

    def call(self, function, *args, **kwargs):
        return retry_in_progress(lambda: function(*args, **kwargs), self.deadline, self.retries)

    def plugin_path(self):
        return stack_path(self.stack, "plugins", self.slug)

    def latest_version(self):
        """The newest version in the catalog (``GET /plugins/{slug}``), read once."""
        if self._latest is None:
            self._latest = self.client.get(api_path("plugins", self.slug))["version"]
        return self._latest

    # -- engine hooks ----------------------------------------------------------------------

    def find(self):
        return self.call(self.client.get_or_none, self.plugin_path())

    def current_values(self, obj):
        return dict(version=obj.get("version"))

    def desired_values(self, current=None):
        if self.params["state"] == "latest":
            return dict(version=self.latest_version())
        if self.params["version"] is not None:
            return dict(version=self.params["version"])
        return {}

    def create(self, values):
        body = dict(plugin=self.slug)
        if values.get("version"):
            body["version"] = values["version"]
        return self.call(self.client.post, stack_path(self.stack, "plugins"), json=body)

    def update(self, obj, changes, values):
        return self.call(self.client.post, self.plugin_path(), json=dict(version=changes["version"]))

    def delete(self, obj):
        return self.call(self.client.delete, self.plugin_path())

    def predict_updated(self, obj, changes, values):
        return dict(obj, version=changes["version"])

    def result(self, changed, obj, before, after, secret=None):
        result = super(StackPlugin, self).result(changed, obj, before, after, secret)
        # grafana.grafana.cloud_plugin returned the API's answer to its DELETE too: the plugin
        # as it was, which is what find() read.
        result.update(legacy_plugin_keys(obj or self.found))
        return result

    def ensure_created(self):
        desired = self.desired_values()
        if self.module.check_mode:
            version = desired.get("version") or self.latest_version()
            predicted = dict(pluginSlug=self.slug, version=version, latestVersion=self.latest_version())
            predicted["instanceId" if self.stack.isdigit() else "instanceSlug"] = self.stack
            return self.result(True, predicted, before={}, after=dict(version=version))
        try:
            created = self.create_or_adopt(desired)
        except CreatedConcurrently as race:
            # Installed by another run since the lookup: compared and updated as on any run.
            return self.ensure_adopted(race.adopted)
        return self.result(True, created, before={}, after=dict(version=created.get("version")))


def main():
    module = gcom_module(dict(
        stack=dict(type="str", required=True, aliases=["stack_slug"]),
        plugin=dict(type="str", required=True, aliases=["name"]),
        version=dict(type="str"),
        state=dict(type="str", choices=["present", "absent", "latest"], default="present"),
    ))
    run_resource(module, StackPlugin)


if __name__ == "__main__":
    main()
