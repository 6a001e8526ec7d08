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
  - Two runs at once (two pipelines, a retried job). When another run starts the asked mode
    between this run's read and its start, the engine refuses this run's start (C(Already on
    maintenance)); the module reads the integration again, once, and finding it in the asked
    mode succeeds with C(changed=false) and a warning that another run started it (RV(ends_at)
    is then the end that run's O(duration) gave). Found in the other mode, the task fails,
    saying that two runs ask for different modes. A stop that another run sent first is no
    error, but both runs report a change, as the engine's answer can't tell which stop ended
    the mode; so does a switch whose start another run made.
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

from ansible_collections.grafana_cloud.platform.plugins.module_utils._client import GrafanaCloudAPIError
from ansible_collections.grafana_cloud.platform.plugins.module_utils._oncall import (
    OnCallError,
    References,
    fail_on_problems,
    is_service_account_token,
    oncall_client,
    oncall_module,
    oncall_path,
    read_again_if_refused_repeat,
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
    """``(changed, integration)`` after bringing the integration to the asked mode.

    A stop that another run sent first is no error (the engine ends nothing, answers 200): it
    shows as a change, since the answer can't tell whose stop ended the mode. A start that
    another run sent first is settled by :func:`start`.
    """
    current = integration.get("maintenance_mode")
    wanted = module.params["mode"] if module.params["state"] == "present" else None
    if current == wanted:
        return False, integration
    if module.check_mode:
        return True, predicted(integration, wanted, seconds)
    path = oncall_path("integrations", integration["id"])
    if current is not None:
        integration = client.post(path + "maintenance_stop/") or integration
    if wanted is None:
        return True, integration
    integration, started_here = start(module, client, integration, wanted, seconds)
    # A switch (stop, then start) whose start another run made still changed the integration
    # from the mode this run found, with this run's stop taking part in it.
    return started_here or current is not None, integration


def start(module, client, integration, mode, seconds):
    """``(integration, started_here)`` after starting ``mode``.

    Two runs that both found the integration in no mode both start it; the engine refuses
    the second ("Already on maintenance"). That run reads the integration again once: in the
    asked mode, the other run started it, and its duration decided the end; in the other mode,
    two runs ask for different modes at once, which only the user can settle: it fails.
    """
    path = oncall_path("integrations", integration["id"])
    try:
        return client.post(path + "maintenance_start/", json=dict(mode=mode, duration=seconds)), True
    except GrafanaCloudAPIError as error:
        again = read_again_if_refused_repeat(error, "maintenance_start", lambda: client.get(path))
        found = again.get("maintenance_mode")
        name = module.params["integration"]
        if found == mode:
            module.warn("Another run started %s mode on integration %r at the same moment as this run (the engine "
                        "answered this run's start: %s); it ends at %s, as that run's duration decided (this run's "
                        "duration, %s, was not applied)."
                        % (mode, name, error, again.get("maintenance_end_at"), module.params["duration"]))
            return again, False
        if found is None:
            raise
        raise OnCallError(
            "Integration %r is in %s mode, not %s mode: another run put it in %s mode at the same moment as "
            "this run started %s mode (the engine answered: %s). Two runs ask for different modes: make them "
            "agree, or run this task again to switch the integration to %s mode."
            % (name, found, mode, found, mode, error, mode))


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
