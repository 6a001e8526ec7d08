# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The org's own API (``/orgs/{org}``, its members and settings): paths, input checks, the
member fields in option shape. Shared by org_info, org_settings, org_member and
org_member_info."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.grafana_cloud.platform.plugins.module_utils._client import api_path

# The roles the API lets an org admin give (``SSO Access`` is granted by single sign-on).
MEMBER_ROLES = ("Admin", "Editor", "Viewer", "None")
# The roles a member may hold, as the API answers them (spec FormattedOrgMembership).
MEMBER_ROLES_HELD = MEMBER_ROLES + ("SSO Access",)
# Module option -> the member's 0/1 field in the API.
MEMBER_FLAGS = (("receive_billing_emails", "billing"), ("receive_security_emails", "security"))


def org_problem(org, option="org"):
    """A message when ``org`` can't be an org slug or id (checked before any request), else None."""
    if not org or not org.strip():
        return "%s can't be empty: give the org's slug or numeric id." % option
    if org != org.strip() or "/" in org or " " in org:
        return "%s must be an org slug or numeric id, without spaces or slashes; got %r." % (option, org)
    return None


def user_problem(user, option="user"):
    """A message when ``user`` can't be a grafana.com username or user id, else None."""
    if not user or not user.strip():
        return "%s can't be empty: give a grafana.com username or numeric user id." % option
    if user != user.strip() or "/" in user or " " in user:
        return "%s must be a grafana.com username or numeric user id, without spaces or slashes; got %r." % (
            option, user)
    return None


def org_path(org, *rest):
    """``/orgs/{org}/...`` with every part quoted."""
    return api_path("orgs", org, *rest)


def member_path(org, user=None):
    """``/orgs/{org}/members`` or ``/orgs/{org}/members/{usernameOrId}``."""
    return org_path(org, "members") if user is None else org_path(org, "members", user)


def is_user_id(user):
    """Whether ``user`` names a user by numeric id (the API takes either in the path)."""
    return str(user).isdigit()


def member_matches(member, user):
    """Whether the API's membership object is the one of ``user`` (username or id)."""
    if is_user_id(user):
        return str(member.get("userId")) == str(user)
    return member.get("userUsername") == user


def member_values(member):
    """The API's membership object as option values: role and the two e-mail flags."""
    values = dict(role=member.get("role"))
    for option, key in MEMBER_FLAGS:
        values[option] = member.get(key) == 1
    return values


def member_body(values):
    """Option values (role, flags) as the fields of a member write."""
    body = {}
    if values.get("role") is not None:
        body["role"] = values["role"]
    for option, key in MEMBER_FLAGS:
        if values.get(option) is not None:
            body[key] = 1 if values[option] else 0
    return body
