#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: oncall_schedule_info
short_description: List Grafana OnCall schedules and who is on call now
version_added: 0.1.0
description:
  - Lists the on-call schedules of Grafana OnCall (C(GET /api/v1/schedules/)), following every
    page, with who is on call now in each of them.
  - O(name) is sent to the engine's exact, case-sensitive name filter, so a lookup by name is
    one request whatever the number of schedules. O(team) is filtered here (the engine's team
    filter answers a server error for an existing team).
  - Who is on call (C(on_call_now), user ids) comes with each schedule; the module adds the
    usernames and e-mails in C(on_call_now_users), reading each user once
    (C(GET /api/v1/users/{id}/)).
author:
  - grafana_cloud.platform contributors (@grafana-cloud-platform)
options:
  name:
    description:
      - Only the schedules with exactly this name (schedule names are not unique).
    type: str
  team:
    description:
      - Only the schedules of the OnCall team of this name (resolved with one read); V("")
        for the schedules of no team.
    type: str
  id:
    description:
      - Only the schedule with this id (C(GET /api/v1/schedules/{id}/)); an unknown id gives
        an empty list. The other filters are then ignored.
    type: str
extends_documentation_fragment:
  - grafana_cloud.platform.oncall
  - grafana_cloud.platform.attributes.INFO_MODULE
  - grafana_cloud.platform.attributes.ACTIONGROUP_ONCALL
seealso:
  - module: grafana_cloud.platform.oncall_schedule
notes:
  - C(on_call_now) is computed by the engine from its cached calendar of the schedule, which
    its background tasks rebuild after a change; right after a change it can lag behind. A
    schedule that had no shifts and got some is not rebuilt until the engine's periodic
    refresh (about ten minutes).
  - A Viewer is never on call.
"""

EXAMPLES = r"""
- name: Who is on call now for the platform team
  grafana_cloud.platform.oncall_schedule_info:
    team: platform
  register: platform

- name: Show it
  ansible.builtin.debug:
    msg: "{{ item.name }}: {{ item.on_call_now_users | map(attribute='username') | join(', ') or 'nobody' }}"
  loop: "{{ platform.schedules }}"
  loop_control:
    label: "{{ item.name }}"
"""

RETURN = r"""
schedules:
  description:
    - The schedules, as the engine returns them, each with C(on_call_now_users) added.
  returned: always
  type: list
  elements: dict
  contains:
    on_call_now_users:
      description: Who is on call now, in the order of C(on_call_now).
      type: list
      elements: dict
      sample: [{id: UBB2HUZ2IY4UF, username: alice, email: alice@example.com}]
  sample:
    - id: SBM7DV7BKFUYU
      team_id: TI73TDU19W48J
      name: platform-primary
      time_zone: Europe/Berlin
      on_call_now: [UBB2HUZ2IY4UF]
      on_call_now_users: [{id: UBB2HUZ2IY4UF, username: alice, email: alice@example.com}]
      shifts: [OH3V5FYQEYJ6M]
      ical_url_overrides: null
      enable_web_overrides: false
      slack: {channel_id: null, user_group_id: null}
      type: calendar
"""

from ansible_collections.grafana_cloud.platform.plugins.module_utils._oncall import (
    OnCallError,
    References,
    fail_on_problems,
    iter_oncall,
    oncall_client,
    oncall_module,
    oncall_path,
    reference_problem,
    run_oncall,
    text_problem,
)


def validate(module):
    """Every set option names something: "" would match every schedule (id) or none (name)."""
    params = module.params
    fail_on_problems(module, [text_problem("id", params["id"]), text_problem("name", params["name"]),
                              reference_problem("team", params["team"])])


def schedules(module, client, refs):
    params = module.params
    if params["id"]:
        found = client.get_or_none(oncall_path("schedules", params["id"]))
        return [found] if found else []
    team_id = None
    if params["team"]:
        team = refs.team(params["team"])
        if team is None:
            raise OnCallError("Team %r not found in OnCall." % params["team"])
        team_id = team["id"]
    listed = iter_oncall(client, "schedules", name=params["name"])
    result = []
    for schedule in listed:
        if params["name"] is not None and schedule.get("name") != params["name"]:
            continue
        if params["team"] is not None and (schedule.get("team_id") or None) != team_id:
            continue
        result.append(schedule)
    return result


def with_people(client, found):
    """Each schedule with ``on_call_now_users``; every user read once."""
    users = {}
    for schedule in found:
        people = []
        for user_id in schedule.get("on_call_now") or []:
            if user_id not in users:
                user = client.get_or_none(oncall_path("users", user_id)) or {}
                users[user_id] = dict(id=user_id, username=user.get("username"), email=user.get("email"))
            people.append(users[user_id])
        schedule["on_call_now_users"] = people
    return found


def main():
    module = oncall_module(dict(
        name=dict(type="str"),
        team=dict(type="str"),
        id=dict(type="str"),
    ))
    validate(module)
    client = oncall_client(module)
    refs = References(client)

    def work():
        return dict(changed=False, schedules=with_people(client, schedules(module, client, refs)))

    run_oncall(module, client, work)


if __name__ == "__main__":
    main()
