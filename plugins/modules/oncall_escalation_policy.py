#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: oncall_escalation_policy
short_description: Manage one step of a Grafana OnCall escalation chain
version_added: 0.1.0
description:
  - Creates, updates or deletes one step (escalation policy) of a Grafana OnCall (IRM)
    escalation chain, through the OnCall public API (C(/api/v1/escalation_policies/)).
  - One task per step. A step is the one at O(position) of O(escalation_chain); the chain is
    found with one request and its steps read with another. Declare the steps of a chain in
    order, 0, 1, 2 ...; a new step can only go at the end (O(position) equal to the number of
    steps), so that every run finds each step where the last one put it.
  - O(position) counts the steps in their order (0 is the first step, 1 the second ...); it
    is not the number the engine stores. The engine keeps a gap when a step is deleted (the
    later steps keep their numbers, so 0, 1, 2 becomes 0, 2); counting by order, the step
    after a deleted one is at the freed position, and a re-run after any deletion finds every
    step where the declaration puts it, changes nothing more and never creates a second copy.
  - A step at the position with another O(type) is changed to the new type (the engine drops
    the old type's fields).
  - Users, the schedule, the team and the webhook are given by name and resolved with one
    filtered request each; an unknown name fails the task before any change (the engine would
    silently drop unknown users).
author:
  - grafana_cloud.platform contributors (@grafana-cloud-platform)
options:
  escalation_chain:
    description:
      - Name of the escalation chain. A step can't move to another chain (the engine ignores
        that change).
    type: str
    required: true
  position:
    description:
      - Place of the step in the chain, from 0, counted in the order of the steps (not the
        engine's stored number, which keeps gaps after a deletion).
    type: int
    required: true
  type:
    description:
      - What the step does; required with O(state=present). Each type takes its own options
        (and only those).
      - V(wait) - O(duration).
      - V(notify_persons) - O(persons_to_notify), O(important).
      - V(notify_person_next_each_time) - O(persons_to_notify_next_each_time), O(important).
      - V(notify_on_call_from_schedule) - O(notify_on_call_from_schedule), O(important).
      - V(notify_user_group) - O(group_to_notify), O(important).
      - V(notify_team_members) - O(team_to_notify), O(important).
      - V(notify_whole_channel) - O(important).
      - V(trigger_webhook) - O(action_to_trigger).
      - V(notify_if_time_from_to) - O(notify_if_time_from), O(notify_if_time_to).
      - V(notify_if_num_alerts_in_window) - O(num_alerts_in_window), O(num_minutes_in_window).
      - V(resolve), V(repeat_escalation) - nothing.
    type: str
    choices:
      - wait
      - notify_persons
      - notify_person_next_each_time
      - notify_on_call_from_schedule
      - notify_user_group
      - notify_team_members
      - notify_whole_channel
      - trigger_webhook
      - notify_if_time_from_to
      - notify_if_num_alerts_in_window
      - resolve
      - repeat_escalation
  important:
    description:
      - Whether the notify step uses the users' "important" notification rules. Only for the
        notify types.
    type: bool
  duration:
    description:
      - Seconds to wait (V(wait)), from 60 to 86400.
    type: int
  persons_to_notify:
    description:
      - Usernames to notify (V(notify_persons)); the order carries no meaning.
    type: list
    elements: str
  persons_to_notify_next_each_time:
    description:
      - Usernames notified one after the other, the next one each time (V(notify_person_next_each_time)).
    type: list
    elements: str
  notify_on_call_from_schedule:
    description:
      - Name of the schedule whose on-call users are notified (V(notify_on_call_from_schedule)).
    type: str
  group_to_notify:
    description:
      - Id of the Slack user group to notify (V(notify_user_group)).
    type: str
  team_to_notify:
    description:
      - Name of the team whose members are notified (V(notify_team_members)).
    type: str
  action_to_trigger:
    description:
      - Name of the outgoing webhook to trigger (V(trigger_webhook)).
    type: str
  notify_if_time_from:
    description:
      - Start of the time window, C(HH:MM:SSZ) in UTC (V(notify_if_time_from_to)).
    type: str
  notify_if_time_to:
    description:
      - End of the time window, C(HH:MM:SSZ) in UTC (V(notify_if_time_from_to)).
    type: str
  num_alerts_in_window:
    description:
      - Number of alerts that must arrive within O(num_minutes_in_window) (V(notify_if_num_alerts_in_window)).
    type: int
  num_minutes_in_window:
    description:
      - Length of the window in minutes (V(notify_if_num_alerts_in_window)).
    type: int
  state:
    description:
      - V(present) creates or updates the step; V(absent) deletes the step at O(position), and
        the later steps move up one place in the order (the engine keeps their stored numbers).
        Remove steps from the end of a chain, or remove them from the declaration too.
    type: str
    choices: [present, absent]
    default: present
seealso:
  - module: grafana_cloud.platform.oncall_escalation_chain
extends_documentation_fragment:
  - grafana_cloud.platform.oncall
  - grafana_cloud.platform.attributes
  - grafana_cloud.platform.attributes.ACTIONGROUP_ONCALL
"""

EXAMPLES = r"""
- name: Steps of the databases chain, in order
  module_defaults:
    group/grafana_cloud.platform.oncall:
      oncall_api_url: "{{ oncall_api_url }}"
      oncall_access_token: "{{ oncall_sa_token }}"
      grafana_url: "{{ stack_url }}"
  block:
    - name: First, page alice and bob
      grafana_cloud.platform.oncall_escalation_policy:
        escalation_chain: databases
        position: 0
        type: notify_persons
        persons_to_notify: [alice, bob]
        important: true

    - name: Then wait five minutes
      grafana_cloud.platform.oncall_escalation_policy:
        escalation_chain: databases
        position: 1
        type: wait
        duration: 300

    - name: Then whoever is on call
      grafana_cloud.platform.oncall_escalation_policy:
        escalation_chain: databases
        position: 2
        type: notify_on_call_from_schedule
        notify_on_call_from_schedule: databases-primary
"""

RETURN = r"""
escalation_policy:
  description:
    - The step as the API returns it (user, schedule, team and webhook as ids); empty after
      O(state=absent). Its C(position) is the engine's stored number, which may differ from
      O(position) after a deletion left a gap.
    - In check mode, the predicted step (without C(id) when it would be created).
  returned: always
  type: dict
  sample:
    id: E4TQ5QP8NQ3M3
    escalation_chain_id: FNVLHCJC59PUD
    position: 0
    type: notify_persons
    persons_to_notify: [UXXJ7CVL6A2CX, U8QF1R1WZ6RJU]
    important: true
"""

import re

from ansible_collections.grafana_cloud.platform.plugins.module_utils._oncall import (
    OnCallResource,
    fail_on_problems,
    iter_oncall,
    names_problems,
    oncall_module,
    oncall_path,
    run_oncall_resource,
    text_problem,
)
from ansible_collections.grafana_cloud.platform.plugins.module_utils._resource import LIST, SET, Field

# type -> (its options, whether it takes "important")
TYPES = {
    "wait": (("duration",), False),
    "notify_persons": (("persons_to_notify",), True),
    "notify_person_next_each_time": (("persons_to_notify_next_each_time",), True),
    "notify_on_call_from_schedule": (("notify_on_call_from_schedule",), True),
    "notify_user_group": (("group_to_notify",), True),
    "notify_team_members": (("team_to_notify",), True),
    "notify_whole_channel": ((), True),
    "trigger_webhook": (("action_to_trigger",), False),
    "notify_if_time_from_to": (("notify_if_time_from", "notify_if_time_to"), False),
    "notify_if_num_alerts_in_window": (("num_alerts_in_window", "num_minutes_in_window"), False),
    "resolve": ((), False),
    "repeat_escalation": ((), False),
}
TYPE_OPTIONS = sorted(set(option for options, _important in TYPES.values() for option in options))
USER_LISTS = ("persons_to_notify", "persons_to_notify_next_each_time")
# option -> (reference kind, collection it names)
REFERENCES = {"notify_on_call_from_schedule": ("schedule", "schedules"),
              "team_to_notify": ("team", "teams"),
              "action_to_trigger": ("webhook", "webhooks")}
TIME = re.compile(r"^([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9]Z$")
MIN_DURATION = 60
MAX_DURATION = 86400


def type_problems(params):
    """What is wrong with the type and its options (no request needed)."""
    policy_type = params["type"]
    if policy_type is None:
        return ["type is required with state present."]
    options, takes_important = TYPES[policy_type]
    problems = []
    stray = [option for option in TYPE_OPTIONS if params.get(option) is not None and option not in options]
    if stray:
        problems.append("%s: not options of type %s (it takes %s)." % (
            ", ".join(stray), policy_type, ", ".join(options) or "none of them"))
    missing = [option for option in options if params.get(option) is None]
    if missing:
        problems.append("type %s needs %s." % (policy_type, ", ".join(missing)))
    if params.get("important") is not None and not takes_important:
        problems.append("important applies to the notify types only, not to %s." % policy_type)
    duration = params.get("duration")
    if duration is not None and not MIN_DURATION <= duration <= MAX_DURATION:
        problems.append("duration must be from %d to %d seconds, got %d." % (MIN_DURATION, MAX_DURATION, duration))
    for option in ("notify_if_time_from", "notify_if_time_to"):
        if params.get(option) is not None and not TIME.match(params[option]):
            problems.append("%s must be HH:MM:SSZ (UTC), got %r." % (option, params[option]))
    for option in ("num_alerts_in_window", "num_minutes_in_window"):
        if params.get(option) is not None and params[option] < 1:
            problems.append("%s must be 1 or more, got %d." % (option, params[option]))
    for option in USER_LISTS:
        problems.extend(names_problems(option, params.get(option)))
    for option in sorted(REFERENCES) + ["group_to_notify"]:
        problems.append(text_problem(option, params.get(option)))
    return problems


class EscalationPolicy(OnCallResource):
    resource_key = "escalation_policy"
    collection = "escalation_policies"
    fields = ((Field("type"), Field("important"), Field("persons_to_notify", kind=SET),
               Field("persons_to_notify_next_each_time", kind=LIST))
              + tuple(Field(option) for option in TYPE_OPTIONS if option not in USER_LISTS))

    unique_key = False  # nothing stops two runs from both adding step N

    def __init__(self, module, client):
        super(EscalationPolicy, self).__init__(module, client)
        self.chain = self.params["escalation_chain"]
        self.position = self.params["position"]
        self.chain_id = None
        self.steps = 0
        self.end_position = 0
        self.ids = {}

    def describe(self):
        return "step %d of escalation chain %r" % (self.position, self.chain)

    def validate(self):
        params = self.params
        problems = [text_problem("escalation_chain", self.chain)]
        if self.position < 0:
            problems.append("position must be 0 or more, got %d." % self.position)
        if params["state"] == "present":
            problems.extend(type_problems(params))
        fail_on_problems(self.module, problems)

    # -- finding -----------------------------------------------------------------------

    def find(self):
        present = self.params["state"] == "present"
        chain = self.refs.escalation_chain(self.chain)
        if chain is None:
            if present:
                self.reference("escalation_chain", self.chain)  # fails, or warns in check mode
            return None
        self.chain_id = chain["id"]
        steps = sorted(iter_oncall(self.client, self.collection, escalation_chain_id=self.chain_id),
                       key=lambda step: step.get("position", 0))
        self.steps = len(steps)
        # By order, not by the stored number: a deletion leaves a gap there (fact N2).
        found = steps[self.position] if self.position < self.steps else None
        self.end_position = steps[-1].get("position", 0) + 1 if steps else 0
        if present:
            if found is None and self.position > self.steps:
                self.missing("position %d of escalation chain %r is past its end: it has %d step(s), so a new "
                             "step goes at position %d." % (self.position, self.chain, self.steps, self.steps),
                             fix="Declare the steps in order.",
                             check_note="A real run fails unless the steps before it exist by then.")
            self.resolve_references()
        return found

    def resolve_references(self):
        missing = []
        for option in USER_LISTS:
            for username in self.params[option] or []:
                user = self.refs.user(username)
                if user is None:
                    missing.append(username)
                else:
                    self.ids[(option, username)] = user["id"]
                    self.names[user["id"]] = username
        if missing:
            self.missing("User(s) not found in OnCall: %s." % ", ".join(repr(name) for name in missing),
                         fix="Users come from Grafana: add them there, or correct the names.",
                         check_note="A real run fails unless they exist by then.")
        for option, (kind, _collection) in REFERENCES.items():
            if self.params[option]:
                self.ids[(option, self.params[option])] = self.reference(kind, self.params[option])

    # -- comparing -----------------------------------------------------------------------

    def current_values(self, obj):
        values = dict(type=obj.get("type"), important=obj.get("important"))
        for option in TYPE_OPTIONS:
            value = obj.get(option)
            if option in USER_LISTS:
                value = None if value is None else [self.name_of(user_id, "users", option) for user_id in value]
            elif option in REFERENCES:
                value = self.name_of(value, REFERENCES[option][1], option) or None
            values[option] = value
        return values

    def api_value(self, option, value):
        if option in USER_LISTS:
            return [self.ids.get((option, username)) for username in value]
        if option in REFERENCES:
            return self.ids.get((option, value))
        return value

    def changes_between(self, current, desired):
        changes = super(EscalationPolicy, self).changes_between(current, desired)
        if "type" in changes:
            # The old type's fields go with it: the diff shows them gone (None is never sent).
            options, takes_important = TYPES[changes["type"]]
            for option in ("important",) + tuple(TYPE_OPTIONS):
                keep = option in options or (option == "important" and takes_important)
                if not keep and current.get(option) is not None:
                    changes[option] = None
        return changes

    def body(self, values):
        return dict((option, self.api_value(option, value)) for option, value in values.items()
                    if value is not None)

    def create(self, values):
        # A new step goes at the end: after the last stored number (N2: posting the freed
        # number would put it before the step that follows the gap).
        body = dict(self.body(values), escalation_chain_id=self.chain_id, position=self.end_position)
        return self.client.post(oncall_path(self.collection), json=body)

    def update(self, obj, changes, values):
        body = self.body(changes)
        if "type" in changes:
            # The engine drops the old type's fields: send all of the new type's.
            body.update(self.body(dict((option, values[option]) for option in TYPES[values["type"]][0])))
        return self.client.patch(self.object_path(obj), json=body)

    def twins(self, created):
        """Steps equal to ``created`` where two runs adding a step at once leave them: at the stored
        number both sent (:attr:`end_position`) and the one after (an insert moves the steps below
        it, facts EP16, EP17), the older one below: oldest first. Stored numbers, not places: after
        a deletion left a gap (N2) the two differ."""
        def same(step):
            return all(step.get(key) == value for key, value in created.items() if key not in ("id", "position"))
        steps = [step for step in iter_oncall(self.client, self.collection, escalation_chain_id=self.chain_id)
                 if step.get("position") in (self.end_position, self.end_position + 1) and same(step)]
        return sorted(steps, key=lambda step: step.get("position", 0), reverse=True)

    def predict_created(self, values):
        return dict(self.body(values), escalation_chain_id=self.chain_id, position=self.end_position)

    def predict_updated(self, obj, changes, values):
        if "type" in changes:
            kept = dict((key, obj[key]) for key in ("id", "escalation_chain_id", "position") if key in obj)
            return dict(kept, **self.body(values))
        return dict(obj, **self.body(changes))


def main():
    module = oncall_module(dict(
        escalation_chain=dict(type="str", required=True),
        position=dict(type="int", required=True),
        type=dict(type="str", choices=sorted(TYPES)),
        important=dict(type="bool"),
        duration=dict(type="int"),
        persons_to_notify=dict(type="list", elements="str"),
        persons_to_notify_next_each_time=dict(type="list", elements="str"),
        notify_on_call_from_schedule=dict(type="str"),
        group_to_notify=dict(type="str"),
        team_to_notify=dict(type="str"),
        action_to_trigger=dict(type="str"),
        notify_if_time_from=dict(type="str"),
        notify_if_time_to=dict(type="str"),
        num_alerts_in_window=dict(type="int"),
        num_minutes_in_window=dict(type="int"),
        state=dict(type="str", choices=["present", "absent"], default="present"),
    ))
    run_oncall_resource(module, EscalationPolicy)


if __name__ == "__main__":
    main()
