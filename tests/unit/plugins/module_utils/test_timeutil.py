# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Durations, timestamps and the expiry rule used by token rotation."""

import datetime

import pytest

from ansible_collections.grafana_cloud.platform.plugins.module_utils._timeutil import (
    UTC,
    expires_within,
    format_datetime,
    parse_datetime,
    parse_duration,
)


@pytest.mark.parametrize("text, seconds", [
    ("30d", 30 * 86400), ("12h", 43200), ("1w2d", 9 * 86400), ("90m", 5400), ("45s", 45), ("1d 6h", 108000),
])
def test_parse_duration(text, seconds):
    assert parse_duration(text) == seconds


@pytest.mark.parametrize("text", ["", "30", "d30", "3 days", "-1d", "1.5h", None])
def test_parse_duration_rejects_other_forms(text):
    with pytest.raises(ValueError) as raised:
        parse_duration(text)
    assert "30d" in str(raised.value)


@pytest.mark.parametrize("text", [
    "2026-12-31T23:59:59Z", "2026-12-31T23:59:59.123456789Z", "2026-12-31T23:59:59+00:00",
    "2027-01-01T01:59:59+02:00", "2026-12-31T23:59:59",
])
def test_parse_datetime_forms(text):
    assert parse_datetime(text).replace(microsecond=0) == datetime.datetime(2026, 12, 31, 23, 59, 59, tzinfo=UTC)


def test_parse_datetime_date_only_and_errors():
    assert parse_datetime("2026-12-31") == datetime.datetime(2026, 12, 31, tzinfo=UTC)
    with pytest.raises(ValueError):
        parse_datetime("next tuesday")


def test_format_datetime_round_trips():
    moment = datetime.datetime(2026, 5, 4, 3, 2, 1, 987654, tzinfo=UTC)
    assert format_datetime(moment) == "2026-05-04T03:02:01.987Z"
    assert parse_datetime(format_datetime(moment)) == moment.replace(microsecond=987000)


def test_expires_within():
    now = datetime.datetime(2026, 1, 1, tzinfo=UTC)
    assert expires_within("2026-01-05T00:00:00Z", 7 * 86400, now=now)
    assert not expires_within("2026-02-05T00:00:00Z", 7 * 86400, now=now)
    assert expires_within("2025-12-31T00:00:00Z", 0, now=now)
    assert not expires_within(None, 7 * 86400, now=now)


def test_moment_from_now_counts_a_duration_either_way_or_takes_a_date(monkeypatch):
    from ansible_collections.grafana_cloud.platform.plugins.module_utils import _timeutil

    now = datetime.datetime(2026, 6, 1, 12, 0, tzinfo=datetime.timezone.utc)
    monkeypatch.setattr(_timeutil, "utcnow", lambda: now)
    assert _timeutil.moment_from_now("1d") == now + datetime.timedelta(days=1)
    assert _timeutil.moment_from_now("1w2h", sign=-1) == now - datetime.timedelta(days=7, hours=2)
    assert _timeutil.moment_from_now("2026-01-31T00:00:00Z").isoformat() == "2026-01-31T00:00:00+00:00"
    with pytest.raises(ValueError):
        _timeutil.moment_from_now("last tuesday")
