#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: oncall_escalation_chain
short_description: Manage a Grafana OnCall escalation chain
version_added: 0.1.0
description:
  - Creates, updates or deletes an escalation chain of Grafana OnCall (IRM), through the OnCall
    public API (C(/api/v1/escalation_chains/)).
  - The chain is found by O(name) with one filtered request; names are unique in the
    organization. Its steps are managed with M(grafana_cloud.platform.oncall_escalation_policy).
author:
  - grafana_cloud.platform contributors (@grafana-cloud-platform)
options:
  name:
    description:
      - Name of the escalation chain, unique in the OnCall organization (exact, case-sensitive).
    type: str
    required: true
  team:
    description:
      - Name of the Grafana team the chain belongs to; V("") for none.
      - Looked up with one request; an unknown team fails the task before any change.
      - When not set, the team of an existing chain is left as it is, and a new chain has none.
    type: str
  state:
    description:
      - V(present) creates or updates the chain; V(absent) deletes it, B(with all its steps).
      - Routes that escalate to a deleted chain are left without an escalation chain.
    type: str
    choices: [present, absent]
    default: present
notes:
  - A service-account token needs the IRM/OnCall write permission to change anything.
seealso:
  - module: grafana_cloud.platform.oncall_escalation_policy
  - module: grafana_cloud.platform.oncall_route
  - module: grafana_cloud.platform.oncall_integration
extends_documentation_fragment:
  - grafana_cloud.platform.oncall
  - grafana_cloud.platform.attributes
  - grafana_cloud.platform.attributes.ACTIONGROUP_ONCALL
"""

EXAMPLES = r"""
- name: Escalation chains of the platform team
  module_defaults:
    group/grafana_cloud.platform.oncall:
      oncall_api_url: "{{ stack.connections.oncallApiUrl }}"
      oncall_access_token: "{{ oncall_sa_token }}"
      grafana_url: "{{ stack.url }}"
  block:
    - name: A chain for database alerts
      grafana_cloud.platform.oncall_escalation_chain:
        name: databases
        team: platform

    - name: No team any more
      grafana_cloud.platform.oncall_escalation_chain:
        name: databases
        team: ""

    - name: Delete a chain and its steps
      grafana_cloud.platform.oncall_escalation_chain:
        name: legacy
        state: absent
"""

RETURN = r"""
escalation_chain:
  description:
    - The escalation chain as the API returns it; empty after O(state=absent).
    - In check mode, the predicted chain (without C(id) when it would be created).
  returned: always
  type: dict
  contains:
    id:
      description: Id of the chain (starts with C(F)).
      type: str
      sample: FNVLHCJC59PUD
    name:
      description: Name.
      type: str
      sample: databases
    team_id:
      description: Id of the team, or null.
      type: str
      sample: TDWUIM2N91Q2Q
"""

from ansible_collections.grafana_cloud.platform.plugins.module_utils._oncall import (
    OnCallResource,
    fail_on_problems,
    find_one,
    oncall_module,
    oncall_path,
    reference_problem,
    run_oncall_resource,
    text_problem,
)
from ansible_collections.grafana_cloud.platform.plugins.module_utils._resource import Field


class EscalationChain(OnCallResource):
    resource_key = "escalation_chain"
    collection = "escalation_chains"
    fields = (Field("team"),)

    def __init__(self, module, client):
        super(EscalationChain, self).__init__(module, client)
        self.name = self.params["name"]
        self.team_id = None

    def describe(self):
        return "escalation chain %r" % self.name

    def validate(self):
        fail_on_problems(self.module, [text_problem("name", self.name),
                                       reference_problem("team", self.params["team"])])

    def find(self):
        found = find_one(self.client, self.collection, self.describe(), name=self.name)
        if self.params["team"] and self.params["state"] == "present":
            self.team_id = self.reference("team", self.params["team"])
        return found

    def current_values(self, obj):
        return dict(team=self.name_of(obj.get("team_id"), "teams", "team"))

    def body(self, values):
        body = {}
        if "team" in values:
            body["team_id"] = self.team_id
        return body

    def create(self, values):
        return self.client.post(oncall_path(self.collection), json=dict(self.body(values), name=self.name))

    def predict_created(self, values):
        return dict(name=self.name, team_id=self.team_id)

    def predict_updated(self, obj, changes, values):
        return dict(obj, **self.body(changes))


def main():
    module = oncall_module(dict(
        name=dict(type="str", required=True),
        team=dict(type="str"),
        state=dict(type="str", choices=["present", "absent"], default="present"),
    ))
    run_oncall_resource(module, EscalationChain)


if __name__ == "__main__":
    main()
