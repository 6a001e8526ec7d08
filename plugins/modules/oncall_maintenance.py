#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: oncall_maintenance
short_description: Start or stop maintenance or debug mode on a Grafana OnCall integration
version_added: 0.1.0
description:
  - Puts an OnCall integration, found by name, into maintenance mode (its alerts are
    collected into one alert group, without escalations) or debug mode (alerts come in but
    nobody is notified) for a while, or ends that mode
    (C(POST /api/v1/integrations/<id>/maintenance_start/) and C(.../maintenance_stop/)).
  - Made for planned changes, for example around a deployment (see the role
    C(grafana_cloud.platform.irm_deploy_guard)).
  - Idempotent. An integration already in the asked mode is left as it is (C(changed=false)),
    even when its window ends at another time than O(duration) would give; RV(ends_at) says
    when it ends. An integration in the other mode is switched (stopped, then started).
    Stopping an integration that is in no mode changes nothing.
author:
  - grafana_cloud.platform contributors (@grafana-cloud-platform)
options:
  integration:
    description:
      - The name of the integration (exact and case-sensitive, as the API's C(name) filter).
    type: str
    required: true
  team:
    description:
      - The name of the integration's team, when the same integration name exists in several
        teams. V("") names the integrations without a team.
    type: str
  mode:
    description:
      - V(maintenance) collects the alerts into one alert group without escalating them;
        V(debug) lets the alerts in but silences every escalation.
    type: str
    choices: [maintenance, debug]
    default: maintenance
  duration:
    description:
      - How long the mode lasts, as a duration (V(90m), V(2h), V(1d)) or seconds; the engine
        ends it by itself then. Required with O(state=present).
      - At least one minute, at most 24 hours (the longest choice the OnCall UI offers).
    type: str
  state:
    description:
      - V(present) starts the mode; V(absent) stops whichever mode the integration is in.
    type: str
    choices: [present, absent]
    default: present
notes:
  - Starting a mode (O(state=present)) needs a legacy OnCall API key of an Editor or Admin;
    the OnCall engine answers a service-account token (C(glsa_...)) with an HTTP 500 page
    there, so the module refuses one before any request. Stopping (O(state=absent)) works
    with either kind of token (a service-account token needs the permission to write
    integrations).
seealso:
  - module: grafana_cloud.platform.oncall_alert_group
extends_documentation_fragment:
  - grafana_cloud.platform.oncall
  - grafana_cloud.platform.attributes
  - grafana_cloud.platform.attributes.ACTIONGROUP_ONCALL
"""

EXAMPLES = r"""
- name: Quiet the checkout alerts during the rollout
  grafana_cloud.platform.oncall_maintenance:
    oncall_api_url: "{{ oncall_api_url }}"
    oncall_access_token: "{{ oncall_token }}"
    grafana_url: https://mystack.grafana.net
    integration: checkout-alertmanager
    duration: 1h
  register: window

- name: Say until when
  ansible.builtin.debug:
    msg: "Maintenance ends at {{ window.ends_at }}"

- name: Debug a noisy integration for 30 minutes
  grafana_cloud.platform.oncall_maintenance:
    integration: search-webhook
    team: search
    mode: debug
    duration: 30m

- name: End it once the rollout is done
  grafana_cloud.platform.oncall_maintenance:
    integration: checkout-alertmanager
    state: absent
"""

RETURN = r"""
integration:
  description:
    - The integration as the API returns it, with its C(maintenance_mode), C(maintenance_started_at)
      and C(maintenance_end_at). In check mode, the predicted fields.
  returned: always
  type: dict
ends_at:
  description: When the mode ends (C(maintenance_end_at)), or null when the integration is in no mode.
  returned: always
  type: str
  sample: "2026-12-01T21:30:00.000000Z"
mode:
  description: The mode the integration is in after the task (V(maintenance), V(debug)), or null.
  returned: always
  type: str
  sample: maintenance
"""

import datetime

from ansible_collections.grafana_cloud.platform.plugins.module_utils._oncall import (
    OnCallError,
    References,
    fail_on_problems,
    is_service_account_token,
    oncall_client,
    oncall_module,
    oncall_path,
    reference_problem,
    run_oncall,
    text_problem,
)
from ansible_collections.grafana_cloud.platform.plugins.module_utils._timeutil import parse_duration, utcnow

MIN_DURATION = 60
MAX_DURATION = 24 * 3600


def duration_seconds(module):
    """The O(duration) in seconds, failing the module (before any request) when it is wrong."""
    text = module.params["duration"]
    if module.params["state"] == "absent":
        return None
    if text is None:
        module.fail_json(msg="duration is required to start a mode (state=present), for example 1h or 30m.")
    try:
        seconds = int(text) if str(text).strip().isdigit() else parse_duration(text)
    except ValueError as error:
        module.fail_json(msg="duration: %s" % error)
    if not MIN_DURATION <= seconds <= MAX_DURATION:
        module.fail_json(msg="duration must be between 1 minute and 24 hours, got %s (%d seconds)." % (text, seconds))
    return seconds


def validate(module):
    fail_on_problems(module, [text_problem("integration", module.params["integration"] or " "),
                              reference_problem("team", module.params["team"])])
    return duration_seconds(module)


def refuse_service_account_start(module):
    """Starting a mode with a service-account token is an HTML 500 on the engine (it fails
    on the service account's user): refuse it before any request."""
    if module.params["state"] == "present" and is_service_account_token(module.params["oncall_access_token"]):
        module.fail_json(msg="oncall_access_token is a service-account token (glsa_...), and the OnCall engine "
                             "can't start maintenance or debug mode with one (it answers HTTP 500). Use a legacy "
                             "OnCall API key of an Editor or Admin to start a mode; stopping it (state=absent) "
                             "works with either.")


def find_integration(client, module):
    refs = References(client)
    team = module.params["team"]
    team_id = None
    if team:
        found = refs.team(team)
        if found is None:
            raise OnCallError("Team %r not found in OnCall." % team)
        team_id = found["id"]
    elif team == "":
        team_id = ""
    integration = refs.integration(module.params["integration"], team_id)
    if integration is None:
        raise OnCallError("Integration %r%s not found in OnCall: create it first, or correct the name."
                          % (module.params["integration"], " of team %r" % team if team else ""))
    return integration


def drf_time(moment):
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def predicted(integration, mode, seconds):
    if mode is None:
        return dict(integration, maintenance_mode=None, maintenance_started_at=None, maintenance_end_at=None)
    now = utcnow()
    return dict(integration, maintenance_mode=mode, maintenance_started_at=drf_time(now),
                maintenance_end_at=drf_time(now + datetime.timedelta(seconds=seconds)))


def maintenance_fields(integration):
    return dict((key, integration.get(key)) for key in ("maintenance_mode", "maintenance_started_at", "maintenance_end_at"))


def apply(module, client, integration, seconds):
    """``(changed, integration)`` after bringing the integration to the asked mode."""
    current = integration.get("maintenance_mode")
    wanted = module.params["mode"] if module.params["state"] == "present" else None
    if current == wanted:
        return False, integration
    if module.check_mode:
        return True, predicted(integration, wanted, seconds)
    path = oncall_path("integrations", integration["id"])
    if current is not None:
        integration = client.post(path + "maintenance_stop/") or integration
    if wanted is not None:
        integration = client.post(path + "maintenance_start/", json=dict(mode=wanted, duration=seconds))
    return True, integration


def main():
    module = oncall_module(dict(
        integration=dict(type="str", required=True),
        team=dict(type="str"),
        mode=dict(type="str", choices=["maintenance", "debug"], default="maintenance"),
        duration=dict(type="str"),
        state=dict(type="str", choices=["present", "absent"], default="present"),
    ))
    seconds = validate(module)
    client = oncall_client(module)
    refuse_service_account_start(module)

    def work():
        integration = find_integration(client, module)
        before = maintenance_fields(integration)
        changed, integration = apply(module, client, integration, seconds)
        result = dict(changed=changed, integration=integration, ends_at=integration.get("maintenance_end_at"),
                      mode=integration.get("maintenance_mode"))
        if module._diff:
            after = maintenance_fields(integration)
            result["diff"] = dict(before=dict(mode=before["maintenance_mode"], ends_at=before["maintenance_end_at"]),
                                  after=dict(mode=after["maintenance_mode"], ends_at=after["maintenance_end_at"]))
        return result

    run_oncall(module, client, work)


if __name__ == "__main__":
    main()
