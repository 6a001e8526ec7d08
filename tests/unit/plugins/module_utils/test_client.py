# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The shared HTTP client: auth, headers, retries, typed errors."""

import email.utils
import time

import pytest
import requests

from ansible_collections.grafana_cloud.platform.plugins.module_utils._client import (
    USER_AGENT,
    AmbiguousWriteError,
    GrafanaCloudAPIError,
    GrafanaCloudClient,
    parse_retry_after,
)

from http_fakes import FakeSession, make_response

TOKEN = "glc_c2VjcmV0LXRva2VuLXZhbHVl"
BASE = "https://gcom.example/api"


def client_with(answers, sleeper, **kwargs):
    session = FakeSession(answers)
    client = GrafanaCloudClient(BASE, TOKEN, session=session, sleep=sleeper, **kwargs)
    return client, session


def test_sends_bearer_token_user_agent_and_json(sleeper):
    client, session = client_with([make_response(200, {"items": []})], sleeper)
    assert client.get("/stack-regions", params={"slug": "us"}) == {"items": []}
    call = session.calls[0]
    assert call["url"] == BASE + "/stack-regions"
    assert call["params"] == {"slug": "us"}
    assert call["headers"]["Authorization"] == "Bearer " + TOKEN
    assert call["headers"]["User-Agent"] == USER_AGENT
    assert "X-Request-Id" not in call["headers"]


def test_writes_carry_a_fresh_request_id(sleeper):
    client, session = client_with([make_response(200, {"id": 1}), make_response(200, {"id": 2})], sleeper)
    client.post("/v1/accesspolicies", json={"name": "a"})
    client.post("/v1/accesspolicies", json={"name": "b"})
    first, second = (call["headers"]["X-Request-Id"] for call in session.calls)
    assert first and second and first != second


def test_empty_success_body_is_none(sleeper):
    client, _session = client_with([make_response(204, text="")], sleeper)
    assert client.delete("/v1/tokens/abc", params={"region": "us"}) is None


def test_429_waits_for_retry_after_seconds(sleeper):
    client, session = client_with([
        make_response(429, {"code": "TooManyRequests", "message": "slow down"}, headers={"Retry-After": "7"}),
        make_response(200, {"ok": True}),
    ], sleeper)
    assert client.post("/v1/accesspolicies", json={}) == {"ok": True}
    assert sleeper.waits == [7.0]
    assert len(session.calls) == 2
    assert len(client.retries) == 1 and "429" in client.retries[0]["reason"]


def test_429_waits_for_retry_after_http_date(sleeper):
    when = email.utils.formatdate(time.time() + 30, usegmt=True)
    client, _session = client_with([make_response(429, {}, headers={"Retry-After": when}), make_response(200, {})], sleeper)
    client.get("/v1/tokens")
    assert len(sleeper.waits) == 1
    assert 25 <= sleeper.waits[0] <= 31


def test_parse_retry_after_forms():
    assert parse_retry_after("12") == 12.0
    assert parse_retry_after("not a date") is None
    assert parse_retry_after(None) is None
    past = email.utils.formatdate(time.time() - 60, usegmt=True)
    assert parse_retry_after(past) == 0.0


def test_exhausted_wait_budget_is_a_clear_error(sleeper):
    client, session = client_with([
        make_response(429, {"code": "TooManyRequests", "message": "rate limited", "requestId": "r-1"},
                      headers={"Retry-After": "200"}),
        make_response(429, {"code": "TooManyRequests", "message": "rate limited", "requestId": "r-2"},
                      headers={"Retry-After": "200"}),
    ], sleeper, wait_budget=300)
    with pytest.raises(GrafanaCloudAPIError) as raised:
        client.post("/v1/accesspolicies", json={}, params={"region": "us"})
    error = raised.value
    assert error.status == 429
    assert sleeper.waits == [200.0]
    assert len(session.calls) == 2
    text = str(error)
    assert "POST /v1/accesspolicies?region=us" in text
    assert "gave up after 1 retries" in text and "r-2" in text


def test_exhausted_retry_count(sleeper):
    client, session = client_with([make_response(429, {}, headers={"Retry-After": "1"})] * 3, sleeper, max_retries=2)
    with pytest.raises(GrafanaCloudAPIError):
        client.get("/v1/tokens")
    assert len(session.calls) == 3
    assert sleeper.waits == [1.0, 1.0]


