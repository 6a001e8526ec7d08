# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Input helpers for areas' views; bad input answers 409 ``InvalidArgument`` like the real API."""

from __future__ import annotations

from typing import Any, Mapping

from flask import request

from .errors import invalid_argument


def json_body() -> dict:
    """The request's JSON object body."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise invalid_argument("request body must be a JSON object")
    return body


def query_int(args: Mapping[str, Any], name: str, default: int, *,
              minimum: int | None = None, maximum: int | None = None) -> int:
    """An integer query parameter, ``default`` when absent or empty."""
    raw = args.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except (TypeError, ValueError):
        raise invalid_argument(f"{name} must be an integer, got {raw!r}") from None
    if minimum is not None and value < minimum:
        raise invalid_argument(f"{name} must be at least {minimum}, got {value}")
    if maximum is not None and value > maximum:
        raise invalid_argument(f"{name} must be at most {maximum}, got {value}")
    return value
