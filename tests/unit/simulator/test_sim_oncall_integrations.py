# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The simulator's OnCall integrations, routes and alert ingestion, row by row (I*, R*, A2, Z1-Z3)."""

import pytest
import requests

from tests.unit.simulator.oncall_client import OnCall

NOT_FOUND = {"detail": "Not found."}


@pytest.fixture
def oncall(simulator):
    return OnCall(simulator)


@pytest.fixture
def integration(oncall):
    return oncall.ok(oncall.post("integrations", {"name": "int-probe", "type": "webhook"}), 201)


@pytest.fixture
def chain(oncall):
    return oncall.ok(oncall.post("escalation_chains", {"name": "ec-probe"}), 201)


def test_i1_shape_link_and_default_route(oncall, integration):
    assert list(integration) == ["maintenance_mode", "maintenance_started_at", "maintenance_end_at", "id", "name",
                                 "description_short", "team_id", "link", "inbound_email", "type", "templates",
                                 "heartbeat", "default_route"]
    assert integration["id"].startswith("C")
    assert integration["link"].startswith("http://localhost:") and "/oncall/integrations/v1/webhook/" in integration["link"]
    token = integration["link"].rstrip("/").rpartition("/")[2]
    assert len(token) == 25
    assert integration["heartbeat"]["link"] == integration["link"] + "heartbeat/"
    assert integration["templates"]["slack"] == {"title": None, "message": None, "image_url": None}
    default = integration["default_route"]
    assert default["id"].startswith("R") and default["escalation_chain_id"] is None
    assert default["slack"] == {"channel_id": None, "enabled": True}


def test_i2_i3_names_unique_per_team(oncall, integration):
    again = oncall.post("integrations", {"name": "int-probe", "type": "webhook"})
    assert again.status_code == 400
    assert again.json() == {"detail": "An integration with this name already exists for this team"}
    sre = oncall.teams()["sre"]
    other_team = oncall.ok(oncall.post("integrations", {"name": "int-probe", "type": "webhook", "team_id": sre}), 201)
    assert other_team["team_id"] == sre
    both = oncall.ok(oncall.get("integrations", name="int-probe"))
    assert both["count"] == 2
    assert oncall.ok(oncall.get("integrations", name="INT-PROBE"))["count"] == 0


def test_i4_to_i8_type_rules_and_made_up_name(oncall):
    assert oncall.post("integrations", {"name": "int-x", "type": "nope"}).json() == {"detail": "Invalid integration type"}
    assert oncall.post("integrations", {"name": "int-x"}).json() == {"type": ["This field is required."]}
    assert oncall.ok(oncall.post("integrations", {"type": "webhook"}), 201)["name"] == "Webhook :sunglasses:"
    assert oncall.post("integrations", {"name": "int-x", "type": "direct_paging"}).json() == {
        "detail": "Direct paging integrations can't be created"}
    assert oncall.post("integrations", {"name": "int-x", "type": "legacy_grafana"}).json() == {
        "detail": "Invalid integration type"}


def test_i12_i13_put_and_type_ignored_on_update_default_route_set(oncall, integration, chain):
    renamed = {"name": "int-probe-put", "description_short": "put desc"}
    put = oncall.ok(oncall.put("integrations", integration["id"], renamed))
    assert (put["name"], put["description_short"]) == ("int-probe-put", "put desc")
    patched = oncall.ok(oncall.patch("integrations", integration["id"], {
        "type": "alertmanager", "default_route": {"escalation_chain_id": chain["id"]}}))
    assert patched["type"] == "webhook"
    assert patched["default_route"]["escalation_chain_id"] == chain["id"]
    routes = oncall.ok(oncall.get("routes", integration_id=integration["id"]))["results"]
    assert [(r["id"], r["escalation_chain_id"], r["is_the_last_route"], r["routing_regex"], r["position"])
            for r in routes] == [(integration["default_route"]["id"], chain["id"], True, None, 0)]


def test_n6_the_default_route_chain_can_be_cleared_a_route_chain_cannot(oncall, integration, chain):
    oncall.ok(oncall.patch("integrations", integration["id"], {"default_route": {"escalation_chain_id": chain["id"]}}))
    # N6: null on the integration's default_route is accepted and reads back null.
    cleared = oncall.ok(oncall.patch("integrations", integration["id"], {"default_route": {"escalation_chain_id": None}}))
    assert cleared["default_route"]["escalation_chain_id"] is None
    route = oncall.ok(oncall.post("routes", {"integration_id": integration["id"], "routing_regex": "x",
                                             "escalation_chain_id": chain["id"]}), 201)
    # R12: on a route itself, null is refused.
    assert oncall.patch("routes", route["id"], {"escalation_chain_id": None}).json() == {
        "escalation_chain_id": ["This field may not be null."]}


