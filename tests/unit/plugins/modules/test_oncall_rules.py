# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Rules of the OnCall modules that need no server: a step's type and its options, templates
compared on the keys given only."""

import pytest

from ansible_collections.grafana_cloud.platform.plugins.modules.oncall_escalation_policy import (
    TYPE_OPTIONS,
    TYPES,
    type_problems,
)
from ansible_collections.grafana_cloud.platform.plugins.modules.oncall_integration import TemplatesField


def params(**values):
    base = dict((option, None) for option in TYPE_OPTIONS)
    base.update(type=None, important=None)
    base.update(values)
    return base


@pytest.mark.parametrize("values", [
    dict(type="wait", duration=60),
    dict(type="wait", duration=86400),
    dict(type="notify_persons", persons_to_notify=["alice"], important=True),
    dict(type="notify_persons", persons_to_notify=[]),
    dict(type="notify_if_time_from_to", notify_if_time_from="09:00:00Z", notify_if_time_to="17:30:00Z"),
    dict(type="notify_if_num_alerts_in_window", num_alerts_in_window=3, num_minutes_in_window=5),
    dict(type="notify_whole_channel", important=False),
    dict(type="resolve"),
    dict(type="repeat_escalation"),
])
def test_good_steps_have_no_problems(values):
    assert [problem for problem in type_problems(params(**values)) if problem] == []


@pytest.mark.parametrize("values, expected", [
    (dict(), "type is required with state present."),
    (dict(type="wait"), "type wait needs duration."),
    (dict(type="wait", duration=59), "duration must be from 60 to 86400 seconds, got 59."),
    (dict(type="wait", duration=86401), "duration must be from 60 to 86400 seconds, got 86401."),
    (dict(type="wait", duration=60, important=True), "important applies to the notify types only, not to wait."),
    (dict(type="resolve", duration=60), "duration: not options of type resolve (it takes none of them)."),
    (dict(type="notify_if_time_from_to", notify_if_time_from="24:00:00Z", notify_if_time_to="10:00:00Z"),
     "notify_if_time_from must be HH:MM:SSZ (UTC), got '24:00:00Z'."),
    (dict(type="notify_if_num_alerts_in_window", num_alerts_in_window=0, num_minutes_in_window=5),
     "num_alerts_in_window must be 1 or more, got 0."),
    (dict(type="notify_persons", persons_to_notify=["alice", " "]), "persons_to_notify entries must not be empty."),
])
def test_bad_steps_are_named(values, expected):
    assert expected in type_problems(params(**values))


def test_every_type_names_options_the_module_has():
    for options, _important in TYPES.values():
        assert set(options) <= set(TYPE_OPTIONS)


def test_templates_compare_on_the_given_keys_only():
    field = TemplatesField("templates")
    current = {"grouping_key": "{{ a }}", "slack": {"title": "t", "message": None}, "web": {"title": None}}
    assert field.same(current, {"slack": {"title": "t"}})
    assert field.same(current, {"grouping_key": "{{ a }}"})
    assert not field.same(current, {"slack": {"message": "m"}})
    assert not field.same(current, {"resolve_signal": "x"})
