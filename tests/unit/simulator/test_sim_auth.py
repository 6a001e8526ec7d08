# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Bearer-token auth: 401 for anything but a live token, 403 for a missing scope."""

import pytest
import requests

BAD_AUTHORIZATION = {
    "no header": None,
    "empty": "",
    "scheme only": "Bearer",
    "not bearer": "Basic dXNlcjpwYXNz",
    "bare token": "glc_abc",
    "two words": "Bearer glc_abc extra",
    "unknown token": "Bearer glc_unknown",
}


@pytest.mark.parametrize("authorization", BAD_AUTHORIZATION.values(), ids=BAD_AUTHORIZATION.keys())
def test_bad_credentials_get_401_in_the_api_error_shape(simulator, authorization):
    headers = {} if authorization is None else {"Authorization": authorization}
    response = requests.get(f"{simulator.url}/stack-regions", headers=headers, timeout=5)

    assert response.status_code == 401
    body = response.json()
    assert set(body) == {"code", "message", "requestId"}
    assert body["code"] == "InvalidCredentials"
    assert body["message"] == "Token invalid"
    assert body["requestId"] == simulator.requests()[-1]["request_id"]


def test_scheme_is_case_insensitive(simulator):
    headers = {"Authorization": f"bearer {simulator.token}"}
    assert requests.get(f"{simulator.url}/stack-regions", headers=headers, timeout=5).ok


def test_token_without_the_scope_gets_403_naming_it(simulator):
    token = simulator.add_token(["stacks:read"])

    response = requests.get(f"{simulator.url}/orgs/simorg", headers=simulator.auth(token),
                            timeout=5)

    assert response.status_code == 403
    body = response.json()
    assert body["code"] == "Forbidden"
    assert body["message"].endswith("missing scope orgs:read")
    assert body["requestId"]


def test_token_with_the_scope_passes(simulator):
    token = simulator.add_token(["orgs:read"])
    response = requests.get(f"{simulator.url}/orgs/simorg", headers=simulator.auth(token),
                            timeout=5)
    assert response.status_code == 200


def test_any_valid_token_reads_regions(simulator):
    token = simulator.add_token([])
    response = requests.get(f"{simulator.url}/stack-regions", headers=simulator.auth(token),
                            timeout=5)
    assert response.status_code == 200


def test_admin_token_holds_every_scope(simulator):
    assert simulator.sim.authenticate(simulator.token).has_scope("anything:write")


def test_is_valid_callback_revokes_a_token(simulator):
    alive = {"value": True}
    simulator.sim.add_token("glc_short_lived", ["orgs:read"], is_valid=lambda sim: alive["value"])
    url, headers = f"{simulator.url}/orgs/simorg", simulator.auth("glc_short_lived")
    assert requests.get(url, headers=headers, timeout=5).status_code == 200

    alive["value"] = False

    assert requests.get(url, headers=headers, timeout=5).status_code == 401


def test_removed_token_is_refused(simulator):
    token = simulator.add_token(["orgs:read"])
    simulator.sim.remove_token(token)
    response = requests.get(f"{simulator.url}/orgs/simorg", headers=simulator.auth(token),
                            timeout=5)
    assert response.status_code == 401


def test_reset_keeps_only_the_admin_token(simulator):
    token = simulator.add_token(["orgs:read"])
    simulator.reset()
    assert simulator.sim.authenticate(token) is None
    assert simulator.sim.authenticate(simulator.token) is not None
