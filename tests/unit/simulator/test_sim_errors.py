# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every /api failure answers JSON ``{"code", "message", "requestId"}``."""

import pytest
from flask import Blueprint

from tests.simulator import ApiError, create_app
from tests.simulator.areas import Area
from tests.simulator.auth import public
from tests.simulator.errors import code_for_status

probe = Blueprint("errors_probe", __name__)


@probe.get("/probe/api-error")
@public
def raises_api_error():
    raise ApiError(429, "TooManyRequests", "slow down", headers={"Retry-After": "7"})


@probe.get("/probe/bug")
@public
def raises_a_bug():
    raise RuntimeError("simulated bug")


@pytest.fixture
def client():
    return create_app(areas=[Area("errors_probe", probe)]).test_client()


def assert_error_shape(response, status, code):
    assert response.status_code == status
    assert response.is_json
    body = response.get_json()
    assert set(body) == {"code", "message", "requestId"}
    assert body["code"] == code
    assert body["message"]
    assert body["requestId"]
    return body


def test_api_error_becomes_its_status_code_and_headers(client):
    response = client.get("/api/probe/api-error")
    body = assert_error_shape(response, 429, "TooManyRequests")
    assert body["message"] == "slow down"
    assert response.headers["Retry-After"] == "7"


def test_unknown_api_route_is_404_not_found(client):
    body = assert_error_shape(client.get("/api/no/such/thing"), 404, "NotFound")
    assert "/api/no/such/thing" in body["message"]


def test_wrong_method_is_405_with_allow(client):
    response = client.delete("/api/probe/bug")
    assert_error_shape(response, 405, "MethodNotAllowed")
    assert "GET" in response.headers["Allow"]


def test_uncaught_exception_is_500_and_logged_to_stderr(client, caplog):
    body = assert_error_shape(client.get("/api/probe/bug"), 500, "InternalServerError")
    assert "simulated bug" in body["message"]
    assert "simulated bug" in caplog.text


def test_each_request_gets_its_own_request_id(client):
    first = client.get("/api/nope").get_json()["requestId"]
    second = client.get("/api/nope").get_json()["requestId"]
    assert first != second


@pytest.mark.parametrize("status, code", [
    (503, "ServiceUnavailable"), (504, "GatewayTimeout"), (429, "TooManyRequests"),
    (404, "NotFound"), (409, "Conflict"), (502, "BadGateway"),
])
def test_code_for_status(status, code):
    assert code_for_status(status) == code


def test_a_path_outside_every_api_is_an_html_page_not_the_apis_json(client):
    """A base URL without /api reaches this: a real host serves a web page there (grafana.com
    its website), never the API's JSON "NotFound" a client would take for "no such object"."""
    response = client.get("/instances/mystack")
    assert response.status_code == 404
    assert response.mimetype == "text/html"
    assert not response.is_json


def test_an_unknown_control_path_keeps_its_json_error(client):
    response = client.get("/_sim/no-such-control")
    assert response.status_code == 404
    assert response.is_json
