#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: hosted_api_key
short_description: Create an API key for the Grafana of a Grafana Cloud stack (deprecated by Grafana)
version_added: 0.1.0
description:
  - Creates an API key of a stack's Grafana (C(POST /instances/{stack}/api/auth/keys)), for
    the Grafana HTTP API of that stack. This is not a Grafana Cloud API key.
  - B(Grafana is retiring API keys in favour of service accounts.) Prefer
    M(grafana_cloud.platform.stack_service_account) and
    M(grafana_cloud.platform.stack_service_account_token); this module exists for setups that
    still need an API key.
  - The key is returned once, under RV(secret), by the run that creates it.
  - The Grafana Cloud API can create these keys but neither read nor delete them. So the
    module has no O(ignore:state) option, and cannot compare an existing key with the task
    (see RV(msg)).
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
      - Name of the API key, unique in the stack.
    type: str
    required: true
  role:
    description:
      - The Grafana role of the key.
    type: str
    required: true
    choices: [Viewer, Editor, Admin]
  seconds_to_live:
    description:
      - Lifetime of the key in seconds. V(0) or unset means it never expires (unless the
        stack's Grafana sets a maximum).
    type: int
notes:
  - When a key of that name already exists, the API answers HTTP 409 and the module reports
    C(changed=false) without a secret. It cannot read the key, so it can tell neither its role
    nor its expiry, and a different O(role) is not detected. To get a new key, create it under
    a new name and remove the old one in the stack's Grafana.
  - If the answer to the create is lost (a timeout or a gateway error), the module fails and the
    key may exist; a re-run then reports it as existing, without its secret. Create a key under
    a new name in that case.
  - In check mode the module cannot know whether the key exists; it predicts a create and says so
    in a warning.
  - The access policy token needs the C(stacks:write) scope (the API reference says the
    Admin role).
  - While a new stack is still starting, the Grafana Cloud API answers HTTP 503 with
    C(Retry-After); the module waits it out within the retry budget and reports it as a warning.
seealso:
  - module: grafana_cloud.platform.stack_service_account
  - module: grafana_cloud.platform.stack_service_account_token
extends_documentation_fragment:
  - grafana_cloud.platform.gcom
  - grafana_cloud.platform.attributes
  - grafana_cloud.platform.attributes.ACTIONGROUP_CLOUD
"""

EXAMPLES = r"""
- name: Create an Editor API key that lives one day
  grafana_cloud.platform.hosted_api_key:
    stack: mystack
    name: migration-job
    role: Editor
    seconds_to_live: 86400
  register: hosted_key
  no_log: true

- name: Use the key right away (it is only returned by the run that created it)
  ansible.builtin.uri:
    url: https://mystack.grafana.net/api/dashboards/db
    method: POST
    headers:
      Authorization: "Bearer {{ hosted_key.secret }}"
    body_format: json
    body: "{{ dashboard }}"
  when: hosted_key.secret is defined
  no_log: true
"""

RETURN = r"""
api_key:
  description:
    - The key's metadata, never its secret.
    - C(id), C(name) and C(role) when this run created it; only C(name) when it already existed
      (the API cannot read it); C(name) and C(role) in check mode.
  returned: always
  type: dict
  contains:
    id:
      description: Id of the key in the stack's Grafana.
      type: int
      sample: 1
    name:
      description: Name of the key.
      type: str
      sample: migration-job
    role:
      description: The role it was created with.
      type: str
      sample: Editor
  sample:
    id: 1
    name: migration-job
    role: Editor
secret:
  description: The API key, for C(Authorization Bearer <secret>) against the stack's Grafana.
  returned: when this run created the key (not in check mode)
  type: str
  sample: eyJrIjoiMWpSRVhRUVJHZlc3NW1laklzV3htQUt0cUxtS3RuWFUiLCJuIjoidGVzdGtleSIsImlkIjoxfQ
msg:
  description: Why nothing changed, when a key of that name already existed.
  returned: when the key already existed
  type: str
  sample: API key 'migration-job' already exists in stack 'mystack' ...
"""

from ansible_collections.grafana_cloud.platform.plugins.module_utils._client import GrafanaCloudAPIError
from ansible_collections.grafana_cloud.platform.plugins.module_utils._gcom import (
    gcom_client,
    gcom_module,
    run_module,
)
from ansible_collections.grafana_cloud.platform.plugins.module_utils._stack_api import (
    check_name,
    check_stack,
    stack_error,
    stack_api_path,
)

EXISTS_CODES_EXCLUDED = ("InvalidArgument",)  # 409 is also the API's validation channel


class HostedAPIKey:
    def __init__(self, module, client):
        self.module = module
        self.client = client
        self.stack = module.params["stack"]
        self.name = module.params["name"]
        self.role = module.params["role"]
        self.seconds_to_live = module.params["seconds_to_live"]
        self.warnings = []

    def validate(self):
        problems = [check_stack(self.stack), check_name("name", self.name)]
        if self.seconds_to_live is not None and self.seconds_to_live < 0:
            problems.append("seconds_to_live must be 0 or more, got %d" % self.seconds_to_live)
        for problem in problems:
            if problem:
                self.module.fail_json(msg=problem)

    def body(self):
        body = dict(name=self.name, role=self.role)
        if self.seconds_to_live:
            body["secondsToLive"] = self.seconds_to_live
        return body

    def diff(self, changed):
        after = dict(name=self.name, role=self.role, seconds_to_live=self.seconds_to_live or 0)
        return dict(before={}, after=after if changed else {})

    def run(self):
        self.validate()
        if self.module.check_mode:
            self.warnings.append(
                "Check mode cannot know whether API key %r exists in stack %r: the Grafana Cloud API "
                "has no way to read hosted API keys. It predicts a create." % (self.name, self.stack))
            return self.result(True, dict(name=self.name, role=self.role))
        try:
            created = self.client.post(stack_api_path(self.stack, "auth", "keys"), json=self.body()) or {}
        except GrafanaCloudAPIError as error:
            if error.status == 404:
                self.module.fail_json(msg=stack_error(self.stack), **error.to_result())
            if error.status == 409 and error.code not in EXISTS_CODES_EXCLUDED:
                return self.already_exists()
            raise
        public = dict((key, value) for key, value in created.items() if key != "key")
        public.setdefault("role", self.role)
        return self.result(True, public, secret=created.get("key"))

    def already_exists(self):
        result = self.result(False, dict(name=self.name))
        result["msg"] = (
            "API key %r already exists in stack %r. The Grafana Cloud API cannot read hosted API keys, "
            "so its role and expiry were not compared and its secret is not available; create a key "
            "under a new name to get a new secret, or move to service accounts." % (self.name, self.stack))
        return result

    def result(self, changed, api_key, secret=None):
        result = dict(changed=changed, api_key=api_key, warnings=self.warnings)
        if secret:
            result["secret"] = secret
        if self.module._diff:
            result["diff"] = self.diff(changed)
        return result


def main():
    module = gcom_module(dict(
        stack=dict(type="str", required=True),
        name=dict(type="str", required=True),
        role=dict(type="str", required=True, choices=["Viewer", "Editor", "Admin"]),
        seconds_to_live=dict(type="int"),
    ))
    client = gcom_client(module)
    run_module(module, client, HostedAPIKey(module, client).run)


if __name__ == "__main__":
    main()
