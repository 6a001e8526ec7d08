#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: stack_info
short_description: Read Grafana Cloud stacks
version_added: 0.1.0
description:
  - Reads one stack by O(slug) or O(id) (C(GET /instances/{slug or id})), or the stacks of an
    org (C(GET /orgs/{org}/instances), following the page paging), optionally filtered.
  - Those reads stay on C(/instances), because the C(/v1/stacks) stack object has ten fields (no status,
    no databases, no cluster) and its listing filters nothing, so it would take more requests for
    less. The connections come from C(/v1/stacks) (see O(include_connections)).
  - Each stack comes with the same C(endpoints) as M(grafana_cloud.platform.stack) returns,
    and on request its connections, data sources and installed plugins (one more request
    per stack for each).
  - Deleted stacks are not returned.
author:
  - grafana_cloud.platform contributors (@grafana-cloud-platform)
options:
  slug:
    description:
      - Slug of the one stack to read. Mutually exclusive with O(id) and O(org).
    type: str
  id:
    description:
      - Numeric id of the one stack to read. Mutually exclusive with O(slug) and O(org).
    type: int
  org:
    description:
      - Slug of the org whose stacks to list. Required when neither O(slug) nor O(id) is set.
    type: str
  name:
    description:
      - With O(org), only the stack with this name (filtered by the API).
    type: str
  cluster:
    description:
      - With O(org), only the stacks on this cluster, for example V(prod-us-central-0)
        (filtered by the API).
    type: str
  region:
    description:
      - With O(org), only the stacks in this region slug.
    type: str
  labels:
    description:
      - With O(org), only the stacks that carry all these labels with these values.
    type: dict
  include_connections:
    description:
      - Add C(connections) to each stack (C(GET /v1/stacks/{id}/connections)), with the
        OnCall API URL, the OTLP URL, private connectivity and more.
      - The answer of the v1 route (C(tenants) with each database's type, id and URL, C(otlp),
        C(services), C(appPlatform), C(pdc)) comes with the keys of the older
        C(/instances/{slug}/connections) answer that playbooks read (C(oncallApiUrl), C(otlpHttpUrl),
        C(influxUrl), C(otlpMultiAZ), C(privateConnectivityInfo)).
      - Where the API serves no C(/v1/stacks) (it answers 404), the older route's answer, with a
        warning, for the rest of the run.
    type: bool
    default: false
  include_datasources:
    description:
      - Add C(datasources) to each stack (C(GET /instances/{slug}/datasources)).
    type: bool
    default: false
  include_plugins:
    description:
      - Add C(plugins), the plugins installed on each stack (C(GET /instances/{slug}/plugins)).
    type: bool
    default: false
extends_documentation_fragment:
  - grafana_cloud.platform.gcom
  - grafana_cloud.platform.attributes.INFO_MODULE
  - grafana_cloud.platform.attributes.ACTIONGROUP_CLOUD
"""

EXAMPLES = r"""
- name: Read one stack with its connections
  grafana_cloud.platform.stack_info:
    slug: acmeprod
    include_connections: true
  register: prod

- name: Show the OTLP endpoint
  ansible.builtin.debug:
    msg: "{{ prod.stacks[0].connections.otlpHttpUrl }}"

- name: List the production stacks of an org
  grafana_cloud.platform.stack_info:
    org: acme
    labels:
      env: prod
  register: production
