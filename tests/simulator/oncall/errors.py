# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""OnCall's error answers: Django REST framework bodies, or Django's HTML pages.

The engine answers errors in several shapes (facts "Writes"): ``{"detail": ...}``, field
maps ``{"name": ["This field is required."]}``, ``{"non_field_errors": [...]}``, a bare
string under a field key (``{"type": "Invalid type"}``), and for unknown paths and a few
server bugs an HTML page (X8, X9, X10, X12). ``raise OnCallError(...)`` in a view.
"""

from __future__ import annotations

from typing import Any, Mapping

from flask import Response, jsonify, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound

from ..errors import ApiError

NOT_FOUND_PAGE = ('<!doctype html>\n<html lang="en">\n<head>\n  <title>Not Found</title>\n</head>\n'
                  '<body>\n  <h1>Not Found</h1><p>The requested resource was not found on this '
                  'server.</p>\n</body>\n</html>\n')
SERVER_ERROR_PAGE = ('<!doctype html>\n<html lang="en">\n<head>\n  <title>Server Error (500)</title>\n'
                     '</head>\n<body>\n  <h1>Server Error (500)</h1><p></p>\n</body>\n</html>\n')


class OnCallError(ApiError):
    """An OnCall error answer: a JSON ``body`` (any DRF shape) or an HTML ``page``."""

    def __init__(self, status: int, body: Any = None, *, page: str | None = None,
                 headers: Mapping[str, str] | None = None):
        super().__init__(status, "OnCall", str(body if page is None else page[:60]), headers)
        self.body = body
        self.page = page

    def to_response(self) -> Response:
        if self.page is not None:
            response = Response(self.page, status=self.status, mimetype="text/html")
        else:
            response = jsonify(self.body)
            response.status_code = self.status
        response.headers.update(self.headers)
        return response


def detail(status: int, message: str, headers: Mapping[str, str] | None = None) -> OnCallError:
    """``{"detail": message}``, the shape of auth errors, 404s and many validation errors."""
    return OnCallError(status, {"detail": message}, headers=headers)


def fields_error(errors: Mapping[str, Any]) -> OnCallError:
    """A 400 field map: ``{"name": ["This field is required."]}``."""
    return OnCallError(400, dict(errors))


def non_field(message: str) -> OnCallError:
    return OnCallError(400, {"non_field_errors": [message]})


def not_found() -> OnCallError:
    return detail(404, "Not found.")


def server_error_page() -> OnCallError:
    """Django's HTML 500 page: what the engine answers for its own bugs (X9, X10, X12)."""
    return OnCallError(500, page=SERVER_ERROR_PAGE)


def http_error(exc: HTTPException) -> Response:
    """Routing errors under /oncall: Django's HTML 404 (X8); DRF's 405 for a known path."""
    if isinstance(exc, NotFound):
        return OnCallError(404, page=NOT_FOUND_PAGE).to_response()
    if isinstance(exc, MethodNotAllowed):
        error = detail(405, f'Method "{request.method}" not allowed.')
        error.headers["Allow"] = ", ".join(exc.valid_methods or ())
        return error.to_response()
    return detail(exc.code or 500, exc.description or exc.name).to_response()
