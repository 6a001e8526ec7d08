#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: oncall_shift
short_description: Manage Grafana OnCall on-call shifts
version_added: 0.1.0
description:
  - Creates, updates and deletes an on-call shift of Grafana OnCall (C(/api/v1/on_call_shifts/)),
    a single event, a recurrent event, or a rotation of groups of users. Put shifts into a
    calendar schedule with M(grafana_cloud.platform.oncall_schedule).
  - The shift is found by its O(name) with one read (C(GET /api/v1/on_call_shifts/?name=),
    exact and case-sensitive); more than one shift of that name is an error that lists them.
    A re-run that changes nothing sends only that read, plus one read per team and user named.
  - Users are given by username and resolved with one filtered read each
    (C(GET /api/v1/users/?username=)). The engine silently drops user ids it does not know, so
    an unknown username fails the task before anything is written.
  - Updates are C(PATCH) requests with only the changed fields.
author:
  - grafana_cloud.platform contributors (@grafana-cloud-platform)
options:
  name:
    description:
      - Name of the shift.
    type: str
    required: true
  state:
    description:
      - V(present) creates or updates the shift, V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
  type:
    description:
      - V(single_event) happens once; V(recurrent_event) repeats with the same O(users);
        V(rolling_users) repeats, handing each period to the next group of O(rolling_users);
        V(override) replaces whoever else is on call for its time (a one-off).
      - Required to create the shift.
    type: str
    choices: [single_event, recurrent_event, rolling_users, override]
  team:
    description:
      - Name of the OnCall team of the shift; V("") for no team. A calendar schedule only
        takes shifts of its own team.
    type: str
  time_zone:
    description:
      - IANA time zone that O(start), O(rotation_start) and O(until) are wall-clock times in,
        for example V(Europe/Berlin). Without it they are UTC.
    type: str
  level:
    description:
      - Priority level; where shifts of one schedule overlap, the highest level wins.
    type: int
  start:
    description:
      - Start of the first occurrence, C(yyyy-mm-ddThh:mm:ss), in O(time_zone).
      - Required to create the shift.
    type: str
  rotation_start:
    description:
      - When the rotation starts counting, C(yyyy-mm-ddThh:mm:ss); the engine defaults it to O(start).
    type: str
  duration:
    description:
      - Length of each occurrence, as seconds or as a duration such as V(12h) or V(1d).
      - Required to create the shift.
    type: raw
  frequency:
    description:
      - How often the shift repeats. Required for V(recurrent_event) and V(rolling_users).
    type: str
    choices: [hourly, daily, weekly, monthly]
  interval:
    description:
      - Repeat every this many O(frequency) periods (V(2) with V(weekly) is every other week).
    type: int
  week_start:
    description:
      - First day of the week; required with O(frequency=weekly).
    type: str
    choices: [MO, TU, WE, TH, FR, SA, SU]
  by_day:
    description:
      - Only on these days of the week. Compared as a set.
    type: list
    elements: str
    choices: [MO, TU, WE, TH, FR, SA, SU]
  by_month:
    description:
      - Only in these months (1 to 12). Compared as a set.
    type: list
    elements: int
  by_monthday:
    description:
      - Only on these days of the month (1 to 31, or -31 to -1 counted from the end). Compared as a set.
    type: list
    elements: int
  until:
    description:
      - No occurrence starts after this time, C(yyyy-mm-ddThh:mm:ss) in O(time_zone).
    type: str
  users:
    description:
      - Usernames of the people on call during each occurrence (not with V(rolling_users)).
      - Compared as a set.
    type: list
    elements: str
  rolling_users:
    description:
      - For V(rolling_users), the groups of usernames, in rotation order. The first period goes
        to the group at O(start_rotation_from_user_index), the next period to the next group, and
        so on; everybody of a group is on call together.
      - The order of the groups is the rotation and is compared. The order of the usernames
        inside a group carries no meaning and is not compared - the engine stores each group in
        an order of its own and answers it in that order, so a comparison of the order would
        report a change on every run.
      - A Viewer is never on call. In a group that holds a Viewer, whether the others of the
        group are on call depends on the engine's stored order; keep Viewers out of rotations.
    type: list
    elements: list
  start_rotation_from_user_index:
    description:
      - Index (from 0) of the group of O(rolling_users) that has the first period. Defaults to
        V(0) when a V(rolling_users) shift is created.
    type: int
