#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: access_policy_info
short_description: List Grafana Cloud access policies
version_added: 0.1.0
description:
  - Lists the access policies of a region (C(GET /v1/accesspolicies)) with the API's
    filters, following every page; or gets one policy by O(id).
  - The filters are applied by the API, so a filtered listing costs one request per 500
    matching policies, whatever the number of policies in the region.
author:
  - grafana_cloud.platform contributors (@grafana-cloud-platform)
options:
  region:
    description:
      - Region of the policies, for example V(us) or V(prod-eu-west-2).
    type: str
    required: true
  name:
    description:
      - Only the policy with this name.
    type: str
  realm_type:
    description:
      - Only policies with a realm of this type.
    type: str
    choices: [org, stack]
  realm_identifier:
    description:
      - With O(realm_type), only policies with this realm, given as a numeric id, or a stack or org
        slug (resolved with one request).
    type: str
  status:
    description:
      - Only policies in this status.
    type: str
    choices: [active, inactive]
  id:
    description:
      - Only the policy with this id (C(GET /v1/accesspolicies/{id})). The other filters
        are then ignored. An unknown id returns an empty list.
    type: str
  check_scopes:
    description:
      - Fail, naming each unknown scope and its close matches, when one of these scopes is
        not in the list of the API (C(GET /v1/accesspolicies/config), one request).
      - Check the scopes of many policies with one request, then create the policies with
        O(grafana_cloud.platform.access_policy#module:validate_scopes=false).
      - With O(check_scopes) alone (no filter), the module reads no policy.
    type: list
    elements: str
extends_documentation_fragment:
  - grafana_cloud.platform.gcom
  - grafana_cloud.platform.attributes.INFO_MODULE
  - grafana_cloud.platform.attributes.ACTIONGROUP_CLOUD
seealso:
  - module: grafana_cloud.platform.access_policy
  - module: grafana_cloud.platform.token_info
"""

EXAMPLES = r"""
- name: Every access policy of the region
  grafana_cloud.platform.access_policy_info:
    region: us
  register: policies

- name: The policies that reach the stack mystack
  grafana_cloud.platform.access_policy_info:
    region: us
    realm_type: stack
    realm_identifier: mystack
  register: stack_policies

- name: Suspended policies
  grafana_cloud.platform.access_policy_info:
    region: us
    status: inactive
  register: inactive

- name: Check the scopes of every policy of a play once, then create them without a check each
  grafana_cloud.platform.access_policy_info:
    region: us
    check_scopes: "{{ policies | map(attribute='scopes') | flatten | unique }}"

- name: Fail when the CI policy is missing
  grafana_cloud.platform.access_policy_info:
    region: us
    name: ci-stacks
  register: ci
  failed_when: ci.access_policies | length != 1
"""

RETURN = r"""
access_policies:
  description: The access policies, as the API returns them (see M(grafana_cloud.platform.access_policy)).
  returned: always
  type: list
  elements: dict
  sample:
    - id: c45485b6-8321-4cf2-bcec-12006df755ff
      orgId: "1"
      name: stack-readers
      displayName: Stack readers
      scopes: [metrics:read, logs:read]
      realms:
        - type: stack
          identifier: "123"
          labelPolicies: [{selector: '{env!="dev"}'}]
      conditions: {allowedSubnets: [192.168.0.0/24]}
      attributes: {lokiQueryPolicy: {maxQueryLength: 7d}}
      status: active
      createdAt: "2026-06-08T20:07:21.223Z"
      updatedAt: "2026-06-08T20:07:21.223Z"
"""

from ansible_collections.grafana_cloud.platform.plugins.module_utils._accesspolicies import (
    POLICIES_PATH,
    RealmNotFound,
    get_policy,
    known_scopes,
    resolve_realm_identifier,
    unknown_scope_problems,
)
from ansible_collections.grafana_cloud.platform.plugins.module_utils._gcom import (
    fail_on_problems,
    gcom_client,
    gcom_module,
    run_module,
)
from ansible_collections.grafana_cloud.platform.plugins.module_utils._pagination import iter_cursor


def server_filters(module, client):
    params = module.params
    query = dict(region=params["region"])
    if params["name"]:
        query["name"] = params["name"]
    if params["status"]:
        query["status"] = params["status"]
    if params["realm_type"]:
        query["realmType"] = params["realm_type"]
    if params["realm_identifier"]:
        try:
            query["realmIdentifier"] = resolve_realm_identifier(client, params["realm_type"], params["realm_identifier"])
        except RealmNotFound as error:
            module.fail_json(msg="realm_identifier: %s" % error)
    return query


def main():
    module = gcom_module(
        dict(
            region=dict(type="str", required=True),
            name=dict(type="str"),
            realm_type=dict(type="str", choices=["org", "stack"]),
            realm_identifier=dict(type="str"),
            status=dict(type="str", choices=["active", "inactive"]),
            id=dict(type="str"),
            check_scopes=dict(type="list", elements="str"),
        ),
        required_by=dict(realm_identifier=("realm_type",)),
    )
    client = gcom_client(module)

    params = module.params
    lists_policies = params["id"] or not params["check_scopes"] or any(
        params[option] for option in ("name", "realm_type", "realm_identifier", "status"))

    def work():
        if params["check_scopes"]:
            known = known_scopes(client, params["region"])
            fail_on_problems(module, unknown_scope_problems(params["check_scopes"], known, option="check_scopes"))
            if not lists_policies:
                return dict(changed=False, access_policies=[])
        if module.params["id"]:
            policy = get_policy(client, module.params["region"], module.params["id"])
            return dict(changed=False, access_policies=[policy] if policy else [])
        policies = list(iter_cursor(client, POLICIES_PATH, server_filters(module, client)))
        return dict(changed=False, access_policies=policies)

    run_module(module, client, work)


if __name__ == "__main__":
    main()
