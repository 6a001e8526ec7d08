# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The stack helpers: input checks, endpoints, message parsing, waits and retries."""

import base64
import json

import pytest

from ansible_collections.grafana_cloud.platform.plugins.module_utils._client import GrafanaCloudAPIError
from ansible_collections.grafana_cloud.platform.plugins.module_utils._stacks import (
    POLL_GROWTH,
    POLL_START,
    Deadline,
    StacksV1,
    WaitTimeout,
    connections_with_older_keys,
    create_stack,
    from_v1,
    labels_problem,
    operation_in_progress,
    recent_slug_wait,
    region_problem,
    retry_in_progress,
    slug_problem,
    stack_endpoints,
    stack_ref_problem,
    token_org_id,
    wait_until_gone,
    wait_until_ready,
)


class FakeClock:
    """A clock that only moves when the code under test sleeps."""

    def __init__(self):
        self.now = 0.0
        self.sleeps = []

    def __call__(self):
        return self.now

    def sleep(self, seconds):
        self.sleeps.append(seconds)
        self.now += seconds


def deadline(seconds, clock):
    return Deadline(seconds, sleep=clock.sleep, clock=clock)


class ScriptedClient:
    """Answers GET/POST from scripted lists; an Exception in a list is raised."""

    def __init__(self, gets=(), posts=()):
        self.gets, self.posts, self.calls = list(gets), list(posts), []

    def _next(self, answers, method, path):
        self.calls.append((method, path))
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    def get(self, path, params=None):
        return self._next(self.gets, "GET", path)

    def get_or_none(self, path, params=None):
        return self._next(self.gets, "GET", path)

    def post(self, path, json=None, params=None):
        return self._next(self.posts, "POST", path)


def conflict(message):
    return GrafanaCloudAPIError("POST", "/instances", status=409, code="Conflict", message=message)


@pytest.mark.parametrize("slug, ok", [
    ("a", True), ("abc123", True), ("a" * 29, True), ("a" * 30, False), ("1abc", False),
    ("Abc", False), ("ab-c", False), ("ab_c", False), ("", False), (None, False),
])
def test_slug_rules_match_the_api(slug, ok):
    assert (slug_problem(slug) is None) is ok


def test_a_stack_reference_is_a_slug_or_an_id():
    assert stack_ref_problem("12345") is None and stack_ref_problem("mystack") is None
    assert "numeric stack id" in stack_ref_problem("My-Stack")


def test_label_rules():
    assert labels_problem({"team": "a/b.c-d_e", "k8s.io/x": ""}) is None
    assert "at most 10" in labels_problem(dict(("k%d" % i, "v") for i in range(11)))
    assert "'bad key'" in labels_problem({"bad key": "x"})
    assert "'b c'" in labels_problem({"a": "b c"})
    assert "keys can't be empty" in labels_problem({"": "x"})


def test_region_syntax_only():
    assert region_problem("prod-eu-west-2") is None and region_problem(None) is None
    assert "region_info" in region_problem("EU West")


def test_endpoints_have_stable_names_and_none_where_unknown():
    stack = {"hmInstancePromUrl": "https://prom", "hmInstancePromId": 7, "hlInstanceUrl": "https://logs",
             "hlInstanceId": 8, "htInstanceUrl": "https://tempo", "htInstanceId": 9,
             "amInstanceUrl": "https://am", "amInstanceId": 10, "hmInstanceGraphiteUrl": "https://graphite",
             "hmInstanceGraphiteId": 11}
    endpoints = stack_endpoints(stack)
    assert endpoints["prometheus"] == {"url": "https://prom", "user_id": 7}
    assert endpoints["loki"] == {"url": "https://logs", "user_id": 8}
    assert endpoints["graphite"] == {"url": "https://graphite", "user_id": 11}
    assert endpoints["profiles"] == {"url": None, "user_id": None}
    assert sorted(endpoints) == ["alertmanager", "graphite", "loki", "profiles", "prometheus", "tempo"]


def test_recent_slug_wait_is_read_only_from_that_conflict():
    assert recent_slug_wait(conflict("The stack x was deleted recently, please wait for 12s")) == 12
    assert recent_slug_wait(conflict("That url is not available")) is None
    not_conflict = GrafanaCloudAPIError("POST", "/instances", status=409, code="InvalidArgument",
                                        message="wait for 3s")
    assert recent_slug_wait(not_conflict) is None


