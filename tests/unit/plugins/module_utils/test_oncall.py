# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The OnCall wiring: options, bare-token auth, X-Grafana-URL, lists, lookups, DRF errors."""

import pytest

from ansible_collections.grafana_cloud.platform.plugins.module_utils._client import GrafanaCloudAPIError
from ansible_collections.grafana_cloud.platform.plugins.module_utils._oncall import (
    SYNC_RETRIES,
    OnCallClient,
    OnCallError,
    References,
    connection_problems,
    drf_error_message,
    find_all,
    find_one,
    iter_oncall,
    oncall_path,
    regex_problem,
    template_problem,
    text_problem,
    time_zone_problem,
    url_problem,
)

from http_fakes import FakeSession, make_response

BASE = "https://oncall.example/oncall"
SA_TOKEN = "glsa_abcdefghijklmnopqrstuvwxyz012345_0a1b2c3d"
LEGACY_KEY = "0123456789abcdef" * 4
GRAFANA = "https://mystack.grafana.net"
HTML_500 = ('<!doctype html>\n<html lang="en">\n<head>\n  <title>Server Error (500)</title>\n</head>\n'
            '<body>\n  <h1>Server Error (500)</h1><p></p>\n</body>\n</html>\n')


def client_with(answers, sleeper, token=SA_TOKEN, grafana_url=GRAFANA, **kwargs):
    session = FakeSession(answers)
    client = OnCallClient(BASE, token, grafana_url=grafana_url, session=session, sleep=sleeper, **kwargs)
    return client, session


def page(results, next_link=None):
    return make_response(200, {"count": len(results), "next": next_link, "previous": None, "results": results})


# -- options ---------------------------------------------------------------------------------

def params(**overrides):
    values = dict(oncall_api_url=BASE, oncall_access_token=SA_TOKEN, grafana_url=GRAFANA,
                  request_timeout=30.0, max_retries=5, validate_certs=True)
    values.update(overrides)
    return values


def test_good_connection_options_have_no_problems():
    assert connection_problems(params()) == []
    assert connection_problems(params(oncall_access_token=LEGACY_KEY, grafana_url=None)) == []


@pytest.mark.parametrize("overrides, expected", [
    (dict(oncall_api_url=None), "No OnCall API URL: set oncall_api_url or the GRAFANA_ONCALL_API_URL"),
    (dict(oncall_api_url="oncall.example"), "oncall_api_url must be an http(s) URL"),
    (dict(oncall_access_token=None), "No OnCall token: set oncall_access_token or the GRAFANA_ONCALL_ACCESS_TOKEN"),
    (dict(grafana_url=None), "A service-account token (glsa_...) needs grafana_url"),
    (dict(grafana_url="mystack.grafana.net"), "grafana_url must be the http(s) URL of the stack"),
    (dict(grafana_url="ftp://mystack"), "grafana_url must be the http(s) URL of the stack"),
    (dict(oncall_access_token="Bearer " + SA_TOKEN), "oncall_access_token must be the token alone, without a 'Bearer'"),
    (dict(request_timeout=0), "request_timeout must be greater than 0"),
    (dict(max_retries=-1), "max_retries must be 0 or more"),
])
def test_bad_connection_options_are_named(overrides, expected):
    problems = connection_problems(params(**overrides))
    assert any(problem.startswith(expected) for problem in problems), problems


def test_a_wrong_grafana_url_is_refused_even_with_a_legacy_key():
    assert connection_problems(params(oncall_access_token=LEGACY_KEY, grafana_url="not-a-url"))


# -- auth headers ----------------------------------------------------------------------------

def test_service_account_token_goes_bare_with_x_grafana_url(sleeper):
    client, session = client_with([page([])], sleeper)
    client.get(oncall_path("teams"))
    headers = session.calls[0]["headers"]
    assert headers["Authorization"] == SA_TOKEN
    assert headers["X-Grafana-URL"] == GRAFANA
    assert session.calls[0]["url"] == BASE + "/api/v1/teams/"