extends_documentation_fragment:
  - grafana_cloud.platform.oncall
  - grafana_cloud.platform.attributes
  - grafana_cloud.platform.attributes.ACTIONGROUP_ONCALL
seealso:
  - module: grafana_cloud.platform.oncall_schedule
  - module: grafana_cloud.platform.oncall_schedule_info
"""

EXAMPLES = r"""
- name: A weekly rotation on working days, 09:00 to 21:00 in Berlin
  grafana_cloud.platform.oncall_shift:
    name: platform-weekdays
    type: rolling_users
    team: platform
    time_zone: Europe/Berlin
    start: "2026-01-05T09:00:00"
    duration: 12h
    frequency: weekly
    week_start: MO
    by_day: [MO, TU, WE, TH, FR]
    rolling_users:
      - [alice]
      - [bob, dave]

- name: One night of cover
  grafana_cloud.platform.oncall_shift:
    name: release-night
    type: single_event
    start: "2026-03-14T20:00:00"
    time_zone: UTC
    duration: 8h
    users: [alice, bob]

- name: Remove the shift
  grafana_cloud.platform.oncall_shift:
    name: release-night
    state: absent
"""

RETURN = r"""
shift:
  description:
    - The shift as the engine returns it (after the change); only the fields of its type. In
      check mode, the predicted shift. Empty after a delete.
  returned: always
  type: dict
  sample:
    id: OH3V5FYQEYJ6M
    team_id: TI73TDU19W48J
    schedule: null
    name: platform-weekdays
    type: rolling_users
    time_zone: Europe/Berlin
    level: 0
    start: "2026-01-05T09:00:00"
    duration: 43200
    rotation_start: "2026-01-05T09:00:00"
    frequency: weekly
    interval: null
    until: null
    week_start: MO
    by_day: [MO, TU, WE, TH, FR]
    by_month: null
    by_monthday: null
    rolling_users: [[UBB2HUZ2IY4UF], [U8HQ4FSKRZZ4Y, UJ1C37ZXN8BWF]]
    start_rotation_from_user_index: 0
