# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The simulator's OnCall escalation chains and policies, row by row (EC*, EP*, Z4, Z5)."""

import pytest

from tests.unit.simulator.oncall_client import OnCall

NOT_FOUND = {"detail": "Not found."}


@pytest.fixture
def oncall(simulator):
    return OnCall(simulator)


@pytest.fixture
def chain(oncall):
    return oncall.ok(oncall.post("escalation_chains", {"name": "ec-probe"}), 201)


def test_ec1_to_ec5_create_duplicate_read_and_exact_name_filter(oncall, chain):
    assert set(chain) == {"id", "name", "team_id"} and chain["id"].startswith("F") and chain["team_id"] is None
    duplicate = oncall.post("escalation_chains", {"name": "ec-probe"})
    assert duplicate.status_code == 400
    assert duplicate.json() == {"non_field_errors": ["The fields organization, name must make a unique set."]}
    assert oncall.ok(oncall.get("escalation_chains", chain["id"])) == chain
    assert oncall.ok(oncall.get("escalation_chains", name="ec-probe"))["results"] == [chain]
    assert oncall.ok(oncall.get("escalation_chains", name="EC-PROBE"))["count"] == 0


def test_ec6_to_ec9_put_needs_name_patch_is_partial(oncall, chain):
    sre = oncall.teams()["sre"]
    assert oncall.ok(oncall.put("escalation_chains", chain["id"], {"name": "ec-probe-put"}))["name"] == "ec-probe-put"
    patched = oncall.ok(oncall.patch("escalation_chains", chain["id"], {"team_id": sre}))
    assert patched == {"id": chain["id"], "name": "ec-probe-put", "team_id": sre}
    put = oncall.put("escalation_chains", chain["id"], {"team_id": None})
    assert put.status_code == 400 and put.json() == {"name": ["This field is required."]}
    back = oncall.ok(oncall.patch("escalation_chains", chain["id"], {"team_id": None, "name": "ec-probe"}))
    assert back == {"id": chain["id"], "name": "ec-probe", "team_id": None}


def test_ec10_ec11_ec12_missing_blank_and_unknown_fields(oncall):
    assert oncall.post("escalation_chains", {}).json() == {"name": ["This field is required."]}
    assert oncall.post("escalation_chains", {"name": ""}).json() == {"name": ["This field may not be blank."]}
    created = oncall.ok(oncall.post("escalation_chains", {"name": "ec-del", "bogus_field": 1}), 201)
    assert created["name"] == "ec-del" and "bogus_field" not in created


def test_ec13_ec14_ec15_delete_then_404(oncall):
    created = oncall.ok(oncall.post("escalation_chains", {"name": "ec-del"}), 201)
    first = oncall.delete("escalation_chains", created["id"])
    assert first.status_code == 204 and first.content == b""
    again = oncall.delete("escalation_chains", created["id"])
    assert again.status_code == 404 and again.json() == NOT_FOUND
    assert oncall.get("escalation_chains", created["id"]).json() == NOT_FOUND


def test_unknown_team_is_a_field_error(oncall):
    response = oncall.post("escalation_chains", {"name": "x", "team_id": "TNOSUCHTEAM1"})
    assert response.status_code == 400 and response.json() == {"team_id": ["Object does not exist"]}


def test_ep1_to_ep3_positions_types_important_and_dropped_users(oncall, chain):
    users = oncall.users()
    wait = oncall.ok(oncall.post("escalation_policies", {"escalation_chain_id": chain["id"], "type": "wait",
                                                         "duration": 300}), 201)
    assert wait == {"position": 0, "id": wait["id"], "escalation_chain_id": chain["id"], "type": "wait",
                    "duration": 300}
    assert wait["id"].startswith("E")
    notify = oncall.ok(oncall.post("escalation_policies", {
        "escalation_chain_id": chain["id"], "type": "notify_persons",
        "persons_to_notify": [users["alice"], users["bob"]]}), 201)
    assert notify == {"position": 1, "id": notify["id"], "escalation_chain_id": chain["id"],
                      "type": "notify_persons", "persons_to_notify": [users["alice"], users["bob"]],
                      "important": False}
    dropped = oncall.ok(oncall.post("escalation_policies", {
        "escalation_chain_id": chain["id"], "type": "notify_persons", "persons_to_notify": ["UNOSUCHUSER1"],
        "important": True}), 201)
    assert (dropped["position"], dropped["persons_to_notify"], dropped["important"]) == (2, [], True)


def test_ep4_to_ep7_validation(oncall, chain):
    assert oncall.post("escalation_policies", {"escalation_chain_id": chain["id"], "type": "bogus"}).json() == {
        "detail": "Invalid escalation step type"}
    assert oncall.post("escalation_policies", {"escalation_chain_id": chain["id"], "type": "wait",
                                               "duration": 10}).json() == {
        "duration": ["Ensure this value is greater than or equal to 0:01:00."]}
    assert oncall.post("escalation_policies", {"type": "wait", "duration": 60}).json() == {
        "escalation_chain_id": ["This field is required."]}
    assert oncall.post("escalation_policies", {"escalation_chain_id": chain["id"]}).json() == {
        "type": ["This field is required."]}


def _policies(oncall, chain_id):
    return oncall.ok(oncall.get("escalation_policies", escalation_chain_id=chain_id))["results"]


