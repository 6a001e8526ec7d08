# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""How the OnCall modules compare what the engine holds with what a task asks for.

The engine answers rotation groups in its own order, reads secrets back masked and keeps
headers and data as text: each comparison must report no change where nothing changed
(re-runs stay unchanged) and a change where one is due.
"""

import pytest

from ansible_collections.grafana_cloud.platform.plugins.modules.oncall_alert_group_info import newest
from ansible_collections.grafana_cloud.platform.plugins.modules.oncall_outgoing_webhook import (
    ENGINE_MASK,
    SecretField,
    same_text,
)
from ansible_collections.grafana_cloud.platform.plugins.modules.oncall_shift import duration_seconds, same_groups


def test_rotation_groups_compare_in_order_but_not_inside():
    assert same_groups([["alice"], ["carol", "bob"]], [["alice"], ["bob", "carol"]])
    assert not same_groups([["alice"], ["bob"]], [["bob"], ["alice"]])  # another rotation order
    assert not same_groups([["alice"], ["bob"]], [["alice"], ["bob", "carol"]])
    assert not same_groups([["alice"]], [["alice"], ["bob"]])
    assert same_groups([], None)


def test_secrets_are_sent_when_missing_or_when_asked_always():
    on_create = SecretField("password")
    assert on_create.same(ENGINE_MASK, "s3cret")  # set: kept, re-runs unchanged
    assert not on_create.same(None, "s3cret")  # none stored: sent
    assert not on_create.same(ENGINE_MASK, "")  # "" removes it
    assert on_create.same(None, "")
    always = SecretField("password")
    always.always = True
    assert not always.same(ENGINE_MASK, "s3cret")


def test_headers_and_data_compare_as_json_when_given_as_a_mapping():
    assert same_text('{"X-A": "1"}', {"X-A": "1"})
    assert not same_text('{"X-A": "1"}', {"X-A": "2"})
    assert not same_text("{{ not json", {"X-A": "1"})
    assert same_text(None, "")
    assert same_text('{"k": "{{ alert_group.id }}"}', '{"k": "{{ alert_group.id }}"}')


def test_the_limit_reads_no_item_beyond_it():
    taken = []

    def items():
        for number in range(10):
            taken.append(number)
            yield number

    assert newest(items(), 3) == [0, 1, 2]
    assert taken == [0, 1, 2]
    assert newest(iter(range(5)), 0) == [0, 1, 2, 3, 4]


def test_a_duration_is_seconds_or_a_duration_text():
    assert duration_seconds(3600) == 3600
    assert duration_seconds("3600") == 3600  # what templating hands over
    assert duration_seconds("12h") == 43200
    assert duration_seconds("1d") == 86400
    for bad in ("twelve hours", True, "1.5h"):
        with pytest.raises(ValueError):
            duration_seconds(bad)
