# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The org helpers: input checks, paths, and the member fields in option shape and back
(the spec's FormattedOrgMembership answers billing/security as 0/1 numbers; postOrgMember
takes them as integers)."""

import pytest

from ansible_collections.grafana_cloud.platform.plugins.module_utils._orgs import (
    member_body,
    member_matches,
    member_path,
    member_values,
    org_path,
    org_problem,
    user_problem,
)


@pytest.mark.parametrize("org", ["acme", "1000", "my-org"])
def test_good_orgs(org):
    assert org_problem(org) is None


@pytest.mark.parametrize("org, words", [("", "can't be empty"), ("  ", "can't be empty"),
                                        ("a/b", "without spaces or slashes"), (" acme", "without spaces")])
def test_bad_orgs_are_named(org, words):
    assert words in org_problem(org) and org_problem(org).startswith("org ")


def test_bad_users_name_the_option():
    assert user_problem("bob smith", "members[3].user").startswith("members[3].user must be")
    assert user_problem("alice") is None and user_problem("12345") is None


def test_paths_are_quoted():
    assert member_path("acme") == "/orgs/acme/members"
    assert member_path("acme", "a.b+c") == "/orgs/acme/members/a.b%2Bc"
    assert org_path("acme", "settings") == "/orgs/acme/settings"


def test_a_member_matches_by_username_or_id():
    member = {"userId": 42, "userUsername": "alice"}
    assert member_matches(member, "alice") and member_matches(member, "42")
    assert not member_matches(member, "Alice") and not member_matches(member, "43")
    # A username made of digits would be taken for an id: the API reads the path the same way.
    assert not member_matches({"userId": 7, "userUsername": "42"}, "42")


def test_member_values_and_body_round_trip():
    member = {"role": "Editor", "billing": 1, "security": 0}
    values = member_values(member)
    assert values == {"role": "Editor", "receive_billing_emails": True, "receive_security_emails": False}
    assert member_body(values) == {"role": "Editor", "billing": 1, "security": 0}


def test_member_body_sends_only_what_is_set():
    assert member_body({"receive_security_emails": True}) == {"security": 1}
    assert member_body({"role": None, "receive_billing_emails": False}) == {"billing": 0}
