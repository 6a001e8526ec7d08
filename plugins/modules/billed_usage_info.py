#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: billed_usage_info
short_description: Read an org's billed usage for a month
version_added: 0.1.0
description:
  - Reads the billed usage of a Grafana Cloud org for a year and month, broken down by
    dimension (logs, metrics, users ...) and by stack
    (C(GET /orgs/{org}/billed-usage?year=&month=)).
  - With O(history), also lists the months of the last twelve that have a bill
    (C(GET /orgs/{org}/billed-usage-history)); then O(year) and O(month) may be left out.
author:
  - grafana_cloud.platform contributors (@grafana-cloud-platform)
options:
  org:
    description:
      - Slug or numeric id of the org.
    type: str
    required: true
  year:
    description:
      - The year, for example V(2024).
      - Required, with O(month), unless O(history=true).
    type: int
  month:
    description:
      - The month, V(1) to V(12).
      - Required, with O(year), unless O(history=true).
    type: int
  history:
    description:
      - Return RV(billed_usage_history), the months of the last twelve that have a bill
        (one more request).
    type: bool
    default: false
extends_documentation_fragment:
  - grafana_cloud.platform.gcom
  - grafana_cloud.platform.attributes.INFO_MODULE
  - grafana_cloud.platform.attributes.ACTIONGROUP_CLOUD
"""

EXAMPLES = r"""
- name: Read September 2024
  grafana_cloud.platform.billed_usage_info:
    org: acme
    year: 2024
    month: 9
  register: usage

- name: The months with a bill, then the usage of each
  grafana_cloud.platform.billed_usage_info:
    org: acme
    history: true
  register: history

- name: Read every billed month of the last twelve
  grafana_cloud.platform.billed_usage_info:
    org: acme
    year: "{{ item.year }}"
    month: "{{ item.month }}"
  loop: "{{ history.billed_usage_history }}"
  register: months

- name: Show the amount due per dimension
  ansible.builtin.debug:
    msg: "{{ usage.billed_usage | items2dict(key_name='dimensionName', value_name='amountDue') }}"
"""

RETURN = r"""
billed_usage_history:
  description:
    - The months of the last twelve that have a bill (C(year), C(month)), as the API returns them.
  returned: when O(history=true)
  type: list
  elements: dict
  sample:
    - year: 2024
      month: 9
    - year: 2024
      month: 8
billed_usage:
  description:
    - One item per billed dimension, as the API returns it, with the usage per stack.
    - Empty when O(year) and O(month) are not given.
  returned: always
  type: list
  elements: dict
  contains:
    dimensionId:
      description: Id of the dimension, for example C(hl) (logs) or C(hm) (metrics).
      type: str
      sample: hl
    dimensionName:
      description: Display name of the dimension.
      type: str
      sample: Logs
    unit:
      description: Unit of the usage.
      type: str
      sample: GB
    includedUsage:
      description: Usage included in the plan.
      type: float
      sample: 50
    totalUsage:
      description: Total usage of the month.
      type: float
      sample: 251.02
    amountDue:
      description: Amount due for the dimension.
      type: float
      sample: 100.5
    usages:
      description: The usage per stack (C(stackId), C(stackName), C(totalUsage) ...).
      type: list
      elements: dict
  sample:
    - dimensionId: hl
      dimensionName: Logs
      unit: GB
      includedUsage: 50
      totalUsage: 251.02
      overage: 201
      amountDue: 100.5
      periodStart: "2024-09-01T00:00:00Z"
      periodEnd: "2024-09-30T23:59:59Z"
      usages:
        - stackId: 111118
          stackName: example.grafana.net
          totalUsage: 251.02
"""

from ansible_collections.grafana_cloud.platform.plugins.module_utils._client import api_path
from ansible_collections.grafana_cloud.platform.plugins.module_utils._gcom import (
    fail_on_problems,
    gcom_client,
    gcom_module,
    run_module,
)


def main():
    module = gcom_module(dict(
        org=dict(type="str", required=True),
        year=dict(type="int"),
        month=dict(type="int"),
        history=dict(type="bool", default=False),
    ), required_together=[("year", "month")])
    params = module.params
    problems = []
    if not params["org"].strip():
        problems.append("org can't be empty.")
    if params["year"] is None and not params["history"]:
        problems.append("year and month are required, unless history is true.")
    if params["year"] is not None and not 2000 <= params["year"] <= 2100:
        problems.append("year must be a four-digit year such as 2024, got %s." % params["year"])
    if params["month"] is not None and not 1 <= params["month"] <= 12:
        problems.append("month must be 1 to 12, got %s." % params["month"])
    fail_on_problems(module, problems)
    client = gcom_client(module)

    def work():
        result = dict(changed=False, billed_usage=[])
        if params["history"]:
            history = client.get(api_path("orgs", params["org"], "billed-usage-history"))
            result["billed_usage_history"] = (history or {}).get("items") or []
        if params["year"] is not None:
            answer = client.get(api_path("orgs", params["org"], "billed-usage"),
                                params=dict(year=params["year"], month=params["month"]))
            result["billed_usage"] = (answer or {}).get("items") or []
        return result

    run_module(module, client, work)


if __name__ == "__main__":
    main()
