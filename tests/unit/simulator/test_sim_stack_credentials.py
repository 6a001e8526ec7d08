# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The in-stack credential areas: service accounts and tokens, hosted API keys, org API keys."""

import re

import requests


def call(simulator, method, path, token=None, **kwargs):
    headers = dict(simulator.auth(token), **{"X-Request-Id": "test"})
    return requests.request(method, f"{simulator.url}{path}", headers=headers, timeout=5, **kwargs)


def sa_path(stack, *parts):
    return "/instances/%s/api/serviceaccounts%s" % (stack, "".join("/%s" % part for part in parts))


def grafana_error(response, status, message_id, message):
    """Grafana's own error answer: its status, {"message", "messageId", "statusCode"}."""
    return (response.status_code == status
            and response.json() == {"message": message, "messageId": message_id, "statusCode": status})


def no_contract_violations(simulator):
    return [entry for entry in simulator.requests() if entry["contract_violation"]] == []


def test_service_account_lifecycle_and_search(simulator):
    simulator.add_stack("creds")
    created = call(simulator, "POST", sa_path("creds"), json={"name": "CI Bot", "role": "Editor"})
    assert created.status_code == 200
    account = created.json()
    assert account["login"] == "sa-ci-bot" and account["role"] == "Editor" and account["isDisabled"] is False
    call(simulator, "POST", sa_path("creds"), json={"name": "ci", "role": "Viewer"})

    found = call(simulator, "GET", sa_path("creds", "search"), params={"query": "ci"}).json()
    assert found["totalCount"] == 2 and [a["name"] for a in found["serviceAccounts"]] == ["ci", "CI Bot"]  # by login
    second = call(simulator, "GET", sa_path("creds", "search"), params={"query": "ci", "perpage": 1, "page": 2})
    assert second.json()["serviceAccounts"][0]["name"] == "CI Bot" and second.json()["perPage"] == 1

    duplicate = call(simulator, "POST", sa_path("creds"), json={"name": "CI Bot", "role": "Viewer"})
    assert grafana_error(duplicate, 400, "serviceaccounts.ErrAlreadyExists", "service account already exists")
    same_login = call(simulator, "POST", sa_path("creds"), json={"name": "ci-bot", "role": "Viewer"})
    assert grafana_error(same_login, 400, "serviceaccounts.ErrAlreadyExists", "service account already exists")
    bad_role = call(simulator, "POST", sa_path("creds"), json={"name": "x", "role": "Owner"})
    assert grafana_error(bad_role, 400, "serviceaccounts.ErrInvalidRoleSpecified", "invalid role specified")
    no_name = call(simulator, "POST", sa_path("creds"), json={"name": "", "role": "Viewer"})
    assert no_name.status_code == 400 and no_name.json() == {"message": "bad request data"}
    # There is no update.
    assert call(simulator, "PATCH", sa_path("creds", account["id"]), json={"role": "Admin"}).status_code == 405

    assert call(simulator, "DELETE", sa_path("creds", account["id"])).status_code == 200
    gone = call(simulator, "GET", sa_path("creds", account["id"]))
    assert grafana_error(gone, 404, "serviceaccounts.ErrNotFound", "service account not found")
    # The stack itself missing is the Grafana Cloud API's answer, in its shape.
    assert call(simulator, "GET", sa_path("nosuch", "search")).json()["code"] == "NotFound"
    assert no_contract_violations(simulator)


def test_tokens_show_their_secret_once_and_go_with_their_account(simulator):
    simulator.add_stack("creds")
    account = call(simulator, "POST", sa_path("creds"), json={"name": "ci", "role": "Viewer"}).json()
    created = call(simulator, "POST", sa_path("creds", account["id"], "tokens"),
                   json={"name": "t1", "secondsToLive": 3600}).json()
    assert re.match(r"^glsa_[A-Za-z0-9]{32}_[0-9a-f]{8}$", created["key"])
    call(simulator, "POST", sa_path("creds", account["id"], "tokens"), json={"name": "forever"})

    listed = call(simulator, "GET", sa_path("creds", account["id"], "tokens")).json()
    assert [token["name"] for token in listed] == ["t1", "forever"]
    assert all("key" not in token for token in listed)
    assert 3590 < listed[0]["secondsUntilExpiration"] <= 3600 and listed[0]["hasExpired"] is False
    assert "expiration" not in listed[1]
    duplicate = call(simulator, "POST", sa_path("creds", account["id"], "tokens"), json={"name": "t1"})
    taken = "service account token with given name already exists in the organization"
    assert grafana_error(duplicate, 400, "serviceaccounts.ErrTokenAlreadyExists", taken)
    # Grafana keeps token names unique in the org, across service accounts.
    other = call(simulator, "POST", sa_path("creds"), json={"name": "other", "role": "Viewer"}).json()
    elsewhere = call(simulator, "POST", sa_path("creds", other["id"], "tokens"), json={"name": "t1"})
    assert grafana_error(elsewhere, 400, "serviceaccounts.ErrTokenAlreadyExists", taken)
    bad_ttl = call(simulator, "POST", sa_path("creds", account["id"], "tokens"), json={"name": "t2", "secondsToLive": -1})
    assert grafana_error(bad_ttl, 400, "serviceaccounts.ErrInvalidInput", "invalid SecondsToLive value")

    simulator.advance_clock(3601)
    assert call(simulator, "GET", sa_path("creds", account["id"], "tokens")).json()[0]["hasExpired"] is True
    assert call(simulator, "DELETE", sa_path("creds", account["id"], "tokens", created["id"])).status_code == 200
    missing = call(simulator, "DELETE", sa_path("creds", account["id"], "tokens", created["id"]))
    assert grafana_error(missing, 404, "serviceaccounts.ErrTokenNotFound", "service account token not found")

    call(simulator, "DELETE", sa_path("creds", account["id"]))
    again = call(simulator, "POST", sa_path("creds"), json={"name": "ci", "role": "Viewer"}).json()
    assert call(simulator, "GET", sa_path("creds", again["id"], "tokens")).json() == []
    assert no_contract_violations(simulator)


