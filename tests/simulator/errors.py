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