def test_get_retries_gateway_errors_with_backoff(sleeper):
    client, session = client_with([make_response(502, text="bad gateway"), make_response(504, {}),
                                   make_response(200, {"id": 1})], sleeper)
    assert client.get("/instances/abc") == {"id": 1}
    assert len(session.calls) == 3
    assert len(sleeper.waits) == 2 and all(0 <= wait <= 8 for wait in sleeper.waits)


def test_post_with_503_is_not_resent(sleeper):
    client, session = client_with([make_response(503, {"code": "Unavailable", "message": "busy"})], sleeper)
    with pytest.raises(AmbiguousWriteError) as raised:
        client.post("/instances", json={"slug": "abc"})
    assert len(session.calls) == 1
    assert sleeper.waits == []
    assert raised.value.status == 503


def test_503_with_retry_after_is_retried_for_a_read(sleeper):
    client, session = client_with([
        make_response(503, {"code": "Loading", "message": "stack is loading"}, headers={"Retry-After": "3"}),
        make_response(200, {"id": 4}),
    ], sleeper)
    assert client.get("/instances/abc/api/serviceaccounts/4") == {"id": 4}
    assert sleeper.waits == [3.0]


def test_post_with_503_and_retry_after_is_ambiguous_and_not_resent(sleeper):
    """Grafana's gateway answers a canned 503 Loading to writes the backend went on to process."""
    client, session = client_with([
        make_response(503, {"code": "Loading", "message": "stack is loading"}, headers={"Retry-After": "3"}),
        make_response(200, {"id": 4}),
    ], sleeper)
    with pytest.raises(AmbiguousWriteError) as raised:
        client.post("/instances/abc/api/serviceaccounts", json={})
    assert len(session.calls) == 1
    assert sleeper.waits == []
    assert raised.value.status == 503 and raised.value.code == "Loading"


def test_grafana_error_shape_is_decoded_with_its_message_id(sleeper):
    body = {"message": "service account already exists", "messageId": "serviceaccounts.ErrAlreadyExists",
            "statusCode": 400}
    client, session = client_with([make_response(400, body)], sleeper)
    with pytest.raises(GrafanaCloudAPIError) as raised:
        client.post("/instances/abc/api/serviceaccounts", json={})
    assert raised.value.message_id == "serviceaccounts.ErrAlreadyExists"
    assert raised.value.message == "service account already exists"
    assert "messageId serviceaccounts.ErrAlreadyExists" in str(raised.value)
    assert raised.value.to_result()["message_id"] == "serviceaccounts.ErrAlreadyExists"


def test_post_read_timeout_is_ambiguous_and_not_resent(sleeper):
    client, session = client_with([requests.exceptions.ReadTimeout("read timed out")], sleeper)
    with pytest.raises(AmbiguousWriteError) as raised:
        client.post("/v1/tokens", json={})
    assert len(session.calls) == 1
    assert "timed out" in str(raised.value)


def test_get_connection_error_is_retried(sleeper):
    client, session = client_with([requests.exceptions.ConnectionError("reset"), make_response(200, {"a": 1})], sleeper)
    assert client.get("/orgs/x") == {"a": 1}
    assert len(session.calls) == 2


@pytest.mark.parametrize("status", [400, 401, 403, 404, 409])
def test_client_errors_are_never_retried(status, sleeper):
    client, session = client_with([make_response(status, {"code": "X", "message": "no"})], sleeper)
    with pytest.raises(GrafanaCloudAPIError) as raised:
        client.get("/v1/tokens")
    assert raised.value.status == status
    assert len(session.calls) == 1 and sleeper.waits == []


def test_error_message_has_code_message_request_id_and_never_the_token(sleeper):
    answer = make_response(409, {"code": "InvalidArgument", "message": "name is invalid", "requestId": "req-42"})
    client, _session = client_with([answer], sleeper)
    with pytest.raises(GrafanaCloudAPIError) as raised:
        client.post("/v1/accesspolicies", json={"name": "Bad"}, params={"region": "us"})
    error = raised.value
    assert (error.code, error.message, error.request_id) == ("InvalidArgument", "name is invalid", "req-42")
    text = str(error)
    for part in ("POST", "/v1/accesspolicies", "409", "InvalidArgument", "name is invalid", "req-42"):
        assert part in text
    assert TOKEN not in text
    assert TOKEN not in repr(error.to_result())


