# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Durations (``30d``, ``12h``), ISO 8601 timestamps and the token-rotation rule, shared by
every module that handles expiring credentials."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import re

UTC = datetime.timezone.utc

_DURATION_PART = re.compile(r"(\d+)\s*([wdhms])")
_DURATION = re.compile(r"^\s*(\d+\s*[wdhms]\s*)+$")
_UNIT_SECONDS = dict(w=604800, d=86400, h=3600, m=60, s=1)


def utcnow():
    return datetime.datetime.now(UTC)


def parse_duration(text):
    """Seconds in a duration such as ``30d``, ``12h``, ``1w2d``, ``90m`` or ``45s``.

    Raises ValueError with a message that shows the accepted forms.
    """
    if isinstance(text, int):
        return text
    if text is None or not _DURATION.match(str(text)):
        raise ValueError("%r is not a duration: use a number followed by w, d, h, m or s, "
                         "for example 30d, 12h or 1w2d" % (text,))
    return sum(int(amount) * _UNIT_SECONDS[unit] for amount, unit in _DURATION_PART.findall(str(text)))


def parse_datetime(text):
    """An aware UTC datetime from ISO 8601 (``2026-01-31T12:00:00Z``, ``2026-01-31``, offsets)."""
    value = str(text).strip()
    if re.match(r"^\d{4}-\d{2}-\d{2}$", value):
        value += "T00:00:00"
    # fromisoformat before Python 3.11 knows neither "Z" nor more than 6 fraction digits.
    value = re.sub(r"[zZ]$", "+00:00", value)
    value = re.sub(r"(\.\d{6})\d+", r"\1", value)
    try:
        parsed = datetime.datetime.fromisoformat(value)
    except ValueError:
        raise ValueError("%r is not an ISO 8601 date and time, for example 2026-12-31T23:59:59Z" % (text,))
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.astimezone(UTC)


def moment_from_now(text, sign=1):
    """An aware UTC datetime from ISO 8601, or from a duration (``14d``) counted from now:
    forward with ``sign=1`` (an expiry), back with ``sign=-1`` (activity since). Raises
    ValueError when ``text`` is neither."""
    try:
        return utcnow() + sign * datetime.timedelta(seconds=parse_duration(text))
    except ValueError:
        return parse_datetime(text)


def format_datetime(moment):
    """ISO 8601 in UTC with milliseconds and ``Z``, the form the Grafana Cloud API answers with."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.") + "%03dZ" % (moment.microsecond // 1000)


def expires_within(expires_at, seconds, now=None):
    """Whether a credential expiring at ``expires_at`` (text or None) expires within ``seconds``.

    A credential without an expiry never does.
    """
    if not expires_at:
        return False
    now = now or utcnow()
    return parse_datetime(expires_at) - now <= datetime.timedelta(seconds=seconds)
