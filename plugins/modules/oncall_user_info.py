#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: oncall_user_info
short_description: List Grafana OnCall users
version_added: 0.1.0
description:
  - Lists the users of Grafana OnCall (IRM) (C(/api/v1/users/)), or finds them by username or
    email with the API's filter (one request per page of 100).
  - OnCall users come from the stack's Grafana; their OnCall id (C(U...)) is what schedules,
    shifts and escalation steps hold.
author:
  - grafana_cloud.platform contributors (@grafana-cloud-platform)
options:
  username:
    description:
      - Only the user with this username. The engine matches it case-insensitively.
    type: str
  email:
    description:
      - Only the user with this email address (case-insensitive).
    type: str
extends_documentation_fragment:
  - grafana_cloud.platform.oncall
  - grafana_cloud.platform.attributes.INFO_MODULE
  - grafana_cloud.platform.attributes.ACTIONGROUP_ONCALL
"""

EXAMPLES = r"""
- name: Who is alice in OnCall?
  grafana_cloud.platform.oncall_user_info:
    username: alice
  register: alice

- name: Her OnCall id
  ansible.builtin.debug:
    msg: "{{ alice.users[0].id }}"
"""

RETURN = r"""
users:
  description: The users, as the API returns them.
  returned: always
  type: list
  elements: dict
  sample:
    - id: UXXJ7CVL6A2CX
      username: alice
      email: alice@example.com
      role: editor
      timezone: Europe/Berlin
      teams: [TDWUIM2N91Q2Q]
"""

from ansible_collections.grafana_cloud.platform.plugins.module_utils._oncall import (
    fail_on_problems,
    iter_oncall,
    oncall_client,
    oncall_module,
    run_oncall,
    text_problem,
)


def main():
    module = oncall_module(dict(
        username=dict(type="str"),
        email=dict(type="str"),
    ))
    params = module.params
    fail_on_problems(module, [text_problem("username", params["username"]), text_problem("email", params["email"])])
    client = oncall_client(module)

    def work():
        users = list(iter_oncall(client, "users", username=params["username"], email=params["email"]))
        return dict(changed=False, users=users)

    run_oncall(module, client, work)


if __name__ == "__main__":
    main()
