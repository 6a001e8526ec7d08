# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Access policy attributes and config scopes, billed usage history, the closest region and a
stack's users, as the spec describes them (operationIds in each test)."""

from datetime import timedelta

import requests

ORG_REALM = [{"type": "org", "identifier": "1000"}]


def call(simulator, method, path, token=None, region="us", **kwargs):
    headers = dict(simulator.auth(token), **{"X-Request-Id": "test"})
    params = dict({"region": region} if region else {}, **kwargs.pop("params", {}))
    return requests.request(method, simulator.url + path, headers=headers, params=params, timeout=10, **kwargs)


def test_attributes_are_stored_and_returned(simulator):
    # postAccessPolicies, getAccessPolicy, postAccessPolicy: attributes.lokiQueryPolicy, pdcConfiguration.
    body = {"name": "pdc", "scopes": ["set:pdc-signing"], "realms": ORG_REALM,
            "attributes": {"lokiQueryPolicy": {"maxQueryLength": "7d", "requiredLabels": ["app"],
                                               "maxQueryTime": None},
                           "pdcConfiguration": {"limitedHosts": ["db.internal:5432"]}}}
    created = call(simulator, "POST", "/v1/accesspolicies", json=body)
    assert created.status_code == 200, created.text
    policy = created.json()
    assert policy["attributes"] == {"lokiQueryPolicy": {"maxQueryLength": "7d", "requiredLabels": ["app"]},
                                    "pdcConfiguration": {"limitedHosts": ["db.internal:5432"]}}
    read = call(simulator, "GET", "/v1/accesspolicies/" + policy["id"]).json()
    assert read["attributes"] == policy["attributes"]
    updated = call(simulator, "POST", "/v1/accesspolicies/" + policy["id"],
                   json={"attributes": {"pdcConfiguration": {"limitedHosts": []}}}).json()
    assert updated["attributes"] == {"pdcConfiguration": {"limitedHosts": []}}
    cleared = call(simulator, "POST", "/v1/accesspolicies/" + policy["id"], json={"attributes": None}).json()
    assert "attributes" not in cleared


def test_attributes_of_the_wrong_shape_are_refused(simulator):
    # (A field of the wrong type is refused by the contract check first, in contract mode.)
    for attributes in ({"lokiQueryPolicy": {"noSuchLimit": 1}},
                       {"pdcConfiguration": {"limitedHosts": [""]}}):
        answer = call(simulator, "POST", "/v1/accesspolicies",
                      json={"name": "bad", "scopes": ["logs:read"], "realms": ORG_REALM, "attributes": attributes})
        assert answer.status_code == 409 and answer.json()["code"] == "InvalidArgument", attributes


def test_config_lists_the_pdc_scope(simulator):
    # getConfig: AccessPoliciesConfig {realms, scopes, sets}.
    config = call(simulator, "GET", "/v1/accesspolicies/config").json()
    names = {scope["name"] for scope in config["scopes"]}
    assert {"set:pdc-signing", "metrics:read", "stack-users:read"} <= names
    assert "metric:read" not in names


def test_billed_usage_history_lists_the_last_twelve_months(simulator):
    # getOrgBilledUsageHistory
    answer = call(simulator, "GET", "/orgs/simorg/billed-usage-history", region=None)
    assert answer.status_code == 200, answer.text
    items = answer.json()["items"]
    # The spec's summary: "the last 12 months": the twelve before this one, newest first.
    now = simulator.sim.now()
    months = [(item["year"], item["month"]) for item in items]
    newest = (now.year - 1, 12) if now.month == 1 else (now.year, now.month - 1)
    assert len(months) == 12 and months[0] == newest
    assert all(12 * year + month - 1 == 12 * older_year + older_month
               for (year, month), (older_year, older_month) in zip(months, months[1:])), months
    assert call(simulator, "GET", "/orgs/nope/billed-usage-history", region=None).status_code == 404


def test_closest_region(simulator):
    # getClosestStackRegion: one FormattedApiStackRegion; provider from the spec's enum.
    region = call(simulator, "GET", "/stack-regions/closest", region=None).json()
    assert region["slug"] == "us"
    aws = call(simulator, "GET", "/stack-regions/closest", region=None, params={"provider": "aws"}).json()
    assert aws["provider"] == "aws"


def test_stack_users_with_the_spec_filters(simulator):
    # getInstanceUsers: active, activeSince, includeInternal.
    simulator.add_stack("userstack")
    everyone = call(simulator, "GET", "/instances/userstack/users", region=None).json()["items"]
    # Every user but the internal one, service accounts included, by default.
    assert {user["login"] for user in everyone} == {"admin", "editor", "viewer", "former", "sa-1-ci"}
    active = call(simulator, "GET", "/instances/userstack/users", region=None, params={"active": "true"}).json()
    assert {user["login"] for user in active["items"]} == {"admin", "editor", "sa-1-ci"}
    internal = call(simulator, "GET", "/instances/userstack/users", region=None,
                    params={"includeInternal": "true"}).json()
    assert "grafana-support" in {user["login"] for user in internal["items"]}
    assert len(internal["items"]) == len(everyone) + 1
    # activeSince: seen at or after that time (editor 3 days ago, former 90, viewer never).
    since = (simulator.sim.now() - timedelta(days=5)).strftime("%Y-%m-%dT%H:%M:%SZ")
    recent = call(simulator, "GET", "/instances/userstack/users", region=None, params={"activeSince": since}).json()
    assert {user["login"] for user in recent["items"]} == {"admin", "editor", "sa-1-ci"}
    inactive = call(simulator, "GET", "/instances/userstack/users", region=None, params={"active": "false"}).json()
    assert [user["login"] for user in inactive["items"]] == ["viewer", "former"]
    assert call(simulator, "GET", "/instances/nostack/users", region=None).status_code == 404
    limited = simulator.add_token(["stacks:read"])
    assert call(simulator, "GET", "/instances/userstack/users", token=limited, region=None).status_code == 403
