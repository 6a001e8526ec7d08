#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: oncall_integration
short_description: Manage a Grafana OnCall integration and its default route
version_added: 0.1.0
description:
  - Creates, updates or deletes an integration of Grafana OnCall (IRM), the endpoint alerts are
    sent to, through the OnCall public API (C(/api/v1/integrations/)).
  - Every integration has a default route, created with it, which takes the alerts no other
    route matched; O(default_route_escalation_chain) sets where it escalates. Other routes are
    managed with M(grafana_cloud.platform.oncall_route).
  - The integration is found by O(name) (and O(team), as names are unique per team) with one
    filtered request. More than one match is an error that lists them.
  - Returns the alert ingestion URL (RV(link)) to configure in the alert source, and the id of
    the default route.
author:
  - grafana_cloud.platform contributors (@grafana-cloud-platform)
options:
  name:
    description:
      - Name of the integration (exact, case-sensitive), unique within its team, without
        leading or trailing spaces (the engine trims them, so a later run would not find it).
    type: str
    required: true
  team:
    description:
      - Name of the Grafana team of the integration; V("") for none.
      - Part of how the integration is found. When not set, the integration is found by name
        in any team (more than one is an error), and a new one has no team.
      - An integration can't be moved to another team with this module.
    type: str
  type:
    description:
      - The kind of integration, e.g. V(alertmanager), V(grafana_alerting), V(webhook),
        V(formatted_webhook), V(amazon_sns); required to create one. The engine checks the value.
      - Fixed when the integration is created (the engine ignores a change); a different value
        fails the task. To change it, delete the integration and create it again (its RV(link)
        changes, so update the alert source).
    type: str
  description:
    description:
      - Short description (C(description_short)), at most 250 characters.
    type: str
  templates:
    description:
      - Templates of the integration, as the API takes them, for example a C(grouping_key)
        template and a C(slack) dict with a C(title) template.
      - Only the keys given are compared and sent; others are left as they are.
      - Each template text is checked as Jinja2 before any request (where jinja2 can be
        imported; otherwise the engine checks it, and the module warns).
    type: dict
  default_route_escalation_chain:
    description:
      - Name of the escalation chain of the default route; V("") for none (the default route
        then escalates to nobody).
    type: str
  state:
    description:
      - V(present) creates or updates the integration; V(absent) deletes it, B(with its routes).
    type: str
    choices: [present, absent]
    default: present
notes:
  - The alert ingestion URL (RV(link)) lets anyone who has it send alerts; treat it as you
    would a credential.
seealso:
  - module: grafana_cloud.platform.oncall_route
  - module: grafana_cloud.platform.oncall_escalation_chain
  - module: grafana_cloud.platform.oncall_integration_info
extends_documentation_fragment:
  - grafana_cloud.platform.oncall
  - grafana_cloud.platform.attributes
  - grafana_cloud.platform.attributes.ACTIONGROUP_ONCALL
"""

EXAMPLES = r"""
- name: An Alertmanager integration of the platform team, escalating to "databases"
  grafana_cloud.platform.oncall_integration:
    oncall_api_url: "{{ stack.connections.oncallApiUrl }}"
    oncall_access_token: "{{ oncall_sa_token }}"
    grafana_url: "{{ stack.url }}"
    name: prometheus
    team: platform
    type: alertmanager
    description: Alerts of the platform Prometheus
    default_route_escalation_chain: databases
    templates:
      grouping_key: "{{ payload.groupKey }}"
  register: prometheus

- name: Point Alertmanager at it
  ansible.builtin.debug:
    msg: "receiver url: {{ prometheus.link }}"

- name: Delete it and its routes
  grafana_cloud.platform.oncall_integration:
    name: prometheus
    team: platform
    state: absent
"""

RETURN = r"""
integration:
  description:
    - The integration as the API returns it (with C(link), C(templates) and C(default_route));
      empty after O(state=absent).
    - In check mode, the predicted integration (without C(id) and C(link) when it would be created).
  returned: always
  type: dict
  sample:
    id: CFZ1XTS3CB8Q1
    name: prometheus
    type: alertmanager
    team_id: TDWUIM2N91Q2Q
    description_short: Alerts of the platform Prometheus
    link: https://oncall-prod-us-central-0.grafana.net/oncall/integrations/v1/alertmanager/Zk3.../
    default_route:
      id: RQ8A4NRD1IAEU
      escalation_chain_id: FNVLHCJC59PUD
link:
  description: The alert ingestion URL of the integration (where alert sources send alerts).
  returned: when O(state=present), except when check mode predicts a create
  type: str
  sample: https://oncall-prod-us-central-0.grafana.net/oncall/integrations/v1/alertmanager/Zk3.../
default_route_id:
  description: The id of the integration's default route.
  returned: when O(state=present), except when check mode predicts a create
  type: str
  sample: RQ8A4NRD1IAEU
