#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: oncall_schedule
short_description: Manage Grafana OnCall schedules
version_added: 0.1.0
description:
  - Creates, updates and deletes an on-call schedule of Grafana OnCall (C(/api/v1/schedules/)),
    a V(calendar) schedule made of on-call shifts (see M(grafana_cloud.platform.oncall_shift)),
    or an V(ical) schedule that follows iCal feeds.
  - The schedule is found by its O(name) with one read (C(GET /api/v1/schedules/?name=), exact
    and case-sensitive). Schedule names are not unique in OnCall; more than one schedule of
    that name is an error that lists them.
  - O(team) and the O(shifts) are given by name and resolved with one filtered read each; a
    name that does not exist fails the task before anything is written.
  - Updates are C(PATCH) requests with only the changed fields.
author:
  - grafana_cloud.platform contributors (@grafana-cloud-platform)
options:
  name:
    description:
      - Name of the schedule.
    type: str
    required: true
  state:
    description:
      - V(present) creates or updates the schedule, V(absent) deletes it (its shifts stay).
    type: str
    choices: [present, absent]
    default: present
  type:
    description:
      - V(calendar) (shifts managed in OnCall) or V(ical) (an iCal feed).
      - The engine cannot change the type of a schedule; a different type fails, naming the way out.
    type: str
    choices: [calendar, ical]
    default: calendar
  team:
    description:
      - Name of the OnCall team of the schedule; V("") for no team. A calendar schedule only
        takes shifts of its own team.
    type: str
  time_zone:
    description:
      - IANA time zone of a calendar schedule, for example V(Europe/Berlin). Required to create one.
    type: str
  shifts:
    description:
      - Names of the on-call shifts of a calendar schedule. Compared as a set; V([]) removes every shift.
    type: list
    elements: str
  ical_url_primary:
    description:
      - URL of the iCal feed of an ical schedule; required to create one. The engine downloads
        it when the schedule is written and refuses a URL it cannot read.
    type: str
  ical_url_overrides:
    description:
      - URL of an iCal feed of overrides (both types); V("") removes it.
    type: str
extends_documentation_fragment:
  - grafana_cloud.platform.oncall
  - grafana_cloud.platform.attributes
  - grafana_cloud.platform.attributes.ACTIONGROUP_ONCALL
seealso:
  - module: grafana_cloud.platform.oncall_shift
  - module: grafana_cloud.platform.oncall_schedule_info
notes:
  - The C(on_call_now) of the returned schedule is what the engine computed before it applied
    the change; ask M(grafana_cloud.platform.oncall_schedule_info) for who is on call.
  - The engine does not rebuild the calendar of a schedule that had no shifts when shifts are
    attached to it; who is on call stays empty until its periodic refresh (about ten minutes).
    The module warns when that happens. Creating the schedule with its shifts avoids it.
"""

EXAMPLES = r"""
- name: The platform team's schedule, made of two shifts
  grafana_cloud.platform.oncall_schedule:
    name: platform-primary
    team: platform
    time_zone: Europe/Berlin
    shifts: [platform-weekdays, platform-weekends]

- name: A schedule that follows a calendar of another tool
  grafana_cloud.platform.oncall_schedule:
    name: dba-oncall
    type: ical
    ical_url_primary: https://calendar.example.com/dba.ics

- name: Remove the schedule
  grafana_cloud.platform.oncall_schedule:
    name: dba-oncall
    type: ical
    state: absent
"""

RETURN = r"""
schedule:
  description:
    - The schedule as the engine returns it (after the change). In check mode, the predicted
      schedule. Empty after a delete.
  returned: always
  type: dict
  sample:
    id: SBM7DV7BKFUYU
    team_id: TI73TDU19W48J
    name: platform-primary
    time_zone: Europe/Berlin
    on_call_now: [UBB2HUZ2IY4UF]
    shifts: [OH3V5FYQEYJ6M, O7VSDAXEHXJ3V]
    ical_url_overrides: null
    enable_web_overrides: false
    slack: {channel_id: null, user_group_id: null}
    type: calendar
