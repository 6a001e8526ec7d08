# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The Grafana HTTP API of a stack, as the Grafana Cloud API proxies it
(``/instances/{stack}/api/...``): paths, input checks and service-account lookups shared by
the in-stack credential modules."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.grafana_cloud.platform.plugins.module_utils._client import GrafanaCloudAPIError
from ansible_collections.grafana_cloud.platform.plugins.module_utils._stacks import stack_path, stack_ref_problem

# A stack slug (lower-case letters and digits, starting with a letter) or a numeric stack id.
NAME_MAX_LENGTH = 190  # Grafana's limit on names and logins
SEARCH_PAGE_SIZE = 100


class StackNotFound(Exception):
    """The stack does not exist (or is being deleted): the proxy answered 404."""


def stack_api_path(stack, *parts):
    """``/instances/{stack}/api/<parts>``: the stack's Grafana HTTP API, proxied by Grafana Cloud."""
    return stack_path(stack, "api", *parts)


def stack_error(stack):
    """The message for a task whose stack does not exist."""
    return ("Stack %r does not exist or is being deleted: create it first "
            "(grafana_cloud.platform.stack) or check the slug." % (stack,))


def check_stack(stack):
    """A message when ``stack`` is neither a slug nor an id, else None (the rule of _stacks)."""
    return stack_ref_problem(stack)


def check_name(option, value):
    """A message when a Grafana name option is empty, padded or too long, else None."""
    if not value or not value.strip():
        return "%s must not be empty" % option
    if value != value.strip():
        return "%s must not start or end with spaces, got %r" % (option, value)
    if len(value) > NAME_MAX_LENGTH:
        return "%s must be at most %d characters, got %d" % (option, NAME_MAX_LENGTH, len(value))
    return None


def find_service_account(client, stack, name, page_size=SEARCH_PAGE_SIZE):
    """The service account named exactly ``name`` in ``stack``, or None.

    One search request in the usual case: the search matches substrings, so the exact name is
    picked from the answer; the next page is asked for only when more matches remain and this page
    held no exact one. Raises :class:`StackNotFound` when the proxy answers 404 for the stack.
    """
    page = 1
    while True:
        try:
            body = client.get(stack_api_path(stack, "serviceaccounts", "search"),
                              params=dict(query=name, perpage=page_size, page=page)) or {}
        except GrafanaCloudAPIError as error:
            if error.status == 404 and not error.wrong_base_url:
                raise StackNotFound(stack)
            raise
        accounts = body.get("serviceAccounts") or []
        for account in accounts:
            if account.get("name") == name:
                return complete_service_account(client, stack, account)
        # The server may cap perpage: count pages with the size it used.
        served = int(body.get("perPage") or page_size)
        if not accounts or page * served >= int(body.get("totalCount") or 0):
            return None
        page += 1


def complete_service_account(client, stack, account):
    """The full service account: the spec only promises ``id`` and ``name`` in search items.

    Grafana's search returns the whole object, so this sends nothing in practice.
    """
    if "role" in account and "isDisabled" in account:
        return account
    return client.get(stack_api_path(stack, "serviceaccounts", account["id"]))


# -- Grafana's own errors ----------------------------------------------------------------------

#: Grafana's messageIds (``pkg/services/serviceaccounts``): a stack's Grafana answers errors as
#: {"message", "messageId", "statusCode"}, duplicates as 400, so the messageId is what to branch on.
ACCOUNT_EXISTS = "serviceaccounts.ErrAlreadyExists"
TOKEN_EXISTS = "serviceaccounts.ErrTokenAlreadyExists"


def is_grafana_error(error, message_id):
    """Whether ``error`` is the stack's Grafana answering with this ``messageId``."""
    return isinstance(error, GrafanaCloudAPIError) and error.message_id == message_id


def token_name_taken(stack, name):
    """The message for a token name Grafana refused as taken (unique in the whole org)."""
    return ("Grafana refused the token name %r in stack %r (%s): token names are unique across all "
            "service accounts of the stack's Grafana, and another account already has a token of that "
            "name. Pick another name." % (name, stack, TOKEN_EXISTS))


def account_name_taken(stack, name):
    """The message for a service account Grafana refused as existing although no search finds it."""
    return ("Grafana refused to create service account %r in stack %r (%s), yet no account of that "
            "exact name exists: another account's login, which Grafana derives from the name, is the "
            "same (for example 'ci bot' and 'ci-bot'). Pick another name." % (name, stack, ACCOUNT_EXISTS))
