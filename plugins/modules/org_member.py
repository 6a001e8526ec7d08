#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: org_member
short_description: Add, change and remove the members of a Grafana Cloud org
version_added: 0.2.0
description:
  - Adds a grafana.com user to an org (C(POST /orgs/{org}/members)), changes a member's role
    and e-mail flags (C(POST /orgs/{org}/members/{user})) and removes a member
    (C(DELETE /orgs/{org}/members/{user})).
  - "Two forms. O(user) manages one member: the task reads that member (one request,
    C(GET /orgs/{org}/members/{user})) and writes only what differs. O(members) manages a whole
    list in one task: the org's member list is read once (C(GET /orgs/{org}/members)), then only
    the writes that are needed are sent, one per member that changes."
  - Grafana Cloud rate limits member writes tightly (adding about ten members in a row is
    answered HTTP 429). The module waits as long as the API's C(Retry-After) asks (at most five
    minutes in all per task) and says so in a warning. For many people, use O(members) rather
    than a loop over O(user). A re-run that changes nothing then costs a single read, whatever
    the number of people, and the first run sends nothing but the writes it needs.
  - Only the options set are compared; a re-run that changes nothing sends only the read.
  - Not managed, on purpose. The member's C(privacy) flag, whose values the API does not
    document (a string in requests, a number in answers). C(defaultOrg), which is the user's
    own choice of org, not an org admin's.
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
      - The grafana.com username, or numeric user id, of the member to manage.
      - A user who is not a member yet can only be added by username (the API adds members by
        username); a numeric id works to change or remove a member.
      - Exactly one of O(user) and O(members) is required.
    type: str
  role:
    description:
      - The member's role in the org.
      - When a user is added without a role, they get V(Viewer). Left unset on an existing
        member, the role is not changed.
      - With O(members), the role of the items that set none.
      - C(SSO Access) is granted by single sign-on and can't be given here.
    type: str
    choices: [Admin, Editor, Viewer, None]
  receive_billing_emails:
    description:
      - Whether the member receives the org's billing e-mails (the API's C(billing) flag).
      - With O(members), the value of the items that set none.
    type: bool
  receive_security_emails:
    description:
      - Whether the member receives the org's security e-mails (the API's C(security) flag).
      - With O(members), the value of the items that set none.
    type: bool
  state:
    description:
      - V(present) makes the user a member with the options set; V(absent) removes them (a
        user who is not a member is left alone).
      - With O(members), the state of the items that set none.
      - The API refuses to remove or demote the org's last C(Admin).
    type: str
    choices: [present, absent]
    default: present
  members:
    description:
      - The members to manage in one task, each with the options of the single form. The org's
        member list is read once for all of them.
      - Items are applied in order.
    type: list
    elements: dict
    suboptions:
      user:
        description:
          - The grafana.com username or numeric user id (see O(user)).
        type: str
        required: true
      role:
        description:
          - The member's role; O(role) when unset.
        type: str
        choices: [Admin, Editor, Viewer, None]
      receive_billing_emails:
        description:
          - Whether the member receives billing e-mails; O(receive_billing_emails) when unset.
        type: bool
      receive_security_emails:
        description:
          - Whether the member receives security e-mails; O(receive_security_emails) when unset.
        type: bool
      state:
        description:
          - V(present) or V(absent); O(state) when unset.
        type: str
        choices: [present, absent]
  purge_members:
    description:
      - With O(members), also remove every member of the org that the list does not name.
      - Use with care; the API refuses to remove the org's last C(Admin), and the task fails then.
    type: bool
    default: false
extends_documentation_fragment:
  - grafana_cloud.platform.gcom
  - grafana_cloud.platform.attributes
  - grafana_cloud.platform.attributes.ACTIONGROUP_CLOUD
"""

EXAMPLES = r"""
- name: Make alice an editor who receives the billing e-mails
  grafana_cloud.platform.org_member:
    org: acme
    user: alice
    role: Editor
    receive_billing_emails: true

