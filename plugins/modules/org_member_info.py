#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: org_member_info
short_description: List the members of a Grafana Cloud org
version_added: 0.2.0
description:
  - Lists the members of a Grafana Cloud org, in one request (C(GET /orgs/{org}/members)), or
    reads one member (C(GET /orgs/{org}/members/{user})).
author:
  - grafana_cloud.platform contributors (@grafana-cloud-platform)
options:
  org:
    description:
      - Slug or numeric id of the org.
    type: str
    required: true
  user:
    description:
      - Only this member, by grafana.com username or numeric user id. A user who is not a
        member gives an empty list.
    type: str
  role:
    description:
      - Only the members with one of these roles.
    type: list
    elements: str
    choices: [Admin, Editor, Viewer, None, SSO Access]
  receive_billing_emails:
    description:
      - Only the members who receive the billing e-mails (V(true)) or who do not (V(false));
        filtered by the API.
    type: bool
extends_documentation_fragment:
  - grafana_cloud.platform.gcom
  - grafana_cloud.platform.attributes.INFO_MODULE
  - grafana_cloud.platform.attributes.ACTIONGROUP_CLOUD
"""

EXAMPLES = r"""
- name: Who are the admins?
  grafana_cloud.platform.org_member_info:
    org: acme
    role: [Admin]
  register: admins

- name: Show their usernames
  ansible.builtin.debug:
    msg: "{{ admins.members | map(attribute='userUsername') }}"

- name: Who receives the bills?
  grafana_cloud.platform.org_member_info:
    org: acme
    receive_billing_emails: true
  register: billing_contacts
"""

RETURN = r"""
members:
  description: The members, as the API returns them.
  returned: always
  type: list
  elements: dict
  contains:
    userId:
      description: Numeric id of the user.
      type: int
      sample: 12345
    userUsername:
      description: The user's grafana.com username.
      type: str
      sample: alice
    userEmail:
      description: The user's e-mail address.
      type: str
      sample: alice@example.com
    role:
      description: The member's role.
      type: str
      sample: Editor
    billing:
      description: V(1) when the member receives billing e-mails, else V(0).
      type: int
      sample: 1
    security:
      description: V(1) when the member receives security e-mails, else V(0).
      type: int
      sample: 0
"""

from ansible_collections.grafana_cloud.platform.plugins.module_utils._gcom import (
    fail_on_problems,
    gcom_client,
    gcom_module,
    run_module,
)
from ansible_collections.grafana_cloud.platform.plugins.module_utils._orgs import (
    MEMBER_ROLES_HELD,
    member_path,
    org_problem,
    user_problem,
)


def main():
    module = gcom_module(dict(
        org=dict(type="str", required=True),
        user=dict(type="str"),
        role=dict(type="list", elements="str", choices=list(MEMBER_ROLES_HELD)),
        receive_billing_emails=dict(type="bool"),
    ))
    params = module.params
    fail_on_problems(module, [org_problem(params["org"]),
                              user_problem(params["user"]) if params["user"] is not None else None])
    client = gcom_client(module)

    def work():
        if params["user"] is not None:
            member = client.get_or_none(member_path(params["org"], params["user"]))
            members = [member] if member else []
        else:
            query = None
            if params["receive_billing_emails"] is not None:
                query = dict(billing=1 if params["receive_billing_emails"] else 0)
            members = (client.get(member_path(params["org"]), params=query) or {}).get("items") or []
        # One member read by user is filtered on our side too, so the filters always hold.
        if params["receive_billing_emails"] is not None:
            members = [m for m in members if (m.get("billing") == 1) == params["receive_billing_emails"]]
        if params["role"]:
            members = [m for m in members if m.get("role") in params["role"]]
        return dict(changed=False, members=members)

    run_module(module, client, work)


if __name__ == "__main__":
    main()
