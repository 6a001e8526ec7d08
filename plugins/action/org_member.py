# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Runs the org_member module in the controller's worker when the task runs on the controller."""

from __future__ import annotations

from ansible_collections.grafana_cloud.platform.plugins.plugin_utils._api_module_action import ApiModuleAction


class ActionModule(ApiModuleAction):
    """Everything is in ApiModuleAction (plugins/plugin_utils/_api_module_action.py)."""
