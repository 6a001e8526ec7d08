# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The paging styles of the Grafana Cloud, OnCall and Incident APIs, as lazy generators.

Each generator sends a request only when the caller asks for an item beyond the pages it
already has, so a caller that stops early (``next(...)``, ``break``) sends nothing more.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

try:
    from urllib.parse import parse_qs, urlsplit
except ImportError:  # pragma: no cover
    from urlparse import parse_qs, urlsplit  # type: ignore

MAX_CURSOR_PAGE_SIZE = 500


def _next_cursor(body):
    """The cursor of the next page, or None on the last page.

    ``metadata.pagination.nextPage`` is a path whose query drops parameters such as
    ``region``; we only take the cursor out of it and re-issue our own query.
    """
    pagination = ((body or {}).get("metadata") or {}).get("pagination") or {}
    next_page = pagination.get("nextPage")
    if not next_page:
        return None
    cursor = parse_qs(urlsplit(next_page).query).get("pageCursor")
    if cursor:
        return cursor[0]
    return pagination.get("pageCursor") or None


def iter_cursor(client, path, params=None, page_size=MAX_CURSOR_PAGE_SIZE):
    """Items of a cursor-paged listing (``/v1/accesspolicies``, ``/v1/tokens``)."""
    query = dict(params or {})
    query["pageSize"] = min(page_size, MAX_CURSOR_PAGE_SIZE)
    seen_cursors = set()
    while True:
        body = client.get(path, params=query)
        yield from (body or {}).get("items") or []
        cursor = _next_cursor(body)
        if cursor is None or cursor in seen_cursors:
            # A cursor seen before would loop forever; treat it as the end.
            return
        seen_cursors.add(cursor)
        query["pageCursor"] = cursor


def iter_pages(client, path, params=None, page_size=100):
    """Items of a page-numbered listing (``/orgs/{org}/instances``): ``page``/``pageSize``.

    ``page_size=None`` sends no ``pageSize``: the API then uses its own page size, which for
    the org's stack listing is a million (the fewest requests there are).
    """
    query = dict(params or {})
    if page_size is not None:
        query["pageSize"] = page_size
    page = 1
    while True:
        query["page"] = page
        body = client.get(path, params=query) or {}
        items = body.get("items") or []
        yield from items
        pages = body.get("pages")
        if not items or pages is None or page >= int(pages):
            return
        page += 1


def iter_next_link(client, path, params=None, per_page=None, items_key="results"):
    """Items of a next-link listing (the OnCall style): follow ``next`` until it is null."""
    query = dict(params or {})
    if per_page:
        query["perpage"] = per_page
    body = client.get(path, params=query) or {}
    while True:
        yield from body.get(items_key) or []
        next_link = body.get("next")
        if not next_link:
            return
        body = client.get(next_link) or {}


def iter_rpc_cursor(call, method, query, items_key):
    """Items of an Incident RPC query (``QueryIncidents``, ``QueryActivity``): cursor paging.

    ``call(method, body)`` sends one RPC. The first body is ``{"query": query}``; the cursor
    the server returns (``nextValue``, ``hasMore``) is sent back, with the same query, until
    ``hasMore`` is false. The page size is the query's ``limit``.
    """
    body = {"query": dict(query)}
    seen_values = set()
    while True:
        answer = call(method, body) or {}
        yield from answer.get(items_key) or []
        cursor = answer.get("cursor") or {}
        next_value = cursor.get("nextValue")
        if not cursor.get("hasMore") or not next_value or next_value in seen_values:
            # A cursor seen before would loop forever; treat it as the end.
            return
        seen_values.add(next_value)
        body = {"query": dict(query), "cursor": dict(cursor)}
