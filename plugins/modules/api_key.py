#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: api_key
short_description: Manage a Grafana Cloud API key of an org (deprecated by Grafana)
version_added: 0.1.0
description:
  - Creates or deletes an org-level Grafana Cloud API key (C(/orgs/{org}/api-keys)).
  - B(Grafana replaced Cloud API keys with access policies and their tokens.) This module
    exists so that playbooks using C(grafana.grafana.cloud_api_key) can move to this collection
    one step at a time; every run says so in a warning. New playbooks should create an access
    policy and a token instead.
  - The key is found by name with one request. Its secret is returned once, under
    RV(secret), by the run that creates it.
author:
  - grafana_cloud.platform contributors (@grafana-cloud-platform)
options:
  org:
    description:
      - Slug (or numeric id) of the Grafana Cloud org.
      - The alias O(org_slug) is the option's name in C(grafana.grafana.cloud_api_key).
    type: str
    required: true
    aliases: [org_slug]
  name:
    description:
      - Name of the API key, unique in the org.
    type: str
    required: true
  role:
    description:
      - The role of the key. Required when O(state=present).
      - The API can't change the role of a key; a different role fails the task and names
        the way out (delete the key and create it again, which gives a new secret).
    type: str
    choices: [Viewer, Editor, Admin, MetricsPublisher, PluginPublisher]
  state:
    description:
      - V(present) creates the key if it does not exist; V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
  fail_if_already_created:
    description:
      - Ignored, with a deprecation warning. Accepted so that tasks written for
        C(grafana.grafana.cloud_api_key) run unchanged.
      - A key that already exists with the same role is reported unchanged (C(changed=false)),
        never as a failure; a different role fails, whatever this option says.
    type: bool
notes:
  - "Moving from C(grafana.grafana.cloud_api_key): its C(org_slug) and C(existing_cloud_api_key)
    are aliases of O(org) and O(cloud_access_policy_token); O(name) and O(role) are the same,
    and RV(secret) is its C(output.token). RV(output) is returned too, with the values
    C(grafana.grafana.cloud_api_key) gave it, so that tasks asserting on it run unchanged. This
    module never prints the secret after creation and fails on a different role instead of
    ignoring it."
  - If the answer to the create is lost after Grafana Cloud committed it (a timeout, a gateway
    error), the key exists but its secret is gone. The module does not create it twice; it fails,
    with the key in RV(api_key), and says how to get a new one (delete it and create it again).
extends_documentation_fragment:
  - grafana_cloud.platform.gcom
  - grafana_cloud.platform.attributes
  - grafana_cloud.platform.attributes.ACTIONGROUP_CLOUD
"""

EXAMPLES = r"""
- name: Create a MetricsPublisher key for a legacy agent
  grafana_cloud.platform.api_key:
    org: myorg
    name: legacy-agent
    role: MetricsPublisher
  register: cloud_key
  no_log: true

- name: Delete the key once the agent uses an access policy token
  grafana_cloud.platform.api_key:
    org: myorg
    name: legacy-agent
    state: absent
"""

RETURN = r"""
api_key:
  description: The key's metadata, never its secret. Empty after O(state=absent).
  returned: always
  type: dict
  contains:
    id:
      description: Id of the key.
      type: int
      sample: 5046212
    name:
      description: Name of the key.
      type: str
      sample: legacy-agent
    role:
      description: Role of the key.
      type: str
      sample: MetricsPublisher
    orgSlug:
      description: Slug of the org.
      type: str
      sample: myorg
    createdAt:
      description: When the key was created.
      type: str
      sample: "2023-01-04T07:50:54.000Z"
  sample:
    id: 5046212
    orgId: 652945
    orgSlug: myorg
    orgName: myorg
    instanceId: null
    name: legacy-agent
    role: MetricsPublisher
    createdAt: "2023-01-04T07:50:54.000Z"
    updatedAt: null
    firstUsed: null
secret:
  description: The API key, to use as a Grafana Cloud credential.
  returned: when this run created the key (not in check mode)
  type: str
  sample: eyJrIjoiZmU5ZDlmY2JkODkzNTg4ZGUyYTJhNmJiZGJiMWYwNjQyMGM0MzBkNiIsIm4iOiJjcmVhdGVhcGlrZXkiLCJpZCI6NjUyOTkyfQ
