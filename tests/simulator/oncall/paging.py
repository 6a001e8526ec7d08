# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The OnCall list envelope (facts "Lists, filters, pagination", P1-P10).

``{"count", "next", "previous", "results", "page_size", "current_page_number",
"total_pages"}``. ``page`` past the end gives the last page (P4); ``page=0`` or ``abc`` gives
page 1 (P5); ``perpage=abc`` or ``-1`` gives the default size (P6); sizes above 100 are
served as 100 (P9 reports ``page_size: 100``). ``next``/``previous`` are absolute, built on
the engine's ``BASE_URL`` (``store.base_url``), not on ``Host`` (P7, P8); the query keeps
the caller's parameters, sorted, with ``page`` replaced (``previous`` of page 2 has no
``page``, P2); a request without the trailing slash gets links without it (P10).
"""

from __future__ import annotations

import math
from typing import Iterable
from urllib.parse import urlencode

from flask import request

from ..core import get_sim
from . import ONCALL_PREFIX
from .store import base_url

MAX_PAGE_SIZE = 100


def _int(raw, default: int) -> int:
    try:
        value = int(raw)
    except (TypeError, ValueError):
        return default
    return value


def page(items: Iterable[dict], default_size: int = 50) -> dict:
    items = list(items)
    size = _int(request.args.get("perpage"), default_size)
    if size < 1:
        size = default_size
    size = min(size, MAX_PAGE_SIZE)
    total_pages = max(1, math.ceil(len(items) / size))
    number = _int(request.args.get("page"), 1)
    number = min(max(number, 1), total_pages)
    start = (number - 1) * size
    return {"count": len(items),
            "next": _link(number + 1) if number < total_pages else None,
            "previous": _link(number - 1) if number > 1 else None,
            "results": items[start:start + size],
            "page_size": size,
            "current_page_number": number,
            "total_pages": total_pages}


def _link(number: int) -> str:
    query = {key: value for key, value in request.args.items() if key != "page"}
    if number > 1:
        query["page"] = str(number)
    path = request.path[len(ONCALL_PREFIX):]
    encoded = urlencode(sorted(query.items()))
    return base_url(get_sim()) + path + ("?" + encoded if encoded else "")


def name_filtered(items: Iterable[dict]) -> list[dict]:
    """``?name=``: exact and case-sensitive (I10, EC5, T3), on lists that have the filter."""
    name = request.args.get("name")
    return [item for item in items if name is None or item.get("name") == name]


def team_filtered(items: Iterable[dict]) -> list[dict]:
    """``?team_id=`` as the engine's ByTeamFilter answers it: an existing team is a server
    error (X10, an HTML 500 page), an unknown one a 400 field error (X11)."""
    from .errors import fields_error, server_error_page
    from .store import objects

    team_id = request.args.get("team_id")
    items = list(items)
    if team_id is None:
        return items
    if team_id in objects(get_sim(), "teams"):
        raise server_error_page()
    raise fields_error({"team_id": ["Select a valid choice. That choice is not one of the available choices."]})