def test_legacy_key_goes_bare_without_x_grafana_url(sleeper):
    client, session = client_with([page([])], sleeper, token=LEGACY_KEY, grafana_url=None)
    client.get(oncall_path("teams"))
    headers = session.calls[0]["headers"]
    assert headers["Authorization"] == LEGACY_KEY
    assert "X-Grafana-URL" not in headers


def test_403_says_the_token_was_refused_with_the_detail(sleeper):
    client = client_with([make_response(403, {"detail": "Invalid token."})], sleeper)[0]
    with pytest.raises(GrafanaCloudAPIError) as caught:
        client.get(oncall_path("teams"))
    text = str(caught.value)
    assert "HTTP 403" in text and "the token was refused: Invalid token." in text
    assert "grafana_url" in text and SA_TOKEN not in text


# -- retries ---------------------------------------------------------------------------------

def test_429_throttle_waits_for_retry_after(sleeper):
    client, session = client_with([
        make_response(429, {"detail": "Request was throttled. Expected available in 3 seconds."},
                      headers={"Retry-After": "3"}),
        page([{"id": "T1", "name": "sre"}]),
    ], sleeper)
    assert list(iter_oncall(client, "teams")) == [{"id": "T1", "name": "sre"}]
    assert sleeper.waits == [3.0] and len(session.calls) == 2


def test_being_synced_forever_stops_after_a_few_tries_naming_grafana_url(sleeper):
    synced = [make_response(429, {"detail": "Organization being synced, please retry."}) for _index in range(10)]
    client, session = client_with(synced, sleeper, max_retries=10)
    with pytest.raises(GrafanaCloudAPIError) as caught:
        client.get(oncall_path("teams"))
    assert len(session.calls) == SYNC_RETRIES + 1
    assert len(sleeper.waits) == SYNC_RETRIES
    assert sum(sleeper.waits) < 10  # well within the wait budget
    text = str(caught.value)
    assert "grafana_url 'https://mystack.grafana.net' probably names the wrong stack" in text


def test_being_synced_that_clears_is_retried(sleeper):
    synced = make_response(429, {"detail": "Organization being synced, please retry."})
    client, _session = client_with([synced, page([])], sleeper)
    assert list(iter_oncall(client, "teams")) == []


# -- lists -----------------------------------------------------------------------------------

def test_lists_ask_100_a_page_and_follow_next_rebased_onto_our_url(sleeper):
    client, session = client_with([
        page([{"id": "F1"}], "http://engine.internal:8080/api/v1/escalation_chains/?page=2&perpage=100"),
        page([{"id": "F2"}], "http://localhost:9/oncall/api/v1/escalation_chains/?page=3&perpage=100"),
        page([{"id": "F3"}], None),
    ], sleeper)
    assert [obj["id"] for obj in iter_oncall(client, "escalation_chains", name=None)] == ["F1", "F2", "F3"]
    assert session.calls[0]["params"] == {"perpage": 100}
    assert [call["url"] for call in session.calls[1:]] == [
        BASE + "/api/v1/escalation_chains/?page=2&perpage=100",
        BASE + "/api/v1/escalation_chains/?page=3&perpage=100",
    ]
    assert all(call["headers"]["Authorization"] == SA_TOKEN for call in session.calls)


def test_a_link_outside_the_api_is_not_followed(sleeper):
    client = client_with([page([{"id": "F1"}], "https://evil.example/steal")], sleeper)[0]
    with pytest.raises(GrafanaCloudAPIError, match="another host"):
        list(iter_oncall(client, "escalation_chains"))


def test_name_filter_is_sent_where_the_list_has_one_and_checked_here(sleeper):
    client, session = client_with([page([{"id": "F1", "name": "ops"}, {"id": "F2", "name": "OPS"}])], sleeper)
    assert [obj["id"] for obj in find_all(client, "escalation_chains", name="ops")] == ["F1"]
    assert session.calls[0]["params"] == {"name": "ops", "perpage": 100}


