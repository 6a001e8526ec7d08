# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Incident RPC client: auth, plugin-path fallback, both error styles, retries, paging."""

import pytest
import requests

from ansible_collections.grafana_cloud.platform.plugins.module_utils._client import (
    AmbiguousWriteError,
    GrafanaCloudAPIError,
)
from ansible_collections.grafana_cloud.platform.plugins.module_utils._incident import (
    INCIDENT_PLUGIN_PATH,
    IRM_PLUGIN_PATH,
    IncidentClient,
    IncidentTransport,
    client_option_problems,
    decode_incident_error,
    grafana_url_problem,
    token_source,
)
from ansible_collections.grafana_cloud.platform.plugins.module_utils._pagination import iter_rpc_cursor

from http_fakes import FakeSession, make_response

TOKEN = "glsa_abcdefghijklmnopqrstuvwxyz012345_0a1b2c3d"
GRAFANA = "https://mystack.grafana.net"
PLUGIN_MISSING = {"message": "Plugin not found"}


def incident_client(answers, sleeper, **kwargs):
    session = FakeSession(answers)
    transport = IncidentTransport(GRAFANA, TOKEN, session=session, sleep=sleeper, **kwargs)
    return IncidentClient(transport), session


def test_rpc_is_a_post_with_bearer_token_and_json_object_body(sleeper):
    client, session = incident_client([make_response(200, {"incident": {"incidentID": "1"}})], sleeper)
    assert client.call("IncidentsService.GetIncident", {"incidentID": "1"}) == {"incident": {"incidentID": "1"}}
    call = session.calls[0]
    assert call["method"] == "POST"
    assert call["url"] == GRAFANA + IRM_PLUGIN_PATH + "/IncidentsService.GetIncident"
    assert call["json"] == {"incidentID": "1"}
    assert call["headers"]["Authorization"] == "Bearer " + TOKEN
    assert call["headers"]["Content-Type"].startswith("application/json")


def test_a_call_without_body_sends_an_empty_object(sleeper):
    client, session = incident_client([make_response(200, {"roles": []})], sleeper)
    client.call("RolesService.GetRoles")
    assert session.calls[0]["json"] == {}


def test_falls_back_to_the_older_app_once_and_remembers_it(sleeper):
    client, session = incident_client([
        make_response(404, PLUGIN_MISSING),
        make_response(200, {"incident": {"incidentID": "7"}}),
        make_response(200, {"roles": []}),
    ], sleeper)
    client.call("IncidentsService.CreateIncident", {"title": "t"})
    client.call("RolesService.GetRoles")
    urls = [call["url"] for call in session.calls]
    assert urls == [
        GRAFANA + IRM_PLUGIN_PATH + "/IncidentsService.CreateIncident",
        GRAFANA + INCIDENT_PLUGIN_PATH + "/IncidentsService.CreateIncident",
        GRAFANA + INCIDENT_PLUGIN_PATH + "/RolesService.GetRoles",
    ]


def test_the_irm_path_is_remembered_too(sleeper):
    client, session = incident_client([make_response(200, {"roles": []}), make_response(200, {"roles": []})], sleeper)
    client.call("RolesService.GetRoles")
    client.call("RolesService.GetRoles")
    assert all(IRM_PLUGIN_PATH in call["url"] for call in session.calls)


def test_a_404_from_the_incident_app_is_not_a_missing_plugin(sleeper):
    client, session = incident_client([make_response(404, {"error": "incident not found"})], sleeper)
    with pytest.raises(GrafanaCloudAPIError) as raised:
        client.call("IncidentsService.GetIncident", {"incidentID": "404"})
    assert len(session.calls) == 1
    assert "incident not found" in str(raised.value)


def test_neither_app_says_so(sleeper):
    client, session = incident_client([make_response(404, PLUGIN_MISSING), make_response(404, PLUGIN_MISSING)], sleeper)
    with pytest.raises(GrafanaCloudAPIError) as raised:
        client.call("RolesService.GetRoles")
    assert len(session.calls) == 2
    message = str(raised.value)
    assert "neither grafana-irm-app nor grafana-incident-app" in message
    assert "grafana_url" in message


