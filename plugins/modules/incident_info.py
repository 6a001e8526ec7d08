#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: incident_info
short_description: Query Grafana IRM incidents
version_added: 0.1.0
description:
  - Lists incidents with the filters of the API's C(QueryIncidents) (status, severity,
    labels, drills, a time range of declaration, or an IRM query string).
  - Follows every page (the API's cursor) lazily and stops as soon as O(limit) incidents
    are in hand, so a small O(limit) sends one request.
author:
  - grafana_cloud.platform contributors (@grafana-cloud-platform)
options:
  status:
    description:
      - Only incidents with one of these statuses.
    type: list
    elements: str
    choices: [active, resolved]
  severity:
    description:
      - Only incidents with this severity (one of the org's, for example V(critical)).
    type: str
  labels:
    description:
      - Only incidents that carry every one of these label texts.
      - The key label of M(grafana_cloud.platform.incident) is C(ansible-key:<key>).
    type: list
    elements: str
  only_drills:
    description:
      - Only drills.
    type: bool
    default: false
  declared_after:
    description:
      - Only incidents declared at or after this time, as ISO 8601
        (V(2026-12-01T00:00:00Z)) or a duration before now (V(7d), V(12h)).
    type: str
  declared_before:
    description:
      - Only incidents declared before this time (the same forms as O(declared_after)).
    type: str
  query:
    description:
      - An IRM query string, for example V(status:active severity:critical) or
        V(title:'checkout'). The API then ignores the other filters, so it can't be combined
        with them.
    type: str
  order:
    description:
      - Newest first (V(desc)) or oldest first (V(asc)).
    type: str
    choices: [asc, desc]
    default: desc
  limit:
    description:
      - The most incidents to return. V(0) returns every match.
    type: int
    default: 100
extends_documentation_fragment:
  - grafana_cloud.platform.incident
  - grafana_cloud.platform.attributes.INFO_MODULE
  - grafana_cloud.platform.attributes.ACTIONGROUP_INCIDENT
seealso:
  - module: grafana_cloud.platform.incident
"""

EXAMPLES = r"""
- name: Critical incidents still open
  grafana_cloud.platform.incident_info:
    grafana_url: https://mystack.grafana.net
    incident_access_token: "{{ incident_token }}"
    status: [active]
    severity: critical
  register: open_critical

- name: What the deploy guard declared in the last week
  grafana_cloud.platform.incident_info:
    labels: ["ansible-key:deploy-checkout-prod"]
    declared_after: 7d
    limit: 0
  register: deploy_incidents

- name: With the IRM query syntax
  grafana_cloud.platform.incident_info:
    query: "status:active isdrill:false title:'checkout'"
"""

RETURN = r"""
incidents:
  description: The incidents, as the API returns them (see M(grafana_cloud.platform.incident)).
  returned: always
  type: list
  elements: dict
  sample:
    - incidentID: "42"
      title: Deploy of checkout failed on web-3
      status: active
      severity: major
      isDrill: false
      labels: [{label: "ansible-key:deploy-checkout-prod", description: "", colorHex: ""}]
      overviewURL: https://mystack.grafana.net/a/grafana-irm-app/incidents/42/deploy-of-checkout-failed-on-web-3
"""

import datetime
import itertools

from ansible_collections.grafana_cloud.platform.plugins.module_utils._gcom import run_module
from ansible_collections.grafana_cloud.platform.plugins.module_utils._incident import (
    QUERY_PAGE_SIZE,
    incident_client,
    incident_module,
)
from ansible_collections.grafana_cloud.platform.plugins.module_utils._pagination import iter_rpc_cursor
from ansible_collections.grafana_cloud.platform.plugins.module_utils._timeutil import (
    format_datetime,
    parse_datetime,
    parse_duration,
    utcnow,
)

FILTER_OPTIONS = ("status", "severity", "labels", "only_drills", "declared_after", "declared_before")


def moment(text):
    """A time from ISO 8601, or from a duration counted back from now (``7d``)."""
    try:
        return format_datetime(utcnow() - datetime.timedelta(seconds=parse_duration(text)))
    except ValueError:
        return format_datetime(parse_datetime(text))


def build_query(params):
    """``(query, problems)``: the API query for the options, and what is wrong with them."""
    problems = []
    if params["limit"] < 0:
        problems.append("limit must be 0 (every incident) or more, got %d." % params["limit"])
    page_size = min(params["limit"] or QUERY_PAGE_SIZE, QUERY_PAGE_SIZE)
    query = dict(limit=page_size, orderDirection=params["order"].upper())
    if params["query"] is not None:
        clashing = [option for option in FILTER_OPTIONS if params[option] not in (None, False, [])]
        if clashing:
            problems.append("query can't be combined with %s: the API ignores the other filters "
                            "when a query string is given." % ", ".join(clashing))
        if not params["query"].strip():
            problems.append("query must not be empty.")
        query["queryString"] = params["query"]
        return query, problems
    if params["status"]:
        query["includeStatuses"] = sorted(set(params["status"]))
    if params["severity"]:
        query["severity"] = params["severity"]
    if params["labels"]:
        query["incidentLabels"] = list(params["labels"])
    if params["only_drills"]:
        query["onlyDrills"] = True
    for option, field in (("declared_after", "dateFrom"), ("declared_before", "dateTo")):
        if params[option]:
            try:
                query[field] = moment(params[option])
            except ValueError:
                problems.append("%s %r is neither an ISO 8601 time (2026-12-01T00:00:00Z) nor a "
                                "duration before now (7d, 12h)." % (option, params[option]))
    return query, problems


def main():
    module = incident_module(dict(
        status=dict(type="list", elements="str", choices=["active", "resolved"]),
        severity=dict(type="str"),
        labels=dict(type="list", elements="str"),
        only_drills=dict(type="bool", default=False),
        declared_after=dict(type="str"),
        declared_before=dict(type="str"),
        query=dict(type="str"),
        order=dict(type="str", choices=["asc", "desc"], default="desc"),
        limit=dict(type="int", default=100),
    ))
    query, problems = build_query(module.params)
    if problems:
        module.fail_json(msg=" ".join(problems))
    client = incident_client(module)
    limit = module.params["limit"] or None

    def work():
        incidents = iter_rpc_cursor(client.call, "IncidentsService.QueryIncidents", query, "incidents")
        return dict(changed=False, incidents=list(itertools.islice(incidents, limit)))

    run_module(module, client, work, explain=None)


if __name__ == "__main__":
    main()
