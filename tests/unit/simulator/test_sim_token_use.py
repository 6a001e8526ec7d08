# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Issued tokens record their use (``firstUsedAt``/``lastUsedAt``), which token audits read."""

from tests.unit.simulator.test_sim_accesspolicies import call, new_policy, new_token


def token_by_name(simulator, name):
    items = call(simulator, "GET", "/v1/tokens", params={"name": name}).json()["items"]
    assert len(items) == 1
    return items[0]


def test_a_token_never_used_has_no_use_times(simulator):
    new_token(simulator, new_policy(simulator), name="idle")

    token = token_by_name(simulator, "idle")
    assert "lastUsedAt" not in token and "firstUsedAt" not in token


def test_each_use_moves_last_used_and_keeps_first_used(simulator):
    secret = new_token(simulator, new_policy(simulator), name="busy")["token"]
    assert call(simulator, "GET", "/v1/tokens", token=secret).status_code == 200
    first = token_by_name(simulator, "busy")
    simulator.advance_clock(3600)
    assert call(simulator, "GET", "/v1/tokens", token=secret).status_code == 200

    later = token_by_name(simulator, "busy")
    assert later["firstUsedAt"] == first["firstUsedAt"] == first["lastUsedAt"]
    assert later["lastUsedAt"] > first["lastUsedAt"]


def test_a_refused_token_records_no_use(simulator):
    policy = new_policy(simulator)
    secret = new_token(simulator, policy, name="off")["token"]
    call(simulator, "POST", "/v1/accesspolicies/" + policy["id"], json={"status": "inactive"})
    assert call(simulator, "GET", "/v1/tokens", token=secret).status_code == 401

    assert "lastUsedAt" not in token_by_name(simulator, "off")