- name: The platform team, in one task (one read, then only the writes needed)
  grafana_cloud.platform.org_member:
    org: acme
    role: Viewer
    members:
      - user: alice
        role: Admin
      - user: bob
      - user: carol
      - user: dave
        state: absent

- name: Exactly these members, nobody else
  grafana_cloud.platform.org_member:
    org: acme
    role: Editor
    members:
      - user: alice
        role: Admin
      - user: bob
      - user: carol
    purge_members: true

- name: Remove a member by user id
  grafana_cloud.platform.org_member:
    org: acme
    user: "12345"
    state: absent
"""

RETURN = r"""
org_member:
  description:
    - With O(user), the membership as the API returns it after the run (predicted in check
      mode); empty when the user is not (or no longer) a member.
  returned: when O(user) is set
  type: dict
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
org_members:
  description:
    - With O(members), the memberships of the listed users who are members after the run, in
      the order of the list (predicted in check mode).
  returned: when O(members) is set
  type: list
  elements: dict
  sample:
    - userUsername: alice
      role: Admin
      billing: 0
      security: 0
added:
  description: With O(members), the users added (or, in check mode, that would be).
  returned: when O(members) is set
  type: list
  elements: str
  sample: [bob]
updated:
  description: With O(members), the members whose role or flags changed.
  returned: when O(members) is set
  type: list
  elements: str
  sample: [alice]
removed:
  description: With O(members), the members removed (listed as absent, or purged).
  returned: when O(members) is set
  type: list
  elements: str
  sample: [dave]
"""

from ansible_collections.grafana_cloud.platform.plugins.module_utils._gcom import (
    fail_on_problems,
    gcom_client,
    gcom_module,
    run_module,
    run_resource,
)
from ansible_collections.grafana_cloud.platform.plugins.module_utils._orgs import (
    MEMBER_FLAGS,
    MEMBER_ROLES,
    is_user_id,
    member_body,
    member_matches,
    member_path,
    member_values,
    org_problem,
    user_problem,
)
from ansible_collections.grafana_cloud.platform.plugins.module_utils._resource import Field, Resource

DEFAULT_ROLE = "Viewer"
ITEM_OPTIONS = ("role", "receive_billing_emails", "receive_security_emails", "state")


class OrgMember(Resource):
    """One member. ``params`` are the member's options (the module's, or a list item's with the
    module's as defaults); ``listed`` is the org's member list when it was read for the whole
    task, so that finding a member costs no request."""

    resource_key = "org_member"
    fields = tuple(Field(option) for option in ("role",) + tuple(option for option, _key in MEMBER_FLAGS))

    def __init__(self, module, client, params=None, listed=None):
        super(OrgMember, self).__init__(module, client)
        if params is not None:
            self.params = params
        self.listed = listed

    def describe(self):
        return "member %r of org %r" % (self.params["user"], self.params["org"])

    def path(self):
        return member_path(self.params["org"], self.params["user"])

    def find(self):
        if self.listed is not None:
            return next((member for member in self.listed if member_matches(member, self.params["user"])), None)
        return self.client.get_or_none(self.path())

    def find_created(self, values):
        # After an unclear add, the list read at the start is stale: ask the API.
        return self.client.get_or_none(self.path())

    def current_values(self, obj):
        return member_values(obj)

    def desired_values(self, current=None):
        values = super(OrgMember, self).desired_values(current)
        if current is None:
            values.setdefault("role", DEFAULT_ROLE)
        return values

    def ensure_created(self):
        if is_user_id(self.params["user"]):
            self.fail("User id %s is not a member of org %r, and the API adds members by username: give the "
                      "user's grafana.com username to add them." % (self.params["user"], self.params["org"]))
        return super(OrgMember, self).ensure_created()

    def create(self, values):
        return self.client.post(member_path(self.params["org"]), json=dict(username=self.params["user"],
                                                                           **member_body(values)))

    def update(self, obj, changes, values):
        return self.client.post(self.path(), json=member_body(changes))

    def delete(self, obj):
        self.client.delete(self.path())

    def predict_created(self, values):
        return dict(dict(billing=0, security=0), userUsername=self.params["user"], **member_body(values))

    def predict_updated(self, obj, changes, values):
        return dict(obj, **member_body(changes))


def input_problems(params):
    """Every problem of the task's input, found before any request."""
    problems = [org_problem(params["org"])]
    if params["members"] is None:
        return problems + [user_problem(params["user"]),
                           "purge_members needs members." if params["purge_members"] else None]
    seen = set()
    for index, item in enumerate(params["members"]):
        problems.append(user_problem(item["user"], "members[%d].user" % index))
        if item["user"] in seen:
            problems.append("members[%d].user: %r is listed twice." % (index, item["user"]))
        seen.add(item["user"])
    return problems