"""

from ansible_collections.grafana_cloud.platform.plugins.module_utils._oncall import (
    OnCallResource,
    fail_on_problems,
    find_all,
    oncall_module,
    oncall_path,
    reference_problem,
    run_oncall_resource,
    single,
    template_problem,
    text_problem,
)
from ansible_collections.grafana_cloud.platform.plugins.module_utils._resource import Field

TYPE_HINT = ("The engine ignores a change of type: delete the integration (state: absent) and create "
             "it again; its link changes, so update the alert source.")


def _subset(desired, current):
    """``desired`` (templates as given) with the values ``current`` holds for those keys."""
    shaped = {}
    for key, value in (desired or {}).items():
        held = (current or {}).get(key)
        shaped[key] = _subset(value, held) if isinstance(value, dict) and isinstance(held, dict) else held
    return shaped


class TemplatesField(Field):
    """Templates compare on the keys the task gives only (nested dicts included)."""

    def same(self, current, desired):
        return _subset(desired, current) == (desired or {})


class Integration(OnCallResource):
    resource_key = "integration"
    collection = "integrations"
    unique_key = False  # the name check is the serializer's: two creates at once both pass it
    twin_fields = ("name", "team_id")  # names are unique per team (facts I2, I3)
    fields = (
        Field("type", immutable=True, hint=TYPE_HINT),
        Field("description"),
        TemplatesField("templates"),
        # The engine takes null here (fact N6), unlike on a route itself (R12).
        Field("default_route_escalation_chain"),
    )

    def __init__(self, module, client):
        super(Integration, self).__init__(module, client)
        self.name = self.params["name"]
        self.team = self.params["team"]
        self.team_id = None
        self.chain_id = None

    def describe(self):
        if self.team:
            return "integration %r of team %r" % (self.name, self.team)
        return "integration %r" % self.name

    def validate(self):
        params = self.params
        problems = [text_problem("name", self.name), text_problem("type", params["type"]),
                    reference_problem("team", self.team),
                    text_problem("description", params["description"], max_length=250),
                    reference_problem("default_route_escalation_chain", params["default_route_escalation_chain"])]
        problems.extend(self.template_problems("templates", params["templates"]))
        fail_on_problems(self.module, problems)

    def template_problems(self, path, value):
        """The engine renders each template text with Jinja2 and refuses a syntax error only
        when the write is sent: check every text of O(templates) first."""
        if isinstance(value, dict):
            problems = []
            for key, inner in value.items():
                problems.extend(self.template_problems("%s.%s" % (path, key), inner))
            return problems
        return [template_problem(path, value, self.warnings)]

    def find(self):
        present = self.params["state"] == "present"
        found = find_all(self.client, self.collection, name=self.name)
        if self.team is not None:
            self.team_id = self.reference("team", self.team) if self.team else None
            if self.team and self.team_id is None:
                return None  # check mode: the team will exist by then, the integration not yet
            found = [obj for obj in found if obj.get("team_id") == self.team_id]
        found = single(found, self.describe())
        chain = self.params["default_route_escalation_chain"]
        if present and chain:
            self.chain_id = self.reference("escalation_chain", chain)
        return found

    def current_values(self, obj):
        chain_id = (obj.get("default_route") or {}).get("escalation_chain_id")
        templates = obj.get("templates") or {}
        if self.params["templates"] is not None:
            templates = _subset(self.params["templates"], templates)
        return dict(type=obj.get("type"), description=obj.get("description_short"), templates=templates,
                    default_route_escalation_chain=self.name_of(
                        chain_id, "escalation_chains", "default_route_escalation_chain"))

    def body(self, values):
        body = {}
        if "type" in values:
            body["type"] = values["type"]
        if "description" in values:
            body["description_short"] = values["description"]
        if "templates" in values:
            body["templates"] = values["templates"]
        if "default_route_escalation_chain" in values:
            body["default_route"] = dict(escalation_chain_id=self.chain_id)
        return body

    def create(self, values):
        if not values.get("type"):
            self.fail("type is required to create %s." % self.describe())
        body = dict(self.body(values), name=self.name)
        if self.team_id:
            body["team_id"] = self.team_id
        return self.client.post(oncall_path(self.collection), json=body)

    def predict_created(self, values):
        if not values.get("type"):
            self.fail("type is required to create %s." % self.describe())
        predicted = dict(self.body(values), name=self.name, team_id=self.team_id)
        predicted["default_route"] = dict(escalation_chain_id=self.chain_id)
        return predicted

    def predict_updated(self, obj, changes, values):
        predicted = dict(obj, **self.body(changes))
        if "default_route_escalation_chain" in changes:
            predicted["default_route"] = dict(obj.get("default_route") or {}, escalation_chain_id=self.chain_id)
        if "templates" in changes:
            predicted["templates"] = _merged(obj.get("templates"), changes["templates"])
        return predicted

    def result(self, changed, obj, before, after, secret=None):
        result = super(Integration, self).result(changed, obj, before, after, secret)
        if obj and obj.get("link"):
            result["link"] = obj["link"]
        if obj and (obj.get("default_route") or {}).get("id"):
            result["default_route_id"] = obj["default_route"]["id"]
        return result


def _merged(current, update):
    merged = dict(current or {})
    for key, value in (update or {}).items():
        merged[key] = _merged(merged.get(key), value) if isinstance(value, dict) else value
    return merged


def main():
    module = oncall_module(dict(
        name=dict(type="str", required=True),
        team=dict(type="str"),
        type=dict(type="str"),
        description=dict(type="str"),
        templates=dict(type="dict"),
        default_route_escalation_chain=dict(type="str"),
        state=dict(type="str", choices=["present", "absent"], default="present"),
    ))
    run_oncall_resource(module, Integration)


if __name__ == "__main__":
    main()
