#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: oncall_outgoing_webhook
short_description: Manage Grafana OnCall outgoing webhooks
version_added: 0.1.0
description:
  - Creates, updates and deletes an outgoing webhook of Grafana OnCall (C(/api/v1/webhooks/)).
  - The webhook is found by its O(name) (unique in the organization) with one read
    (C(GET /api/v1/webhooks/?name=)); a re-run that changes nothing sends only that read,
    plus one read per team or integration named.
  - Updates are C(PATCH) requests with only the changed fields, plus C(integration_filter);
    the engine resets the filter of a webhook to "every integration" on any update that does
    not carry it, so the module always sends it back.
  - O(team) and the integrations of O(integration_filter) are given by name and resolved
    with one filtered read each; a name that does not exist fails the task before anything is
    written.
author:
  - grafana_cloud.platform contributors (@grafana-cloud-platform)
options:
  name:
    description:
      - Name of the webhook, unique in the OnCall organization, without leading or trailing
        spaces (the engine trims them, so a later run would not find the webhook).
    type: str
    required: true
  state:
    description:
      - V(present) creates or updates the webhook, V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
  url:
    description:
      - The URL the webhook calls. It may be a Jinja template of the engine (for example
        C(https://example.com/{{ alert_group.id }})); quote it so that Ansible does not
        template it.
      - Required to create the webhook. It must be an http(s) URL with a host, checked before
        any request (the engine stores a URL without a scheme, and the webhook then never
        fires); its Jinja2 expressions must be valid Jinja2.
    type: str
  http_method:
    description:
      - The HTTP method of the call.
      - Required to create the webhook.
    type: str
    choices: [GET, POST, PUT, DELETE, OPTIONS, PATCH]
  trigger_type:
    description:
      - The alert group event that triggers the webhook.
      - Required to create the webhook.
    type: str
    choices:
      - escalation
      - alert group created
      - acknowledge
      - resolve
      - silence
      - unsilence
      - unresolve
      - unacknowledge
      - status change
      - personal notification
  team:
    description:
      - Name of the OnCall team the webhook belongs to; V("") for no team.
    type: str
  integration_filter:
    description:
      - Names of the integrations whose alert groups trigger the webhook; an empty list (or
        leaving it out when creating) means every integration.
      - Each name is resolved with one filtered read; a name that several teams use is
        refused as ambiguous, listing them.
      - Compared as a set.
    type: list
    elements: str
  headers:
    description:
      - The request headers, as a mapping (sent as the engine's JSON text) or as the JSON text
        or Jinja template the engine stores.
    type: raw
  data:
    description:
      - The request body, as a mapping (sent as JSON text) or as the text or Jinja template the
        engine stores (for example a JSON object that carries C(alert_group.id)).
    type: raw
  trigger_template:
    description:
      - A Jinja template of the engine; the webhook fires only when it renders true. Its
        syntax is checked before any request (where jinja2 can be imported).
    type: str
  forward_all:
    description:
      - Whether the whole alert group payload is sent as the body (then O(data) is not used).
    type: bool
  enabled:
    description:
      - Whether the webhook is enabled (the engine's C(is_webhook_enabled)).
    type: bool
  username:
    description:
      - User name for HTTP basic authentication of the call.
    type: str
  password:
    description:
      - Password for HTTP basic authentication. Write-only, as the engine reads it back masked,
        so the module cannot compare it; see O(update_secrets).
      - V("") removes it.
    type: str
  authorization_header:
    description:
      - Value of the C(Authorization) header of the call, for example C(Bearer <token>).
        Write-only, like O(password); see O(update_secrets).
      - V("") removes it.
    type: str
  update_secrets:
    description:
      - When O(password) and O(authorization_header) are sent.
      - V(on_create) sends them when the webhook is created and whenever the engine holds none;
        a webhook that already has one keeps it, so re-runs report no change.
      - V(always) sends them on every run; as the engine never shows the stored values, every
        run then reports a change.
    type: str
    choices: [always, on_create]
    default: on_create
extends_documentation_fragment:
  - grafana_cloud.platform.oncall
  - grafana_cloud.platform.attributes
  - grafana_cloud.platform.attributes.ACTIONGROUP_ONCALL
seealso:
  - module: grafana_cloud.platform.oncall_integration
notes:
  - O(password) and O(authorization_header) never appear in the module's output or diff; the
    returned webhook carries them masked, as the engine returns them.
"""

EXAMPLES = r"""
- name: Post resolved alert groups of the Alertmanager integration to a ticket system
  grafana_cloud.platform.oncall_outgoing_webhook:
    name: tickets-on-resolve
    url: https://tickets.example.com/api/close
    http_method: POST
    trigger_type: resolve
    integration_filter: [alertmanager-prod]
    headers: {X-Source: oncall}
    data: '{"alert_group": "{{ alert_group.id }}"}'
    forward_all: false
    authorization_header: "Bearer {{ ticket_token }}"
  no_log: true

- name: Rotate the secret of the webhook
  grafana_cloud.platform.oncall_outgoing_webhook:
    name: tickets-on-resolve
    authorization_header: "Bearer {{ new_ticket_token }}"
    update_secrets: always
  no_log: true

- name: Remove the webhook
  grafana_cloud.platform.oncall_outgoing_webhook:
    name: tickets-on-resolve
    state: absent
"""

RETURN = r"""
outgoing_webhook:
  description:
    - The webhook as the engine returns it (after the change); secrets masked. In check mode,
      the predicted webhook. Empty after a delete.
  returned: always
  type: dict
  sample:
    id: WH4G5J8KQ3LMN
    name: tickets-on-resolve
    is_webhook_enabled: true
    team: null
    data: '{"alert_group": "{{ alert_group.id }}"}'
    username: null
    password: null
    authorization_header: "****************"
    trigger_template: null
    headers: '{"X-Source": "oncall"}'
    url: https://tickets.example.com/api/close
    forward_all: false
    http_method: POST
    trigger_type: resolve
    integration_filter: [CFRPV98RPR1U8]
    preset: null
"""

import json

from ansible_collections.grafana_cloud.platform.plugins.module_utils._oncall import (
    OnCallResource,
    fail_on_problems,
    find_one,
    names_problems,
    oncall_module,
    reference_problem,
    run_oncall_resource,
    template_problem,
    text_problem,
    url_problem,
)
from ansible_collections.grafana_cloud.platform.plugins.module_utils._resource import SET, Field

ENGINE_MASK = "****************"
TRIGGER_TYPES = ["escalation", "alert group created", "acknowledge", "resolve", "silence", "unsilence",
                 "unresolve", "unacknowledge", "status change", "personal notification"]
SECRETS = ("password", "authorization_header")
# option -> engine field, for the fields sent as they are.
PLAIN = dict(name="name", url="url", http_method="http_method", trigger_type="trigger_type",
             trigger_template="trigger_template", forward_all="forward_all",
             enabled="is_webhook_enabled", username="username")


def as_text(value):
    """A mapping as the JSON text the engine stores; text as it is."""
    if isinstance(value, dict):
        return json.dumps(value)
    return value


def same_text(current, desired):
    """Whether the engine's text holds the desired value (a mapping compares parsed)."""
    if isinstance(desired, dict):
        try:
            return json.loads(current or "null") == desired
        except ValueError:
            return False
    return (current or None) == (desired or None)


class TextField(Field):
    """``headers``/``data``: a mapping or text on our side, text on the engine's."""

    def same(self, current, desired):
        return same_text(current, desired)


class SecretField(Field):
    """A write-only secret: the engine shows only whether it is set (masked) or not."""

    def __init__(self, option):
        super(SecretField, self).__init__(option, secret=True)
        self.always = False

    def same(self, current, desired):
        if desired == "":
            return current in (None, "")
        return current == ENGINE_MASK and not self.always


class OutgoingWebhook(OnCallResource):
    resource_key = "outgoing_webhook"
    collection = "webhooks"

    def __init__(self, module, client):
        super(OutgoingWebhook, self).__init__(module, client)
        self.ids = {}
        self.fields = [Field(option) for option in PLAIN] + [
            Field("team"),
            Field("integration_filter", kind=SET),
            TextField("headers"),
            TextField("data"),
        ]
        self.secret_fields = [SecretField(option) for option in SECRETS]
        for field in self.secret_fields:
            field.always = self.params["update_secrets"] == "always"
        self.fields.extend(self.secret_fields)

    def describe(self):
        return "outgoing webhook %r" % self.params["name"]

    def validate(self):
        params = self.params
        problems = [text_problem("name", params["name"])]
        if params["state"] == "absent":
            fail_on_problems(self.module, problems)
            return
        problems.extend([url_problem("url", params["url"], templated=True),
                         reference_problem("team", params["team"])]
                        + names_problems("integration_filter", params["integration_filter"]))
        for option in ("url", "trigger_template"):
            problems.append(template_problem(option, params[option], self.warnings))
        for option in ("headers", "data"):
            value = params[option]
            if value is not None and not isinstance(value, (dict, str)):
                problems.append("%s must be a mapping or a text, got %s." % (option, type(value).__name__))
            elif value is not None:
                # The engine renders the text it stores: a mapping is sent as JSON text (and
                # ansible-core before 2.19 turns a JSON-looking template into a mapping).
                problems.append(template_problem(option, as_text(value), self.warnings))
        fail_on_problems(self.module, problems)

    def find(self):
        found = find_one(self.client, self.collection, "outgoing webhook %r" % self.params["name"],
                         name=self.params["name"])
        if self.params["state"] == "present":
            self.resolve_references()
        return found

    def resolve_references(self):
        """Team and integration names to ids, one filtered read each, before anything is
        compared: results and diffs then show the names the task gave."""
        if self.params["team"]:
            self.ids[("team", self.params["team"])] = self.reference("team", self.params["team"])
        for name in self.params["integration_filter"] or []:
            self.ids[("integration", name)] = self.reference("integration", name)

    def current_values(self, obj):
        values = dict((option, obj.get(field)) for option, field in PLAIN.items())
        values.update(team=self.name_of(obj.get("team"), "teams", "team"),
                      integration_filter=[self.name_of(integration_id, "integrations", "integration_filter")
                                          for integration_id in obj.get("integration_filter") or []],
                      headers=obj.get("headers"), data=obj.get("data"))
        for option in SECRETS:
            values[option] = obj.get(option)
        return values

    def check_required_for_create(self, values):
        missing = [option for option in ("url", "http_method", "trigger_type") if option not in values]
        if missing:
            self.fail("Creating %s needs %s." % (self.describe(), ", ".join(missing)))

    def ensure_created(self):
        self.check_required_for_create(self.desired_values())
        return super(OutgoingWebhook, self).ensure_created()

    def body(self, values):
        body = {}
        for option, value in values.items():
            if option in PLAIN:
                body[PLAIN[option]] = value
            elif option == "team":
                body["team"] = self.ids.get(("team", value)) if value else None
            elif option == "integration_filter":
                body[option] = [self.ids.get(("integration", name)) for name in value]
            elif option in ("headers", "data"):
                body[option] = as_text(value)
            else:
                body[option] = value
        return body

    def update(self, obj, changes, values):
        body = self.body(changes)
        # A PATCH without integration_filter resets it to "every integration" (engine facts W3).
        if "integration_filter" not in body:
            body["integration_filter"] = (self.body(dict(integration_filter=values["integration_filter"]))["integration_filter"]
                                          if "integration_filter" in values else obj.get("integration_filter") or [])
        return self.client.patch(self.object_path(obj), json=body)

    def predict_created(self, values):
        predicted = dict(name=values["name"], is_webhook_enabled=values.get("enabled", True), team=None)
        predicted.update(self.body(values))
        predicted.update(self.masked_secrets(values))
        predicted.setdefault("forward_all", True)
        predicted["integration_filter"] = predicted.get("integration_filter") or None
        return predicted

    def predict_updated(self, obj, changes, values):
        predicted = dict(obj)
        predicted.update(self.body(changes))
        predicted.update(self.masked_secrets(changes))
        return predicted

    @staticmethod
    def masked_secrets(values):
        return dict((option, ENGINE_MASK if values[option] else None) for option in SECRETS if option in values)


def main():
    module = oncall_module(
        dict(
            name=dict(type="str", required=True),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            url=dict(type="str"),
            http_method=dict(type="str", choices=["GET", "POST", "PUT", "DELETE", "OPTIONS", "PATCH"]),
            trigger_type=dict(type="str", choices=TRIGGER_TYPES),
            team=dict(type="str"),
            integration_filter=dict(type="list", elements="str"),
            headers=dict(type="raw"),
            data=dict(type="raw"),
            trigger_template=dict(type="str"),
            forward_all=dict(type="bool"),
            enabled=dict(type="bool"),
            username=dict(type="str"),
            password=dict(type="str", no_log=True),
            authorization_header=dict(type="str", no_log=True),
            update_secrets=dict(type="str", choices=["always", "on_create"], default="on_create", no_log=False),
        ),
    )
    run_oncall_resource(module, OutgoingWebhook)


if __name__ == "__main__":
    main()