"""

RETURN = r"""
stacks:
  description:
    - The stacks, as the API returns them, each with C(endpoints) (see
      M(grafana_cloud.platform.stack)) and, when asked for, C(connections), C(datasources) and
      C(plugins).
    - Empty when the stack named by O(slug) or O(id) does not exist or is deleted.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: Numeric id of the stack.
      type: int
      sample: 507363
    slug:
      description: The slug.
      type: str
      sample: acmeprod
    orgId:
      description: Numeric id of the org.
      type: int
      sample: 652992
    endpoints:
      description: URL and user id of the Prometheus, Loki, Tempo, Alertmanager, Graphite and profiles endpoints.
      type: dict
      sample: {prometheus: {url: "https://prometheus-us-central1.grafana.net", user_id: 715391}}
    connections:
      description:
        - The stack's connectivity info (with O(include_connections)), as C(GET /v1/stacks/{id}/connections)
          answers it, plus the keys of the older C(/instances/{slug}/connections) answer.
      type: dict
      returned: when O(include_connections=true)
      sample:
        tenants: [{type: prometheus, id: 715391, url: "https://prometheus-prod-us-east-0.grafana.net"}]
        otlp: {url: "https://otlp-gateway-prod-us-east-0.grafana.net", multiAZ: false}
        services: {oncallApiUrl: "https://oncall-prod-us-east-0.grafana.net/oncall"}
        oncallApiUrl: https://oncall-prod-us-east-0.grafana.net/oncall
        otlpHttpUrl: https://otlp-gateway-prod-us-east-0.grafana.net
        privateConnectivityInfo: {tenants: [{type: prometheus, id: 715391}]}
    datasources:
      description: The stack's data sources (with O(include_datasources)).
      type: list
      elements: dict
      returned: when O(include_datasources=true)
    plugins:
      description: The plugins installed on the stack (with O(include_plugins)).
      type: list
      elements: dict
      returned: when O(include_plugins=true)
"""

from ansible_collections.grafana_cloud.platform.plugins.module_utils._client import api_path
from ansible_collections.grafana_cloud.platform.plugins.module_utils._gcom import (
    fail_on_problems,
    gcom_client,
    gcom_module,
    run_module,
)
from ansible_collections.grafana_cloud.platform.plugins.module_utils._pagination import iter_pages
from ansible_collections.grafana_cloud.platform.plugins.module_utils._stacks import (
    StacksV1,
    labels_problem,
    region_problem,
    slug_problem,
    stack_path,
    with_endpoints,
)


def server_filters(params):
    """The filters the API applies itself."""
    return dict((key, params[key]) for key in ("name", "cluster") if params[key])


def wanted(stack, params):
    """Filters the org listing has no parameter for, applied here."""
    if stack.get("status") == "deleted":
        return False
    if params["region"] and stack.get("regionSlug") != params["region"]:
        return False
    labels = stack.get("labels") or {}
    return all(labels.get(key) == str(value) for key, value in (params["labels"] or {}).items())


def read_stacks(client, params):
    if params["slug"] or params["id"] is not None:
        stack = client.get_or_none(stack_path(params["slug"] or params["id"]))
        return [stack] if stack and stack.get("status") != "deleted" else []
    path = api_path("orgs", params["org"], "instances")
    return [stack for stack in iter_pages(client, path, server_filters(params)) if wanted(stack, params)]


def with_extras(client, stacks_v1, stack, params):
    result = with_endpoints(stack)
    if params["include_connections"]:
        result["connections"] = stacks_v1.connections(stack)
    if params["include_datasources"]:
        result["datasources"] = (client.get(stack_path(stack["slug"], "datasources")) or {}).get("items") or []
    if params["include_plugins"]:
        result["plugins"] = (client.get(stack_path(stack["slug"], "plugins")) or {}).get("items") or []
    return result


def main():
    module = gcom_module(
        dict(
            slug=dict(type="str"),
            id=dict(type="int"),
            org=dict(type="str"),
            name=dict(type="str"),
            cluster=dict(type="str"),
            region=dict(type="str"),
            labels=dict(type="dict"),
            include_connections=dict(type="bool", default=False),
            include_datasources=dict(type="bool", default=False),
            include_plugins=dict(type="bool", default=False),
        ),
        mutually_exclusive=[("slug", "id", "org")],
        required_one_of=[("slug", "id", "org")],
    )
    params = module.params
    problems = [slug_problem(params["slug"]) if params["slug"] is not None else None,
                labels_problem(params["labels"]), region_problem(params["region"])]
    if params["org"] is None and any(params[key] for key in ("name", "cluster", "region", "labels")):
        problems.append("name, cluster, region and labels filter an org's listing: set org.")
    fail_on_problems(module, problems)
    client = gcom_client(module)

    def work():
        warnings = []
        stacks_v1 = StacksV1(client, warnings)
        stacks = [with_extras(client, stacks_v1, stack, params) for stack in read_stacks(client, params)]
        for warning in warnings:
            module.warn(warning)
        return dict(changed=False, stacks=stacks)

    run_module(module, client, work)


if __name__ == "__main__":
    main()