def test_a_warming_stack_answers_loading_and_a_missing_one_404(simulator):
    simulator.add_stack("warming", ready_after=30)
    loading = call(simulator, "GET", sa_path("warming", "search"))
    assert loading.status_code == 503 and loading.json()["code"] == "Loading"
    assert 1 <= int(loading.headers["Retry-After"]) <= 30
    assert call(simulator, "POST", "/instances/warming/api/auth/keys",
                json={"name": "k", "role": "Viewer"}).status_code == 503
    assert call(simulator, "GET", sa_path("nosuch", "search")).status_code == 404
    simulator.advance_clock(31)
    assert call(simulator, "GET", sa_path("warming", "search")).status_code == 200


def test_the_scope_is_enforced(simulator):
    simulator.add_stack("creds")
    reader = simulator.add_token(["stacks:read"])
    assert call(simulator, "GET", sa_path("creds", "search"), token=reader).status_code == 403


def test_hosted_api_keys_before_grafana_11_3_are_create_only_with_409_on_a_duplicate(simulator):
    simulator.add_stack("creds", grafana_version="11.2.0")
    created = call(simulator, "POST", "/instances/creds/api/auth/keys",
                   json={"name": "k", "role": "Admin", "secondsToLive": 60})
    assert created.status_code == 200 and created.json()["key"].startswith("eyJ")
    duplicate = call(simulator, "POST", "/instances/creds/api/auth/keys", json={"name": "k", "role": "Viewer"})
    assert duplicate.status_code == 409
    assert duplicate.json() == {"message": "API key, organization ID and name must be unique"}
    bad_role = call(simulator, "POST", "/instances/creds/api/auth/keys", json={"name": "j", "role": "None"})
    assert bad_role.status_code == 400 and bad_role.json() == {"message": "Invalid role specified"}
    assert call(simulator, "GET", "/instances/creds/api/auth/keys").status_code == 405
    assert no_contract_violations(simulator)


def test_current_grafana_answers_410_to_hosted_api_keys(simulator):
    default = simulator.add_stack("current")
    assert default["runningVersion"].startswith("12.")
    gone = call(simulator, "POST", "/instances/current/api/auth/keys", json={"name": "k", "role": "Admin"})
    assert gone.status_code == 410 and "service accounts" in gone.json()["message"]
    simulator.add_stack("eleventhree", grafana_version="11.3.0")
    assert call(simulator, "POST", "/instances/eleventhree/api/auth/keys",
                json={"name": "k", "role": "Admin"}).status_code == 410
    # The config switch sets the version of stacks created from then on.
    simulator.configure(stacks_grafana_version="10.4.2")
    simulator.add_stack("older")
    assert call(simulator, "POST", "/instances/older/api/auth/keys",
                json={"name": "k", "role": "Admin"}).status_code == 200


def test_org_api_keys(simulator):
    created = call(simulator, "POST", "/orgs/simorg/api-keys", json={"name": "legacy", "role": "MetricsPublisher"})
    assert created.status_code == 200 and created.json()["token"].startswith("eyJ")
    listed = call(simulator, "GET", "/orgs/simorg/api-keys").json()["items"]
    assert [key["name"] for key in listed] == ["legacy"] and "token" not in listed[0]
    assert call(simulator, "GET", "/orgs/simorg/api-keys/legacy").json()["role"] == "MetricsPublisher"
    assert call(simulator, "POST", "/orgs/simorg/api-keys", json={"name": "legacy", "role": "Admin"}).status_code == 409
    assert call(simulator, "GET", "/orgs/otherorg/api-keys").status_code == 404
    deleted = call(simulator, "DELETE", "/orgs/simorg/api-keys/legacy")
    assert deleted.status_code == 200 and deleted.json() is True
    assert call(simulator, "DELETE", "/orgs/simorg/api-keys/legacy").status_code == 404