def test_lists_without_a_name_filter_are_filtered_here(sleeper):
    client, session = client_with([page([{"id": "R1", "name": "a"}, {"id": "R2", "name": "b"}])], sleeper)
    assert [obj["id"] for obj in find_all(client, "routes", name="b", server_filters={"integration_id": "C1"})] == ["R2"]
    assert session.calls[0]["params"] == {"integration_id": "C1", "perpage": 100}


def test_team_is_filtered_on_our_side_never_sent(sleeper):
    client, session = client_with([page([{"id": "C1", "name": "x", "team_id": None},
                                         {"id": "C2", "name": "x", "team_id": "T1"}])], sleeper)
    assert [obj["id"] for obj in find_all(client, "integrations", name="x", team_id="T1")] == ["C2"]
    assert "team_id" not in session.calls[0]["params"]


def test_more_than_one_match_is_an_error_listing_them(sleeper):
    both = page([{"id": "S1", "name": "x", "team_id": None}, {"id": "S2", "name": "x", "team_id": "T1"}])
    client, _session = client_with([both], sleeper)
    with pytest.raises(OnCallError) as caught:
        find_one(client, "schedules", "schedule 'x'", name="x")
    assert "2 objects match schedule 'x'" in str(caught.value)
    assert "S1" in str(caught.value) and "S2" in str(caught.value)


def test_references_read_each_name_once(sleeper):
    client, session = client_with([page([{"id": "T1", "name": "sre"}]), page([])], sleeper)
    refs = References(client)
    assert refs.team("sre")["id"] == "T1"
    assert refs.team("sre")["id"] == "T1"
    assert refs.team("nope") is None
    assert len(session.calls) == 2


def test_user_reference_prefers_the_exact_username(sleeper):
    client, session = client_with([page([{"id": "U1", "username": "Alice"}, {"id": "U2", "username": "alice"}])],
                                  sleeper)
    assert References(client).user("alice")["id"] == "U2"
    assert session.calls[0]["params"] == {"username": "alice", "perpage": 100}


def test_integration_reference_is_unique_per_team(sleeper):
    both = page([{"id": "C1", "name": "x", "team_id": None}, {"id": "C2", "name": "x", "team_id": "T1"}])
    client, _session = client_with([both], sleeper)
    assert References(client).integration("x", "")["id"] == "C1"


# -- errors ----------------------------------------------------------------------------------

@pytest.mark.parametrize("body, expected", [
    ({"detail": "Invalid escalation step type"}, "Invalid escalation step type"),
    ({"name": ["This field is required."]}, "name: This field is required."),
    ({"non_field_errors": ["The fields organization, name must make a unique set."]},
     "The fields organization, name must make a unique set."),
    ({"type": "Invalid type"}, "type: Invalid type"),
    ({"state": "Must be one of the following: new, acknowledged, resolved, silenced"},
     "state: Must be one of the following: new, acknowledged, resolved, silenced"),
    ({"name": ["This field is required."], "type": ["This field is required."]},
     "name: This field is required.; type: This field is required."),
    ({"default_route": {"escalation_chain_id": ["Object does not exist"]}},
     "default_route.escalation_chain_id: Object does not exist"),
    (["just a list"], "just a list"),
])
def test_drf_error_bodies_become_one_message_naming_the_fields(body, expected):
    assert drf_error_message(body) == expected


def test_field_errors_name_the_fields_in_the_error(sleeper):
    client = client_with([make_response(400, {"name": ["This field may not be blank."]})], sleeper)[0]
    with pytest.raises(GrafanaCloudAPIError) as caught:
        client.post(oncall_path("escalation_chains"), json={"name": ""})
    error = caught.value
    assert error.status == 400
    assert str(error) == "POST /api/v1/escalation_chains/ failed: HTTP 400, name: This field may not be blank."


