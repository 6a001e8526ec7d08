#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: region_info
short_description: List the Grafana Cloud regions a stack can be created in
version_added: 0.1.0
description:
  - Lists the stack regions of Grafana Cloud (C(GET /stack-regions)), optionally only some of them.
  - Use it to check a region slug before creating a stack or an access policy.
  - With O(closest), returns only the region closest to the caller, as Grafana Cloud picks
    it (C(GET /stack-regions/closest), one request), for example to place a new stack.
author:
  - grafana_cloud.platform contributors (@grafana-cloud-platform)
options:
  slug:
    description:
      - Return only the regions with these slugs, for example V(us) or V(prod-eu-west-2).
      - A slug that matches no region is not an error; the module returns what matched.
    type: list
    elements: str
  provider:
    description:
      - Return only the regions of this cloud provider, for example V(gcp), V(aws) or V(azure).
      - With O(closest), one of V(aws), V(gcp), V(azure) or V(fedramp-palantir).
    type: str
  closest:
    description:
      - Return only the region Grafana Cloud finds closest to the caller (of O(provider)
        when set), as the one element of RV(regions) and as RV(closest_region).
      - O(slug) cannot be combined with it.
    type: bool
    default: false
extends_documentation_fragment:
  - grafana_cloud.platform.gcom
  - grafana_cloud.platform.attributes.INFO_MODULE
  - grafana_cloud.platform.attributes.ACTIONGROUP_CLOUD
"""

EXAMPLES = r"""
- name: List every region
  grafana_cloud.platform.region_info:
    cloud_access_policy_token: "{{ grafana_cloud_token }}"
  register: all_regions

- name: Check that the region of the new stack exists
  grafana_cloud.platform.region_info:
    slug: prod-eu-west-2
  register: wanted
  failed_when: wanted.regions | length == 0

- name: The closest AWS region, for a new stack
  grafana_cloud.platform.region_info:
    closest: true
    provider: aws
  register: nearest

- name: Set the URL and token once for a whole play
  hosts: localhost
  module_defaults:
    group/grafana_cloud.platform.cloud:
      cloud_access_policy_token: "{{ lookup('ansible.builtin.env', 'GRAFANA_CLOUD_ACCESS_POLICY_TOKEN') }}"
  tasks:
    - name: List the AWS regions
      grafana_cloud.platform.region_info:
        provider: aws
"""

RETURN = r"""
closest_region:
  description: The region closest to the caller (the same as the one element of RV(regions)).
  returned: when O(closest=true)
  type: dict
  sample:
    id: 1
    slug: us
    name: GCP US Central
    provider: gcp
regions:
  description: The regions, in the order of the API.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: Numeric id of the region.
      type: int
      sample: 1
    slug:
      description: The region slug used by the C(region) options of the other modules.
      type: str
      sample: us
    name:
      description: Display name.
      type: str
      sample: GCP US Central
    description:
      description: Short description.
      type: str
      sample: United States
    provider:
      description: Cloud provider of the region.
      type: str
      sample: gcp
    status:
      description: Status of the region.
      type: str
      sample: active
  sample:
    - id: 1
      slug: us
      name: GCP US Central
      description: United States
      provider: gcp
      status: active
"""

from ansible_collections.grafana_cloud.platform.plugins.module_utils._gcom import (
    fail_on_problems,
    gcom_client,
    gcom_module,
    run_module,
)
from ansible_collections.grafana_cloud.platform.plugins.module_utils._pagination import iter_pages


def server_filters(slugs, provider):
    """Query parameters that let the API do the filtering (one request whatever the count)."""
    query = {}
    if len(slugs) == 1:
        query["slug"] = next(iter(slugs))
    elif slugs:
        query["slugIn"] = sorted(slugs)
    if provider:
        query["provider"] = provider
    return query


# The providers getClosestStackRegion accepts (the spec's enum).
CLOSEST_PROVIDERS = ("aws", "gcp", "azure", "fedramp-palantir")


def closest_provider_problem(provider):
    if provider is not None and provider not in CLOSEST_PROVIDERS:
        return "provider: with closest, use one of %s, got %r." % (", ".join(CLOSEST_PROVIDERS), provider)
    return None


def main():
    module = gcom_module(dict(
        slug=dict(type="list", elements="str"),
        provider=dict(type="str"),
        closest=dict(type="bool", default=False),
    ))
    slugs = set(module.params["slug"] or [])
    provider = module.params["provider"]
    if module.params["closest"]:
        fail_on_problems(module, [closest_provider_problem(provider),
                                  "slug: the closest region is one region; leave slug out with closest." if slugs else None])
    client = gcom_client(module)

    def work():
        if module.params["closest"]:
            region = client.get("/stack-regions/closest", params=dict(provider=provider) if provider else None)
            return dict(changed=False, regions=[region], closest_region=region)
        regions = list(iter_pages(client, "/stack-regions", server_filters(slugs, provider), page_size=1000))
        return dict(changed=False, regions=regions)

    run_module(module, client, work)


if __name__ == "__main__":
    main()