def test_operation_in_progress_is_a_conflict_saying_so():
    assert operation_in_progress(conflict("Conflicting operation, another operation is already in progress"))
    assert not operation_in_progress(conflict("Plugin already installed"))


def test_deadline_grows_the_interval_to_a_cap_and_never_passes_the_end():
    clock = FakeClock()
    budget = deadline(30, clock)
    while budget.pause():
        pass
    assert clock.sleeps[:3] == [0.25, 0.375, 0.5625]
    assert max(clock.sleeps) <= 5.0
    assert sum(clock.sleeps) == pytest.approx(30.0)


def test_wait_until_ready_polls_readiness_until_true():
    clock = FakeClock()
    client = ScriptedClient(gets=[{"ready": False}, {"ready": False}, {"ready": True}])
    wait_until_ready(client, {"id": 5, "slug": "s"}, deadline(60, clock))
    assert client.calls == [("GET", "/instances/5/readiness")] * 3
    assert clock.sleeps == [0.25, 0.375]


def test_wait_until_ready_times_out_naming_the_status():
    clock = FakeClock()
    # Polls at 0, 0.25, 0.625, 1.19, 2.03 and 3 s (the last pause is cut to the deadline),
    # then one read.
    client = ScriptedClient(gets=[{"ready": False}] * 6 + [{"status": "starting"}])
    with pytest.raises(WaitTimeout) as caught:
        wait_until_ready(client, {"id": 5, "slug": "slow"}, deadline(3, clock))
    assert "'slow'" in str(caught.value) and "status 'starting'" in str(caught.value)
    assert sum(clock.sleeps) == pytest.approx(3.0)
    assert client.calls[-1] == ("GET", "/instances/5")


def test_wait_until_gone_stops_at_deleted_or_404():
    clock = FakeClock()
    client = ScriptedClient(gets=[{"status": "deleting"}, None])
    wait_until_gone(client, {"id": 5, "slug": "s", "status": "deleting"}, deadline(60, clock))
    assert len(client.calls) == 2


def test_create_waits_as_long_as_the_api_asks_for_a_recent_slug():
    clock = FakeClock()
    warnings = []
    client = ScriptedClient(posts=[conflict("deleted recently, please wait for 4s"), {"id": 1}])
    assert create_stack(client, {"slug": "s"}, deadline(60, clock), warnings) == {"id": 1}
    assert clock.sleeps == [4.0]
    assert "deleted recently" in warnings[0]


def test_create_gives_up_when_the_wait_exceeds_the_time_left():
    clock = FakeClock()
    client = ScriptedClient(posts=[conflict("deleted recently, please wait for 40s")])
    with pytest.raises(WaitTimeout) as caught:
        create_stack(client, {"slug": "s"}, deadline(10, clock), [])
    assert "40" in str(caught.value) and clock.sleeps == []


SAME_SLUG = "Grafana stack with the same slug already exists"


def test_the_wording_without_a_number_is_retried_with_backoff():
    clock = FakeClock()
    warnings = []
    client = ScriptedClient(posts=[conflict(SAME_SLUG), conflict(SAME_SLUG), {"id": 1}])
    assert create_stack(client, {"slug": "s"}, deadline(60, clock), warnings) == {"id": 1}
    # The poll's backoff: POLL_START, then POLL_GROWTH times longer.
    assert clock.sleeps == [POLL_START, POLL_START * POLL_GROWTH]
    assert len(warnings) == 1 and "still held" in warnings[0]


def test_the_wording_without_a_number_gives_up_at_the_deadline():
    clock = FakeClock()
    client = ScriptedClient(posts=[conflict(SAME_SLUG)] * 50)
    with pytest.raises(WaitTimeout) as caught:
        create_stack(client, {"slug": "s"}, deadline(10, clock), [])
    assert "still refused the slug 's' after 10s" in str(caught.value)
    assert sum(clock.sleeps) == pytest.approx(10.0)


def test_that_wording_is_matched_only_under_code_conflict():
    invalid = GrafanaCloudAPIError("POST", "/instances", status=409, code="InvalidArgument", message=SAME_SLUG)
    client = ScriptedClient(posts=[invalid])
    with pytest.raises(GrafanaCloudAPIError):
        create_stack(client, {"slug": "s"}, deadline(60, FakeClock()), [])
    assert len(client.calls) == 1


