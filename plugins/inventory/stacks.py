# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
name: stacks
short_description: The stacks of a Grafana Cloud org as inventory hosts
version_added: 0.1.0
description:
  - Lists the stacks of a Grafana Cloud org (C(GET /orgs/{org}/instances)) and makes each one
    a host named after its slug, so that a play runs against every stack in parallel, with
    Ansible's forks, instead of looping over stacks in one task.
  - The listing stays on C(/orgs/{org}/instances), because the C(/v1/stacks) listing gives ten fields a
    stack (no status, no databases, no cluster), which the host variables need.
  - The listing is read in as few requests as the API allows. The request sends no
    C(pageSize), so the API answers with its own page size (a million stacks); further
    pages, if the API ever answers with several, are followed.
  - Each host gets the host variables C(stack_slug), C(stack_id), C(stack_name),
    C(stack_org), C(stack_region), C(stack_cluster), C(stack_status), C(stack_url),
    C(stack_description), C(stack_delete_protection), C(stack_labels) and
    C(stack_endpoints). C(stack_endpoints) has C(prometheus), C(loki), C(tempo),
    C(alertmanager), C(graphite) and C(profiles), each with C(url) and C(user_id) (the
    basic-auth user of that database); with O(include_connections), also C(otlp) and
    C(oncall), each with C(url).
  - Hosts are grouped by region (C(region_<region>)) and by label (C(label_<key>_<value>))
    unless O(group_by_region) or O(group_by_labels) say otherwise; O(keyed_groups),
    O(groups) and O(compose) add more, and O(filters) leaves stacks out.
  - The hosts are API objects, not machines. Run plays over them with a local connection
    (the play keyword C(connection) set to C(local)), or set C(ansible_connection) with O(compose).
  - The configuration file name must end with C(stacks.yml) or C(stacks.yaml).
author:
  - grafana_cloud.platform contributors (@grafana-cloud-platform)
requirements:
  - requests >= 2.25
extends_documentation_fragment:
  - ansible.builtin.constructed
  - ansible.builtin.inventory_cache
options:
  plugin:
    description: The name of this plugin; it makes the file a configuration of this plugin.
    type: str
    required: true
    choices: [grafana_cloud.platform.stacks]
  org:
    description:
      - Slug (or numeric id) of the Grafana Cloud org whose stacks are listed.
    type: str
    required: true
    env:
      - name: GRAFANA_CLOUD_ORG
  cloud_api_url:
    description:
      - Base URL of the Grafana Cloud API, as for the modules.
    type: str
    default: https://grafana.com/api
    env:
      - name: GRAFANA_CLOUD_API_URL
  cloud_access_policy_token:
    description:
      - A Grafana Cloud access policy token with the C(stacks:read) scope, as for the
        modules. It may be a template, for example a vault variable or an C(env) lookup.
      - It is never part of the inventory, its cache or its errors. Prefer the environment
        variable over writing the token in the file.
    type: str
    required: true
    env:
      - name: GRAFANA_CLOUD_ACCESS_POLICY_TOKEN
  request_timeout:
    description: Seconds to wait for each HTTP answer.
    type: float
    default: 30
  max_retries:
    description:
      - How many times a request is retried after HTTP 429, 502, 503, 504 or a connection
        error (waiting for C(Retry-After) or a jittered backoff).
    type: int
    default: 5
  validate_certs:
    description: Whether to verify the TLS certificate of the API.
    type: bool
    default: true
  regions:
    description:
      - Only the stacks of these regions (region slugs, for example V(us) or V(prod-eu-west-2)).
      - All regions when empty.
    type: list
    elements: str
    default: []
  include_connections:
    description:
      - Whether to read each stack's connectivity information (C(GET /v1/stacks/{id}/connections);
        C(GET /instances/{stack}/connections), with a warning, where the API serves no C(/v1/stacks))
        for its OTLP and OnCall URLs (C(stack_endpoints.otlp.url), C(stack_endpoints.oncall.url)).
      - That is one more request per stack.
    type: bool
    default: false
  group_by_region:
    description: Whether to put each stack in the group C(region_<region>).
    type: bool
    default: true
  group_by_labels:
    description: Whether to put each stack in one group C(label_<key>_<value>) per label.
    type: bool
    default: true
  filters:
    description:
      - Which stacks become hosts. Each entry has one key, C(include) or C(exclude), whose value
        is a Jinja2 condition over the host variables above; the first entry whose condition
        holds decides. A stack that no entry decides on is included.
      - For example, an entry C(exclude) with the condition C(stack_status != 'active') leaves
        out the stacks being deleted.
    type: list
    elements: dict
    default: []
