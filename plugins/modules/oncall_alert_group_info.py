#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: oncall_alert_group_info
short_description: List Grafana OnCall alert groups
version_added: 0.1.0
description:
  - Lists the alert groups of Grafana OnCall (C(GET /api/v1/alert_groups/)), newest first,
    with the engine's filters by integration, state and start time.
  - Pages are read lazily (100 alert groups a page) and reading stops as soon as O(limit)
    alert groups are in hand, so a busy organization costs no more requests than needed.
author:
  - grafana_cloud.platform contributors (@grafana-cloud-platform)
options:
  integration:
    description:
      - Only the alert groups of the integration of this name (resolved with one filtered read;
        a name that several teams use is refused as ambiguous unless O(integration_team) is given).
    type: str
  integration_team:
    description:
      - The team of O(integration), to tell apart integrations of the same name; V("") for no team.
    type: str
  state:
    description:
      - Only the alert groups in this state. The engine calls an alert group that is neither
        acknowledged, resolved nor silenced V(new) in this filter, but returns its C(state) as
        C(firing).
    type: str
    choices: [new, acknowledged, resolved, silenced]
  started_after:
    description:
      - Only the alert groups started at or after this time (ISO 8601, for example
        V(2026-12-01T00:00:00Z); without a zone it is UTC).
    type: str
  started_before:
    description:
      - Only the alert groups started at or before this time (ISO 8601).
    type: str
  limit:
    description:
      - The most alert groups to return (the newest ones). V(0) returns every match.
    type: int
    default: 100
extends_documentation_fragment:
  - grafana_cloud.platform.oncall
  - grafana_cloud.platform.attributes.INFO_MODULE
  - grafana_cloud.platform.attributes.ACTIONGROUP_ONCALL
seealso:
  - module: grafana_cloud.platform.oncall_integration
"""

EXAMPLES = r"""
- name: Open alert groups of the Alertmanager integration
  grafana_cloud.platform.oncall_alert_group_info:
    integration: alertmanager-prod
    state: new
  register: open_groups

- name: The last 10 alert groups of yesterday
  grafana_cloud.platform.oncall_alert_group_info:
    started_after: "{{ '%Y-%m-%dT00:00:00Z' | strftime(now(utc=true).timestamp() - 86400) }}"
    started_before: "{{ '%Y-%m-%dT23:59:59Z' | strftime(now(utc=true).timestamp() - 86400) }}"
    limit: 10
  register: yesterday
"""

RETURN = r"""
alert_groups:
  description: The alert groups, newest first, as the engine returns them.
  returned: always
  type: list
  elements: dict
  sample:
    - id: I68T24C13IFW1
      integration_id: CFRPV98RPR1U8
      team_id: null
      route_id: RIYGUJXCPFHXY
      alerts_count: 3
      state: firing
      created_at: "2026-12-01T18:50:31.324148Z"
      resolved_at: null
      resolved_by: null
      acknowledged_at: null
      acknowledged_by: null
      labels: []
      title: Memory above 90% threshold
      permalinks: {slack: null, slack_app: null, telegram: null, web: "https://mystack.grafana.net/a/grafana-oncall-app/alert-groups/I68T24C13IFW1"}
      silenced_at: null
      last_alert: {id: AA74DN7T4JQB6, alert_group_id: I68T24C13IFW1, created_at: "2026-12-01T18:50:31.343886Z", payload: {}}
"""

import datetime

from ansible_collections.grafana_cloud.platform.plugins.module_utils._oncall import (
    OnCallError,
    References,
    iter_oncall,
    oncall_client,
    oncall_module,
    reference_problem,
    run_oncall,
    text_problem,
)
from ansible_collections.grafana_cloud.platform.plugins.module_utils._timeutil import parse_datetime

RANGE_FORMAT = "%Y-%m-%dT%H:%M:%S"
# The engine's started_at filter needs both ends; these stand for "open".
EARLIEST = datetime.datetime(1970, 1, 1, tzinfo=datetime.timezone.utc)
LATEST = datetime.datetime(9999, 12, 31, 23, 59, 59, tzinfo=datetime.timezone.utc)


def time_range(module):
    """The ``started_at`` filter (``<start>_<end>``, UTC, seconds), or None; fails on bad input.

    The engine splits the range on ``_`` and refuses ``/`` ("Invalid range value")."""
    params, bounds = module.params, {}
    problems = [text_problem("integration", params["integration"]),
                reference_problem("integration_team", params["integration_team"])]
    problems = [problem for problem in problems if problem]
    for option in ("started_after", "started_before"):
        if params[option] is not None:
            try:
                bounds[option] = parse_datetime(params[option])
            except ValueError as error:
                problems.append("%s: %s." % (option, error))
    if params["limit"] < 0:
        problems.append("limit must be 0 (no limit) or more, got %s." % params["limit"])
    if not problems and len(bounds) == 2 and bounds["started_after"] > bounds["started_before"]:
        problems.append("started_after (%s) is later than started_before (%s)."
                        % (params["started_after"], params["started_before"]))
    if problems:
        module.fail_json(msg=" ".join(problems))
    if not bounds:
        return None
    start = bounds.get("started_after", EARLIEST)
    # The engine compares to the second; round the end up so that it stays inclusive.
    end = bounds.get("started_before", LATEST)
    if end.microsecond:
        end = end.replace(microsecond=0) + datetime.timedelta(seconds=1)
    return "%s_%s" % (start.strftime(RANGE_FORMAT), end.strftime(RANGE_FORMAT))


def integration_id(module, refs):
    """The id of O(integration) (in O(integration_team) when given), or None without one."""
    params = module.params
    if params["integration"] is None:
        return None
    team_id = None
    if params["integration_team"]:
        team = refs.team(params["integration_team"])
        if team is None:
            raise OnCallError("Team %r not found in OnCall." % params["integration_team"])
        team_id = team["id"]
    elif params["integration_team"] == "":
        team_id = ""
    found = refs.integration(params["integration"], team_id)
    if found is None:
        raise OnCallError("Integration %r not found in OnCall." % params["integration"])
    return found["id"]


def newest(listed, limit):
    """At most ``limit`` items (all for 0), reading no page beyond the one that completes them."""
    groups = []
    for group in listed:
        groups.append(group)
        if limit and len(groups) >= limit:
            break
    return groups


def main():
    module = oncall_module(
        dict(
            integration=dict(type="str"),
            integration_team=dict(type="str"),
            state=dict(type="str", choices=["new", "acknowledged", "resolved", "silenced"]),
            started_after=dict(type="str"),
            started_before=dict(type="str"),
            limit=dict(type="int", default=100),
        ),
        required_by=dict(integration_team=("integration",)),
    )
    started_at = time_range(module)
    client = oncall_client(module)
    refs = References(client)

    def work():
        listed = iter_oncall(client, "alert_groups", integration_id=integration_id(module, refs),
                             state=module.params["state"], started_at=started_at)
        return dict(changed=False, alert_groups=newest(listed, module.params["limit"]))

    run_oncall(module, client, work)


if __name__ == "__main__":
    main()
