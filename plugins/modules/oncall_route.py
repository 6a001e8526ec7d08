#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: oncall_route
short_description: Manage a route of a Grafana OnCall integration
version_added: 0.1.0
description:
  - Creates, updates or deletes a route of a Grafana OnCall (IRM) integration, through the
    OnCall public API (C(/api/v1/routes/)). A route sends the alerts its expression matches to
    an escalation chain; routes are tried in O(position) order, then the default route (managed
    with M(grafana_cloud.platform.oncall_integration)) takes the rest.
  - The route is found by its O(integration) and O(routing_regex), reading the integration's
    routes with one request (after one for the integration). More than one route with the same
    expression is an error that lists them.
author:
  - grafana_cloud.platform contributors (@grafana-cloud-platform)
options:
  integration:
    description:
      - Name of the integration the route belongs to.
      - A route can't move to another integration (the engine ignores that change); a route with
        the same expression on another integration is another route.
    type: str
    required: true
  integration_team:
    description:
      - Name of the team of the integration (V("") for none), when integrations of several teams
        share O(integration)'s name.
    type: str
  routing_regex:
    description:
      - The route's expression, a regular expression matched against the alert payload, or a
        Jinja2 template that renders C(True) for the alerts it takes (O(routing_type=jinja2)).
      - Identifies the route within its integration; a new expression is a new route. At most
        1024 characters, without leading or trailing spaces (the engine trims them).
      - Checked before any request, as the engine checks it - a regular expression must
        compile with Python's C(re), a template must be valid Jinja2 (when jinja2 can't be
        imported where the module runs, the template is left to the engine, with a warning).
        Without O(routing_type), an expression holding C({{) or C({%) is not checked.
    type: str
    required: true
  routing_type:
    description:
      - How O(routing_regex) is read. New routes get V(regex) when not set.
    type: str
    choices: [regex, jinja2]
  position:
    description:
      - Place of the route among the integration's routes (0 is tried first); the others move
        to make room. When not set, a new route goes last and an existing one stays where it is.
      - It must name a place that exists (at most the number of other routes), so that a re-run
        finds the route where it put it.
      - Counted in the order of the routes (0 the first, 1 the second ...), not the number the
        engine stores, since the engine keeps a gap when a route is deleted (0, 1, 2 becomes 0, 2).
        Counted by order, a re-run after any deletion compares the same places and changes
        nothing; when the route must move, the module sends the stored number that puts it
        at that place.
    type: int
  escalation_chain:
    description:
      - Name of the escalation chain the route's alerts go to.
      - Once set, the engine can't take it away (V("") fails for an existing route with a chain);
        point it at another chain, or delete the route and create it again without one.
    type: str
  state:
    description:
      - V(present) creates or updates the route; V(absent) deletes it (later routes move up one
        place in the order; the engine keeps their stored numbers).
    type: str
    choices: [present, absent]
    default: present
seealso:
  - module: grafana_cloud.platform.oncall_integration
  - module: grafana_cloud.platform.oncall_escalation_chain
extends_documentation_fragment:
  - grafana_cloud.platform.oncall
  - grafana_cloud.platform.attributes
  - grafana_cloud.platform.attributes.ACTIONGROUP_ONCALL
"""

EXAMPLES = r"""
- name: Critical alerts first, to the databases chain
  grafana_cloud.platform.oncall_route:
    integration: prometheus
    routing_regex: severity=critical
    position: 0
    escalation_chain: databases

- name: A Jinja2 route
  grafana_cloud.platform.oncall_route:
    integration: prometheus
    routing_type: jinja2
    routing_regex: '{{ payload.labels.team == "db" }}'
    escalation_chain: databases

- name: Remove a route
  grafana_cloud.platform.oncall_route:
    integration: prometheus
    routing_regex: severity=critical
    state: absent
"""

RETURN = r"""
route:
  description:
    - The route as the API returns it; empty after O(state=absent).
    - In check mode, the predicted route (without C(id) when it would be created).
  returned: always
  type: dict
  sample:
    id: RQ8A4NRD1IAEU
    integration_id: CFZ1XTS3CB8Q1
    escalation_chain_id: FNVLHCJC59PUD
    routing_type: regex
    routing_regex: severity=critical
    position: 0
    is_the_last_route: false
"""

from ansible_collections.grafana_cloud.platform.plugins.module_utils._oncall import (
    OnCallResource,
    TEMPLATE_PART,
    fail_on_problems,
    iter_oncall,
    oncall_module,
    oncall_path,
    reference_problem,
    regex_problem,
    run_oncall_resource,
    single,
    template_problem,
    text_problem,
)
from ansible_collections.grafana_cloud.platform.plugins.module_utils._resource import Field

CHAIN_HINT = ("Point it at another chain, or delete the route (state: absent) and create it again "
              "without escalation_chain.")
MAX_REGEX = 1024


class Route(OnCallResource):
    resource_key = "route"
    collection = "routes"
    fields = (
        Field("routing_type"),
        Field("position"),
        Field("escalation_chain", removable=False, hint=CHAIN_HINT),
    )

    unique_key = False  # two routes may have one regex

    def __init__(self, module, client):
        super(Route, self).__init__(module, client)
        self.integration = self.params["integration"]
        self.regex = self.params["routing_regex"]
        self.integration_id = None
        self.chain_id = None
        self.others = 0
        self.ordered = []

    def describe(self):
        return "route %r of integration %r" % (self.regex, self.integration)

    def validate(self):
        params = self.params
        problems = [text_problem("integration", self.integration),
                    reference_problem("integration_team", params["integration_team"]),
                    text_problem("routing_regex", self.regex, max_length=MAX_REGEX),
                    reference_problem("escalation_chain", params["escalation_chain"])]
        if params["position"] is not None and params["position"] < 0:
            problems.append("position must be 0 or more, got %d." % params["position"])
        if not problems[2] and params["state"] == "present":
            problems.append(self.expression_problem())
        fail_on_problems(self.module, problems)

    def expression_problem(self):
        """The engine refuses a regex Python's ``re`` can't compile, or a Jinja2 template with
        a syntax error, only after the write was sent: check them here first. Without
        routing_type, an expression that looks like a template is left alone (an existing
        jinja2 route keeps its type)."""
        routing_type = self.params["routing_type"]
        if routing_type == "jinja2":
            return template_problem("routing_regex", self.regex, self.warnings)
        if routing_type is None and TEMPLATE_PART.search(self.regex):
            return None
        return regex_problem("routing_regex", self.regex)

    def find(self):
        team = self.params["integration_team"]
        team_id = None
        if team:
            team_id = self.reference("team", team)
        integration = self.refs.integration(self.integration, None if team is None else (team_id or ""))
        if integration is None:
            if self.params["state"] == "present":
                self.missing("Integration %r not found in OnCall." % self.integration)
            return None
        self.integration_id = integration["id"]
        routes = self.read_ordered()
        self.ordered = routes
        found = single([route for route in routes if route.get("routing_regex") == self.regex], self.describe())
        self.others = len(routes) - (1 if found else 0)
        if self.params["state"] == "present":
            self.check_position()
            chain = self.params["escalation_chain"]
            if chain:
                self.chain_id = self.reference("escalation_chain", chain)
        return found

    def check_position(self):
        position = self.params["position"]
        if position is not None and position > self.others:
            self.missing("position %d of %s is past the end: the integration has %d other route(s), so the "
                         "route can go at positions 0 to %d." % (position, self.describe(), self.others, self.others),
                         fix="Declare the routes in order.",
                         check_note="A real run fails unless the routes before it exist by then.")

    def read_ordered(self):
        """The integration's routes but the default one, in the order the engine tries them."""
        return sorted((route for route in iter_oncall(self.client, self.collection, integration_id=self.integration_id)
                       if not route.get("is_the_last_route")), key=lambda route: route.get("position", 0))

    def place_of(self, obj):
        """The route's place in the order, not its stored number (gaps after a deletion, fact N3).
        A route find() did not see (another run created it since, and this run adopted it) is
        placed by the routes as they are now: one more read."""
        if not any(route.get("id") == obj.get("id") for route in self.ordered):
            self.ordered = self.read_ordered()
        return next((index for index, route in enumerate(self.ordered) if route.get("id") == obj.get("id")),
                    obj.get("position"))

    def current_values(self, obj):
        place = self.place_of(obj)
        return dict(routing_type=obj.get("routing_type"), position=place,
                    escalation_chain=self.name_of(obj.get("escalation_chain_id"), "escalation_chains",
                                                  "escalation_chain"))

    def body(self, values):
        body = {}
        if "routing_type" in values:
            body["routing_type"] = values["routing_type"]
        if "position" in values:
            body["position"] = self.stored_position(values["position"])
        if "escalation_chain" in values:
            body["escalation_chain_id"] = self.chain_id
        return body

    def stored_position(self, place):
        """The number that puts the route at ``place`` in the order: the engine moves a route
        to a stored number and shifts only those in between, so the number of the route now
        at that place does it (after the last one for a new route at the end)."""
        if place < len(self.ordered):
            return self.ordered[place].get("position", 0)
        return self.ordered[-1].get("position", 0) + 1 if self.ordered else 0

    def create(self, values):
        # The engine wants escalation_chain_id present on create, null for none.
        body = dict(self.body(values), integration_id=self.integration_id, routing_regex=self.regex,
                    escalation_chain_id=self.chain_id)
        return self.client.post(oncall_path(self.collection), json=body)

    def twins(self, created):
        """Routes of the integration with this regex, oldest first. Without a position the engine
        appends, so the older one comes first; two inserts at one position leave the older one
        below the newer, which moved it down."""
        routes = [route for route in iter_oncall(self.client, self.collection, integration_id=self.integration_id)
                  if route.get("routing_regex") == self.regex and not route.get("is_the_last_route")]
        inserted = self.params["position"] is not None
        return sorted(routes, key=lambda route: route.get("position", 0), reverse=inserted)

    def predict_created(self, values):
        body = self.body(values)
        return dict(integration_id=self.integration_id, routing_regex=self.regex,
                    routing_type=body.get("routing_type", "regex"), escalation_chain_id=self.chain_id,
                    position=body.get("position", self.stored_position(len(self.ordered))), is_the_last_route=False)

    def predict_updated(self, obj, changes, values):
        return dict(obj, **self.body(changes))


def main():
    module = oncall_module(dict(
        integration=dict(type="str", required=True),
        integration_team=dict(type="str"),
        routing_regex=dict(type="str", required=True),
        routing_type=dict(type="str", choices=["regex", "jinja2"]),
        position=dict(type="int"),
        escalation_chain=dict(type="str"),
        state=dict(type="str", choices=["present", "absent"], default="present"),
    ))
    run_oncall_resource(module, Route)


if __name__ == "__main__":
    main()
