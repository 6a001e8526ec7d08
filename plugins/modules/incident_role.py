#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: incident_role
short_description: Manage the incident roles of a Grafana IRM organization
version_added: 0.1.0
description:
  - Creates, updates, archives and restores the roles people take in an incident
    (commander, investigator, communications lead ...), by name, through the API's
    C(RolesService).
  - The role is found by name (case-insensitive, as the API keeps names unique that way)
    in the answer of one C(GetRoles) request.
  - Two runs creating the same role at the same moment both succeed. The API refuses the
    second create (C(roles.name_conflict)); the module then reads the role by name once, adopts
    the one the other run created, compares and updates it as on any run (C(changed=false)
    when it already matches), and warns that it was created concurrently. A delete that finds
    the role already gone (404) is C(changed=false).
author:
  - grafana_cloud.platform contributors (@grafana-cloud-platform)
options:
  name:
    description:
      - The role's name, unique in the organization regardless of case.
    type: str
    required: true
  description:
    description:
      - What the role does. When not set, a new role has none and an existing one keeps its own.
    type: str
  important:
    description:
      - Whether the role is important (people in an important role can't also take an
        unimportant one). A new role is not important unless this is V(true).
    type: bool
  mandatory:
    description:
      - Whether the role must be filled in every incident (IRM reminds people until it is).
        A new role is not mandatory unless this is V(true).
    type: bool
  state:
    description:
      - V(present) creates or updates the role, restoring it when it was archived;
        V(archived) archives it (it is kept for past incidents but can no longer be
        assigned); V(absent) deletes it.
      - Archiving a role that does not exist is an error; deleting one is not.
    type: str
    choices: [present, archived, absent]
    default: present
notes:
  - The service account needs the C(Editor) role.
seealso:
  - module: grafana_cloud.platform.incident
extends_documentation_fragment:
  - grafana_cloud.platform.incident
  - grafana_cloud.platform.attributes
  - grafana_cloud.platform.attributes.ACTIONGROUP_INCIDENT
"""

EXAMPLES = r"""
- name: A communications lead in every incident
  grafana_cloud.platform.incident_role:
    grafana_url: https://mystack.grafana.net
    incident_access_token: "{{ incident_token }}"
    name: communications
    description: Keeps the status page and the stakeholders up to date.
    important: true
    mandatory: true

- name: Retire a role but keep it on past incidents
  grafana_cloud.platform.incident_role:
    name: scribe
    state: archived
"""

RETURN = r"""
role:
  description:
    - The role as the API returns it. Empty after O(state=absent). In check mode, the
      predicted role (without C(roleID) when it would be created).
  returned: always
  type: dict
  contains:
    roleID:
      description: The role's id.
      type: int
      sample: 4
    name:
      description: Name.
      type: str
      sample: communications
    description:
      description: Description.
      type: str
    important:
      description: Whether it is important.
      type: bool
    mandatory:
      description: Whether it is mandatory.
      type: bool
    archived:
      description: Whether it is archived.
      type: bool
"""

from ansible_collections.grafana_cloud.platform.plugins.module_utils._incident import (
    incident_module,
    refused_by_the_app,
    run_incident_resource,
)
from ansible_collections.grafana_cloud.platform.plugins.module_utils._resource import Field, Resource

NAME_MAX_LENGTH = 100
DESCRIPTION_MAX_LENGTH = 1000
ROLE_FIELDS = ("name", "description", "important", "mandatory")


class IncidentRole(Resource):
    resource_key = "role"
    fields = (Field("description"), Field("important"), Field("mandatory"), Field("archived"))

    def __init__(self, module, client):
        super(IncidentRole, self).__init__(module, client)
        self.name = self.params["name"]

    def describe(self):
        return "incident role %r" % self.name

    def validate(self):
        problems = []
        if not self.name or not self.name.strip() or self.name != self.name.strip():
            problems.append("name must not be empty or start or end with spaces, got %r." % (self.name,))
        elif len(self.name) > NAME_MAX_LENGTH:
            problems.append("name must be at most %d characters, got %d." % (NAME_MAX_LENGTH, len(self.name)))
        description = self.params["description"]
        if description is not None and len(description) > DESCRIPTION_MAX_LENGTH:
            problems.append("description must be at most %d characters, got %d."
                            % (DESCRIPTION_MAX_LENGTH, len(description)))
        if problems:
            self.fail(" ".join(problems))

    def find(self):
        roles = (self.client.call("RolesService.GetRoles", {}) or {}).get("roles") or []
        matches = [role for role in roles if (role.get("name") or "").lower() == self.name.lower()]
        if len(matches) > 1:
            self.fail("%d incident roles are named %r (ids %s): rename all but one in IRM first."
                      % (len(matches), self.name, ", ".join(str(role.get("roleID")) for role in matches)))
        return matches[0] if matches else None

    def refused_as_taken(self, error):
        # Servers that answer errors the older way, {"error": "<text>"}, give no code that tells a
        # taken name (roles.name_conflict) from a bad request: any refusal by the app is then
        # checked with the one read by name that confirms a lost race anyway.
        if super(IncidentRole, self).refused_as_taken(error):
            return True
        return error.code is None and refused_by_the_app(error)

    def current_values(self, obj):
        return dict((option, obj.get(option)) for option in ("description", "important", "mandatory", "archived"))

    def desired_values(self, current=None):
        values = super(IncidentRole, self).desired_values(current)
        values["archived"] = self.params["state"] == "archived"
        return values

    def run(self):
        if self.params["state"] == "archived":
            self.validate()
            found = self.find()
            if found is None:
                self.fail("Cannot archive %s: there is no such role." % self.describe())
            return self.ensure_present(found)
        return super(IncidentRole, self).run()

    def body(self, obj, values):
        role = dict((key, obj.get(key)) for key in ("roleID",) + ROLE_FIELDS if key in obj)
        role["name"] = self.name
        for option in ("description", "important", "mandatory"):
            if option in values:
                role[option] = values[option]
        role.setdefault("description", "")
        role.setdefault("important", False)
        role.setdefault("mandatory", False)
        return role

    def create(self, values):
        return self.client.call("RolesService.CreateRole", {"role": self.body({}, values)})["role"]

    def update(self, obj, changes, values):
        role = obj
        if "archived" in changes and not changes["archived"]:
            # An archived role can't be updated: restore it first.
            role = self.client.call("RolesService.UnarchiveRole", {"roleID": obj["roleID"]})["role"]
        if set(changes) - {"archived"}:
            role = self.client.call("RolesService.UpdateRole", {"role": self.body(role, changes)})["role"]
        if changes.get("archived"):
            role = self.client.call("RolesService.ArchiveRole", {"roleID": obj["roleID"]})["role"]
        return role

    def delete(self, obj):
        self.client.call("RolesService.DeleteRole", {"roleID": obj["roleID"]})

    def predict_created(self, values):
        return dict(self.body({}, values), archived=False)

    def predict_updated(self, obj, changes, values):
        return dict(obj, **changes)


def main():
    module = incident_module(dict(
        name=dict(type="str", required=True),
        description=dict(type="str"),
        important=dict(type="bool"),
        mandatory=dict(type="bool"),
        state=dict(type="str", choices=["present", "archived", "absent"], default="present"),
    ))
    run_incident_resource(module, IncidentRole)


if __name__ == "__main__":
    main()
