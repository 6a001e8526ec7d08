# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A test callback: every task result, as JSON lines, in the file RESULT_LOG names.

tests/playbooks/test_execution_modes.py runs the same plays in controller and in module
mode with it and compares what each task returned, field by field.
"""

from __future__ import annotations

import json
import os

from ansible.plugins.callback import CallbackBase

DOCUMENTATION = r"""
name: result_log
type: aggregate
short_description: Every task result as a JSON line (tests only)
description: Writes each task's host, name, status and result to the file RESULT_LOG names.
"""


class CallbackModule(CallbackBase):
    CALLBACK_VERSION = 2.0
    CALLBACK_TYPE = "aggregate"
    CALLBACK_NAME = "result_log"
    CALLBACK_NEEDS_ENABLED = True

    def _log(self, status, result):
        record = dict(
            status=status,
            host=(getattr(result, "host", None) or result._host).get_name(),
            task=(getattr(result, "task", None) or result._task).get_name(),
            action=(getattr(result, "task", None) or result._task).action,
            result=getattr(result, "result", None) or result._result,
        )
        with open(os.environ["RESULT_LOG"], "a", encoding="utf-8") as log:
            log.write(json.dumps(record, default=str, sort_keys=True) + "\n")

    def v2_runner_on_ok(self, result):
        self._log("ok", result)

    def v2_runner_on_failed(self, result, ignore_errors=False):
        self._log("failed", result)

    def v2_runner_on_skipped(self, result):
        self._log("skipped", result)

    def v2_runner_item_on_ok(self, result):
        self._log("item_ok", result)

    def v2_runner_item_on_failed(self, result):
        self._log("item_failed", result)
