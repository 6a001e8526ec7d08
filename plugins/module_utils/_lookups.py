# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Lookups several modules need: a stack or an org by slug or id, in one request each."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

try:
    from urllib.parse import quote
except ImportError:  # pragma: no cover
    from urllib import quote  # type: ignore

# A stack in these states is on its way out, or gone: it counts as absent.
GONE_STACK_STATUSES = frozenset(("deleting", "deleted"))


def find_stack(client, slug_or_id, include_deleting=False):
    """The stack (``GET /instances/{slug or id}``), or None when it does not exist or is deleted."""
    stack = client.get_or_none("/instances/%s" % quote(str(slug_or_id), safe=""))
    if stack is None:
        return None
    if stack.get("status") == "deleted" or (stack.get("status") == "deleting" and not include_deleting):
        return None
    return stack


def find_org(client, slug_or_id):
    """The org (``GET /orgs/{slug or id}``), or None."""
    return client.get_or_none("/orgs/%s" % quote(str(slug_or_id), safe=""))