def test_i14_i15_i16_bad_template_unknown_team_rename(oncall, integration):
    bad = oncall.patch("integrations", integration["id"], {"templates": {"slack": {"title": "{{ payload.x"}}})
    assert bad.status_code == 400 and bad.json() == {"detail": "invalid slack title template"}
    team = oncall.patch("integrations", integration["id"], {"team_id": "TNOSUCHTEAM1"})
    assert team.status_code == 400 and team.json() == {"team_id": ["Object does not exist"]}
    good = oncall.ok(oncall.patch("integrations", integration["id"], {"templates": {"slack": {"title": "{{ payload.x }}"}}}))
    assert good["templates"]["slack"] == {"title": "{{ payload.x }}", "message": None, "image_url": None}


def test_i17_seeded_direct_paging_integrations_come_first(oncall):
    first = oncall.ok(oncall.get("integrations", perpage=1))
    assert first["results"][0]["name"] == "Direct paging (platform team)"
    assert first["results"][0]["type"] == "direct_paging"
    assert first["next"].endswith("/api/v1/integrations/?page=2&perpage=1")


def test_description_is_limited_to_250(oncall):
    response = oncall.post("integrations", {"name": "x", "type": "webhook", "description_short": "d" * 251})
    assert response.json() == {"description_short": ["Ensure this field has no more than 250 characters."]}


def test_r1_to_r8_route_create_rules_and_order(oncall, integration, chain):
    base = {"integration_id": integration["id"]}
    assert oncall.post("routes", dict(base, routing_regex="severity=critical")).json() == {
        "escalation_chain_id": ["This field is required."]}
    r1 = oncall.ok(oncall.post("routes", dict(base, routing_regex="severity=critical",
                                              escalation_chain_id=chain["id"])), 201)
    assert (r1["position"], r1["routing_type"], r1["is_the_last_route"]) == (0, "regex", False)
    assert oncall.post("routes", dict(base, routing_regex="(unclosed", escalation_chain_id=None)).json() == {
        "non_field_errors": ["Regular expression is incorrect"]}
    r2 = oncall.ok(oncall.post("routes", dict(base, routing_regex="team=db", escalation_chain_id=None,
                                              position=0)), 201)
    assert r2["position"] == 0 and r2["escalation_chain_id"] is None
    assert oncall.post("routes", {"routing_regex": "x", "escalation_chain_id": None}).json() == {
        "integration_id": ["This field is required."]}
    assert oncall.post("routes", dict(base, escalation_chain_id=None)).json() == {
        "routing_regex": ["This field is required."]}
    listed = oncall.ok(oncall.get("routes", integration_id=integration["id"]))
    assert listed["page_size"] == 25
    assert [(r["id"], r["position"]) for r in listed["results"]] == [
        (r2["id"], 0), (r1["id"], 1), (integration["default_route"]["id"], 0)]


def test_n3_deleting_a_route_leaves_a_gap(oncall, integration):
    routes = [oncall.ok(oncall.post("routes", {"integration_id": integration["id"], "routing_regex": "r%d" % n,
                                               "escalation_chain_id": None}), 201) for n in range(3)]
    assert [route["position"] for route in routes] == [0, 1, 2]
    assert oncall.delete("routes", routes[1]["id"]).status_code == 204
    listed = oncall.ok(oncall.get("routes", integration_id=integration["id"]))["results"]
    # N3: 0 and 2 remain; the default route stays at 0, last, with is_the_last_route.
    assert [(r["id"], r["position"], r["is_the_last_route"]) for r in listed] == [
        (routes[0]["id"], 0, False), (routes[2]["id"], 2, False), (integration["default_route"]["id"], 0, True)]
    # N3: a new route goes to 3.
    new = oncall.ok(oncall.post("routes", {"integration_id": integration["id"], "routing_regex": "r3",
                                           "escalation_chain_id": None}), 201)
    assert new["position"] == 3


