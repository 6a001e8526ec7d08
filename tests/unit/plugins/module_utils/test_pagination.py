# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The three paging styles: empty, one page, several pages, early stop."""

import itertools

from ansible_collections.grafana_cloud.platform.plugins.module_utils._pagination import (
    iter_cursor,
    iter_next_link,
    iter_pages,
)


class RecordingClient:
    """Serves pages from a function of the query, recording every request."""

    def __init__(self, answer):
        self.answer = answer
        self.calls = []

    def get(self, path, params=None):
        self.calls.append((path, dict(params or {})))
        return self.answer(path, dict(params or {}))


def cursor_pages(pages):
    """A cursor API over ``pages`` (lists of items); cursors are page indexes."""
    def answer(path, params):
        index = int(params.get("pageCursor", 0))
        next_page = None
        if index + 1 < len(pages):
            # Like the real API: nextPage drops the caller's other parameters (region).
            next_page = "/v1/accesspolicies?pageCursor=%d" % (index + 1)
        return {"items": pages[index], "metadata": {"pagination": {"pageSize": 2, "nextPage": next_page}}}
    return RecordingClient(answer)


def test_cursor_empty():
    client = cursor_pages([[]])
    assert list(iter_cursor(client, "/v1/accesspolicies", {"region": "us"})) == []
    assert len(client.calls) == 1


def test_cursor_one_page():
    client = cursor_pages([[1, 2]])
    assert list(iter_cursor(client, "/v1/accesspolicies", {"region": "us"})) == [1, 2]
    assert client.calls == [("/v1/accesspolicies", {"region": "us", "pageSize": 500})]


def test_cursor_several_pages_keep_our_query():
    client = cursor_pages([[1, 2], [3, 4], [5]])
    assert list(iter_cursor(client, "/v1/accesspolicies", {"region": "eu"}, page_size=2)) == [1, 2, 3, 4, 5]
    assert [params.get("pageCursor") for _path, params in client.calls] == [None, "1", "2"]
    assert all(params["region"] == "eu" for _path, params in client.calls)


def test_cursor_early_stop_sends_nothing_more():
    client = cursor_pages([[1, 2], [3, 4], [5]])
    assert next(iter_cursor(client, "/v1/accesspolicies", {"region": "us"})) == 1
    assert len(client.calls) == 1


def test_cursor_page_size_is_capped_at_the_api_maximum():
    client = cursor_pages([[]])
    list(iter_cursor(client, "/v1/tokens", {"region": "us"}, page_size=10000))
    assert client.calls[0][1]["pageSize"] == 500


def numbered_pages(pages):
    def answer(path, params):
        page = params["page"]
        return {"items": pages[page - 1] if pages else [], "page": page, "pages": len(pages), "total": sum(map(len, pages))}
    return RecordingClient(answer)


def test_pages_empty():
    client = numbered_pages([])
    assert list(iter_pages(client, "/orgs/o/instances")) == []
    assert len(client.calls) == 1


def test_pages_one_and_several():
    client = numbered_pages([["a"]])
    assert list(iter_pages(client, "/orgs/o/instances")) == ["a"]
    client = numbered_pages([["a", "b"], ["c", "d"], ["e"]])
    assert list(iter_pages(client, "/orgs/o/instances", {"name": "x"}, page_size=2)) == list("abcde")
    assert [params["page"] for _path, params in client.calls] == [1, 2, 3]
    assert all(params["name"] == "x" and params["pageSize"] == 2 for _path, params in client.calls)


def test_pages_without_a_page_size_leave_it_to_the_api_and_follow_its_pages():
    client = numbered_pages([["a", "b"], ["c"]])
    assert list(iter_pages(client, "/orgs/o/instances", page_size=None)) == list("abc")
    assert [params for _path, params in client.calls] == [{"page": 1}, {"page": 2}]


def test_pages_early_stop():
    client = numbered_pages([["a", "b"], ["c", "d"]])
    assert list(itertools.islice(iter_pages(client, "/orgs/o/instances", page_size=2), 2)) == ["a", "b"]
    assert len(client.calls) == 1


def linked_pages(pages):
    def answer(path, params):
        index = int(path.rsplit("page=", 1)[1]) - 1 if "page=" in path else 0
        following = "https://oncall.example/api/v1/schedules/?page=%d" % (index + 2) if index + 1 < len(pages) else None
        return {"count": sum(map(len, pages)), "next": following, "previous": None, "results": pages[index]}
    return RecordingClient(answer)


def test_next_link_empty_one_several_and_early_stop():
    client = linked_pages([[]])
    assert list(iter_next_link(client, "/api/v1/schedules/")) == []
    client = linked_pages([[1]])
    assert list(iter_next_link(client, "/api/v1/schedules/")) == [1]
    client = linked_pages([[1, 2], [3], [4]])
    assert list(iter_next_link(client, "/api/v1/schedules/", per_page=2)) == [1, 2, 3, 4]
    assert client.calls[0] == ("/api/v1/schedules/", {"perpage": 2})
    assert [path for path, _params in client.calls[1:]] == [
        "https://oncall.example/api/v1/schedules/?page=2",
        "https://oncall.example/api/v1/schedules/?page=3",
    ]
    client = linked_pages([[1, 2], [3]])
    assert next(iter_next_link(client, "/api/v1/schedules/")) == 1
    assert len(client.calls) == 1