def test_error_field_with_status_200_is_a_failure(sleeper):
    client, _session = incident_client([make_response(200, {"error": "title is required"})], sleeper)
    with pytest.raises(GrafanaCloudAPIError) as raised:
        client.call("IncidentsService.CreateIncident", {})
    message = str(raised.value)
    assert "IncidentsService.CreateIncident" in message
    assert "HTTP 200" in message and "title is required" in message


def test_problem_details_become_one_message(sleeper):
    problem = {"type": "about:blank", "title": "Forbidden", "status": 403, "detail": "role Viewer may not write",
               "code": "auth.forbidden", "trace_id": "abc123", "hint": "give the account the Editor role",
               "retryable": False}
    client, _session = incident_client([make_response(403, problem)], sleeper)
    with pytest.raises(GrafanaCloudAPIError) as raised:
        client.call("IncidentsService.UpdateTitle", {"incidentID": "1", "title": "x"})
    error = raised.value
    assert error.status == 403 and error.code == "auth.forbidden" and error.request_id == "abc123"
    assert "Forbidden: role Viewer may not write" in str(error)
    assert "Editor role" in str(error)
    assert TOKEN not in str(error)


def test_non_json_bodies_become_a_short_line(sleeper):
    client, _session = incident_client([make_response(502, text="<html><body><h1>Bad Gateway</h1></body></html>")],
                                       sleeper, max_retries=0)
    with pytest.raises(GrafanaCloudAPIError) as raised:
        client.call("IncidentsService.GetIncident", {"incidentID": "1"})
    assert "non-JSON answer: Bad Gateway" in str(raised.value)
    assert "<h1>" not in str(raised.value)


def test_reads_are_retried_after_a_gateway_error(sleeper):
    client, session = incident_client([make_response(503, text="busy"),
                                       make_response(200, {"incidents": []})], sleeper)
    assert client.call("IncidentsService.QueryIncidents", {"query": {}}) == {"incidents": []}
    assert len(session.calls) == 2
    assert len(client.retries) == 1


def test_writes_are_not_resent_after_a_gateway_error(sleeper):
    client, session = incident_client([make_response(502, text="bad gateway")], sleeper)
    with pytest.raises(AmbiguousWriteError):
        client.call("IncidentsService.CreateIncident", {"title": "t"})
    assert len(session.calls) == 1


def test_a_read_timeout_is_retried_but_a_write_timeout_is_ambiguous(sleeper):
    client, session = incident_client([requests.exceptions.ReadTimeout("slow"),
                                       make_response(200, {"roles": []})], sleeper)
    client.call("RolesService.GetRoles")
    assert len(session.calls) == 2
    client, session = incident_client([requests.exceptions.ReadTimeout("slow")], sleeper)
    with pytest.raises(AmbiguousWriteError):
        client.call("ActivityService.AddActivity", {"incidentID": "1", "body": "x"})
    assert len(session.calls) == 1


def test_429_is_retried_for_writes_too(sleeper):
    client, session = incident_client([make_response(429, {"error": "slow down"}, headers={"Retry-After": "2"}),
                                       make_response(200, {"incident": {}})], sleeper)
    client.call("IncidentsService.UpdateStatus", {"incidentID": "1", "status": "resolved"})
    assert sleeper.waits == [2.0]
    assert len(session.calls) == 2


def test_method_names_and_bodies_are_checked(sleeper):
    client, session = incident_client([], sleeper)
    with pytest.raises(ValueError):
        client.call("../admin", {})
    with pytest.raises(ValueError):
        client.call("IncidentsService.GetIncident", ["not", "an", "object"])
    assert session.calls == []


