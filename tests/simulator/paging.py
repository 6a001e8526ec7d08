# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The API's two paging styles, as helpers areas wrap their (filtered, ordered) items in.

- :func:`cursor_page`, the ``/v1/...`` style (access policies, tokens): ``pageSize`` (at
  most 500) and an opaque ``pageCursor``; ``metadata.pagination.nextPage`` is null on the
  last page. Like the real API's example, ``nextPage`` carries only the cursor
  (``/v1/accesspolicies?pageCursor=...``), not the caller's other query parameters (not
  even the mandatory ``region``): clients must reissue their own query with the cursor.
- :func:`page_page`, the older style (``/orgs/{org}/instances``, ``/stack-regions``):
  1-based ``page`` and ``pageSize``, with ``total`` and ``pages``.

Out-of-range or malformed paging input is a validation error: 409 ``InvalidArgument``.
"""

from __future__ import annotations

import base64
import binascii
import math
from typing import Any, Iterable, Mapping
from urllib.parse import quote

from flask import has_request_context, request

from .errors import invalid_argument
from .validation import query_int

API_PREFIX = "/api"
CURSOR_PREFIX = "offset:"


def cursor_page(items: Iterable[Any], args: Mapping[str, Any], *, default_size: int = 500,
                max_size: int = 500, path: str | None = None) -> dict:
    """One page of ``items`` in the cursor envelope ``{"items", "metadata": {"pagination"}}``."""
    items = list(items)
    size = query_int(args, "pageSize", default_size, minimum=1, maximum=max_size)
    start = decode_cursor(args.get("pageCursor") or "")
    end = start + size
    cursor = encode_cursor(end) if end < len(items) else None
    next_page = f"{_api_path(path)}?pageCursor={quote(cursor)}" if cursor else None
    return {"items": items[start:end],
            "metadata": {"pagination": {"pageSize": size, "pageCursor": cursor,
                                        "nextPage": next_page}}}


def page_page(items: Iterable[Any], args: Mapping[str, Any], *, default_size: int = 1_000_000,
              path: str | None = None, order_by: str = "id", direction: str = "asc") -> dict:
    """One page of ``items`` in the page envelope; ``order_by``/``direction`` describe the
    order the caller already put the items in. The default size is what the real API
    reports when no ``pageSize`` is given."""
    items = list(items)
    size = query_int(args, "pageSize", default_size, minimum=1)
    page = query_int(args, "page", 1, minimum=1)
    start = (page - 1) * size
    return {"items": items[start:start + size],
            "orderBy": order_by,
            "direction": direction,
            "total": len(items),
            "pages": math.ceil(len(items) / size),
            "pageSize": size,
            "page": page,
            "links": [{"rel": "self", "href": _api_path(path)}]}


def encode_cursor(offset: int) -> str:
    """An opaque cursor (the real ones are base64 too); it only encodes where to resume."""
    return base64.urlsafe_b64encode(f"{CURSOR_PREFIX}{offset}".encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> int:
    """The offset a cursor stands for; empty means the first page."""
    if not cursor:
        return 0
    try:
        text = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        if not text.startswith(CURSOR_PREFIX):
            raise ValueError(text)
        offset = int(text[len(CURSOR_PREFIX):])
    except (binascii.Error, UnicodeDecodeError, ValueError):
        raise invalid_argument(f"invalid pageCursor {cursor!r}") from None
    if offset < 0:
        raise invalid_argument(f"invalid pageCursor {cursor!r}")
    return offset


def _api_path(path: str | None) -> str:
    """The path links are written with: relative to /api, as the real API's links are."""
    if path is None:
        path = request.path if has_request_context() else ""
    return path[len(API_PREFIX):] if path.startswith(API_PREFIX + "/") else path