def test_other_conflicts_are_not_retried():
    client = ScriptedClient(posts=[conflict("That url is not available")])
    with pytest.raises(GrafanaCloudAPIError):
        create_stack(client, {"slug": "s"}, deadline(60, FakeClock()), [])
    assert len(client.calls) == 1


def test_operation_in_progress_is_retried_then_fails_clearly():
    clock = FakeClock()
    busy = conflict("Conflicting operation, another operation is already in progress")
    calls = []

    def always_busy():
        calls.append(1)
        raise busy

    notes = []
    with pytest.raises(GrafanaCloudAPIError) as caught:
        retry_in_progress(always_busy, deadline(20, clock), notes)
    assert "still in progress" in str(caught.value) and "20s" in str(caught.value)
    assert caught.value.status == 409 and len(calls) > 3 and len(notes) == len(calls) - 1
    assert sum(clock.sleeps) == pytest.approx(20.0)


def test_operation_in_progress_recovers():
    answers = [conflict("another operation is already in progress"), {"version": "1.3.1"}]

    def call():
        answer = answers.pop(0)
        if isinstance(answer, Exception):
            raise answer
        return answer

    notes = []
    assert retry_in_progress(call, deadline(20, FakeClock()), notes) == {"version": "1.3.1"}
    assert len(notes) == 1


# -- the v1 family ------------------------------------------------------------------------

def glc_token(blob):
    return "glc_" + base64.urlsafe_b64encode(json.dumps(blob).encode()).decode().rstrip("=")


def test_the_org_of_a_token_is_its_o_field_and_nothing_else_is_guessed():
    assert token_org_id(glc_token({"o": "1000", "n": "x", "k": "secret"})) == "1000"
    assert token_org_id(glc_token({"o": 42})) == "42"
    for token in (None, "", "glsa_abc", "glc_not base64!", glc_token(["o"]), glc_token({"o": "acme"}),
                  glc_token({"n": "no org"})):
        assert token_org_id(token) is None, token


def test_a_v1_stack_gets_the_field_names_of_the_instances_one():
    assert from_v1({"id": 1, "region": "eu", "slug": "s"}) == {"id": 1, "regionSlug": "eu", "slug": "s"}


class V1Client(ScriptedClient):
    """Scripted answers by (method, path); a 404 for every /v1/ path when ``v1`` is False."""

    def __init__(self, v1=True, answers=None):
        super(V1Client, self).__init__()
        self.v1, self.answers = v1, answers or {}

    def _answer(self, method, path):
        self.calls.append((method, path))
        if not self.v1 and path.startswith("/v1/"):
            raise GrafanaCloudAPIError(method, path, status=404, code="NotFound", message="Not Found")
        return self.answers.get((method, path), {})

    def get(self, path, params=None):
        return self._answer("GET", path)

    def post(self, path, json=None, params=None):
        return self._answer("POST", path)

    def delete(self, path, params=None):
        return self._answer("DELETE", path)


STACK = {"id": 7, "slug": "s"}


def test_writes_go_to_v1_by_id_and_answer_with_instance_field_names():
    client = V1Client(answers={("POST", "/v1/stacks/7"): {"id": 7, "region": "eu"}})
    writes = StacksV1(client, [])
    assert writes.update(STACK, {"name": "n"}) == {"id": 7, "regionSlug": "eu"}
    writes.delete(STACK)
    assert client.calls == [("POST", "/v1/stacks/7"), ("DELETE", "/v1/stacks/7")]


def test_one_v1_404_falls_back_to_instances_for_the_rest_of_the_run_with_one_warning():
    client = V1Client(v1=False)
    warnings = []
    writes = StacksV1(client, warnings)
    writes.update(STACK, {"name": "n"})
    writes.delete(STACK)
    assert client.calls == [("POST", "/v1/stacks/7"), ("POST", "/instances/s"), ("DELETE", "/instances/s")]
    assert len(warnings) == 1 and "serves no /v1/stacks" in warnings[0]


