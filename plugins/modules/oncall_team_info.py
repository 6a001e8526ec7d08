#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: oncall_team_info
short_description: List Grafana OnCall teams
version_added: 0.1.0
description:
  - Lists the teams Grafana OnCall (IRM) knows (C(/api/v1/teams/)), or the one named O(name)
    (the API's exact, case-sensitive filter, one request).
  - Teams come from the stack's Grafana; OnCall objects refer to them by id (C(T...)).
author:
  - grafana_cloud.platform contributors (@grafana-cloud-platform)
options:
  name:
    description:
      - Only the team with this name (exact, case-sensitive).
    type: str
extends_documentation_fragment:
  - grafana_cloud.platform.oncall
  - grafana_cloud.platform.attributes.INFO_MODULE
  - grafana_cloud.platform.attributes.ACTIONGROUP_ONCALL
"""

EXAMPLES = r"""
- name: All OnCall teams
  grafana_cloud.platform.oncall_team_info:
  register: teams

- name: Their names
  ansible.builtin.debug:
    msg: "{{ teams.teams | map(attribute='name') | list }}"
"""

RETURN = r"""
teams:
  description: The teams, as the API returns them.
  returned: always
  type: list
  elements: dict
  sample:
    - id: TDWUIM2N91Q2Q
      name: platform
      email: platform@example.com
"""

from ansible_collections.grafana_cloud.platform.plugins.module_utils._oncall import (
    fail_on_problems,
    find_all,
    oncall_client,
    oncall_module,
    run_oncall,
    text_problem,
)


def main():
    module = oncall_module(dict(name=dict(type="str")))
    fail_on_problems(module, [text_problem("name", module.params["name"])])
    client = oncall_client(module)

    def work():
        return dict(changed=False, teams=find_all(client, "teams", name=module.params["name"]))

    run_oncall(module, client, work)


if __name__ == "__main__":
    main()