output:
  description:
    - B(Deprecated), returned only for tasks written for C(grafana.grafana.cloud_api_key), with
      the values it returned; use RV(api_key) and RV(secret) instead. It will be removed in 2.0.0.
    - When this run created the key, the API's answer, the secret included (C(output.token),
      the same as RV(secret); in check mode, the predicted key without it). Register the task
      with C(no_log=true).
    - When the key already existed, the text C(A Cloud API key with the same name already exists).
    - When this run deleted the key (O(state=absent)), the text C(Cloud API key is deleted).
  returned: except after O(state=absent) on a key that did not exist
  type: raw
  sample: Cloud API key is deleted
secret_issued_elsewhere:
  description:
    - C(true) when this run lost a race to create the API key. Another run (a second pipeline, a
      retried job) created it between this run's lookup and its create, and the API returned the
      secret to that run only, which delivered it to its own destination. This run has no
      RV(secret). The task succeeds with C(changed) false, and a warning says so and how
      to get a secret if this run needs one (delete the key with O(state=absent), then run the task again, which creates it with a new secret).
    - C(false) otherwise, also on a run that found the API key already there.
  returned: always
  type: bool
  sample: false
"""

from ansible_collections.grafana_cloud.platform.plugins.module_utils._client import api_path
from ansible_collections.grafana_cloud.platform.plugins.module_utils._gcom import gcom_module, run_resource
from ansible_collections.grafana_cloud.platform.plugins.module_utils._migration import deprecate_ignored_options, legacy_api_key_output
from ansible_collections.grafana_cloud.platform.plugins.module_utils._resource import Field, Resource
from ansible_collections.grafana_cloud.platform.plugins.module_utils._stack_api import check_name

DEPRECATION = ("Grafana Cloud API keys are deprecated: Grafana replaced them with access policies and "
               "their tokens (grafana_cloud.platform.access_policy and grafana_cloud.platform.token). Move this "
               "credential there.")


class ApiKey(Resource):
    resource_key = "api_key"
    fields = (Field("role", immutable=True,
                    hint="The API can't change the role of an API key: delete it (state: absent) and "
                         "create it again, which gives it a new secret."),)
    secret_response_keys = ("token",)

    def __init__(self, module, client):
        super(ApiKey, self).__init__(module, client)
        self.org = self.params["org"]
        self.name = self.params["name"]
        self.warnings.append(DEPRECATION)

    def describe(self):
        return "API key %r of org %r" % (self.name, self.org)

    def validate(self):
        for problem in (check_name("org", self.org), check_name("name", self.name)):
            if problem:
                self.fail(msg=problem)

    def path(self, *parts):
        return api_path("orgs", self.org, "api-keys", *parts)

    def find(self):
        return self.client.get_or_none(self.path(self.name))

    def current_values(self, obj):
        return dict(role=obj.get("role"))

    def create(self, values):
        return self.client.post(self.path(), json=dict(name=self.name, role=values["role"]))

    def delete(self, obj):
        self.client.delete(self.path(self.name))

    def predict_created(self, values):
        return dict(name=self.name, role=values["role"])

    def result(self, changed, obj, before, after, secret=None):
        result = super(ApiKey, self).result(changed, obj, before, after, secret)
        output = legacy_api_key_output(self.params["state"], changed, result["api_key"], secret)
        if output is not None:
            result["output"] = output
        return result


def main():
    module = gcom_module(
        dict(
            org=dict(type="str", required=True, aliases=["org_slug"]),
            name=dict(type="str", required=True),
            role=dict(type="str", choices=["Viewer", "Editor", "Admin", "MetricsPublisher", "PluginPublisher"]),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            fail_if_already_created=dict(type="bool"),
        ),
        required_if=[("state", "present", ["role"])],
    )
    deprecate_ignored_options(module, {
        "fail_if_already_created": "an existing key with the same role is reported unchanged, not as a failure.",
    })
    run_resource(module, ApiKey)


if __name__ == "__main__":
    main()