def test_non_json_error_body_becomes_a_readable_error(sleeper):
    client, _session = client_with([make_response(400, text="<html>Bad Request</html>")], sleeper)
    with pytest.raises(GrafanaCloudAPIError) as raised:
        client.get("/orgs/x")
    assert "non-JSON answer: <html>Bad Request</html>" in str(raised.value)


def test_non_json_success_body_becomes_an_error(sleeper):
    client, _session = client_with([make_response(200, text="hello")], sleeper)
    with pytest.raises(GrafanaCloudAPIError) as raised:
        client.get("/orgs/x")
    assert "expected JSON" in str(raised.value)


def test_get_or_none_answers_none_for_404(sleeper):
    client, _session = client_with([make_response(404, {"code": "NotFound", "message": "not found"})], sleeper)
    assert client.get_or_none("/instances/nope") is None


def test_follows_absolute_links_only_to_the_same_host(sleeper):
    client, session = client_with([make_response(200, {"results": []})], sleeper)
    client.get(BASE + "/v1/x?page=2")
    with pytest.raises(GrafanaCloudAPIError):
        client.get("https://elsewhere.example/api/v1/x?page=3")
    assert len(session.calls) == 1


def test_api_path_quotes_every_part():
    from ansible_collections.grafana_cloud.platform.plugins.module_utils._client import api_path

    assert api_path("orgs", "my org", "api-keys", "a/b") == "/orgs/my%20org/api-keys/a%2Fb"
    assert api_path("instances", 42) == "/instances/42"


# -- "already exists", per API (issue 22) --------------------------------------------------------

@pytest.mark.parametrize("status, body, taken", [
    # Grafana Cloud API: the spec's ErrorConflict (code Conflict); 409 InvalidArgument is validation.
    (409, {"code": "Conflict", "message": "access policy 'x' already exists", "requestId": "r"}, True),
    (409, {"code": "InvalidArgument", "message": "invalid name", "requestId": "r"}, False),
    # A stack's Grafana: 400 with a messageId (pkg/services/serviceaccounts/models.go).
    (400, {"message": "service account already exists", "messageId": "serviceaccounts.ErrAlreadyExists",
           "statusCode": 400}, True),
    (400, {"message": "service account token with given name already exists in the organization",
           "messageId": "serviceaccounts.ErrTokenAlreadyExists", "statusCode": 400}, True),
    (400, {"message": "invalid role specified", "messageId": "serviceaccounts.ErrInvalidRoleSpecified",
           "statusCode": 400}, False),
    # Its older API keys: 409 with only a message.
    (409, {"message": "API key, organization ID and name must be unique"}, True),
    # OnCall: no code, only text (facts EC2, W8, I2), and the shift serializer's.
    (400, {"non_field_errors": ["The fields organization, name must make a unique set."]}, True),
    (400, {"non_field_errors": ["The fields name, organization must make a unique set."]}, True),
    (400, {"detail": "An integration with this name already exists for this team"}, True),
    (400, {"detail": "On-call shift with this name already exists"}, True),
    (400, {"name": ["This field is required."]}, False),
    (400, {"detail": "Invalid integration type"}, False),
    (404, {"detail": "Not found."}, False),
])
def test_already_exists_is_told_per_api(status, body, taken):
    from ansible_collections.grafana_cloud.platform.plugins.module_utils._client import is_already_exists
    from ansible_collections.grafana_cloud.platform.plugins.module_utils._oncall import drf_error_message

    if "code" in body or "messageId" in body or "message" in body:
        error = GrafanaCloudAPIError("POST", "/x", status=status, code=body.get("code"), message=body.get("message"),
                                     message_id=body.get("messageId"))
    else:  # the OnCall client keeps only the DRF message
        error = GrafanaCloudAPIError("POST", "/x", status=status, message=drf_error_message(body))
    assert is_already_exists(error) is taken


def test_an_ambiguous_write_is_never_taken_for_a_lost_race():
    from ansible_collections.grafana_cloud.platform.plugins.module_utils._client import is_already_exists

    assert is_already_exists(AmbiguousWriteError("POST", "/x", status=409, code="Conflict")) is False