def item_params(params, item):
    """A list item's options, with the module's as the defaults of those it does not set."""
    values = dict(org=params["org"], user=item["user"])
    for option in ITEM_OPTIONS:
        values[option] = params[option] if item.get(option) is None else item[option]
    return values


def member_label(member):
    return member.get("userUsername") or str(member.get("userId"))


def reconcile_members(module, client, warnings):
    """The list form: one read of the org's members, then one resource run per member."""
    params = module.params
    listed = (client.get(member_path(params["org"])) or {}).get("items") or []
    result = dict(changed=False, org_members=[], added=[], updated=[], removed=[])
    diff = dict(before={}, after={})
    runs = [item_params(params, item) for item in params["members"]]
    # Checked for the whole list before the first write, so that a bad item changes nothing.
    unknown_ids = [run["user"] for run in runs if run["state"] == "present" and is_user_id(run["user"])
                   and not any(member_matches(member, run["user"]) for member in listed)]
    if unknown_ids:
        module.fail_json(msg="User id(s) %s are not members of org %r, and the API adds members by username: "
                             "give their grafana.com usernames to add them." % (", ".join(unknown_ids), params["org"]))
    if params["purge_members"]:
        named = [member for member in listed if any(member_matches(member, run["user"]) for run in runs)]
        runs += [dict(org=params["org"], user=member_label(member), state="absent", role=None,
                      receive_billing_emails=None, receive_security_emails=None)
                 for member in listed if member not in named]
    for run in runs:
        resource = OrgMember(module, client, params=run, listed=listed)
        outcome = resource.run()
        warnings.extend(resource.warnings)
        if outcome[OrgMember.resource_key]:
            result["org_members"].append(outcome[OrgMember.resource_key])
        if not outcome["changed"]:
            continue
        result["changed"] = True
        category = "removed" if run["state"] == "absent" else "updated" if resource.found else "added"
        result[category].append(run["user"])
        if "diff" in outcome:
            diff["before"][run["user"]] = outcome["diff"]["before"]
            diff["after"][run["user"]] = outcome["diff"]["after"]
    if module._diff:
        result["diff"] = diff
    return result


def main():
    module = gcom_module(
        dict(
            org=dict(type="str", required=True),
            user=dict(type="str"),
            role=dict(type="str", choices=list(MEMBER_ROLES)),
            receive_billing_emails=dict(type="bool"),
            receive_security_emails=dict(type="bool"),
            state=dict(type="str", choices=["present", "absent"], default="present"),
            members=dict(type="list", elements="dict", options=dict(
                user=dict(type="str", required=True),
                role=dict(type="str", choices=list(MEMBER_ROLES)),
                receive_billing_emails=dict(type="bool"),
                receive_security_emails=dict(type="bool"),
                state=dict(type="str", choices=["present", "absent"]),
            )),
            purge_members=dict(type="bool", default=False),
        ),
        mutually_exclusive=[("user", "members")],
        required_one_of=[("user", "members")],
    )
    fail_on_problems(module, input_problems(module.params))
    if module.params["user"] is not None:
        run_resource(module, OrgMember)
        return
    client = gcom_client(module)
    warnings = []

    def work():
        result = reconcile_members(module, client, warnings)
        result["warnings"] = list(warnings)
        return result

    run_module(module, client, work, pending_warnings=lambda: warnings)


if __name__ == "__main__":
    main()
