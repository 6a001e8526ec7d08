# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Who is on call when: the OnCall engine's calendar arithmetic, for schedules and shifts.

Pure functions over stored shift records (the engine's public shape, ids resolved) and the
seeded users, no Flask. What they model, and where it comes from:

- A shift's ``start``/``until`` are wall-clock times in its ``time_zone`` (UTC when null):
  ``2026-01-05T09:00:00`` in ``Europe/Berlin`` is ``08:00Z`` (facts S1/S14).
- Recurrence: ``frequency`` (hourly, daily, weekly, monthly) every ``interval`` periods,
  narrowed by ``by_day`` / ``by_month`` / ``by_monthday``, weeks starting on ``week_start``,
  no start after ``until``. ``rolling_users`` hands each period to the next group, starting
  from ``start_rotation_from_user_index``.
- A Viewer (no ``notifications:read``) is never on call (facts L2). In a ``rolling_users``
  group holding a Viewer, whether the others count depends on the group's stored order
  (facts S6/S11/S14 differ between runs); here, the stricter reading: a group whose stored
  order starts with a Viewer puts nobody on call, otherwise its non-Viewers are.
- Overlapping shifts: the highest ``level`` wins, as in the engine's final schedule.
- iCal schedules: the VEVENTs of the feed (``DTSTART``/``DTEND`` in UTC, or all-day dates
  ``DTSTART;VALUE=DATE:20261206``, taken from midnight UTC, which the engine accepts, fact
  N5; an all-day event without ``DTEND`` lasts the day, RFC 5545), ``SUMMARY`` naming
  usernames or e-mails separated by spaces or commas.
"""

from __future__ import annotations

import calendar
import re
from datetime import datetime, timedelta, timezone
from typing import Callable, Iterable, Iterator
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

LOCAL_FORMAT = "%Y-%m-%dT%H:%M:%S"
WEEKDAYS = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
FREQUENCIES = ("hourly", "daily", "weekly", "monthly")
# A shift that recurs hourly from years ago still answers quickly; beyond this, stop.
MAX_PERIODS = 200_000

Event = tuple  # (start_utc, end_utc, level, [user ids])


def parse_local(text: str) -> datetime | None:
    """``yyyy-mm-ddThh:mm:ss`` as a naive datetime, or None when it is not that format."""
    if not isinstance(text, str):
        return None
    try:
        return datetime.strptime(text, LOCAL_FORMAT)
    except ValueError:
        return None


def zone(name: str | None) -> ZoneInfo | timezone | None:
    """The time zone of that IANA name (UTC for None), or None when the name is unknown."""
    if name is None:
        return timezone.utc
    if not isinstance(name, str) or not name:
        return None
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


def _to_utc(local: datetime, tz) -> datetime:
    return local.replace(tzinfo=tz).astimezone(timezone.utc)


def _add_months(moment: datetime, months: int) -> datetime | None:
    """The same day and time ``months`` later, or None when that month has no such day."""
    month_index = moment.month - 1 + months
    year, month = moment.year + month_index // 12, month_index % 12 + 1
    if moment.day > calendar.monthrange(year, month)[1]:
        return None
    return moment.replace(year=year, month=month)


def _period_base(start: datetime, frequency: str, k: int) -> datetime | None:
    if frequency == "hourly":
        return start + timedelta(hours=k)
    if frequency == "daily":
        return start + timedelta(days=k)
    if frequency == "weekly":
        return start + timedelta(weeks=k)
    return _add_months(start, k)


def _candidates(shift: dict, start: datetime, base: datetime) -> list[datetime]:
    """The starts one period (beginning at ``base``) holds, before the by_* narrowing."""
    frequency = shift["frequency"]
    by_day = shift.get("by_day") or []
    if frequency == "weekly" and by_day:
        week_start = WEEKDAYS.index(shift.get("week_start") or "MO")
        first_day = base - timedelta(days=(base.weekday() - week_start) % 7)
        days = (first_day + timedelta(days=offset) for offset in range(7))
        return sorted(day for day in days if WEEKDAYS[day.weekday()] in by_day)
    if frequency == "monthly" and shift.get("by_monthday"):
        last = calendar.monthrange(base.year, base.month)[1]
        days = set()
        for day in shift["by_monthday"]:
            number = day if day > 0 else last + day + 1
            if 1 <= number <= last:
                days.add(number)
        return [base.replace(day=number) for number in sorted(days)]
    return [base]


def _matches_limits(shift: dict, moment: datetime) -> bool:
    by_day = shift.get("by_day") or []
    if by_day and shift["frequency"] != "weekly" and WEEKDAYS[moment.weekday()] not in by_day:
        return False
    by_month = shift.get("by_month") or []
    return not by_month or moment.month in by_month


def local_starts(shift: dict, until_local: datetime) -> Iterator[tuple[datetime, int]]:
    """(wall-clock start, rotation index) of each occurrence up to ``until_local``."""
    start = parse_local(shift["start"])
    if shift["type"] in ("single_event", "override") or not shift.get("frequency"):
        yield start, 0
        return
    limit = parse_local(shift["until"]) if shift.get("until") else None
    interval = shift.get("interval") or 1
    by_day = shift.get("by_day") or []
    # Daily rotations over selected days hand over every `interval` occurrences (the engine
    # refuses an interval above the number of days for that reason).
    count_occurrences = shift["frequency"] == "daily" and bool(by_day)
    occurrence = 0
    for k in range(MAX_PERIODS):
        base = _period_base(start, shift["frequency"], k * (1 if count_occurrences else interval))
        if base is None:
            continue
        if base - timedelta(days=7) > until_local or (limit is not None and base - timedelta(days=7) > limit):
            return
        for moment in _candidates(shift, start, base):
            if moment < start or (limit is not None and moment > limit) or moment > until_local:
                continue
            if not _matches_limits(shift, moment):
                continue
            rotation = occurrence // interval if count_occurrences else k
            occurrence += 1
            yield moment, rotation


def _group_for(shift: dict, rotation: int) -> list[str]:
    groups = shift.get("rolling_users") or []
    if not groups:
        return []
    return groups[(rotation + (shift.get("start_rotation_from_user_index") or 0)) % len(groups)]


def shift_events(shift: dict, window_start: datetime, window_end: datetime) -> list[Event]:
    """The shift's occurrences overlapping [window_start, window_end) (aware UTC datetimes)."""
    tz = zone(shift.get("time_zone")) or timezone.utc
    duration = timedelta(seconds=shift["duration"])
    until_local = window_end.astimezone(tz).replace(tzinfo=None) + timedelta(days=1)
    events = []
    for local, rotation in local_starts(shift, until_local):
        begin = _to_utc(local, tz)
        end = begin + duration
        if end <= window_start or begin >= window_end:
            continue
        if shift["type"] == "rolling_users":
            users, rolling = list(_group_for(shift, rotation)), True
        else:
            users, rolling = list(shift.get("users") or []), False
        events.append((begin, end, shift.get("level") or 0, users, rolling))
    return events


def eligible_users(users: list[str], rolling: bool, is_viewer: Callable[[str], bool]) -> list[str]:
    """Who of an event's users is really on call (see the module docstring on Viewers)."""
    if rolling and users and is_viewer(users[0]):
        return []
    return [user for user in users if not is_viewer(user)]


def final_events(shifts: Iterable[dict], window_start: datetime, window_end: datetime,
                 is_viewer: Callable[[str], bool]) -> list[tuple[datetime, datetime, list[str]]]:
    """(start, end, users) of the final schedule: where shifts overlap, the highest level wins."""
    events = []
    for shift in shifts:
        for begin, end, level, users, rolling in shift_events(shift, window_start, window_end):
            people = eligible_users(users, rolling, is_viewer)
            if people:
                events.append((begin, end, level, people))
    final = []
    for begin, end, level, people in sorted(events, key=lambda event: (event[0], -event[2])):
        overridden = any(o_begin < end and begin < o_end and o_level > level
                         for o_begin, o_end, o_level, _people in events)
        if not overridden:
            final.append((begin, end, people))
    return final


def on_call_at(shifts: Iterable[dict], moment: datetime, is_viewer: Callable[[str], bool]) -> list[str]:
    """The user ids on call at ``moment``, each once, in the order their shifts started."""
    users = []
    for _begin, _end, people in final_events(shifts, moment, moment + timedelta(microseconds=1), is_viewer):
        users.extend(user for user in people if user not in users)
    return users


# -- iCal feeds ---------------------------------------------------------------------------

_ICAL_TIME = re.compile(r"^(\d{8}T\d{6})Z$")
_ICAL_DATE = re.compile(r"^(\d{8})$")


def _ical_moment(value: str) -> tuple[datetime, bool] | None:
    """``(moment, all_day)`` of a DTSTART/DTEND value: UTC date-time or all-day date (N5)."""
    match = _ICAL_TIME.match(value)
    if match is not None:
        return datetime.strptime(match.group(1), "%Y%m%dT%H%M%S").replace(tzinfo=timezone.utc), False
    match = _ICAL_DATE.match(value)
    if match is not None:
        return datetime.strptime(match.group(1), "%Y%m%d").replace(tzinfo=timezone.utc), True
    return None


def parse_ical(text: str) -> list[tuple[datetime, datetime, list[str]]] | None:
    """(start, end, names) of each VEVENT, or None when the text is no VCALENDAR."""
    if not isinstance(text, str) or "BEGIN:VCALENDAR" not in text:
        return None
    events, current = [], None
    for raw in text.replace("\r\n", "\n").split("\n"):
        line = raw.strip()
        if line == "BEGIN:VEVENT":
            current = {}
        elif line == "END:VEVENT" and current is not None:
            if "start" in current and "end" not in current and current.get("all_day"):
                current["end"] = current["start"] + timedelta(days=1)
            if "start" in current and "end" in current:
                events.append((current["start"], current["end"], current.get("names", [])))
            current = None
        elif current is not None and ":" in line:
            key, _colon, value = line.partition(":")
            key = key.split(";")[0].upper()
            if key in ("DTSTART", "DTEND"):
                parsed = _ical_moment(value)
                if parsed is None:
                    return None
                current["start" if key == "DTSTART" else "end"] = parsed[0]
                if key == "DTSTART":
                    current["all_day"] = parsed[1]
            elif key == "SUMMARY":
                current["names"] = [name for name in re.split(r"[\s,]+", value) if name]
    return events


def ical_on_call_at(events, moment: datetime, user_by_name: Callable[[str], dict | None],
                    is_viewer: Callable[[str], bool]) -> list[str]:
    users = []
    for begin, end, names in events or []:
        if not begin <= moment < end:
            continue
        for name in names:
            user = user_by_name(name)
            if user is not None and not is_viewer(user["id"]) and user["id"] not in users:
                users.append(user["id"])
    return users
