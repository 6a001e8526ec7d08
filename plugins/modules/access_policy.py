#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: access_policy
short_description: Manage Grafana Cloud access policies
version_added: 0.1.0
description:
  - Creates, updates and deletes a Grafana Cloud access policy (C(/v1/accesspolicies)), the
    scopes a set of tokens grants, in which realms (the org, or some stacks), from which
    networks.
  - A policy is identified by O(region) and O(name). Finding it is one request, whatever
    the number of policies in the region (the API's C(name) filter); when nothing differs,
    nothing else is sent.
  - Only the options you set are compared; O(scopes), O(realms), label policies,
    O(allowed_subnets) and the lists of O(attributes) compare as sets; of O(attributes), only
    the sub-options you set.
  - Before a write that adds scopes, the scopes are checked against the ones the API lists
    (C(GET /v1/accesspolicies/config), one request); a typo such as V(metric:read) fails
    before anything is written, naming the scope and the close matches. See O(validate_scopes).
  - A private data source connect (PDC) network, as Terraform's
    C(grafana_cloud_private_data_source_connect_network) makes it, is an access policy with
    the scope V(set:pdc-signing) on one stack realm; O(attributes.pdc_configuration) limits
    the hosts it reaches. See the examples, and the PDC guide (C(docs/pdc.md)).
  - Create tokens for the policy with M(grafana_cloud.platform.token).
author:
  - grafana_cloud.platform contributors (@grafana-cloud-platform)
options:
  name:
    description:
      - Name of the access policy, unique in its region.
      - 1-255 characters of lowercase letters (a-z), numbers (0-9), hyphens and underscores.
      - It cannot be changed after creation.
    type: str
    required: true
  region:
    description:
      - Region of the access policy, for example V(us), V(eu) or V(prod-eu-west-2), usually
        the region of the stacks it grants access to. See M(grafana_cloud.platform.region_info).
    type: str
    required: true
  display_name:
    description:
      - Name shown in the Grafana Cloud UI. The API sets it to O(name) when it is not given.
    type: str
  scopes:
    description:
      - The scopes the policy grants, for example V(metrics:read), V(logs:write) or V(stacks:read).
      - Required to create a policy. Compared as a set.
    type: list
    elements: str
  realms:
    description:
      - Where the scopes apply. Required to create a policy. Compared as a set.
    type: list
    elements: dict
    suboptions:
      type:
        description:
          - V(org) for the whole org, V(stack) for one stack.
        type: str
        required: true
        choices: [org, stack]
      identifier:
        description:
          - The org or stack, by numeric id or by slug.
          - A slug is resolved to the id with one request (C(GET /instances/{slug}) or
            C(GET /orgs/{slug})); a numeric id costs no request.
        type: str
        required: true
      label_policies:
        description:
          - Label selectors that restrict which series or streams the scopes reach, for
            example V({env!="dev"}). Only for read scopes of metrics and logs. Compared as a set.
        type: list
        elements: str
  allowed_subnets:
    description:
      - Networks (CIDRs, IPv4 or IPv6) the policy's tokens may be used from, for example
        V(10.1.2.99/32) or V(2001:db8::/32). A single address needs V(/32) or V(/128).
      - V([]) removes the restriction. Compared as a set.
    type: list
    elements: str
  attributes:
    description:
      - Limits passed to the backends through the gateway (the API's C(attributes)).
      - Only the sub-options you set are compared and sent; the others keep the values the
        server holds.
    type: dict
    suboptions:
      loki_query_policy:
        description:
          - Limits on the Loki queries of the policy's tokens (C(lokiQueryPolicy)).
          - Durations are Loki durations such as V(30d), V(12h) or V(1h30m).
        type: dict
        suboptions:
          max_entries_limit_per_query:
            description: Most log lines a query may return (C(maxEntriesLimitPerQuery)).
            type: int
          max_query_bytes_read:
            description: Most bytes a query may read, such as V(10GB) (C(maxQueryBytesRead)).
            type: str
          max_query_interval:
            description: Longest step of a range query (C(maxQueryInterval)).
            type: str
          max_query_length:
            description: Longest time range of a query (C(maxQueryLength)).
            type: str
          max_query_lookback:
            description: How far back a query may reach (C(maxQueryLookback)).
            type: str
          max_query_time:
            description: Longest time a query may run (C(maxQueryTime)).
            type: str
          minimum_labels_number:
            description: Fewest label matchers a query must have (C(minimumLabelsNumber)).
            type: int
          required_labels:
            description:
              - Labels every query must match on (C(requiredLabels)). Compared as a set.
            type: list
            elements: str
      pdc_configuration:
        description:
          - Private data source connect settings (C(pdcConfiguration)) of a policy with the
            scope V(set:pdc-signing).
        type: dict
        suboptions:
          limited_hosts:
            description:
              - The only hosts (C(host:port), such as V(mysql.example.com:3306)) Grafana may
                reach through the PDC agents of the policy's tokens. V([]) allows every host.
              - Compared as a set.
            type: list
            elements: str
  validate_scopes:
    description:
      - Check the scopes against the list of the API before a write that adds scopes
        (one request, C(GET /v1/accesspolicies/config)); nothing is read when the scopes are
        already those of the policy.
      - Set V(false) when an earlier task checked them already, for example
        M(grafana_cloud.platform.access_policy_info) with O(grafana_cloud.platform.access_policy_info#module:check_scopes)
        over the scopes of many policies at once, so that a play reads the list once.
    type: bool
    default: true
  status:
    description:
      - V(inactive) suspends every token of the policy; V(active) restores them.
      - The API creates policies active; creating one V(inactive) takes a second request.
    type: str
    choices: [active, inactive]
  state:
    description:
      - V(present) creates or updates the policy, V(absent) deletes it.
      - Deleting a policy deletes its tokens too.
    type: str
    choices: [present, absent]
    default: present
notes:
  - Writes on access policies are rate limited by Grafana Cloud (600 an hour); an answer
    429 is waited for and retried (see O(max_retries)).
extends_documentation_fragment:
  - grafana_cloud.platform.gcom
  - grafana_cloud.platform.attributes
  - grafana_cloud.platform.attributes.ACTIONGROUP_CLOUD
seealso:
  - module: grafana_cloud.platform.access_policy_info
  - module: grafana_cloud.platform.token
  - name: Grafana Cloud access policies
    description: Scopes, realms and label policies explained.
    link: https://grafana.com/docs/grafana-cloud/security-and-account-management/authentication-and-permissions/access-policies/
"""

EXAMPLES = r"""
- name: A policy that reads metrics and logs of one stack, except the dev series
  grafana_cloud.platform.access_policy:
    name: stack-readers
    region: us
    display_name: Stack readers
    scopes: [metrics:read, logs:read]
    realms:
      - type: stack
        identifier: mystack
        label_policies:
          - '{env!="dev"}'
    allowed_subnets:
      - 192.168.0.0/24
      - 10.1.2.99/32

- name: A policy for the CI that manages stacks across the org
  grafana_cloud.platform.access_policy:
    name: ci-stacks
    region: us
    scopes: [stacks:read, stacks:write]
    realms:
      - type: org
        identifier: myorg
  register: ci_policy

- name: Lift the network restriction
  grafana_cloud.platform.access_policy:
    name: stack-readers
    region: us
    allowed_subnets: []

- name: Suspend every token of a policy
  grafana_cloud.platform.access_policy:
    name: stack-readers
    region: us
    status: inactive

- name: Limit the Loki queries of the policy's tokens
  grafana_cloud.platform.access_policy:
    name: stack-readers
    region: us
    attributes:
      loki_query_policy:
        max_query_length: 7d
        max_query_lookback: 30d
        required_labels: [namespace]

- name: A private data source connect network for the stack mystack (Terraform's
    grafana_cloud_private_data_source_connect_network), limited to two hosts
  grafana_cloud.platform.access_policy:
    name: mystack-pdc
    region: us
    display_name: mystack PDC
    scopes: [set:pdc-signing]
    realms:
      - type: stack
        identifier: mystack
    attributes:
      pdc_configuration:
        limited_hosts: [mysql.internal:3306, postgres.internal:5432]
  register: pdc_network

- name: The token of the PDC agent (its secret is returned once)
  grafana_cloud.platform.token:
    name: mystack-pdc-agent
    region: us
    access_policy: mystack-pdc
  register: pdc_token
  no_log: true

- name: Delete a policy, and its tokens
  grafana_cloud.platform.access_policy:
    name: stack-readers
    region: us
    state: absent
"""

RETURN = r"""
access_policy:
  description:
    - The access policy as the API returns it. Empty after a delete.
    - In check mode, the predicted policy (without the fields the server makes, such as C(id)
      when it would be created).
  returned: always
  type: dict
  contains:
    id:
      description: Id of the policy (a UUID).
      type: str
      sample: c45485b6-8321-4cf2-bcec-12006df755ff
    orgId:
      description: Id of the org.
      type: str
      sample: "1"
    name:
      description: Name of the policy.
      type: str
      sample: stack-readers
    displayName:
      description: Display name.
      type: str
      sample: Stack readers
    scopes:
      description: Scopes.
      type: list
      elements: str
      sample: [metrics:read, logs:read]
    realms:
      description: Realms, each with C(type), numeric C(identifier) and C(labelPolicies) (a list of C({selector})).
      type: list
      elements: dict
      sample:
        - type: stack
          identifier: "123"
          labelPolicies:
            - selector: '{env!="dev"}'
    conditions:
      description: C(allowedSubnets); missing when the policy has no network restriction.
      type: dict
      sample: {allowedSubnets: [192.168.0.0/24]}
    attributes:
      description:
        - C(lokiQueryPolicy) and C(pdcConfiguration) (C(limitedHosts)); missing when the
          policy has none.
      type: dict
      sample: {pdcConfiguration: {limitedHosts: ["mysql.internal:3306"]}}
    status:
      description: V(active) or V(inactive).
      type: str
      sample: active
    createdAt:
      description: Creation time.
      type: str
      sample: "2026-06-08T20:07:21.223Z"
    updatedAt:
      description: Last update time.
      type: str
      sample: "2026-06-08T20:07:21.223Z"
"""

import copy

from ansible_collections.grafana_cloud.platform.plugins.module_utils._accesspolicies import (
    POLICIES_PATH,
    RealmNotFound,
    attributes_from_api,
    attributes_problems,
    attributes_to_api,
    canonical_attributes,
    canonical_cidrs,
    canonical_realms,
    cidr_problem,
    find_policy,
    known_scopes,
    name_problem,
    realms_from_api,
    realms_to_api,
    resolve_realms,
    set_attributes,
    unknown_scope_problems,
)
from ansible_collections.grafana_cloud.platform.plugins.module_utils._gcom import fail_on_problems, gcom_module, run_resource
from ansible_collections.grafana_cloud.platform.plugins.module_utils._resource import SET, Field, Resource


class AccessPolicy(Resource):
    resource_key = "access_policy"
    fields = (
        Field("display_name"),
        Field("scopes", kind=SET),
        Field("realms", kind=SET, normalize=canonical_realms),
        Field("allowed_subnets", kind=SET, normalize=canonical_cidrs),
        Field("attributes", normalize=canonical_attributes),
        Field("status"),
    )

    def __init__(self, module, client):
        super(AccessPolicy, self).__init__(module, client)
        self.region = self.params["region"]
        self.name = self.params["name"]
        self.resolved_realms = None

    def describe(self):
        return "access policy %r in region %r" % (self.name, self.region)

    def validate(self):
        problems = [name_problem(self.name, "Access policy")]
        problems += [cidr_problem(subnet) for subnet in self.params["allowed_subnets"] or []]
        if self.params["scopes"] is not None and not self.params["scopes"]:
            problems.append("scopes must not be empty: an access policy needs at least one scope.")
        if self.params["realms"] is not None and not self.params["realms"]:
            problems.append("realms must not be empty: an access policy needs at least one realm.")
        for realm in self.params["realms"] or []:
            if any(not (selector or "").strip() for selector in realm.get("label_policies") or []):
                problems.append("realms: realm %s %s: each of label_policies must be a non-empty selector."
                                % (realm["type"], realm["identifier"]))
        problems += attributes_problems(self.params["attributes"])
        fail_on_problems(self.module, problems)

    def find(self):
        if self.params["realms"] is not None and self.resolved_realms is None:
            try:
                self.resolved_realms = resolve_realms(self.client, self.params["realms"])
            except RealmNotFound as error:
                self.fail(msg="realms: cannot resolve a realm of %s: %s" % (self.describe(), error))
        return find_policy(self.client, self.region, self.name)

    def desired_values(self, current=None):
        values = super(AccessPolicy, self).desired_values(current)
        if self.resolved_realms is not None:
            values["realms"] = canonical_realms(self.resolved_realms)
        if self.params["attributes"] is not None:
            values["attributes"] = set_attributes((current or {}).get("attributes"), self.params["attributes"])
        return values

    def current_values(self, obj):
        return dict(
            display_name=obj.get("displayName"),
            scopes=list(obj.get("scopes") or []),
            realms=canonical_realms(realms_from_api(obj.get("realms"))),
            allowed_subnets=list((obj.get("conditions") or {}).get("allowedSubnets") or []),
            attributes=attributes_from_api(obj.get("attributes")),
            status=obj.get("status") or "active",
        )

    def ensure_present(self, found):
        if found is None:
            missing = [option for option in ("scopes", "realms") if self.params[option] is None]
            if missing:
                self.fail(msg="%s does not exist; to create it, set %s."
                          % (self.describe(), " and ".join(missing)))
        self.check_new_scopes(found)
        return super(AccessPolicy, self).ensure_present(found)

    def check_new_scopes(self, found):
        """Fail before any write on a scope the API does not list (a typo would otherwise be
        stored, or refused with a message that does not say which scope). One read, and only
        when the task adds scopes the policy does not hold yet."""
        if not self.params["validate_scopes"] or not self.params["scopes"]:
            return
        held = set((found or {}).get("scopes") or [])
        added = [scope for scope in self.params["scopes"] if scope not in held]
        if added:
            fail_on_problems(self.module, unknown_scope_problems(added, known_scopes(self.client, self.region)))

    # -- writes ------------------------------------------------------------------------

    def body(self, values):
        """The API body for these option values (``conditions: {}`` removes the subnets)."""
        body = dict(scopes=values["scopes"], realms=realms_to_api(values["realms"]))
        if values.get("display_name") is not None:
            body["displayName"] = values["display_name"]
        subnets = values.get("allowed_subnets")
        if subnets is not None:
            body["conditions"] = dict(allowedSubnets=subnets) if subnets else {}
        if values.get("attributes"):
            body["attributes"] = attributes_to_api(values["attributes"])
        return body

    def create(self, values):
        body = self.body(values)
        if not body.get("conditions"):
            body.pop("conditions", None)
        return self.client.post(POLICIES_PATH, json=dict(body, name=self.name), params=self.params_region())

    def create_or_adopt(self, desired):
        created = super(AccessPolicy, self).create_or_adopt(desired) or {}
        if desired.get("status", "active") != created.get("status", "active"):
            # The create body has no status: a policy wanted inactive takes an update, also when
            # the created policy was adopted after an unclear answer.
            created = self.client.post(self.policy_path(created), json=dict(status=desired["status"]),
                                       params=self.params_region())
        return created

    def update(self, obj, changes, values):
        # Send the whole policy: the API's update wants scopes and realms every time, and
        # an explicit conditions object leaves no doubt about the subnets.
        merged = dict(self.current_values(obj), **changes)
        body = self.body(merged)
        body["status"] = merged["status"]
        # Attributes are sent only when they change: the API replaces them whole, so the
        # body holds the server's, with what changed in their place.
        body.pop("attributes", None)
        if "attributes" in changes:
            body["attributes"] = attributes_to_api(merged["attributes"], held=obj.get("attributes"))
        return self.client.post(self.policy_path(obj), json=body, params=self.params_region())

    def delete(self, obj):
        self.client.delete(self.policy_path(obj), params=self.params_region())

    def params_region(self):
        return dict(region=self.region)

    @staticmethod
    def policy_path(obj):
        return "%s/%s" % (POLICIES_PATH, obj["id"])

    # -- check mode ----------------------------------------------------------------------

    def predict_created(self, values):
        predicted = dict(name=self.name, displayName=values.get("display_name") or self.name,
                         scopes=values["scopes"], realms=realms_to_api(values["realms"]),
                         status=values.get("status", "active"))
        if values.get("allowed_subnets"):
            predicted["conditions"] = dict(allowedSubnets=values["allowed_subnets"])
        if attributes_to_api(values.get("attributes")):
            predicted["attributes"] = attributes_to_api(values["attributes"])
        return predicted

    def predict_updated(self, obj, changes, values):
        predicted = copy.deepcopy(obj)
        merged = dict(self.current_values(obj), **changes)
        predicted.update(displayName=merged["display_name"], scopes=merged["scopes"],
                         realms=realms_to_api(merged["realms"]), status=merged["status"])
        predicted.pop("conditions", None)
        if merged["allowed_subnets"]:
            predicted["conditions"] = dict(allowedSubnets=merged["allowed_subnets"])
        if "attributes" in changes:
            predicted["attributes"] = attributes_to_api(merged["attributes"], held=obj.get("attributes"))
        return predicted


def main():
    module = gcom_module(dict(
        name=dict(type="str", required=True),
        region=dict(type="str", required=True),
        display_name=dict(type="str"),
        scopes=dict(type="list", elements="str"),
        realms=dict(type="list", elements="dict", options=dict(
            type=dict(type="str", required=True, choices=["org", "stack"]),
            identifier=dict(type="str", required=True),
            label_policies=dict(type="list", elements="str"),
        )),
        allowed_subnets=dict(type="list", elements="str"),
        attributes=dict(type="dict", options=dict(
            loki_query_policy=dict(type="dict", options=dict(
                max_entries_limit_per_query=dict(type="int"),
                max_query_bytes_read=dict(type="str"),
                max_query_interval=dict(type="str"),
                max_query_length=dict(type="str"),
                max_query_lookback=dict(type="str"),
                max_query_time=dict(type="str"),
                minimum_labels_number=dict(type="int"),
                required_labels=dict(type="list", elements="str"),
            )),
            pdc_configuration=dict(type="dict", options=dict(
                limited_hosts=dict(type="list", elements="str"),
            )),
        )),
        validate_scopes=dict(type="bool", default=True),
        status=dict(type="str", choices=["active", "inactive"]),
        state=dict(type="str", default="present", choices=["present", "absent"]),
    ))
    run_resource(module, AccessPolicy)


if __name__ == "__main__":
    main()
