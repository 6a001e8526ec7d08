#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: stack_service_account
short_description: Manage a service account inside a Grafana Cloud stack
version_added: 0.1.0
description:
  - Creates or deletes a service account of a stack's Grafana, through the Grafana Cloud API
    (C(/instances/{stack}/api/serviceaccounts)), so that a playbook can hand a credential for
    the stack's Grafana HTTP API to the next role (dashboards, data sources, alerting).
  - Service accounts and their tokens (M(grafana_cloud.platform.stack_service_account_token))
    are the recommended credential for a stack's Grafana; they replace the API keys of
    M(grafana_cloud.platform.hosted_api_key), which Grafana is retiring.
  - The service account is found by name with one search request.
  - The Grafana Cloud API cannot change a service account. When O(role) or O(disabled) differ
    from the existing account, the module fails and changes nothing, unless O(replace=true).
author:
  - grafana_cloud.platform contributors (@grafana-cloud-platform)
options:
  stack:
    description:
      - Slug (or numeric id) of the stack.
    type: str
    required: true
  name:
    description:
      - Name of the service account, unique in the stack.
    type: str
    required: true
  role:
    description:
      - The Grafana organization role of the service account.
      - When the account is created and O(role) is not set, it gets V(Viewer).
      - When not set, the role of an existing account is left as it is.
    type: str
    choices: [Viewer, Editor, Admin, None]
  disabled:
    description:
      - Whether the service account is disabled (its tokens stop working).
      - When the account is created and O(disabled) is not set, it is enabled.
    type: bool
  replace:
    description:
      - When the existing account has a different O(role) or O(disabled), delete it and create
        it again with the requested values.
      - B(The tokens of the old account are deleted with it), and the new account gets a new
        id. Create the tokens again (M(grafana_cloud.platform.stack_service_account_token)) and
        hand the new secrets on.
      - Without it, such a difference fails the task, naming the field, and nothing is changed.
    type: bool
    default: false
  state:
    description:
      - V(present) creates the service account if needed; V(absent) deletes it and its tokens.
    type: str
    choices: [present, absent]
    default: present
notes:
  - The access policy token needs the C(stack-service-accounts:write) scope.
  - While a new stack is still starting, the Grafana Cloud API answers HTTP 503 with
    C(Retry-After); the module waits it out within the retry budget (see O(max_retries)) and
    reports the wait as a warning.
seealso:
  - module: grafana_cloud.platform.stack_service_account_token
  - module: grafana_cloud.platform.hosted_api_key
extends_documentation_fragment:
  - grafana_cloud.platform.gcom
  - grafana_cloud.platform.attributes
  - grafana_cloud.platform.attributes.ACTIONGROUP_CLOUD
"""

EXAMPLES = r"""
- name: Create a service account for the dashboards pipeline
  grafana_cloud.platform.stack_service_account:
    stack: mystack
    name: dashboards-ci
    role: Editor
  register: sa

- name: Give it a token and keep the secret out of the logs
  grafana_cloud.platform.stack_service_account_token:
    stack: mystack
    service_account: dashboards-ci
    name: ci-token
    expires_in: 30d
  register: sa_token
  no_log: true