@pytest.mark.parametrize("body, expected", [
    ({"error": "boom"}, (None, "boom", None, True)),
    ({"title": "Bad Request", "detail": "invalid severity", "code": "x.y", "trace_id": "t1"},
     ("x.y", "Bad Request: invalid severity", "t1", True)),
    ({"message": "Plugin not found", "messageId": "plugins.notFound"}, ("plugins.notFound", "Plugin not found", None, False)),
    (["odd"], (None, "['odd']", None, False)),
])
def test_decode_incident_error(body, expected):
    assert decode_incident_error(body) == expected


def test_grafana_url_checks():
    assert grafana_url_problem("https://mystack.grafana.net") is None
    assert grafana_url_problem("http://127.0.0.1:8080/grafana/mystack") is None
    assert "GRAFANA_URL" in grafana_url_problem(None)
    assert "http(s) URL" in grafana_url_problem("mystack.grafana.net")
    assert "http(s) URL" in grafana_url_problem("ftp://mystack.grafana.net")
    assert "query" in grafana_url_problem("https://mystack.grafana.net/?x=1")


def test_client_option_problems_name_every_option():
    problems = client_option_problems(dict(grafana_url="nope", incident_access_token=None,
                                           request_timeout=0, max_retries=-1))
    text = " ".join(problems)
    for option in ("grafana_url", "incident_access_token", "request_timeout", "max_retries"):
        assert option in text


class RecordingCall:
    def __init__(self, pages):
        self.pages = pages
        self.bodies = []

    def __call__(self, method, body):
        self.bodies.append(body)
        index = int((body.get("cursor") or {}).get("nextValue") or 0)
        has_more = index + 1 < len(self.pages)
        return {"incidents": self.pages[index],
                "cursor": {"nextValue": str(index + 1) if has_more else "", "hasMore": has_more}}


def test_rpc_cursor_follows_every_page_with_the_same_query():
    call = RecordingCall([[1, 2], [3, 4], [5]])
    query = {"limit": 2, "includeStatuses": ["active"]}
    assert list(iter_rpc_cursor(call, "IncidentsService.QueryIncidents", query, "incidents")) == [1, 2, 3, 4, 5]
    assert [body.get("cursor") for body in call.bodies] == [
        None, {"nextValue": "1", "hasMore": True}, {"nextValue": "2", "hasMore": True}]
    assert all(body["query"] == query for body in call.bodies)


def test_rpc_cursor_is_lazy():
    call = RecordingCall([[1, 2], [3, 4]])
    assert next(iter_rpc_cursor(call, "IncidentsService.QueryIncidents", {"limit": 2}, "incidents")) == 1
    assert len(call.bodies) == 1


def test_rpc_cursor_stops_on_a_repeated_cursor():
    def call(method, body):
        return {"incidents": [1], "cursor": {"nextValue": "same", "hasMore": True}}
    assert list(iter_rpc_cursor(call, "IncidentsService.QueryIncidents", {}, "incidents")) == [1, 1]


@pytest.mark.parametrize("environment, source", [
    ({}, "the incident_access_token option"),
    ({"GRAFANA_INCIDENT_ACCESS_TOKEN": "glsa_another"}, "the incident_access_token option"),
    ({"GRAFANA_INCIDENT_ACCESS_TOKEN": TOKEN},
     "the GRAFANA_INCIDENT_ACCESS_TOKEN environment variable (the option was not set)"),
])
def test_a_refused_token_is_named_with_where_it_came_from(sleeper, monkeypatch, environment, source):
    monkeypatch.delenv("GRAFANA_INCIDENT_ACCESS_TOKEN", raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    origin = token_source({"incident_access_token": TOKEN}, "incident_access_token", "GRAFANA_INCIDENT_ACCESS_TOKEN")
    assert origin == source
    for status, expected in ((401, "check incident_access_token (from %s)" % source),
                             (403, "the service account of incident_access_token (from %s) needs the Editor role"
                              % source)):
        client, _session = incident_client([make_response(status, {"message": "no"})], sleeper,
                                           token_origin=origin)
        with pytest.raises(GrafanaCloudAPIError) as raised:
            client.call("IncidentsService.GetIncident", {"incidentID": "1"})
        assert expected in str(raised.value) and TOKEN not in str(raised.value)
