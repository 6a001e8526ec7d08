# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Paths and service-account lookups inside a stack."""

import pytest

from ansible_collections.grafana_cloud.platform.plugins.module_utils._client import GrafanaCloudAPIError
from ansible_collections.grafana_cloud.platform.plugins.module_utils._stack_api import (
    StackNotFound,
    check_name,
    check_stack,
    find_service_account,
    stack_api_path,
)


class SearchClient:
    """Answers the search from a list of accounts, pages of ``per_page`` (as a server capping it)."""

    def __init__(self, accounts, per_page=100, status=None):
        self.accounts = accounts
        self.per_page = per_page
        self.status = status
        self.calls = []

    def get(self, path, params=None):
        self.calls.append((path, dict(params or {})))
        if self.status:
            raise GrafanaCloudAPIError("GET", path, status=self.status, code="NotFound")
        if not path.endswith("/search"):
            return dict(id=int(path.rsplit("/", 1)[1]), name="full", role="Viewer", isDisabled=False)
        matches = [a for a in self.accounts if params["query"] in a["name"]]
        size = min(self.per_page, params["perpage"])
        start = (params["page"] - 1) * size
        return dict(totalCount=len(matches), serviceAccounts=matches[start:start + size],
                    page=params["page"], perPage=size)


def account(account_id, name):
    return dict(id=account_id, name=name, role="Editor", isDisabled=False)


def test_stack_api_path_quotes_every_part():
    assert stack_api_path("mystack", "serviceaccounts", 3, "tokens") == "/instances/mystack/api/serviceaccounts/3/tokens"
    assert stack_api_path("my/stack", "auth", "keys") == "/instances/my%2Fstack/api/auth/keys"


def test_the_exact_name_is_picked_from_substring_matches_in_one_request():
    client = SearchClient([account(1, "ci-bot"), account(2, "ci"), account(3, "ci2")])
    found = find_service_account(client, "s", "ci")
    assert found["id"] == 2
    assert len(client.calls) == 1
    assert client.calls[0][1]["query"] == "ci"


def test_absent_account_costs_one_request_when_everything_fits_a_page():
    client = SearchClient([account(1, "ci-bot")])
    assert find_service_account(client, "s", "ci") is None
    assert len(client.calls) == 1


def test_pages_are_followed_with_the_size_the_server_used():
    accounts = [account(i, "bot-%d" % i) for i in range(5)] + [account(9, "bot")]
    client = SearchClient(accounts, per_page=2)
    assert find_service_account(client, "s", "bot")["id"] == 9
    assert [params["page"] for _path, params in client.calls] == [1, 2, 3]


def test_a_search_item_without_role_is_completed_by_id():
    client = SearchClient([dict(id=4, name="ci")])
    found = find_service_account(client, "s", "ci")
    assert found["role"] == "Viewer"
    assert client.calls[-1][0] == "/instances/s/api/serviceaccounts/4"


def test_a_missing_stack_is_its_own_error():
    with pytest.raises(StackNotFound):
        find_service_account(SearchClient([], status=404), "gone", "ci")


@pytest.mark.parametrize("stack, ok", [("mystack", True), ("123", True), ("My_Stack", False), ("", False),
                                       ("1abc", False),
                                       ("a" * 29, True), ("a" * 30, False)])
def test_check_stack(stack, ok):
    assert (check_stack(stack) is None) is ok


@pytest.mark.parametrize("value, problem", [("ci", None), ("", "must not be empty"), (" ci", "spaces"),
                                            ("x" * 191, "at most 190")])
def test_check_name(value, problem):
    message = check_name("name", value)
    assert message is None if problem is None else problem in message
