#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: token_info
short_description: List Grafana Cloud access policy tokens, for example those about to expire
version_added: 0.1.0
description:
  - Lists the tokens of a region (C(GET /v1/tokens)) with the API's filters, following
    every page. Returns their metadata; the API never returns a token's secret after its
    creation, and neither does this module.
  - Made for audits such as "which tokens expire in the next 14 days" (O(expires_before=14d)).
author:
  - grafana_cloud.platform contributors (@grafana-cloud-platform)
options:
  region:
    description:
      - Region of the tokens, for example V(us) or V(prod-eu-west-2).
    type: str
    required: true
  access_policy:
    description:
      - Only the tokens of this access policy, by name or by id (a UUID).
    type: str
  name:
    description:
      - Only the token with this name.
    type: str
  expires_before:
    description:
      - Only tokens that expire before this time, as ISO 8601 (V(2026-12-31T00:00:00Z)) or a
        duration from now (V(14d), V(12h)). Tokens without expiry never match.
    type: str
  expires_after:
    description:
      - Only tokens that expire after this time (same forms as O(expires_before)); tokens
        without expiry match.
    type: str
  include_expired:
    description:
      - Include tokens that already expired (the API leaves them out by default).
    type: bool
    default: false
extends_documentation_fragment:
  - grafana_cloud.platform.gcom
  - grafana_cloud.platform.attributes.INFO_MODULE
  - grafana_cloud.platform.attributes.ACTIONGROUP_CLOUD
seealso:
  - module: grafana_cloud.platform.token
  - module: grafana_cloud.platform.access_policy_info
"""

EXAMPLES = r"""
- name: Tokens that expire in the next 14 days
  grafana_cloud.platform.token_info:
    region: us
    expires_before: 14d
  register: expiring

- name: Report them
  ansible.builtin.debug:
    msg: "{{ item.name }} expires at {{ item.expiresAt }}"
  loop: "{{ expiring.tokens }}"

- name: Every token of one access policy, expired ones included
  grafana_cloud.platform.token_info:
    region: us
    access_policy: metrics-writers
    include_expired: true
  register: policy_tokens
"""

RETURN = r"""
tokens:
  description: The tokens' metadata (never a secret), as the API returns it (see M(grafana_cloud.platform.token)).
  returned: always
  type: list
  elements: dict
  sample:
    - id: 7d3c1e9a-58f3-4c5b-9a3f-0f2e4b1a6c77
      accessPolicyId: c45485b6-8321-4cf2-bcec-12006df755ff
      name: shipper-prod
      displayName: Metrics shipper (prod)
      expiresAt: "2026-12-31T23:59:59.000Z"
      createdAt: "2026-10-02T08:00:00.000Z"
      updatedAt: "2026-10-02T08:00:00.000Z"
"""

from ansible_collections.grafana_cloud.platform.plugins.module_utils._accesspolicies import (
    TOKENS_PATH,
    policy_filter,
    public_token,
)
from ansible_collections.grafana_cloud.platform.plugins.module_utils._gcom import (
    gcom_client,
    gcom_module,
    run_module,
)
from ansible_collections.grafana_cloud.platform.plugins.module_utils._pagination import iter_cursor
from ansible_collections.grafana_cloud.platform.plugins.module_utils._timeutil import (
    format_datetime,
    moment_from_now,
)


def moment(text):
    """A time from ISO 8601, or from a duration counted from now (``14d``)."""
    return format_datetime(moment_from_now(text))


def server_filters(module):
    params = module.params
    query = dict(region=params["region"])
    if params["access_policy"]:
        query.update(policy_filter(params["access_policy"]))
    if params["name"]:
        query["name"] = params["name"]
    if params["include_expired"]:
        query["includeExpired"] = "true"
    for option, key in (("expires_before", "expiresBefore"), ("expires_after", "expiresAfter")):
        if params[option]:
            try:
                query[key] = moment(params[option])
            except ValueError:
                module.fail_json(msg="%s: %r is neither an ISO 8601 time (2026-12-31T00:00:00Z) nor a "
                                     "duration from now (14d, 12h)." % (option, params[option]))
    return query


def main():
    module = gcom_module(dict(
        region=dict(type="str", required=True),
        access_policy=dict(type="str"),
        name=dict(type="str"),
        expires_before=dict(type="str"),
        expires_after=dict(type="str"),
        include_expired=dict(type="bool", default=False),
    ))
    query = server_filters(module)  # validates the times before any request
    client = gcom_client(module)

    def work():
        tokens = [public_token(token) for token in iter_cursor(client, TOKENS_PATH, query)]
        return dict(changed=False, tokens=tokens)

    run_module(module, client, work)


if __name__ == "__main__":
    main()
