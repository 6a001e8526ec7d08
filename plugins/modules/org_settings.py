#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: org_settings
short_description: Set a Grafana Cloud org's security settings (MFA, token expiry, invite domains)
version_added: 0.2.0
description:
  - Reads the settings of a Grafana Cloud org (C(GET /orgs/{org}/settings)) and changes those
    the task sets that differ (C(POST /orgs/{org}/settings), with only the changed fields).
  - Only the options the task sets are compared; the others keep whatever value the org has.
    A re-run that changes nothing sends only the read.
  - A setting the org never set reads as unset (C(null)); it compares equal to V(false),
    V(0) or an empty list.
  - The org's settings always exist, so there is no O(ignore:state) option.
author:
  - grafana_cloud.platform contributors (@grafana-cloud-platform)
options:
  org:
    description:
      - Slug or numeric id of the org.
    type: str
    required: true
  mfa_required:
    description:
      - Whether every member must sign in with multi-factor authentication.
    type: bool
  mfa_admin_recovery_only:
    description:
      - Whether only an org admin can reset a member's multi-factor authentication.
    type: bool
  max_token_expiration_days:
    description:
      - The longest lifetime, in days, an access policy token of the org may be given.
      - V(0) removes the maximum.
    type: int
  disable_token_expiration_emails:
    description:
      - Whether the e-mails warning that a token is about to expire are turned off.
    type: bool
  ai_data_sharing_opt_out:
    description:
      - Whether the org opts out of sharing data with Grafana's AI features.
    type: bool
  allowed_invite_domains:
    description:
      - The e-mail domains members may be invited from, for example V(example.com).
      - Compared as a set, without regard to case. An empty list removes the restriction.
    type: list
    elements: str
extends_documentation_fragment:
  - grafana_cloud.platform.gcom
  - grafana_cloud.platform.attributes
  - grafana_cloud.platform.attributes.ACTIONGROUP_CLOUD
"""

EXAMPLES = r"""
- name: Require MFA and cap token lifetimes at 90 days
  grafana_cloud.platform.org_settings:
    org: acme
    mfa_required: true
    max_token_expiration_days: 90

- name: Invite only from the company's domains
  grafana_cloud.platform.org_settings:
    org: acme
    allowed_invite_domains:
      - example.com
      - corp.example.com

- name: Remove the token lifetime cap and the invite restriction
  grafana_cloud.platform.org_settings:
    org: acme
    max_token_expiration_days: 0
    allowed_invite_domains: []
"""

RETURN = r"""
org_settings:
  description:
    - The org's settings after the run, as the API returns them (predicted in check mode).
    - A setting never set is V(null).
  returned: success
  type: dict
  contains:
    mfaRequired:
      description: Whether members must use multi-factor authentication.
      type: bool
      sample: true
    mfaAdminRecoveryOnly:
      description: Whether only admins can reset a member's multi-factor authentication.
      type: bool
      sample: false
    maxTokenExpirationDays:
      description: The longest token lifetime in days (V(null) when there is no maximum).
      type: int
      sample: 90
    disableTokenExpirationEmails:
      description: Whether token expiry e-mails are turned off.
      type: bool
      sample: false
    aiDataSharingOptOut:
      description: Whether the org opts out of AI data sharing.
      type: bool
      sample: false
    allowedInviteDomains:
      description: The domains members may be invited from (V(null) when unrestricted).
      type: list
      elements: str
      sample: [example.com]
"""

from ansible_collections.grafana_cloud.platform.plugins.module_utils._gcom import (
    fail_on_problems,
    gcom_module,
    run_resource,
)
from ansible_collections.grafana_cloud.platform.plugins.module_utils._orgs import org_path, org_problem
from ansible_collections.grafana_cloud.platform.plugins.module_utils._resource import SCALAR, SET, Field, Resource

# Module option -> API field, and the value an unset (null) field compares as.
SETTINGS = (
    ("mfa_required", "mfaRequired", False),
    ("mfa_admin_recovery_only", "mfaAdminRecoveryOnly", False),
    ("max_token_expiration_days", "maxTokenExpirationDays", 0),
    ("disable_token_expiration_emails", "disableTokenExpirationEmails", False),
    ("ai_data_sharing_opt_out", "aiDataSharingOptOut", False),
    ("allowed_invite_domains", "allowedInviteDomains", []),
)


def lower_all(domains):
    return [domain.lower() for domain in domains]


def domain_problems(domains):
    """Messages for list items that can't be an e-mail domain (the API takes them comma-joined)."""
    problems = []
    for domain in domains or []:
        if not domain or "," in domain or "@" in domain or "." not in domain or domain != domain.strip() \
                or " " in domain:
            problems.append("allowed_invite_domains: %r is not a domain name such as example.com." % domain)
    return problems


def api_value(option, value):
    """An option value as the update body's field: no maximum and no domains are sent as null/""."""
    if option == "max_token_expiration_days":
        return value or None
    if option == "allowed_invite_domains":
        return ",".join(lower_all(value))
    return value


class OrgSettings(Resource):
    resource_key = "org_settings"
    fields = tuple(Field(option, kind=SET if option == "allowed_invite_domains" else SCALAR,
                         normalize=lower_all if option == "allowed_invite_domains" else None)
                   for option, _key, _unset in SETTINGS)

    def validate(self):
        days = self.params["max_token_expiration_days"]
        fail_on_problems(self.module, [
            org_problem(self.params["org"]),
            "max_token_expiration_days must be 0 (no maximum) or more, got %s." % days
            if days is not None and days < 0 else None,
        ] + domain_problems(self.params["allowed_invite_domains"]))

    def describe(self):
        return "the settings of org %r" % self.params["org"]

    def path(self):
        return org_path(self.params["org"], "settings")

    def find(self):
        return self.client.get(self.path())

    def current_values(self, obj):
        return dict((option, unset if obj.get(key) is None else obj.get(key)) for option, key, unset in SETTINGS)

    def body(self, changes):
        return dict((key, api_value(option, changes[option])) for option, key, _unset in SETTINGS
                    if option in changes)

    def update(self, obj, changes, values):
        return self.client.post(self.path(), json=self.body(changes))

    def predict_updated(self, obj, changes, values):
        predicted = dict(obj, **self.body(changes))
        domains = predicted.get("allowedInviteDomains")
        if isinstance(domains, str):  # the answer lists what the request joined
            predicted["allowedInviteDomains"] = domains.split(",") if domains else None
        return predicted


def main():
    module = gcom_module(dict(
        org=dict(type="str", required=True),
        mfa_required=dict(type="bool"),
        mfa_admin_recovery_only=dict(type="bool"),
        max_token_expiration_days=dict(type="int", no_log=False),
        disable_token_expiration_emails=dict(type="bool"),
        ai_data_sharing_opt_out=dict(type="bool"),
        allowed_invite_domains=dict(type="list", elements="str"),
    ))
    run_resource(module, OrgSettings)


if __name__ == "__main__":
    main()