def test_an_html_500_page_is_summed_up_by_its_title(sleeper):
    client = client_with([make_response(500, text=HTML_500) for _index in range(6)], sleeper, max_retries=0)[0]
    with pytest.raises(GrafanaCloudAPIError) as caught:
        client.get(oncall_path("escalation_chains"), params={"team_id": "T1"})
    assert "the engine answered an HTML page (Server Error (500)), not JSON" in str(caught.value)
    assert "<html" not in str(caught.value)


def test_patch_and_put_send_json(sleeper):
    client, session = client_with([make_response(200, {"id": "F1"}), make_response(200, {"id": "F1"})], sleeper)
    client.patch(oncall_path("escalation_chains", "F1"), json={"name": "a"})
    client.put(oncall_path("escalation_chains", "F1"), json={"name": "b"})
    assert [(call["method"], call["url"], call["json"]) for call in session.calls] == [
        ("PATCH", BASE + "/api/v1/escalation_chains/F1/", {"name": "a"}),
        ("PUT", BASE + "/api/v1/escalation_chains/F1/", {"name": "b"})]
    assert all(call["headers"].get("X-Request-Id") for call in session.calls)


@pytest.mark.parametrize("value, expected", [
    (None, None),
    ("my-chain", None),
    ("", "name must not be empty."),
    ("  ", "name must not be empty."),
    (" my-chain ", "name ' my-chain ' starts or ends with spaces"),  # the engine trims it (N7)
    ("my-chain\n", "starts or ends with spaces"),
])
def test_text_problem_refuses_what_the_engine_would_trim(value, expected):
    problem = text_problem("name", value)
    assert (problem is None) if expected is None else (expected in problem)


@pytest.mark.parametrize("value, templated, ok", [
    ("https://hooks.example.com/alert", False, True),
    ("http://127.0.0.1:8080/x", False, True),
    ("hooks.example.com/alert", False, False),  # stored as given by the engine, never fires (N8)
    ("ftp://hooks.example.com/alert", False, False),
    ("https://", False, False),
    ("https://hooks.example.com/a b", False, False),
    ("https://hooks.example.com/{{ alert_group.id }}/x", True, True),
    ("hooks.example.com/{{ alert_group.id }}", True, False),
    ("{{ alert_group.integration_url }}", True, True),  # can't be checked: left to the engine
])
def test_url_problem(value, templated, ok):
    problem = url_problem("url", value, templated=templated)
    assert (problem is None) == ok, problem
    if not ok:
        assert problem.startswith("url must be an http(s) URL")


def test_regex_problem_compiles_as_the_engine_does():
    assert regex_problem("routing_regex", "severity=(critical|high)") is None
    assert "routing_regex is not a valid regular expression" in regex_problem("routing_regex", "severity=(critical")


def test_template_problem_checks_syntax_only():
    warnings = []
    assert template_problem("data", '{"id": "{{ alert_group.id | tojson_pretty }}"}', warnings) is None
    problem = template_problem("data", '{"id": "{{ alert_group.id }"}', warnings)
    assert problem.startswith("data is not a valid Jinja2 template") and warnings == []


def test_template_problem_without_jinja2_warns_and_leaves_it_to_the_engine(monkeypatch):
    from ansible_collections.grafana_cloud.platform.plugins.module_utils import _oncall
    monkeypatch.setattr(_oncall, "HAS_JINJA2", False)
    warnings = []
    assert _oncall.template_problem("trigger_template", "{{ broken", warnings) is None
    assert len(warnings) == 1 and "jinja2 is not importable" in warnings[0] and "trigger_template" in warnings[0]


def test_time_zone_problem():
    assert time_zone_problem("Europe/Berlin") is None and time_zone_problem("UTC") is None
    assert "time_zone must be an IANA time zone name" in time_zone_problem("Mars/Olympus_Mons")
    assert "spaces" in time_zone_problem(" UTC")