"""

import re

from ansible_collections.grafana_cloud.platform.plugins.module_utils._oncall import (
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
)
from ansible_collections.grafana_cloud.platform.plugins.module_utils._resource import SET, Field, canonical_set
from ansible_collections.grafana_cloud.platform.plugins.module_utils._timeutil import parse_duration

LOCAL_TIME = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}$")
WEEKDAYS = ["MO", "TU", "WE", "TH", "FR", "SA", "SU"]
TYPES = ["single_event", "recurrent_event", "rolling_users", "override"]
REPEATING = ("recurrent_event", "rolling_users")
# Fields only repeating shifts have; the engine drops them from other types.
REPEAT_OPTIONS = ("frequency", "interval", "until", "week_start", "by_day", "by_month", "by_monthday")
PLAIN = ("type", "time_zone", "level", "start", "rotation_start", "duration", "frequency", "interval",
         "week_start", "until", "start_rotation_from_user_index")
SET_OPTIONS = ("by_day", "by_month", "by_monthday")


def duration_seconds(value):
    """Seconds, from a number of seconds (also as text, as templating may hand it over) or a
    duration such as ``12h``; ValueError otherwise."""
    if isinstance(value, bool):
        raise ValueError("%r is not a duration" % (value,))
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return parse_duration(value)


def same_groups(current, desired):
    """Rotation groups: the order of the groups counts, the order inside a group does not."""
    current, desired = current or [], desired or []
    return len(current) == len(desired) and all(
        canonical_set(mine or []) == canonical_set(theirs or []) for mine, theirs in zip(current, desired))


class GroupsField(Field):
    def same(self, current, desired):
        return same_groups(current, desired)


class Shift(OnCallResource):
    resource_key = "shift"
    collection = "on_call_shifts"
    unique_key = False  # the name check is the serializer's: two creates at once both pass it
    fields = tuple([Field(option) for option in PLAIN]
                   + [Field(option, kind=SET) for option in SET_OPTIONS]
                   + [Field("team"), Field("users", kind=SET), GroupsField("rolling_users")])

    def __init__(self, module, client):
        super(Shift, self).__init__(module, client)
        self.ids = {}

    def describe(self):
        return "on-call shift %r" % self.params["name"]

    # -- input ---------------------------------------------------------------------------

    def validate(self):
        params = self.params
        name_problem = text_problem("name", params["name"])
        if params["state"] == "absent":
            fail_on_problems(self.module, [name_problem])
            return
        problems = [name_problem, reference_problem("team", params["team"]),
                    time_zone_problem(params["time_zone"])]
        problems += names_problems("users", params["users"]) + self.time_problems() + self.shape_problems()
        if params["start_rotation_from_user_index"] is not None and params["start_rotation_from_user_index"] < 0:
            problems.append("start_rotation_from_user_index must be 0 or more, got %d."
                            % params["start_rotation_from_user_index"])
        duration = self.params["duration"]
        if duration is not None:
            try:
                if duration_seconds(duration) <= 0:
                    problems.append("duration must be longer than 0 seconds, got %r." % (duration,))
            except ValueError as error:
                problems.append("duration: %s." % error)
        fail_on_problems(self.module, problems)

    def time_problems(self):
        params = self.params
        problems = ["%s must be a wall-clock time yyyy-mm-ddThh:mm:ss (in time_zone), got %r."
                    % (option, params[option])
                    for option in ("start", "rotation_start", "until")
                    if params[option] is not None and not LOCAL_TIME.match(params[option])]
        # Same format, so the texts compare as the times do.
        if not problems and params["start"] and params["until"] and params["until"] < params["start"]:
            problems.append("until (%s) is earlier than start (%s)." % (params["until"], params["start"]))
        return problems

    def shape_problems(self):
        params, problems = self.params, []
        kind = params["type"]
        if params["interval"] is not None and params["interval"] < 1:
            problems.append("interval must be 1 or more, got %s." % params["interval"])
        if any(not 1 <= month <= 12 for month in params["by_month"] or []):
            problems.append("by_month takes months from 1 to 12, got %s." % params["by_month"])
        if any(day == 0 or not -31 <= day <= 31 for day in params["by_monthday"] or []):
            problems.append("by_monthday takes 1 to 31 or -31 to -1, got %s." % params["by_monthday"])
        for group in params["rolling_users"] or []:
            if not group or not all(isinstance(name, str) and name for name in group):
                problems.append("rolling_users must be a list of non-empty lists of usernames, got %r."
                                % (params["rolling_users"],))
                break
        if kind is None:
            return problems
        if kind not in REPEATING:
            given = [option for option in REPEAT_OPTIONS if params[option] is not None]
            if given:
                problems.append("%s only apply to a repeating shift (type recurrent_event or rolling_users), "
                                "not to type %s." % (", ".join(given), kind))
        if kind == "rolling_users" and params["users"] is not None:
            problems.append("type rolling_users takes rolling_users, not users.")
        if kind != "rolling_users" and params["rolling_users"] is not None:
            problems.append("rolling_users only applies to type rolling_users; use users for type %s." % kind)
        return problems

    def check_create(self, values):
        missing = [option for option in ("type", "start", "duration") if option not in values]
        if values.get("type") in REPEATING and "frequency" not in values:
            missing.append("frequency (for type %s)" % values["type"])
        if values.get("type") == "rolling_users" and "rolling_users" not in values:
            missing.append("rolling_users (for type rolling_users)")
        if values.get("frequency") == "weekly" and "week_start" not in values:
            missing.append("week_start (for frequency weekly)")
        if missing:
            self.fail("Creating %s needs %s." % (self.describe(), ", ".join(missing)))

    # -- engine hooks ----------------------------------------------------------------------

    def find(self):
        found = find_one(self.client, self.collection, self.describe(), name=self.params["name"])
        if self.params["state"] == "present":
            self.resolve_references()
        return found

    def resolve_references(self):
        """Team and usernames to ids, one filtered read each, before anything is compared:
        results and diffs then show the names the task gave."""
        self.ids = {}
        if self.params["team"]:
            self.ids[("team", self.params["team"])] = self.reference("team", self.params["team"])
        usernames = list(self.params["users"] or [])
        for group in self.params["rolling_users"] or []:
            usernames.extend(group)
        for username in usernames:
            if ("user", username) in self.ids:
                continue
            user = self.refs.user(username)
            if user is not None and user.get("role") == "viewer":
                self.warnings.append("User %r is a Viewer: the engine never puts a Viewer on call." % username)
            self.ids[("user", username)] = self.reference("user", username)

    def current_values(self, obj):
        values = dict((option, obj.get(option)) for option in PLAIN)
        values.update((option, obj.get(option) or []) for option in SET_OPTIONS)
        values["team"] = self.name_of(obj.get("team_id"), "teams", "team")
        values["users"] = [self.name_of(user_id, "users", "users") for user_id in obj.get("users") or []]
        values["rolling_users"] = [[self.name_of(user_id, "users", "rolling_users") for user_id in group]
                                   for group in obj.get("rolling_users") or []]
        return values

    def desired_values(self, current=None):
        values = super(Shift, self).desired_values(current)
        if "duration" in values:
            values["duration"] = duration_seconds(values["duration"])
        if current is None and values.get("type") == "rolling_users":
            values.setdefault("start_rotation_from_user_index", 0)
        return values

    def ensure_created(self):
        self.check_create(self.desired_values())
        return super(Shift, self).ensure_created()

    def create(self, values):
        body = dict(name=self.params["name"])
        body.update(self.body(values))
        return self.client.post(oncall_path(self.collection), json=body)

    def body(self, values):
        body = {}
        for option, value in values.items():
            if option == "team":
                body["team_id"] = self.ids.get(("team", value)) if value else None
            elif option == "users":
                body["users"] = [self.ids.get(("user", name)) for name in value]
            elif option == "rolling_users":
                body["rolling_users"] = [[self.ids.get(("user", name)) for name in group] for group in value]
            else:
                body[option] = value
        return body

    def predict_created(self, values):
        predicted = dict(id=None, team_id=None, schedule=None, name=self.params["name"], level=0,
                         time_zone=None, rotation_start=values.get("start"))
        predicted.update(self.body(values))
        return predicted

    def predict_updated(self, obj, changes, values):
        return dict(obj, **self.body(changes))


def main():
    module = oncall_module(
        dict(
            name=dict(type="str", required=True),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            type=dict(type="str", choices=TYPES),
            team=dict(type="str"),
            time_zone=dict(type="str"),
            level=dict(type="int"),
            start=dict(type="str"),
            rotation_start=dict(type="str"),
            duration=dict(type="raw"),
            frequency=dict(type="str", choices=["hourly", "daily", "weekly", "monthly"]),
            interval=dict(type="int"),
            week_start=dict(type="str", choices=WEEKDAYS),
            by_day=dict(type="list", elements="str", choices=WEEKDAYS),
            by_month=dict(type="list", elements="int"),
            by_monthday=dict(type="list", elements="int"),
            until=dict(type="str"),
            users=dict(type="list", elements="str"),
            rolling_users=dict(type="list", elements="list"),
            start_rotation_from_user_index=dict(type="int"),
        ),
        mutually_exclusive=[("users", "rolling_users")],
    )
    run_oncall_resource(module, Shift)


if __name__ == "__main__":
    main()
