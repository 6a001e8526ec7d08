#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: oncall_integration_info
short_description: List Grafana OnCall integrations
version_added: 0.1.0
description:
  - Lists the integrations of Grafana OnCall (IRM) (C(/api/v1/integrations/)), or those named
    O(name) (the API's exact filter, one request), optionally of one O(team) only.
  - With O(include_routes=true), each integration gets its C(routes), in the order they are
    tried, the default route last; all routes are read in one more request (per 100).
author:
  - grafana_cloud.platform contributors (@grafana-cloud-platform)
options:
  name:
    description:
      - Only the integrations with this name (exact, case-sensitive; one per team at most).
    type: str
  team:
    description:
      - Only the integrations of the team with this name; V("") for those without a team.
      - Filtered on our side (the engine's own team filter is unreliable); the team is looked up
        with one request, and an unknown team fails the task.
    type: str
  include_routes:
    description:
      - Add the routes of each integration, as C(routes).
    type: bool
    default: false
extends_documentation_fragment:
  - grafana_cloud.platform.oncall
  - grafana_cloud.platform.attributes.INFO_MODULE
  - grafana_cloud.platform.attributes.ACTIONGROUP_ONCALL
"""

EXAMPLES = r"""
- name: The prometheus integration with its routes
  grafana_cloud.platform.oncall_integration_info:
    name: prometheus
    team: platform
    include_routes: true
  register: found

- name: Its alert ingestion URL
  ansible.builtin.debug:
    msg: "{{ found.integrations[0].link }}"
"""

RETURN = r"""
integrations:
  description:
    - The integrations as the API returns them (C(link) is the alert ingestion URL), with
      C(routes) when O(include_routes=true).
  returned: always
  type: list
  elements: dict
  sample:
    - id: CFZ1XTS3CB8Q1
      name: prometheus
      type: alertmanager
      team_id: TDWUIM2N91Q2Q
      link: https://oncall-prod-us-central-0.grafana.net/oncall/integrations/v1/alertmanager/Zk3.../
      default_route:
        id: RQ8A4NRD1IAEU
        escalation_chain_id: FNVLHCJC59PUD
      routes:
        - id: R1B3M8A1SBDHU
          routing_regex: severity=critical
          position: 0
          is_the_last_route: false
"""

from ansible_collections.grafana_cloud.platform.plugins.module_utils._oncall import (
    OnCallError,
    References,
    fail_on_problems,
    find_all,
    iter_oncall,
    oncall_client,
    oncall_module,
    reference_problem,
    run_oncall,
    text_problem,
)


def routes_by_integration(client):
    grouped = {}
    for route in iter_oncall(client, "routes"):
        grouped.setdefault(route.get("integration_id"), []).append(route)
    for routes in grouped.values():
        # As the engine tries them: the others by position, then the default route.
        routes.sort(key=lambda route: (bool(route.get("is_the_last_route")), route.get("position") or 0))
    return grouped


def main():
    module = oncall_module(dict(
        name=dict(type="str"),
        team=dict(type="str"),
        include_routes=dict(type="bool", default=False),
    ))
    params = module.params
    fail_on_problems(module, [text_problem("name", params["name"]), reference_problem("team", params["team"])])
    client = oncall_client(module)

    def work():
        integrations = find_all(client, "integrations", name=params["name"])
        if params["team"] is not None:
            team_id = None
            if params["team"]:
                team = References(client).team(params["team"])
                if team is None:
                    raise OnCallError("Team %r not found in OnCall." % params["team"])
                team_id = team["id"]
            integrations = [obj for obj in integrations if obj.get("team_id") == team_id]
        if params["include_routes"] and integrations:
            routes = routes_by_integration(client)
            for integration in integrations:
                integration["routes"] = routes.get(integration["id"], [])
        return dict(changed=False, integrations=integrations)

    run_oncall(module, client, work)


if __name__ == "__main__":
    main()