def test_check_url_returns_the_refusal_but_lets_a_recent_slug_through():
    taken = GrafanaCloudAPIError("POST", "/v1/stacks/checkUrl", status=409, code="Conflict",
                                 message="That URL has already been taken, please try an alternate URL")
    recent = GrafanaCloudAPIError("POST", "/v1/stacks/checkUrl", status=409, code="Conflict",
                                  message="The stack s was deleted recently, please wait for 3s")
    for error, refused in ((taken, True), (recent, False)):
        client = ScriptedClient(posts=[error])
        assert (StacksV1(client, []).refusal("s", "org") is error) is refused


def test_the_create_names_the_org_of_the_token_and_uses_instances_when_there_is_none():
    client = ScriptedClient(gets=[{"slug": "acme"}], posts=[{"id": 1, "region": "us"}])
    writes = StacksV1(client, [], token=glc_token({"o": "1000"}))
    org = writes.org_slug()
    assert org == "acme" and client.calls == [("GET", "/orgs/1000")]
    assert writes.create({"slug": "s", "waitForReadiness": False}, org, deadline(10, FakeClock())) == \
        {"id": 1, "regionSlug": "us"}
    assert client.calls[-1] == ("POST", "/v1/stacks")
    warnings = []
    older = ScriptedClient(posts=[{"id": 2}])
    assert StacksV1(older, warnings).create({"slug": "s"}, None, deadline(10, FakeClock())) == {"id": 2}
    assert older.calls == [("POST", "/instances")] and "names no org" in warnings[0]


@pytest.mark.parametrize("status", [403, 404])
def test_an_org_the_token_may_not_read_sends_the_create_through_instances(status):
    """A policy made for stacks may lack orgs:read (getOrg's x-permissions in the spec), and the
    org id in the token is an inference: either way the create must not fail for it."""
    refused = GrafanaCloudAPIError("GET", "/orgs/1000", status=status, code="Forbidden", message="no")
    warnings = []
    client = ScriptedClient(gets=[refused], posts=[{"id": 2}])
    writes = StacksV1(client, warnings, token=glc_token({"o": "1000"}))
    assert writes.org_slug() is None
    assert "orgs:read" in warnings[0] and "/instances" in warnings[0]
    # The create then says nothing more: the token does name an org, one the policy can't read.
    assert writes.create({"slug": "s"}, None, deadline(10, FakeClock())) == {"id": 2}
    assert client.calls[-1] == ("POST", "/instances") and len(warnings) == 1, warnings
    server_error = GrafanaCloudAPIError("GET", "/orgs/1000", status=500, code="InternalError", message="no")
    with pytest.raises(GrafanaCloudAPIError):
        StacksV1(ScriptedClient(gets=[server_error]), [], token=glc_token({"o": "1000"})).org_slug()


def test_v1_connections_keep_the_keys_of_the_older_answer():
    v1 = {"tenants": [{"type": "prometheus", "id": 3, "url": "https://p",
                       "privateConnectivityInfo": {"privateDNS": "p.vpce"}}],
          "otlp": {"url": "https://otlp", "multiAZ": False}, "services": {"oncallApiUrl": "https://oncall"},
          "appPlatform": {"url": "https://app"}}
    both = connections_with_older_keys(v1)
    assert both["tenants"] == v1["tenants"] and both["appPlatform"] == {"url": "https://app"}
    assert both["oncallApiUrl"] == "https://oncall" and both["otlpHttpUrl"] == "https://otlp"
    assert both["otlpMultiAZ"] is False and both["influxUrl"] is None
    assert both["privateConnectivityInfo"] == {"tenants": [{"type": "prometheus", "id": 3,
                                                            "info": {"privateDNS": "p.vpce"}}]}


def test_connections_come_from_v1_by_id_or_from_instances_after_the_fallback():
    client = V1Client(answers={("GET", "/v1/stacks/7/connections"): {"services": {"oncallApiUrl": "u"}}})
    assert StacksV1(client, []).connections(STACK)["oncallApiUrl"] == "u"
    older = V1Client(v1=False, answers={("GET", "/instances/s/connections"): {"oncallApiUrl": "o"}})
    warnings = []
    stacks_v1 = StacksV1(older, warnings)
    assert [stacks_v1.connections(STACK)["oncallApiUrl"] for attempt in (1, 2)] == ["o", "o"]
    assert older.calls == [("GET", "/v1/stacks/7/connections")] + [("GET", "/instances/s/connections")] * 2
    assert len(warnings) == 1
