#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: org_info
short_description: Read a Grafana Cloud org (plan, limits, usage, security settings)
version_added: 0.2.0
description:
  - Reads a Grafana Cloud org (C(GET /orgs/{org})), in one request. The answer holds its
    identity, its subscription and plan, its stack limits, its current usage and the settings
    the org page shows (MFA required, the longest token lifetime ...).
  - An org the token can't see, or that does not exist, is an empty list, not a failure.
author:
  - grafana_cloud.platform contributors (@grafana-cloud-platform)
options:
  org:
    description:
      - Slug or numeric id of the org.
    type: str
    required: true
extends_documentation_fragment:
  - grafana_cloud.platform.gcom
  - grafana_cloud.platform.attributes.INFO_MODULE
  - grafana_cloud.platform.attributes.ACTIONGROUP_CLOUD
"""

EXAMPLES = r"""
- name: Read the org
  grafana_cloud.platform.org_info:
    org: acme
  register: acme

- name: Stop when the org is on the free plan
  ansible.builtin.assert:
    that: acme.orgs[0].subscriptions.current.product != 'grafana-cloud-free'
"""

RETURN = r"""
orgs:
  description:
    - The org as the API returns it (one item), or an empty list when it was not found.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: Numeric id of the org.
      type: int
      sample: 1000
    slug:
      description: Slug of the org.
      type: str
      sample: acme
    name:
      description: Name of the org.
      type: str
      sample: ACME
    hgInstanceLimit:
      description: How many Grafana stacks the org may have.
      type: int
      sample: 1
    subscriptions:
      description: The current and next subscription (C(current.product), C(current.isTrial) ...).
      type: dict
    mfaRequired:
      description: Whether members must use multi-factor authentication.
      type: bool
      sample: false
    maxTokenExpirationDays:
      description: The longest token lifetime in days (V(0) when there is no maximum).
      type: int
      sample: 0
"""

from ansible_collections.grafana_cloud.platform.plugins.module_utils._gcom import (
    fail_on_problems,
    gcom_client,
    gcom_module,
    run_module,
)
from ansible_collections.grafana_cloud.platform.plugins.module_utils._lookups import find_org
from ansible_collections.grafana_cloud.platform.plugins.module_utils._orgs import org_problem


def main():
    module = gcom_module(dict(org=dict(type="str", required=True)))
    fail_on_problems(module, [org_problem(module.params["org"])])
    client = gcom_client(module)

    def work():
        org = find_org(client, module.params["org"])
        return dict(changed=False, orgs=[org] if org else [])

    run_module(module, client, work)


if __name__ == "__main__":
    main()
