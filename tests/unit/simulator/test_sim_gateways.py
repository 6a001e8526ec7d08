# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The stacks' ingestion gateways and Grafana API (area ``gateways``).

Facts: the URL and user id per signal are the stack's ``hmInstancePromUrl``/``hmInstancePromId``,
``hlInstanceUrl``/``hlInstanceId``, ``htInstanceUrl``/``htInstanceId``,
``hpInstanceUrl``/``hpInstanceId`` (spec: ``getInstance``); the password is an access-policy
token with the signal's write scope (Grafana Cloud docs, "Configure remote_write with a
Prometheus ConfigMap": "A Grafana Cloud access policy token with the metrics:write scope";
the scopes ``logs:write``, ``traces:write``, ``profiles:write`` are the spec's
``AccessPolicy.scopes`` values). The statuses of refusals are not documented: the stricter
plausible ones (401 for who you are, 403 for what you may do).
"""

import pytest
import requests

from tests.unit.simulator.test_sim_accesspolicies import call, new_token

SIGNALS = {
    "prometheus": ("hmInstancePromUrl", "hmInstancePromId", "metrics:write"),
    "loki": ("hlInstanceUrl", "hlInstanceId", "logs:write"),
    "tempo": ("htInstanceUrl", "htInstanceId", "traces:write"),
    "profiles": ("hpInstanceUrl", "hpInstanceId", "profiles:write"),
}


def policy_for(simulator, name, scopes, realms):
    answer = call(simulator, "POST", "/v1/accesspolicies", json={"name": name, "scopes": scopes, "realms": realms})
    assert answer.status_code == 200, answer.text
    return answer.json()


def stack_realm(stack):
    return [{"type": "stack", "identifier": str(stack["id"])}]


@pytest.fixture
def stack(simulator):
    return simulator.add_stack("gwstack", ready_after=0)


@pytest.mark.parametrize("signal", sorted(SIGNALS))
def test_a_token_with_the_write_scope_and_the_stack_realm_pushes(simulator, stack, signal):
    url, user, scope = SIGNALS[signal]
    secret = new_token(simulator, policy_for(simulator, "w", [scope], stack_realm(stack)))["token"]

    assert simulator.push(stack[url], stack[user], secret, signal) in (200, 204)
    assert simulator.sim.state["gateways"]["pushes"][-1]["stack"] == "gwstack"


@pytest.mark.parametrize("signal", sorted(SIGNALS))
def test_a_token_without_the_write_scope_is_forbidden(simulator, stack, signal):
    url, user, scope = SIGNALS[signal]
    other = [s for s in ("metrics:write", "logs:write", "traces:write", "profiles:write") if s != scope]
    secret = new_token(simulator, policy_for(simulator, "w", other + ["metrics:read"], stack_realm(stack)))["token"]

    assert simulator.push(stack[url], stack[user], secret, signal) == 403


def test_a_token_of_another_stack_is_forbidden(simulator, stack):
    other = simulator.add_stack("gwother", ready_after=0)
    secret = new_token(simulator, policy_for(simulator, "w", ["metrics:write"], stack_realm(other)))["token"]

    assert simulator.push(stack["hmInstancePromUrl"], stack["hmInstancePromId"], secret, "prometheus") == 403
    assert simulator.push(other["hmInstancePromUrl"], other["hmInstancePromId"], secret, "prometheus") == 204


def test_an_org_realm_covers_every_stack(simulator, stack):
    realm = [{"type": "org", "identifier": str(simulator.sim.org["id"])}]
    secret = new_token(simulator, policy_for(simulator, "w", ["logs:write"], realm))["token"]

    assert simulator.push(stack["hlInstanceUrl"], stack["hlInstanceId"], secret, "loki") == 204


def test_wrong_user_unknown_deleted_or_missing_credentials_are_unauthorized(simulator, stack):
    url, user = stack["hmInstancePromUrl"], stack["hmInstancePromId"]
    issued = new_token(simulator, policy_for(simulator, "w", ["metrics:write"], stack_realm(stack)))
    secret = issued["token"]

    # The user id of another signal is no metrics instance.
    assert simulator.push(url, stack["hlInstanceId"], secret, "prometheus") == 401
    assert simulator.push(url, user, secret + "x", "prometheus") == 401
    assert requests.post(simulator.gateway_url(url, "api/prom/push"), data=b"x", timeout=10).status_code == 401
    assert call(simulator, "DELETE", "/v1/tokens/" + issued["id"]).status_code in (200, 204)
    assert simulator.push(url, user, secret, "prometheus") == 401


def test_an_expired_token_is_unauthorized(simulator, stack):
    policy = policy_for(simulator, "w", ["metrics:write"], stack_realm(stack))
    secret = new_token(simulator, policy, expiresAt="2099-01-01T00:00:00Z")["token"]
    assert simulator.push(stack["hmInstancePromUrl"], stack["hmInstancePromId"], secret, "prometheus") == 204

    simulator.advance_clock(100 * 366 * 86400)
    assert simulator.push(stack["hmInstancePromUrl"], stack["hmInstancePromId"], secret, "prometheus") == 401


def test_the_stacks_grafana_accepts_only_a_live_service_account_token(simulator, stack):
    base = simulator.url + "/instances/gwstack/api/serviceaccounts"
    # The spec requires X-Request-Id on these writes (our client always sends it).
    headers = dict(simulator.auth(), **{"X-Request-Id": "test-gateways"})
    answer = requests.post(base, json={"name": "bot", "role": "Viewer"}, headers=headers, timeout=10)
    assert answer.status_code == 200, answer.text
    account = answer.json()
    answer = requests.post("%s/%s/tokens" % (base, account["id"]), json={"name": "bot"}, headers=headers, timeout=10)
    assert answer.status_code == 200, answer.text
    created = answer.json()

    assert simulator.grafana_user(stack["url"], created["key"]) == 200
    assert simulator.grafana_user(stack["url"], created["key"] + "x") == 401
    assert simulator.grafana_user(stack["url"], simulator.token) == 401
    requests.delete("%s/%s/tokens/%s" % (base, account["id"], created["id"]), headers=headers, timeout=10)
    assert simulator.grafana_user(stack["url"], created["key"]) == 401