def test_ep8_to_ep17_list_update_type_change_ignored_chain_and_moves(oncall, chain):
    users = oncall.users()
    ep1 = oncall.ok(oncall.post("escalation_policies", {"escalation_chain_id": chain["id"], "type": "wait",
                                                        "duration": 300}), 201)
    ep2 = oncall.ok(oncall.post("escalation_policies", {"escalation_chain_id": chain["id"],
                                                        "type": "notify_persons",
                                                        "persons_to_notify": [users["alice"]]}), 201)
    other = oncall.ok(oncall.post("escalation_chains", {"name": "other"}), 201)
    oncall.ok(oncall.post("escalation_policies", {"escalation_chain_id": other["id"], "type": "resolve"}), 201)
    assert [p["id"] for p in _policies(oncall, chain["id"])] == [ep1["id"], ep2["id"]]
    # EP9: ?name= is no filter here.
    assert oncall.ok(oncall.get("escalation_policies", name="no-such-name"))["count"] == 3
    assert oncall.ok(oncall.patch("escalation_policies", ep1["id"], {"duration": 600}))["duration"] == 600
    to_carol = {"type": "notify_persons", "persons_to_notify": [users["carol"]]}
    switched = oncall.ok(oncall.put("escalation_policies", ep1["id"], to_carol))
    assert switched == {"position": 0, "id": ep1["id"], "escalation_chain_id": chain["id"],
                        "type": "notify_persons", "persons_to_notify": [users["carol"]], "important": False}
    back = oncall.ok(oncall.put("escalation_policies", ep1["id"], {"type": "wait", "duration": 60}))
    assert back == {"position": 0, "id": ep1["id"], "escalation_chain_id": chain["id"], "type": "wait",
                    "duration": 60}
    assert oncall.patch("escalation_policies", ep1["id"], {"duration": "abc"}).json() == {
        "duration": ["A valid number is required."]}
    ignored = oncall.ok(oncall.patch("escalation_policies", ep1["id"], {"escalation_chain_id": other["id"]}))
    assert ignored["escalation_chain_id"] == chain["id"]
    moved = oncall.ok(oncall.patch("escalation_policies", ep1["id"], {"position": 1}))
    assert moved["position"] == 1
    assert [(p["id"], p["position"]) for p in _policies(oncall, chain["id"])] == [(ep2["id"], 0), (ep1["id"], 1)]


def test_ep18_ep19_n2_delete_leaves_a_gap(oncall, chain):
    ids = [oncall.ok(oncall.post("escalation_policies", {"escalation_chain_id": chain["id"], "type": "wait",
                                                         "duration": 60 * (n + 1)}), 201)["id"] for n in range(3)]
    assert oncall.delete("escalation_policies", ids[1]).status_code == 204  # EP18
    assert oncall.delete("escalation_policies", ids[1]).json() == NOT_FOUND  # EP19
    # N2: the later steps do not move up.
    assert [(p["id"], p["position"]) for p in _policies(oncall, chain["id"])] == [(ids[0], 0), (ids[2], 2)]
    # N2: a new step posted at 1 then gives 0, 1, 3.
    new = oncall.ok(oncall.post("escalation_policies", {"escalation_chain_id": chain["id"], "type": "resolve",
                                                        "position": 1}), 201)
    assert [(p["id"], p["position"]) for p in _policies(oncall, chain["id"])] == [
        (ids[0], 0), (new["id"], 1), (ids[2], 3)]
    # A new step without a position goes after the last one.
    last = oncall.ok(oncall.post("escalation_policies", {"escalation_chain_id": chain["id"], "type": "resolve"}), 201)
    assert last["position"] == 4


def test_create_at_a_position_moves_the_others(oncall, chain):
    first = oncall.ok(oncall.post("escalation_policies", {"escalation_chain_id": chain["id"], "type": "resolve"}), 201)
    inserted = oncall.ok(oncall.post("escalation_policies", {"escalation_chain_id": chain["id"], "type": "wait",
                                                             "duration": 60, "position": 0}), 201)
    assert inserted["position"] == 0
    assert [p["id"] for p in _policies(oncall, chain["id"])] == [inserted["id"], first["id"]]


def test_z4_z5_deleting_a_chain_deletes_its_policies(oncall, chain):
    policy = oncall.ok(oncall.post("escalation_policies", {"escalation_chain_id": chain["id"], "type": "resolve"}), 201)
    assert oncall.delete("escalation_chains", chain["id"]).status_code == 204
    assert oncall.get("escalation_policies", policy["id"]).json() == NOT_FOUND


def test_wait_has_no_important_key_notify_types_do(oncall, chain):
    wait = oncall.ok(oncall.post("escalation_policies", {"escalation_chain_id": chain["id"], "type": "wait",
                                                         "duration": 60, "important": True}), 201)
    assert "important" not in wait
    schedule_step = oncall.ok(oncall.post("escalation_policies", {"escalation_chain_id": chain["id"],
                                                                  "type": "notify_whole_channel"}), 201)
    assert schedule_step["important"] is False


def test_ep10_read_a_policy_by_id(oncall, chain):
    created = oncall.ok(oncall.post("escalation_policies", {"escalation_chain_id": chain["id"], "type": "wait",
                                                            "duration": 300}), 201)
    assert oncall.ok(oncall.get("escalation_policies", created["id"])) == created