def test_r9_r10_filters(oncall, integration):
    route = oncall.ok(oncall.post("routes", {"integration_id": integration["id"], "routing_regex": "team=db",
                                             "escalation_chain_id": None}), 201)
    assert [r["id"] for r in oncall.ok(oncall.get("routes", routing_regex="team=db"))["results"]] == [route["id"]]
    everything = oncall.ok(oncall.get("routes", name="no-such-name"))
    # The seeded direct paging integrations' default routes, the probe's default and the route.
    assert everything["count"] == 4


def test_r11_to_r16_route_updates(oncall, integration, chain):
    other = oncall.ok(oncall.post("integrations", {"name": "int-other", "type": "webhook"}), 201)
    route = oncall.ok(oncall.post("routes", {"integration_id": integration["id"], "routing_regex": "severity=critical",
                                             "escalation_chain_id": chain["id"]}), 201)
    put = oncall.ok(oncall.put("routes", route["id"], {"routing_regex": "severity=(critical|high)"}))
    assert put["routing_regex"] == "severity=(critical|high)" and put["escalation_chain_id"] == chain["id"]
    assert oncall.patch("routes", route["id"], {"escalation_chain_id": None}).json() == {
        "escalation_chain_id": ["This field may not be null."]}
    jinja = oncall.ok(oncall.patch("routes", route["id"], {"routing_type": "jinja2",
                                                           "routing_regex": '{{ payload.severity == "critical" }}'}))
    assert jinja["routing_type"] == "jinja2"
    assert oncall.patch("routes", route["id"], {"routing_type": "jinja2", "routing_regex": "{{ payload.severity "}).json() == {
        "non_field_errors": ["Jinja template is incorrect"]}
    assert oncall.patch("routes", route["id"], {"routing_type": "labels"}).json() == {
        "non_field_errors": ["Expression type is incorrect"]}
    kept = oncall.ok(oncall.patch("routes", route["id"], {"integration_id": other["id"]}))
    assert kept["integration_id"] == integration["id"]


def test_r17_r18_r19_default_route_cannot_go_others_can(oncall, integration):
    refused = oncall.delete("routes", integration["default_route"]["id"])
    assert refused.status_code == 400 and refused.json() == {"detail": "Unable to delete default filter"}
    route = oncall.ok(oncall.post("routes", {"integration_id": integration["id"], "routing_regex": "team=db",
                                             "escalation_chain_id": None}), 201)
    assert oncall.delete("routes", route["id"]).status_code == 204
    assert oncall.get("routes", route["id"]).json() == NOT_FOUND


def test_z1_z2_z3_deleting_an_integration_deletes_its_routes(oncall, integration):
    route = oncall.ok(oncall.post("routes", {"integration_id": integration["id"], "routing_regex": "x",
                                             "escalation_chain_id": None}), 201)
    assert oncall.delete("integrations", integration["id"]).status_code == 204
    assert oncall.delete("integrations", integration["id"]).json() == NOT_FOUND
    assert oncall.get("routes", route["id"]).json() == NOT_FOUND
    assert oncall.get("routes", integration["default_route"]["id"]).status_code == 404


def test_deleting_a_chain_leaves_routes_without_it(oncall, integration, chain):
    route = oncall.ok(oncall.post("routes", {"integration_id": integration["id"], "routing_regex": "x",
                                             "escalation_chain_id": chain["id"]}), 201)
    oncall.delete("escalation_chains", chain["id"])
    assert oncall.ok(oncall.get("routes", route["id"]))["escalation_chain_id"] is None


def test_a2_alert_ingestion_answers_ok_without_auth(oncall, integration, simulator):
    link = integration["link"].replace("http://localhost:", "http://127.0.0.1:")
    response = requests.post(link, json={"title": "disk full", "message": "db1", "state": "alerting"}, timeout=10)
    assert response.status_code == 200 and response.json() == "Ok."
    wrong = requests.post(link.replace(integration["link"].rstrip("/").rpartition("/")[2], "x" * 25), json={},
                          timeout=10)
    assert wrong.status_code == 404


def test_i9_i11_list_by_name_and_read_by_id(oncall, integration):
    listed = oncall.ok(oncall.get("integrations", name="int-probe"))
    assert listed["count"] == 1 and listed["results"][0]["id"] == integration["id"]
    assert oncall.ok(oncall.get("integrations", integration["id"])) == integration


def test_routes_default_page_size_and_not_found(oncall):
    assert oncall.get("routes", "RNOSUCHROUTE1").json() == NOT_FOUND
