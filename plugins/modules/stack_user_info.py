#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: stack_user_info
short_description: List the users of a Grafana Cloud stack
version_added: 0.2.0
description:
  - Lists the users of a stack's Grafana, with their role and when they were last seen
    (C(GET /instances/{stack}/users)), in one request. The filters are the API's.
  - Use it for licence counts and access reviews, without a token of the stack's Grafana.
  - The access policy token needs the scope V(stack-users:read).
author:
  - grafana_cloud.platform contributors (@grafana-cloud-platform)
options:
  stack:
    description:
      - Slug or numeric id of the stack.
    type: str
    required: true
  active:
    description:
      - V(true) for the active users only, V(false) for the others; every user when not set.
    type: bool
  active_since:
    description:
      - Only the users seen since then, given as an ISO 8601 date and time (V(2026-01-31T00:00:00Z))
        or as a duration back from now (V(30d), V(12h), V(1w2d)).
    type: str
  include_internal:
    description:
      - Also the internal users Grafana Labs keeps in every stack.
    type: bool
    default: false
extends_documentation_fragment:
  - grafana_cloud.platform.gcom
  - grafana_cloud.platform.attributes.INFO_MODULE
  - grafana_cloud.platform.attributes.ACTIONGROUP_CLOUD
seealso:
  - module: grafana_cloud.platform.stack_info
"""

EXAMPLES = r"""
- name: Every user of the stack
  grafana_cloud.platform.stack_user_info:
    stack: acmeprod
  register: users

- name: Who used the stack in the last 30 days
  grafana_cloud.platform.stack_user_info:
    stack: acmeprod
    active_since: 30d
  register: recent

- name: The admins who are people, not service accounts
  ansible.builtin.debug:
    msg: "{{ users.users | selectattr('role', 'equalto', 'Admin') | rejectattr('isServiceAccount') | map(attribute='login') }}"
"""

RETURN = r"""
users:
  description: The users, as the API returns them.
  returned: always
  type: list
  elements: dict
  contains:
    id:
      description: Id of the user in the stack's Grafana.
      type: int
      sample: 1
    login:
      description: Login.
      type: str
      sample: admin
    email:
      description: Email address.
      type: str
      sample: admin@example.com
    name:
      description: Name.
      type: str
      sample: Admin
    role:
      description: Role in the stack's Grafana (V(Admin), V(Editor), V(Viewer) ...).
      type: str
      sample: Admin
    isServiceAccount:
      description: Whether the user is a service account.
      type: bool
      sample: false
    lastSeenAt:
      description: When the user was last seen; missing for a user never seen.
      type: str
      sample: "2026-06-08T20:07:21.223Z"
    createdAt:
      description: Creation time.
      type: str
      sample: "2026-01-08T20:07:21.223Z"
    updatedAt:
      description: Last update time.
      type: str
      sample: "2026-01-08T20:07:21.223Z"
"""

from ansible_collections.grafana_cloud.platform.plugins.module_utils._client import api_path
from ansible_collections.grafana_cloud.platform.plugins.module_utils._gcom import (
    fail_on_problems,
    gcom_client,
    gcom_module,
    run_module,
)
from ansible_collections.grafana_cloud.platform.plugins.module_utils._stacks import stack_ref_problem
from ansible_collections.grafana_cloud.platform.plugins.module_utils._timeutil import format_datetime, moment_from_now


def since_moment(value):
    """The ``activeSince`` time of an option given as a date and time or as a duration back."""
    try:
        return moment_from_now(value, sign=-1)
    except ValueError:
        raise ValueError("active_since: %r is neither an ISO 8601 date and time (2026-01-31T00:00:00Z) "
                         "nor a duration back from now (30d, 12h, 1w2d)." % (value,))


def user_filters(params):
    """The API's query parameters for the options set; raises ValueError on a bad active_since."""
    query = {}
    if params["active"] is not None:
        query["active"] = "true" if params["active"] else "false"
    if params["active_since"] is not None:
        query["activeSince"] = format_datetime(since_moment(params["active_since"]))
    if params["include_internal"]:
        query["includeInternal"] = "true"
    return query


def main():
    module = gcom_module(dict(
        stack=dict(type="str", required=True),
        active=dict(type="bool"),
        active_since=dict(type="str"),
        include_internal=dict(type="bool", default=False),
    ))
    params = module.params
    problems = [stack_ref_problem(params["stack"])]
    try:
        query = user_filters(params)
    except ValueError as error:
        problems.append(str(error))
    fail_on_problems(module, problems)
    client = gcom_client(module)

    def work():
        answer = client.get(api_path("instances", params["stack"], "users"), params=query or None)
        return dict(changed=False, users=(answer or {}).get("items") or [])

    run_module(module, client, work)


if __name__ == "__main__":
    main()
