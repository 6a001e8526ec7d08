# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Errors shaped like the Grafana Cloud API's: JSON ``{"code", "message", "requestId"}``.

Raise :class:`ApiError` anywhere in a view (or a helper it calls); the app turns it into
the response. Everything else that goes wrong (unknown route, wrong method, a bug in the
simulator) is answered in the same shape, so clients only ever meet one error format.
"""

from __future__ import annotations

from typing import Mapping

from flask import Response, g, jsonify
from werkzeug.http import HTTP_STATUS_CODES


class ApiError(Exception):
    """An API error answer: ``raise ApiError(409, "Conflict", "name already taken")``."""

    def __init__(self, status: int, code: str, message: str,
                 headers: Mapping[str, str] | None = None):
        super().__init__(f"{status} {code}: {message}")
        self.status = status
        self.code = code
        self.message = message
        self.headers = dict(headers or {})

    def to_response(self) -> Response:
        return error_response(self.status, self.code, self.message, self.headers)


class GrafanaError(ApiError):
    """An error from a stack's own Grafana, behind ``/instances/{stack}/api/``.

    Grafana answers ``{"message", "messageId", "statusCode"}`` (its ``errutil`` shape), not
    the Grafana Cloud API's ``{"code", "message", "requestId"}``; bad input and duplicates
    are 400 there, never 409: ``raise GrafanaError(400, "serviceaccounts.ErrAlreadyExists",
    "service account already exists")``. Without a messageId it is Grafana's older
    ``response.Error`` answer, ``{"message"}`` alone (binding errors, API keys).
    """

    def __init__(self, status: int, message_id: str | None, message: str):
        super().__init__(status, message_id or "", message)
        self.message_id = message_id

    def to_response(self) -> Response:
        response = jsonify(grafana_error_body(self.status, self.message_id, self.message))
        response.status_code = self.status
        return response


def grafana_error_body(status: int, message_id: str | None, message: str) -> dict:
    """Grafana's ``errutil`` answer; without ``message_id``, its older ``{"message"}`` one."""
    if message_id is None:
        return {"message": message}
    return {"message": message, "messageId": message_id, "statusCode": status}


def payload_errors(view):
    """Mark a view whose spec operation answers errors as ``ErrorPayload``: the newer shape,
    ``{"code", "message", "requestId", "statusCode"}``. The app adds ``statusCode`` to every
    error such a view answers (auth and realm refusals included); a unit test checks the marks
    against the spec."""
    view.error_payload = True
    return view


def with_status_code(response: Response) -> Response:
    """The error response with ``statusCode`` added to its API-shaped JSON body."""
    body = response.get_json(silent=True)
    if isinstance(body, dict) and "code" in body and "statusCode" not in body:
        body["statusCode"] = response.status_code
        response.set_data(jsonify(body).get_data())
    return response


def code_for_status(status: int) -> str:
    """The API ``code`` a bare status maps to: 503 -> "ServiceUnavailable", 404 -> "NotFound"."""
    phrase = HTTP_STATUS_CODES.get(status, "Error")
    return "".join(word[:1].upper() + word[1:] for word in phrase.replace("-", " ").split())


def current_request_id() -> str:
    """The id the app gave this request (every error body carries it, as the real API's do)."""
    return g.get("request_id", "")


def error_body(code: str, message: str) -> dict:
    return {"code": code, "message": message, "requestId": current_request_id()}


def error_response(status: int, code: str, message: str,
                   headers: Mapping[str, str] | None = None) -> Response:
    response = jsonify(error_body(code, message))
    response.status_code = status
    response.headers.update(headers or {})
    return response


def invalid_argument(message: str) -> ApiError:
    """The real API reports validation errors as 409 with code ``InvalidArgument``."""
    return ApiError(409, "InvalidArgument", message)


def not_found(message: str = "Not found") -> ApiError:
    return ApiError(404, "NotFound", message)