"""

from ansible_collections.grafana_cloud.platform.plugins.module_utils._oncall import (
    OnCallError,
    OnCallResource,
    fail_on_problems,
    find_one,
    names_problems,
    oncall_module,
    oncall_path,
    reference_problem,
    run_oncall_resource,
    text_problem,
    time_zone_problem,
    url_problem,
)
from ansible_collections.grafana_cloud.platform.plugins.module_utils._resource import SET, Field

TYPE_HINT = "Delete the schedule (state=absent) and create it again with the new type."


class Schedule(OnCallResource):
    resource_key = "schedule"
    collection = "schedules"
    unique_key = False  # schedule names are not unique (facts S6, S9, S10)
    fields = (
        Field("type", immutable=True, hint=TYPE_HINT),
        Field("team"),
        Field("time_zone"),
        Field("shifts", kind=SET),
        Field("ical_url_primary"),
        Field("ical_url_overrides"),
    )

    def __init__(self, module, client):
        super(Schedule, self).__init__(module, client)
        self.ids = {}

    def describe(self):
        return "schedule %r" % self.params["name"]

    def validate(self):
        params = self.params
        problems = [text_problem("name", params["name"])]
        if params["state"] == "absent":
            fail_on_problems(self.module, problems)
            return
        problems.extend([reference_problem("team", params["team"]), time_zone_problem(params["time_zone"])]
                        + names_problems("shifts", params["shifts"]))
        if params["type"] == "ical":
            wrong = [option for option in ("time_zone", "shifts") if params[option] is not None]
            if wrong:
                problems.append("%s only apply to type calendar, not to an ical schedule." % ", ".join(wrong))
        elif params["ical_url_primary"] is not None:
            problems.append("ical_url_primary only applies to type ical; a calendar schedule takes shifts.")
        # ical_url_overrides "" removes the overrides feed.
        problems.append(url_problem("ical_url_primary", params["ical_url_primary"]))
        problems.append(url_problem("ical_url_overrides", params["ical_url_overrides"] or None))
        fail_on_problems(self.module, problems)

    def find(self):
        found = find_one(self.client, self.collection, self.describe(), name=self.params["name"])
        if self.params["state"] == "present":
            self.resolve_references(found)
        return found

    def resolve_references(self, found):
        """Team and shift names to ids, one filtered read each, before anything is compared;
        a shift of another team than the schedule's fails here, before any write."""
        team = self.params["team"]
        if team:
            self.ids[("team", team)] = self.reference("team", team)
        if team is not None:
            team_id = self.ids.get(("team", team)) or "" if team else ""
        else:
            team_id = (found or {}).get("team_id") or ""
        for name in self.params["shifts"] or []:
            self.ids[("shift", name)] = self.shift_id(name, team_id)

    def shift_id(self, name, team_id):
        """The id of the shift called ``name`` (one filtered read), checked against the team."""
        shift = find_one(self.client, "on_call_shifts", "on-call shift %r" % name, name=name)
        if shift is None:
            self.missing("On-call shift %r not found in OnCall." % name,
                         fix="Create it first (oncall_shift), or correct the name.")
            return None
        if (shift.get("team_id") or "") != team_id:
            raise OnCallError("On-call shift %r belongs to team %s, %s to %s: a calendar schedule only takes "
                              "shifts of its own team." % (name, shift.get("team_id") or "none", self.describe(),
                                                           team_id or "no team"))
        self.names[shift["id"]] = name
        return shift["id"]

    def current_values(self, obj):
        return dict(type=obj.get("type"), team=self.name_of(obj.get("team_id"), "teams", "team"),
                    time_zone=obj.get("time_zone"),
                    shifts=[self.name_of(shift_id, "on_call_shifts", "shifts") for shift_id in obj.get("shifts") or []],
                    ical_url_primary=obj.get("ical_url_primary"), ical_url_overrides=obj.get("ical_url_overrides") or "")

    def ensure_created(self):
        values = self.desired_values()
        if values["type"] == "calendar" and "time_zone" not in values:
            self.fail("Creating calendar %s needs time_zone." % self.describe())
        if values["type"] == "ical" and "ical_url_primary" not in values:
            self.fail("Creating ical %s needs ical_url_primary." % self.describe())
        return super(Schedule, self).ensure_created()

    def update(self, obj, changes, values):
        if changes.get("shifts") and not obj.get("shifts") and "time_zone" not in changes:
            self.warnings.append(
                "Shifts were attached to %s, which had none: the engine does not rebuild its calendar in "
                "that case, so who is on call stays empty until its periodic refresh (about ten minutes)."
                % self.describe())
        return super(Schedule, self).update(obj, changes, values)

    def create(self, values):
        body = dict(name=self.params["name"])
        body.update(self.body(values))
        return self.client.post(oncall_path(self.collection), json=body)

    def body(self, values):
        body = {}
        for option, value in values.items():
            if option == "team":
                body["team_id"] = self.ids.get(("team", value)) if value else None
            elif option == "shifts":
                body["shifts"] = [self.ids.get(("shift", name)) for name in value]
            elif option == "ical_url_overrides":
                body[option] = value or None
            else:
                body[option] = value
        return body

    def predict_created(self, values):
        predicted = dict(id=None, team_id=None, name=self.params["name"], on_call_now=[])
        predicted.update(self.body(values))
        if values["type"] == "calendar":
            predicted.setdefault("shifts", [])
        return predicted

    def predict_updated(self, obj, changes, values):
        return dict(obj, **self.body(changes))


def main():
    module = oncall_module(dict(
        name=dict(type="str", required=True),
        state=dict(type="str", choices=["present", "absent"], default="present"),
        type=dict(type="str", choices=["calendar", "ical"], default="calendar"),
        team=dict(type="str"),
        time_zone=dict(type="str"),
        shifts=dict(type="list", elements="str"),
        ical_url_primary=dict(type="str"),
        ical_url_overrides=dict(type="str"),
    ))
    run_oncall_resource(module, Schedule)


if __name__ == "__main__":
    main()
