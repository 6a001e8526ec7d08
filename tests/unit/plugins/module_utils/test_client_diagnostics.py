# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The first failures a new user meets say what to fix: a base URL that is not the API, a host
that does not answer (and why), a token that is refused (and where it came from)."""

import socket

import pytest
import requests

from ansible_collections.grafana_cloud.platform.plugins.module_utils._client import (
    GrafanaCloudAPIError,
    GrafanaCloudClient,
    is_not_found,
    token_source,
)
from ansible_collections.grafana_cloud.platform.plugins.module_utils._gcom import gcom_client
from ansible_collections.grafana_cloud.platform.plugins.module_utils._incident import incident_client
from ansible_collections.grafana_cloud.platform.plugins.module_utils._oncall import oncall_client

from http_fakes import FakeSession, make_response

TOKEN = "glc_ZGlhZ25vc3RpY3MtdGVzdA"
BASE = "http://127.0.0.1:8080"
HTML_404 = "<html><head><title>404 Not Found</title></head><body>Not Found</body></html>"


def client_with(answers, sleeper, base=BASE, **kwargs):
    return GrafanaCloudClient(base, TOKEN, session=FakeSession(answers), sleep=sleeper,
                              url_help="cloud_api_url must end in /api", **kwargs)


# -- a base URL that is not the API ------------------------------------------------------------

@pytest.mark.parametrize("answer", [
    make_response(404, text=HTML_404, headers={"Content-Type": "text/html"}),
    make_response(404, text=""),
    make_response(200, text="<html>the website</html>", headers={"Content-Type": "text/html"}),
])
def test_a_first_answer_that_is_not_the_apis_says_the_url_looks_wrong(sleeper, answer):
    client = client_with([answer], sleeper)
    with pytest.raises(GrafanaCloudAPIError) as raised:
        client.get_or_none("/instances/mystack")  # a 404 must not read as "no such stack"
    text = str(raised.value)
    assert "the URL looks wrong" in text and BASE in text and "must end in /api" in text


def test_the_apis_own_404_on_the_first_request_still_means_absent(sleeper):
    client = client_with([make_response(404, {"code": "NotFound", "message": "not found"})], sleeper)
    assert client.get_or_none("/instances/mystack") is None


def test_a_wrong_url_404_on_a_delete_is_never_taken_for_an_object_already_deleted(sleeper):
    # delete_unless_gone (another run deleted it) must not hide a base URL that is not the API.
    client = client_with([make_response(404, text="")], sleeper)
    with pytest.raises(GrafanaCloudAPIError) as raised:
        client.delete("/v1/accesspolicies/ap1")
    assert is_not_found(raised.value) is False and "the URL looks wrong" in str(raised.value)
    own_404 = client_with([make_response(404, {"code": "NotFound", "message": "not found"})], sleeper)
    with pytest.raises(GrafanaCloudAPIError) as raised:
        own_404.delete("/v1/accesspolicies/ap1")
    assert is_not_found(raised.value) is True


def test_a_later_html_answer_is_reported_as_it_is_not_as_a_wrong_url(sleeper):
    client = client_with([make_response(200, {"items": []}),
                          make_response(400, text="<html>Bad Request</html>")], sleeper)
    client.get("/stack-regions")
    with pytest.raises(GrafanaCloudAPIError) as raised:
        client.get("/orgs/x")
    assert "non-JSON answer" in str(raised.value) and "URL looks wrong" not in str(raised.value)


def test_a_gateway_page_on_the_first_request_is_a_blip_not_a_wrong_url(sleeper):
    client = client_with([make_response(502, text="<html>Bad Gateway</html>"), make_response(200, {"a": 1})], sleeper)
    assert client.get("/orgs/x") == {"a": 1}


# -- nothing answers -------------------------------------------------------------------------

def free_port():
    """A port nothing listens on: bound, then closed."""
    probe = socket.socket()
    probe.bind(("127.0.0.1", 0))
    port = probe.getsockname()[1]
    probe.close()
    return port


def test_a_refused_connection_names_the_host_and_is_not_retried_before_any_answer(sleeper):
    base = "http://127.0.0.1:%d/api" % free_port()
    client = GrafanaCloudClient(base, TOKEN, sleep=sleeper, url_help="check cloud_api_url")
    with pytest.raises(GrafanaCloudAPIError) as raised:
        client.get("/instances/x")
    text = str(raised.value)
    assert "connection refused by 127.0.0.1:" in text and "check cloud_api_url" in text
    assert sleeper.waits == []  # said at once, not after seconds of backoff


def test_a_refused_connection_after_an_answer_is_retried(sleeper):
    refused = requests.exceptions.ConnectionError(ConnectionRefusedError(111, "Connection refused"))
    client = client_with([make_response(200, {"a": 1}), refused, make_response(200, {"b": 2})], sleeper)
    client.get("/orgs/x")
    assert client.get("/orgs/y") == {"b": 2}  # a service restarting: worth another try
    assert len(sleeper.waits) == 1


def test_a_name_that_does_not_resolve_says_so(sleeper):
    unresolved = requests.exceptions.ConnectionError(socket.gaierror(-2, "Name or service not known"))
    client = client_with([unresolved], sleeper, base="https://grafana.example.invalid/api")
    with pytest.raises(GrafanaCloudAPIError) as raised:
        client.get("/instances/x")
    assert "host name of grafana.example.invalid could not be resolved" in str(raised.value)
    assert sleeper.waits == []


def test_a_timeout_names_the_host_and_the_limit(sleeper):
    client = client_with([requests.exceptions.ConnectTimeout("connect timed out")], sleeper, max_retries=0,
                         timeout=3)
    with pytest.raises(GrafanaCloudAPIError) as raised:
        client.get("/instances/x")
    assert "timed out connecting to 127.0.0.1:8080 after 3s" in str(raised.value)


def test_a_tls_failure_names_the_host(sleeper):
    client = client_with([requests.exceptions.SSLError("CERTIFICATE_VERIFY_FAILED")], sleeper,
                         base="https://gcom.example/api")
    with pytest.raises(GrafanaCloudAPIError) as raised:
        client.get("/instances/x")
    assert "TLS error with gcom.example: CERTIFICATE_VERIFY_FAILED" in str(raised.value)


# -- a refused token says where it came from ---------------------------------------------------

class FakeModule:
    def __init__(self, params):
        self.params = dict(request_timeout=30.0, max_retries=0, validate_certs=True, **params)

    def fail_json(self, **kwargs):
        raise AssertionError("module failed: %s" % kwargs["msg"])


def refused_by(client, answer):
    client._session = FakeSession([answer])
    with pytest.raises(GrafanaCloudAPIError) as raised:
        client.get("/anything")
    return str(raised.value)


UNAUTHORIZED = make_response(401, {"code": "Unauthorized", "message": "Token invalid"})


@pytest.mark.parametrize("from_env", [True, False])
def test_a_grafana_cloud_401_says_where_the_token_came_from(monkeypatch, from_env):
    monkeypatch.delenv("GRAFANA_CLOUD_ACCESS_POLICY_TOKEN", raising=False)
    if from_env:
        monkeypatch.setenv("GRAFANA_CLOUD_ACCESS_POLICY_TOKEN", TOKEN)
    client = gcom_client(FakeModule(dict(cloud_api_url="https://gcom.example/api", cloud_access_policy_token=TOKEN)))
    text = refused_by(client, UNAUTHORIZED)
    assert "Token invalid" in text and "the token was refused" in text
    expected = "the GRAFANA_CLOUD_ACCESS_POLICY_TOKEN environment variable" if from_env else \
        "the cloud_access_policy_token option"
    assert "came from %s" % expected in text
    assert TOKEN not in text


def test_an_oncall_refusal_says_where_the_token_came_from(monkeypatch):
    # The OnCall engine refuses a token with 403 {"detail": ...}, never 401 (oncall-engine-facts).
    monkeypatch.setenv("GRAFANA_ONCALL_ACCESS_TOKEN", "legacy-key")
    client = oncall_client(FakeModule(dict(oncall_api_url="https://oncall.example", oncall_access_token="legacy-key",
                                           grafana_url=None)))
    text = refused_by(client, make_response(403, {"detail": "Invalid token."}))
    assert "Invalid token." in text and "came from the GRAFANA_ONCALL_ACCESS_TOKEN environment variable" in text


def test_an_incident_401_says_where_the_token_came_from(monkeypatch):
    monkeypatch.delenv("GRAFANA_INCIDENT_ACCESS_TOKEN", raising=False)
    client = incident_client(FakeModule(dict(grafana_url="https://stack.example", incident_access_token="glsa_x")))
    client.transport._session = FakeSession([make_response(401, {"message": "Invalid API key"})])
    with pytest.raises(GrafanaCloudAPIError) as raised:
        client.call("IncidentsService.GetIncident", {"incidentID": "1"})
    assert "incident_access_token (from the incident_access_token option)" in str(raised.value)


def test_token_source_never_names_the_environment_for_a_different_value(monkeypatch):
    monkeypatch.setenv("GRAFANA_CLOUD_ACCESS_POLICY_TOKEN", "another")
    assert token_source({"t": TOKEN}, "t", "GRAFANA_CLOUD_ACCESS_POLICY_TOKEN") == "the t option"
