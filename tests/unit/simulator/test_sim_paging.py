# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The two paging helpers, called directly."""

import pytest
from flask import request
from werkzeug.datastructures import MultiDict

from tests.simulator import ApiError, create_app
from tests.simulator.paging import cursor_page, decode_cursor, encode_cursor, page_page

PATH = "/v1/accesspolicies"


def walk_cursor_pages(items, page_size):
    """All pages a client gets by re-sending its query with each page's cursor."""
    pages, cursor = [], None
    while True:
        args = {"pageSize": str(page_size), "region": "us"}
        if cursor:
            args["pageCursor"] = cursor
        page = cursor_page(items, args, path=PATH)
        pages.append(page)
        cursor = page["metadata"]["pagination"]["pageCursor"]
        if page["metadata"]["pagination"]["nextPage"] is None:
            return pages


def test_cursor_empty_list_is_one_empty_last_page():
    page = cursor_page([], {}, path=PATH)
    assert page == {"items": [], "metadata": {"pagination": {
        "pageSize": 500, "pageCursor": None, "nextPage": None}}}


def test_cursor_one_page():
    page = cursor_page(range(3), {}, path=PATH)
    assert page["items"] == [0, 1, 2]
    assert page["metadata"]["pagination"]["nextPage"] is None


def test_cursor_several_pages_cover_every_item_once():
    pages = walk_cursor_pages(list(range(7)), page_size=3)
    assert [page["items"] for page in pages] == [[0, 1, 2], [3, 4, 5], [6]]


def test_cursor_next_page_carries_only_the_cursor():
    pagination = cursor_page(range(4), {"pageSize": "2", "region": "us"}, path=PATH)[
        "metadata"]["pagination"]
    assert pagination["nextPage"] == f"{PATH}?pageCursor={pagination['pageCursor']}"


def test_cursor_exact_multiple_ends_without_an_empty_page():
    pages = walk_cursor_pages(list(range(4)), page_size=2)
    assert [page["items"] for page in pages] == [[0, 1], [2, 3]]


def test_cursor_empty_cursor_means_first_page():
    assert cursor_page(range(3), {"pageCursor": ""}, path=PATH)["items"] == [0, 1, 2]


def test_cursor_default_and_max_size_are_500():
    page = cursor_page(range(501), {}, path=PATH)
    assert len(page["items"]) == 500
    assert page["metadata"]["pagination"]["nextPage"]
    assert len(cursor_page(range(501), {"pageSize": "500"}, path=PATH)["items"]) == 500


@pytest.mark.parametrize("args", [
    {"pageSize": "501"}, {"pageSize": "0"}, {"pageSize": "-1"}, {"pageSize": "ten"},
    {"pageCursor": "not a cursor!"}, {"pageCursor": encode_cursor(-5)},
    {"pageCursor": "b2Zmc2V0OmFiYw"},  # "offset:abc"
])
def test_cursor_bad_input_is_409_invalid_argument(args):
    with pytest.raises(ApiError) as caught:
        cursor_page(range(3), args, path=PATH)
    assert (caught.value.status, caught.value.code) == (409, "InvalidArgument")


def test_cursor_round_trip():
    assert decode_cursor(encode_cursor(1234)) == 1234


def test_cursor_path_defaults_to_the_request_path_without_api():
    with create_app(areas=()).test_request_context("/api/v1/tokens?region=us&pageSize=1"):
        page = cursor_page(range(2), request.args)
    assert page["metadata"]["pagination"]["nextPage"].startswith("/v1/tokens?pageCursor=")


def test_page_style_defaults_to_everything_on_page_one():
    page = page_page([{"id": 1}, {"id": 2}], {}, path="/stack-regions")
    assert page == {"items": [{"id": 1}, {"id": 2}], "orderBy": "id", "direction": "asc",
                    "total": 2, "pages": 1, "pageSize": 1_000_000, "page": 1,
                    "links": [{"rel": "self", "href": "/stack-regions"}]}


def test_page_style_empty():
    page = page_page([], {}, path="/orgs/simorg/instances")
    assert (page["items"], page["total"], page["pages"]) == ([], 0, 0)


def test_page_style_several_pages():
    items = list(range(5))
    pages = [page_page(items, MultiDict({"page": str(n), "pageSize": "2"}), path="/x")
             for n in (1, 2, 3, 4)]
    assert [page["items"] for page in pages] == [[0, 1], [2, 3], [4], []]
    assert {(page["total"], page["pages"], page["pageSize"]) for page in pages} == {(5, 3, 2)}


@pytest.mark.parametrize("args", [{"page": "0"}, {"page": "x"}, {"pageSize": "0"}])
def test_page_style_bad_input_is_409_invalid_argument(args):
    with pytest.raises(ApiError) as caught:
        page_page(range(3), args, path="/x")
    assert (caught.value.status, caught.value.code) == (409, "InvalidArgument")
