#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: oncall_alert_group
short_description: Acknowledge, resolve, silence or unsilence Grafana OnCall alert groups
version_added: 0.1.0
description:
  - Acts on OnCall alert groups chosen by id (O(alert_group_id)) or by filter (the groups of
    O(integration), in the states O(alert_state) lists), for example to acknowledge what a
    planned change set off, or to resolve it once the change is done.
  - Idempotent by state. A group already in the state the action leads to is left alone
    (resolving a resolved group changes nothing); a group the action can't apply to (silencing
    an acknowledged group, acknowledging a resolved one) is skipped and listed in RV(skipped_groups).
  - Two runs at once (two pipelines, a retried job). When another run brings a group to the
    action's state between this run's read and its action, the engine refuses the repeat (for
    example C(Can't acknowledge an acknowledged alert group)); the module reads that group again,
    once, and finding it in the state the action leads to counts it as done (not in
    RV(changed_ids), a warning names it); found in another state, the task fails with the
    engine's answer. A repeated V(silence) is no refusal on the engine, which silences the group
    again, for this run's O(silence_for), and counts as a change.
  - B(Needs a legacy OnCall API key.) The OnCall engine refuses every alert-group action to
    service-account tokens (HTTP 403 "Service accounts are not allowed to resolve alert
    groups"), so the module fails before any request when O(oncall_access_token) is a
    service-account token (C(glsa_...)). Create the key in Grafana IRM under Settings, API
    (it acts as the user who made it, who must be an Editor or Admin).
author:
  - grafana_cloud.platform contributors (@grafana-cloud-platform)
options:
  action:
    description:
      - V(acknowledge), V(resolve), V(silence) (for O(silence_for)) or V(unsilence).
    type: str
    required: true
    choices: [acknowledge, resolve, silence, unsilence]
  alert_group_id:
    description:
      - The id of one alert group (C(I...)). Mutually exclusive with O(integration).
    type: str
  integration:
    description:
      - Act on the alert groups of the integration with this name.
    type: str
  team:
    description:
      - The team of O(integration), when its name exists in several teams (V("") for none).
    type: str
  alert_state:
    description:
      - With O(integration), only the groups in these states (the API's C(state) filter;
        V(new) is what the groups call C(firing)). One filtered read per state.
      - By default the states the action can change; V(acknowledge) takes V(new) and
        V(silenced) groups, V(resolve) V(new), V(acknowledged) and V(silenced) ones,
        V(silence) V(new) ones, V(unsilence) V(silenced) ones.
    type: list
    elements: str
    choices: [new, acknowledged, silenced, resolved]
  silence_for:
    description:
      - How long V(silence) lasts, as a duration (V(30m), V(2h)) or seconds, or V(forever).
        Required with O(action=silence).
    type: str
notes:
  - A group that has alerts again after being resolved is a new group; the filter finds it.
seealso:
  - module: grafana_cloud.platform.oncall_maintenance
extends_documentation_fragment:
  - grafana_cloud.platform.oncall
  - grafana_cloud.platform.attributes
  - grafana_cloud.platform.attributes.ACTIONGROUP_ONCALL
"""

EXAMPLES = r"""
- name: Acknowledge what the rollout set off (with a legacy OnCall API key, as service accounts can't)
  grafana_cloud.platform.oncall_alert_group:
    oncall_api_url: "{{ oncall_api_url }}"
    oncall_access_token: "{{ oncall_legacy_key }}"
    integration: checkout-alertmanager
    action: acknowledge

- name: Silence one group for two hours
  grafana_cloud.platform.oncall_alert_group:
    alert_group_id: I68T24C13IFW1
    action: silence
    silence_for: 2h

- name: Resolve every open group of the integration
  grafana_cloud.platform.oncall_alert_group:
    integration: checkout-alertmanager
    action: resolve
  register: resolved

- name: Say which
  ansible.builtin.debug:
    msg: "{{ resolved.changed_ids }}"
"""

RETURN = r"""
alert_groups:
  description:
    - The groups the task looked at, as the API listed them, with C(state) as it is after
      the task (the action endpoints answer with an empty body, so the new state is not read
      back).
  returned: always
  type: list
  elements: dict
changed_ids:
  description: The ids of the groups the action was applied to (or would be, in check mode).
  returned: always
  type: list
  elements: str
skipped_groups:
  description: Groups the action can't apply to, each C({id, state, reason}).
  returned: always
  type: list
  elements: dict
"""

from ansible_collections.grafana_cloud.platform.plugins.module_utils._client import GrafanaCloudAPIError, is_not_found
from ansible_collections.grafana_cloud.platform.plugins.module_utils._oncall import (
    OnCallError,
    References,
    fail_on_problems,
    is_service_account_token,
    iter_oncall,
    oncall_client,
    oncall_module,
    oncall_path,
    read_again_if_refused_repeat,
    reference_problem,
    run_oncall,
    text_problem,
)
from ansible_collections.grafana_cloud.platform.plugins.module_utils._timeutil import parse_duration

LEGACY_KEY_NEEDED = (
    "The OnCall engine refuses alert-group actions to service-account tokens (403 'Service "
    "accounts are not allowed to ... alert groups'): set oncall_access_token to a legacy OnCall "
    "API key (Grafana IRM, Settings, API) of an Editor or Admin for this task.")

# action -> (state it leads to, states it acts on, states it can't act on -> why)
ACTIONS = {
    "acknowledge": ("acknowledged", ("firing", "silenced"), {"resolved": "a resolved group can't be acknowledged"}),
    "resolve": ("resolved", ("firing", "acknowledged", "silenced"), {}),
    "silence": ("silenced", ("firing",), {"acknowledged": "the engine can't silence an acknowledged group",
                                          "resolved": "the engine can't silence a resolved group"}),
    "unsilence": ("firing", ("silenced",), {}),
}
DEFAULT_FILTER_STATES = {
    "acknowledge": ["new", "silenced"],
    "resolve": ["new", "acknowledged", "silenced"],
    "silence": ["new"],
    "unsilence": ["silenced"],
}


def silence_delay(module):
    text = module.params["silence_for"]
    if module.params["action"] != "silence":
        if text is not None:
            module.fail_json(msg="silence_for only goes with action=silence.")
        return None
    if text is None:
        module.fail_json(msg="silence_for is required with action=silence, for example 2h, or forever.")
    if text == "forever":
        return -1
    try:
        seconds = int(text) if str(text).strip().isdigit() else parse_duration(text)
    except ValueError as error:
        module.fail_json(msg="silence_for: %s, or forever." % error)
    if seconds < 60:
        module.fail_json(msg="silence_for must be at least one minute, got %s." % text)
    return seconds


def validate(module):
    params = module.params
    if is_service_account_token(params.get("oncall_access_token")):
        module.fail_json(msg=LEGACY_KEY_NEEDED)
    fail_on_problems(module, [text_problem("alert_group_id", params["alert_group_id"]),
                              text_problem("integration", params["integration"]),
                              reference_problem("team", params["team"])])
    if params["alert_state"] and params["alert_group_id"]:
        module.fail_json(msg="alert_state filters the groups of an integration; it does not go with alert_group_id.")
    return silence_delay(module)


def select_groups(module, client):
    params = module.params
    if params["alert_group_id"]:
        try:
            return [client.get(oncall_path("alert_groups", params["alert_group_id"]))]
        except GrafanaCloudAPIError as error:
            if is_not_found(error):
                raise OnCallError("Alert group %r not found in OnCall." % params["alert_group_id"])
            raise
    refs = References(client)
    team_id = None
    if params["team"]:
        team = refs.team(params["team"])
        if team is None:
            raise OnCallError("Team %r not found in OnCall." % params["team"])
        team_id = team["id"]
    elif params["team"] == "":
        team_id = ""
    integration = refs.integration(params["integration"], team_id)
    if integration is None:
        raise OnCallError("Integration %r not found in OnCall: correct the name (or give its team)." % params["integration"])
    groups, seen = [], set()
    for state in params["alert_state"] or DEFAULT_FILTER_STATES[params["action"]]:
        for group in iter_oncall(client, "alert_groups", integration_id=integration["id"], state=state):
            if group["id"] not in seen:
                seen.add(group["id"])
                groups.append(group)
    return groups


def act(module, client, groups, delay):
    """``(changed_ids, skipped, groups)`` after the action on every group that needs it.

    A group another run brought to the action's state at the same moment is not changed by
    this run: it is left out of ``changed_ids``, and a warning names it.
    """
    action = module.params["action"]
    target, acts_on, refused = ACTIONS[action]
    changed_ids, skipped, after = [], [], []
    for group in groups:
        state = group.get("state")
        if state == target or (state not in acts_on and state not in refused):
            after.append(group)
            continue
        if state in refused:
            skipped.append(dict(id=group["id"], state=state, reason=refused[state]))
            after.append(group)
            continue
        done_elsewhere = None if module.check_mode else send(client, group["id"], action, delay)
        if done_elsewhere is not None:
            module.warn("Alert group %s was already %s when this run's %s reached the engine: another run did it "
                        "at the same moment (the engine answered: %s). This run counts it as done, not as changed."
                        % (group["id"], target, action, done_elsewhere["refusal"]))
            after.append(done_elsewhere["group"])
            continue
        changed_ids.append(group["id"])
        after.append(dict(group, state=target))
    return changed_ids, skipped, after


def send(client, group_id, action, delay):
    """Send ``action`` for the group: None once sent, or ``{group, refusal}`` when the engine
    refused it as a repeat (fact A7) and the one read again finds the group in the state the
    action leads to: another run, acting on the same group at the same moment, did it first.
    A refusal that the read does not explain fails as the engine answered it."""
    path = oncall_path("alert_groups", group_id)
    try:
        client.post(path + action + "/", json=dict(delay=delay) if action == "silence" else {})
        return None
    except GrafanaCloudAPIError as error:
        if error.status == 403 and "Service accounts" in (error.message or ""):
            raise OnCallError(LEGACY_KEY_NEEDED + " (%s)" % error)
        again = read_again_if_refused_repeat(error, action, lambda: client.get(path))
        if again.get("state") != ACTIONS[action][0]:
            raise
        return dict(group=again, refusal=str(error))


def main():
    module = oncall_module(
        dict(
            action=dict(type="str", required=True, choices=list(ACTIONS)),
            alert_group_id=dict(type="str"),
            integration=dict(type="str"),
            team=dict(type="str"),
            alert_state=dict(type="list", elements="str", choices=["new", "acknowledged", "silenced", "resolved"]),
            silence_for=dict(type="str"),
        ),
        mutually_exclusive=[("alert_group_id", "integration")],
        required_one_of=[("alert_group_id", "integration")],
    )
    delay = validate(module)
    client = oncall_client(module)

    def work():
        groups = select_groups(module, client)
        changed_ids, skipped, after = act(module, client, groups, delay)
        result = dict(changed=bool(changed_ids), changed_ids=changed_ids, skipped_groups=skipped, alert_groups=after)
        if module._diff:
            # The state of each group the task looked at, before and after.
            result["diff"] = dict(before=dict((group["id"], group.get("state")) for group in groups),
                                  after=dict((group["id"], group.get("state")) for group in after))
        return result

    run_oncall(module, client, work)


if __name__ == "__main__":
    main()
