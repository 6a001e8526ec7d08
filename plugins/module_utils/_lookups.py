# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Lookups several modules need: a stack or an org by slug or id, in one request each."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.grafana_cloud.platform.plugins.module_utils._client import api_path
from ansible_collections.grafana_cloud.platform.plugins.module_utils._stacks import GONE_STATUSES, stack_path


def find_stack(client, slug_or_id):
    """The stack (``GET /instances/{slug or id}``), or None when it does not exist or is going away."""
    stack = client.get_or_none(stack_path(slug_or_id))
    if stack is None or stack.get("status") in GONE_STATUSES:
        return None
    return stack


def find_org(client, slug_or_id):
    """The org (``GET /orgs/{slug or id}``), or None."""
    return client.get_or_none(api_path("orgs", slug_or_id))