- name: Make it an Admin (the API can't update service accounts, so it is recreated)
  grafana_cloud.platform.stack_service_account:
    stack: mystack
    name: dashboards-ci
    role: Admin
    replace: true

- name: Delete the service account and its tokens
  grafana_cloud.platform.stack_service_account:
    stack: mystack
    name: dashboards-ci
    state: absent
"""

RETURN = r"""
service_account:
  description:
    - The service account, as the API returns it.
    - Empty after O(state=absent). In check mode, the predicted account (without C(id) when it
      would be created).
  returned: always
  type: dict
  contains:
    id:
      description: Id of the service account in the stack's Grafana.
      type: int
      sample: 3
    name:
      description: Name.
      type: str
      sample: dashboards-ci
    login:
      description: Grafana login derived from the name.
      type: str
      sample: sa-dashboards-ci
    role:
      description: Organization role.
      type: str
      sample: Editor
    isDisabled:
      description: Whether the account is disabled.
      type: bool
      sample: false
    tokens:
      description: Number of tokens of the account.
      type: int
      sample: 1
  sample:
    id: 3
    name: dashboards-ci
    login: sa-dashboards-ci
    orgId: 1
    role: Editor
    isDisabled: false
    tokens: 0
"""

from ansible_collections.grafana_cloud.platform.plugins.module_utils._gcom import gcom_module, run_resource
from ansible_collections.grafana_cloud.platform.plugins.module_utils._resource import Field, Resource
from ansible_collections.grafana_cloud.platform.plugins.module_utils._stack_api import (
    StackNotFound,
    account_name_taken,
    check_name,
    check_stack,
    find_service_account,
    stack_error,
    stack_api_path,
)

DEFAULT_ROLE = "Viewer"


class StackServiceAccount(Resource):
    resource_key = "service_account"
    fields = (Field("role"), Field("disabled"))
    # There is no update endpoint: a change is a replacement, and only when asked for.
    updatable = False
    replace_option = "replace"

    def __init__(self, module, client):
        super(StackServiceAccount, self).__init__(module, client)
        self.stack = self.params["stack"]
        self.name = self.params["name"]
        self.stack_missing = False

    def describe(self):
        return "service account %r in stack %r" % (self.name, self.stack)

    def validate(self):
        for problem in (check_stack(self.stack), check_name("name", self.name)):
            if problem:
                self.fail(msg=problem)

    def find(self):
        try:
            return find_service_account(self.client, self.stack, self.name)
        except StackNotFound:
            self.stack_missing = True
            return None

    def current_values(self, obj):
        return dict(role=obj.get("role"), disabled=obj.get("isDisabled"))

    def body(self, values):
        return dict(name=self.name, role=values.get("role") or DEFAULT_ROLE,
                    isDisabled=bool(values.get("disabled")))

    def create(self, values):
        return self.client.post(stack_api_path(self.stack, "serviceaccounts"), json=self.body(values))

    def refused_but_absent_message(self, error):
        # Refused as existing (serviceaccounts.ErrAlreadyExists), and the search finds no account
        # of that exact name: another account's login is the same.
        return account_name_taken(self.stack, self.name)

    def delete(self, obj):
        self.client.delete(stack_api_path(self.stack, "serviceaccounts", obj["id"]))

    def predict_created(self, values):
        body = self.body(values)
        return dict(name=body["name"], role=body["role"], isDisabled=body["isDisabled"], tokens=0)

    def ensure_present(self, found):
        if found is None and self.stack_missing:
            if not self.module.check_mode:
                self.fail(msg=stack_error(self.stack))
            # In check mode the stack may come from an earlier task that did not run for real.
            self.warnings.append(stack_error(self.stack) + " Check mode predicts the account would be created in it.")
        return super(StackServiceAccount, self).ensure_present(found)

    def no_update_message(self, current, changes):
        differences = ", ".join("%s is %r, the task asks for %r" % (option, current.get(option), value)
                                for option, value in sorted(changes.items()))
        return ("Cannot change %s: %s. The Grafana Cloud API cannot update a service account; set "
                "replace: true to delete it and create it again (its tokens are deleted with it)."
                % (self.describe(), differences))

    def desired_with_current(self, obj, values):
        """What the replacement gets: the requested values, the old ones where none is set."""
        merged = self.current_values(obj)
        merged.update(values)
        return merged

    def replace(self, obj, changes, values):
        self.delete(obj)
        self.warnings.append(
            "Replaced %s (replace: true): the old account (id %s) and its %s token(s) were deleted; "
            "create the tokens again." % (self.describe(), obj.get("id"), obj.get("tokens", 0)))
        return self.create(self.desired_with_current(obj, values))

    def predict_replaced(self, obj, changes, values):
        return self.predict_created(self.desired_with_current(obj, values))


def main():
    module = gcom_module(dict(
        stack=dict(type="str", required=True),
        name=dict(type="str", required=True),
        role=dict(type="str", choices=["Viewer", "Editor", "Admin", "None"]),
        disabled=dict(type="bool"),
        replace=dict(type="bool", default=False),
        state=dict(type="str", choices=["present", "absent"], default="present"),
    ))
    run_resource(module, StackServiceAccount)


if __name__ == "__main__":
    main()
