# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The org_members and orgs areas: members (getOrgMembers, postOrgMembers, getOrgMember,
postOrgMember, deleteOrgMember), settings (getOrgSettings, updateOrgSettings), getOrg and
checkOrgVisibility, with the member write rate limit (Terraform provider issue 2811)."""

import requests

ORG = "/orgs/simorg"


def call(simulator, method, path, token=None, **kwargs):
    headers = dict(simulator.auth(token), **{"X-Request-Id": "test"})
    return requests.request(method, simulator.url + path, headers=headers, timeout=10, **kwargs)


def add(simulator, username, **fields):
    return call(simulator, "POST", ORG + "/members", json=dict(username=username, **fields))


def usernames(simulator, **params):
    answer = call(simulator, "GET", ORG + "/members", params=params)
    assert answer.status_code == 200, answer.text
    return [member["userUsername"] for member in answer.json()["items"]]


def test_getOrgMembers_lists_the_seeded_owner_in_one_answer(simulator):
    answer = call(simulator, "GET", ORG + "/members").json()
    assert [(m["userUsername"], m["role"], m["billing"]) for m in answer["items"]] == [("simadmin", "Admin", 1)]
    assert answer["links"] and answer["total"] == 1


def test_postOrgMembers_adds_with_role_and_flags(simulator):
    answer = add(simulator, "alice", role="Editor", billing=1, security=0)
    assert answer.status_code == 200, answer.text
    member = answer.json()
    assert (member["userUsername"], member["role"], member["billing"], member["security"]) == ("alice", "Editor", 1, 0)
    assert member["orgSlug"] == "simorg" and member["userEmail"] == "alice@example.com"
    assert usernames(simulator) == ["simadmin", "alice"]


def test_postOrgMembers_refusals(simulator):
    assert add(simulator, "nobody-at-all").status_code == 404
    assert add(simulator, "alice", role="SSO Access").json()["code"] == "InvalidArgument"
    assert add(simulator, "alice", role="Owner").json()["code"] == "InvalidArgument"
    assert add(simulator, "alice", billing=2).json()["code"] == "InvalidArgument"
    assert add(simulator, "alice", rol="Admin").json()["code"] == "InvalidArgument"
    assert add(simulator, "alice").status_code == 200
    duplicate = add(simulator, "alice")
    assert duplicate.status_code == 409 and duplicate.json()["code"] == "Conflict"


def test_getOrgMember_by_username_or_id(simulator):
    member = add(simulator, "bob").json()
    assert member["role"] == "Viewer"  # no role given
    by_id = call(simulator, "GET", ORG + "/members/%d" % member["userId"]).json()
    by_name = call(simulator, "GET", ORG + "/members/bob").json()
    assert by_id == by_name and by_id["userUsername"] == "bob"
    assert call(simulator, "GET", ORG + "/members/carol").status_code == 404
    assert call(simulator, "GET", ORG + "/members/BOB").status_code == 404  # exact usernames


def test_postOrgMember_updates_and_deleteOrgMember_removes(simulator):
    member = add(simulator, "carol").json()
    updated = call(simulator, "POST", ORG + "/members/carol", json={"role": "Admin", "security": 1}).json()
    assert (updated["role"], updated["security"], updated["billing"]) == ("Admin", 1, 0)
    assert call(simulator, "POST", ORG + "/members/dave", json={"role": "Admin"}).status_code == 404
    assert call(simulator, "POST", ORG + "/members/carol", json={"defaultOrg": "1"}).status_code == 403
    deleted = call(simulator, "DELETE", ORG + "/members/%d" % member["userId"])
    assert deleted.status_code == 200 and deleted.content == b""
    assert call(simulator, "DELETE", ORG + "/members/carol").status_code == 404


def test_the_last_admin_stays(simulator):
    assert call(simulator, "DELETE", ORG + "/members/simadmin").json()["code"] == "Conflict"
    assert call(simulator, "POST", ORG + "/members/simadmin", json={"role": "Editor"}).json()["code"] == "Conflict"
    add(simulator, "erin", role="Admin")
    assert call(simulator, "DELETE", ORG + "/members/simadmin").status_code == 200


def test_getOrgMembers_filters_and_order(simulator):
    add(simulator, "alice", billing=1)
    add(simulator, "bob")
    assert usernames(simulator, billing="1") == ["simadmin", "alice"]
    assert usernames(simulator, orderBy="userUsername", direction="desc") == ["simadmin", "bob", "alice"]
    assert call(simulator, "GET", ORG + "/members", params={"orderBy": "password"}).status_code == 409


def test_member_scopes(simulator):
    reader = simulator.add_token(["org-members:read"])
    writer = simulator.add_token(["org-members:write"])
    assert call(simulator, "GET", ORG + "/members", token=writer).status_code == 200
    assert call(simulator, "GET", ORG + "/members/simadmin", token=writer).status_code == 403
    assert call(simulator, "POST", ORG + "/members", token=reader, json={"username": "alice"}).status_code == 403
    assert call(simulator, "DELETE", ORG + "/members/simadmin", token=writer).status_code == 403
    # postOrgMember's spec x-permissions list org-members:read too; a reader still can't
    # change a role (the simulator's stricter answer, areas/org_members.py).
    add(simulator, "alice")
    promoted = call(simulator, "POST", ORG + "/members/alice", token=reader, json={"role": "Admin"})
    assert promoted.status_code == 403 and promoted.json()["code"] == "Forbidden"
    assert call(simulator, "GET", ORG + "/members/alice").json()["role"] == "Viewer"
    assert call(simulator, "POST", ORG + "/members/alice", token=writer, json={"role": "Editor"}).status_code == 200


def test_member_writes_are_rate_limited_per_org(simulator):
    simulator.configure(org_members_write_limit=2, org_members_write_window=60)
    assert add(simulator, "alice").status_code == 200
    assert call(simulator, "POST", ORG + "/members/alice", json={"role": "Editor"}).status_code == 200
    refused = add(simulator, "bob")
    assert refused.status_code == 429 and refused.json()["code"] == "TooManyRequests"
    assert 1 <= int(refused.headers["Retry-After"]) <= 60
    # Reads are not counted; another token of the org shares the budget.
    assert usernames(simulator) == ["simadmin", "alice"]
    other = simulator.add_token(["org-members:write", "org-members:delete"])
    assert call(simulator, "DELETE", ORG + "/members/alice", token=other).status_code == 429
    simulator.advance_clock(61)
    assert add(simulator, "bob").status_code == 200


def test_settings_start_unset_and_update_partially(simulator):
    assert call(simulator, "GET", ORG + "/settings").json() == {
        "aiDataSharingOptOut": None, "allowedInviteDomains": None, "disableTokenExpirationEmails": None,
        "maxTokenExpirationDays": None, "mfaAdminRecoveryOnly": None, "mfaRequired": None}
    answer = call(simulator, "POST", ORG + "/settings",
                  json={"mfaRequired": True, "allowedInviteDomains": "Example.com, corp.example.org"})
    assert answer.status_code == 200, answer.text
    assert answer.json()["allowedInviteDomains"] == ["example.com", "corp.example.org"]
    answer = call(simulator, "POST", ORG + "/settings", json={"maxTokenExpirationDays": 90}).json()
    assert answer["mfaRequired"] is True and answer["maxTokenExpirationDays"] == 90
    cleared = call(simulator, "POST", ORG + "/settings", json={"allowedInviteDomains": "", "mfaRequired": None}).json()
    assert cleared["allowedInviteDomains"] is None and cleared["mfaRequired"] is None
    org = call(simulator, "GET", ORG).json()
    assert (org["maxTokenExpirationDays"], org["mfaRequired"]) == (90, False)


def test_settings_refusals(simulator):
    # (Wrong JSON types are refused too; in contract mode the spec check refuses them first.)
    for body in ({"maxTokenExpirationDays": 0}, {"maxTokenExpirationDays": 5000},
                 {"allowedInviteDomains": "not a domain"}, {"allowedInviteDomains": "example.com,,"},
                 {"mfaRequird": True}):
        answer = call(simulator, "POST", ORG + "/settings", json=body)
        assert answer.status_code == 409 and answer.json()["code"] == "InvalidArgument", body
    reader = simulator.add_token(["orgs:read"])
    assert call(simulator, "POST", ORG + "/settings", token=reader, json={}).status_code == 403
    assert call(simulator, "GET", "/orgs/other/settings").status_code == 404


def test_checkOrgVisibility_needs_no_token(simulator):
    assert requests.get(simulator.url + ORG + "/check-visibility", timeout=10).status_code == 200
    assert requests.get(simulator.url + "/orgs/other/check-visibility", timeout=10).status_code == 404