notes:
  - Stacks whose status is C(deleted) are never listed.
  - Only reads; nothing is changed in Grafana Cloud.
"""

EXAMPLES = r"""
# grafana_cloud.stacks.yml: every stack of the org, grouped by region and label.
# The token comes from GRAFANA_CLOUD_ACCESS_POLICY_TOKEN.
plugin: grafana_cloud.platform.stacks
org: myorg

---
# prod.stacks.yml: the active stacks labelled env=prod, with their OTLP and OnCall URLs,
# a group per team, and the OTLP URL as a short variable.
plugin: grafana_cloud.platform.stacks
org: myorg
include_connections: true
filters:
  - exclude: "stack_status != 'active'"
  - include: "stack_labels.env | default('') == 'prod'"
  - exclude: true
keyed_groups:
  - key: stack_labels.team | default('none')
    prefix: team
groups:
  protected: stack_delete_protection
compose:
  otlp_url: stack_endpoints.otlp.url
  ansible_connection: "'local'"
cache: true
cache_plugin: ansible.builtin.jsonfile
cache_connection: ~/.cache/grafana_cloud_stacks
cache_timeout: 300
"""

from ansible.errors import AnsibleError, AnsibleParserError
from ansible.module_utils.common.text.converters import to_native
from ansible.module_utils.parsing.convert_bool import boolean
from ansible.plugins.inventory import BaseInventoryPlugin, Cacheable, Constructable
from ansible.utils.unsafe_proxy import wrap_var

from ansible_collections.grafana_cloud.platform.plugins.module_utils._client import (
    HAS_REQUESTS,
    GrafanaCloudAPIError,
    GrafanaCloudClient,
    api_path,
)
from ansible_collections.grafana_cloud.platform.plugins.module_utils._gcom import URL_HELP
from ansible_collections.grafana_cloud.platform.plugins.module_utils._pagination import iter_pages
from ansible_collections.grafana_cloud.platform.plugins.module_utils._stacks import StacksV1, stack_endpoints

FILE_SUFFIXES = ("stacks.yml", "stacks.yaml")


def stack_hostvars(stack, connections=None):
    """The host variables of one stack: only the documented fields (no usage counters,
    no tokens the API object may carry)."""
    endpoints = stack_endpoints(stack)
    if connections is not None:
        endpoints["otlp"] = dict(url=connections.get("otlpHttpUrl"))
        endpoints["oncall"] = dict(url=connections.get("oncallApiUrl"))
    return dict(
        stack_slug=stack.get("slug"),
        stack_id=stack.get("id"),
        stack_name=stack.get("name"),
        stack_org=stack.get("orgSlug"),
        stack_region=stack.get("regionSlug"),
        stack_cluster=stack.get("clusterSlug"),
        stack_status=stack.get("status"),
        stack_url=stack.get("url"),
        stack_description=stack.get("description") or "",
        stack_delete_protection=bool(stack.get("deleteProtection")),
        stack_labels=dict(stack.get("labels") or {}),
        stack_endpoints=endpoints,
    )


class InventoryModule(BaseInventoryPlugin, Constructable, Cacheable):
    NAME = "grafana_cloud.platform.stacks"

    def verify_file(self, path):
        return super(InventoryModule, self).verify_file(path) and path.endswith(FILE_SUFFIXES)

    def parse(self, inventory, loader, path, cache=True):
        super(InventoryModule, self).parse(inventory, loader, path, cache)
        self._read_config_data(path)
        records = self._cached_records(self.get_cache_key(path), cache)
        for hostvars in records:
            if self._wanted(hostvars):
                self._add_stack(hostvars)

    # -- reading, through the cache ---------------------------------------------------------

    def _cached_records(self, cache_key, cache):
        use_cache = self.get_option("cache")
        if use_cache and cache:
            try:
                return self._cache[cache_key]
            except KeyError:
                pass
        records = self._fetch_records()
        if use_cache:
            self._cache[cache_key] = records
        return records

    def _fetch_records(self):
        client = self._client()
        regions = set(self.get_option("regions") or [])
        records = []
        warnings = []
        stacks_v1 = StacksV1(client, warnings)
        try:
            for stack in iter_pages(client, api_path("orgs", self._option("org"), "instances"), page_size=None):
                if stack.get("status") == "deleted" or (regions and stack.get("regionSlug") not in regions):
                    continue
                connections = None
                if self.get_option("include_connections"):
                    connections = stacks_v1.connections(stack)
                records.append(stack_hostvars(stack, connections))
        except GrafanaCloudAPIError as error:
            raise AnsibleParserError("Could not list the stacks of org %r: %s" % (self._option("org"), to_native(error)))
        for warning in warnings:
            self.display.warning(warning)
        return records

    def _client(self):
        if not HAS_REQUESTS:
            raise AnsibleError("The grafana_cloud.platform.stacks inventory needs the Python library "
                               "requests on the controller: pip install requests")
        token = self._option("cloud_access_policy_token")
        if not token:
            raise AnsibleParserError("No Grafana Cloud access policy token: set cloud_access_policy_token "
                                     "or the GRAFANA_CLOUD_ACCESS_POLICY_TOKEN environment variable.")
        return GrafanaCloudClient(
            base_url=self._option("cloud_api_url"),
            token=token,
            timeout=self.get_option("request_timeout"),
            max_retries=self.get_option("max_retries"),
            validate_certs=self.get_option("validate_certs"),
            token_origin="the inventory source's cloud_access_policy_token or the "
                         "GRAFANA_CLOUD_ACCESS_POLICY_TOKEN environment variable",
            url_help=URL_HELP,
        )

    def _option(self, name):
        """An option's value; templated when it is a template (a vault variable, a lookup)."""
        value = self.get_option(name)
        if isinstance(value, str) and self.templar.is_template(value):
            value = self.templar.template(value)
        return value

    # -- building the inventory --------------------------------------------------------------

    def _wanted(self, hostvars):
        """The first filter whose condition holds decides; no filter deciding means include."""
        for entry in self.get_option("filters") or []:
            if not isinstance(entry, dict) or len(entry) != 1 or not set(entry) <= {"include", "exclude"}:
                raise AnsibleParserError("Each entry of filters takes one key, include or exclude; got %r." % (entry,))
            action, condition = next(iter(entry.items()))
            if self._holds(condition, hostvars):
                return action == "include"
        return True

    def _holds(self, condition, hostvars):
        if isinstance(condition, bool):
            return condition
        try:
            return boolean(self._compose(condition, hostvars), strict=False)
        except Exception as error:  # a template error names the condition, whatever its type
            raise AnsibleParserError("Could not evaluate the filter %r for stack %r: %s"
                                     % (condition, hostvars.get("stack_slug"), to_native(error)))

    def _add_stack(self, hostvars):
        host = hostvars["stack_slug"]
        self.inventory.add_host(host)
        for name, value in hostvars.items():
            # What the API returns is data, never a template (a description holding "{{ }}"
            # must not run); ansible-core 2.19+ treats it so anyway, 2.17 needs the marking.
            self.inventory.set_variable(host, name, wrap_var(value))
        if self.get_option("group_by_region") and hostvars["stack_region"]:
            self._add_to_group("region_%s" % hostvars["stack_region"], host)
        if self.get_option("group_by_labels"):
            for key, value in sorted(hostvars["stack_labels"].items()):
                self._add_to_group("label_%s_%s" % (key, value), host)
        strict = self.get_option("strict")
        self._set_composite_vars(self.get_option("compose"), hostvars, host, strict=strict)
        self._add_host_to_composed_groups(self.get_option("groups"), hostvars, host, strict=strict)
        self._add_host_to_keyed_groups(self.get_option("keyed_groups"), hostvars, host, strict=strict)

    def _add_to_group(self, name, host):
        group = self.inventory.add_group(self._sanitize_group_name(name))
        self.inventory.add_child(group, host)
