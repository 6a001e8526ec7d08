# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The OnCall engine's rules for on-call shifts and schedules: validation and answers.

Pure functions over the OnCall store (plain dicts), raising ``Refusal(status, body)`` (the
OnCall areas' ``OnCallError``) with the engine's answer; the views in ``oncall_schedules.py`` wire them to HTTP. Sources:
``oncall-engine-facts.md`` rows S1-S22 and L1-L7 (they win), then the engine's serializers
(``public_api/serializers/on_call_shifts.py``, ``schedules_*.py``) for the messages the facts
do not show.
"""

from __future__ import annotations

import copy
import hashlib
from datetime import datetime, timedelta, timezone

from ..oncall.errors import OnCallError as Refusal  # Refusal(status, body): the engine's answer
from . import _oncall_calendar as cal

SHIFT_TYPES = ("single_event", "recurrent_event", "rolling_users", "override")
SCHEDULE_TYPES = ("calendar", "ical", "web")
DATETIME_DETAIL = "Invalid datetime format, should be \"yyyy-mm-dd'T'hh:mm:ss\""
REQUIRED = "This field is required."
NOT_EXIST = "Object does not exist"
# Fields a shift's type drops from its answer (and resets on a change of type).
DROPPED_BY_TYPE = {
    "single_event": ("frequency", "interval", "until", "by_day", "by_month", "by_monthday", "week_start",
                     "rolling_users", "start_rotation_from_user_index"),
    "recurrent_event": ("rolling_users", "start_rotation_from_user_index"),
    "rolling_users": ("users",),
    "override": ("level", "frequency", "interval", "until", "by_day", "by_month", "by_monthday", "week_start",
                 "rolling_users", "start_rotation_from_user_index"),
}
SHIFT_FIELDS = ("id", "team_id", "schedule", "name", "type", "time_zone", "level", "start", "duration",
                "rotation_start", "frequency", "interval", "until", "week_start", "by_day", "by_month",
                "by_monthday", "users", "rolling_users", "start_rotation_from_user_index")


def detail(message: str, status: int = 400) -> Refusal:
    return Refusal(status, {"detail": message})


def field_error(field: str, message: str) -> Refusal:
    return Refusal(400, {field: [message]})


# -- references -------------------------------------------------------------------------

def team_ref(store: dict, body: dict, key: str = "team_id"):
    """The team id of the body (None for no team); an unknown one is a field error."""
    value = body.get(key) or None  # Terraform sends "" for no team; the engine takes it as None
    if value is not None and value not in store["teams"]:
        raise field_error(key, NOT_EXIST)
    return value


def known_users(store: dict, ids) -> list[str]:
    """The ids that name users of the organization; the engine drops the others silently
    (facts EP3, and the same field type on shifts)."""
    return [user_id for user_id in ids or [] if isinstance(user_id, str) and user_id in store["users"]]


def database_order(store: dict, user_ids: list[str]) -> list[str]:
    """A ``rolling_users`` group in "database order": the engine stores each group as a map
    and answers it in an order of its own, not the request's (facts S1). A salt drawn at
    every reset keeps the order stable within a run and unrelated to the request."""
    salt = store["order_salt"]
    return sorted(user_ids, key=lambda user_id: hashlib.sha256((salt + user_id).encode()).hexdigest())


def is_viewer(store: dict):
    return lambda user_id: (store["users"].get(user_id) or {}).get("role") == "viewer"


# -- shifts -----------------------------------------------------------------------------

def _check_local(value, field):
    if value is not None and cal.parse_local(value) is None:
        raise detail(DATETIME_DETAIL)


def _duration(value):
    if isinstance(value, bool):
        value = None
    if isinstance(value, (int, float)):
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    raise field_error("duration", "Duration has wrong format. Use one of these formats instead: "
                                  "[DD] [HH:[MM:]]ss[.uuuuuu].")


def _check_list_values(body):
    by_day = body.get("by_day")
    if by_day:
        if not isinstance(by_day, list) or any(day not in cal.WEEKDAYS for day in by_day):
            raise detail("Invalid day value in by_day field. Valid values: 'MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'")
    by_month = body.get("by_month")
    if by_month and (not isinstance(by_month, list)
                     or any(not isinstance(m, int) or isinstance(m, bool) or not 1 <= m <= 12 for m in by_month)):
        raise detail("Invalid month value in by_month field. Valid values: from 1 to 12")
    by_monthday = body.get("by_monthday")
    if by_monthday and (not isinstance(by_monthday, list) or any(
            not isinstance(d, int) or isinstance(d, bool) or not -31 <= d <= 31 or d == 0 for d in by_monthday)):
        raise detail("Invalid monthday value in by_monthday field. Valid values: from 1 to 31 and from -31 to -1")
    interval = body.get("interval")
    if interval is not None and (not isinstance(interval, int) or isinstance(interval, bool) or interval <= 0):
        raise detail("Invalid value for interval")


def _check_users(body):
    users = body.get("users")
    if users is not None and not isinstance(users, list):
        raise field_error("users", 'Expected a list of items but got type "%s".' % type(users).__name__)
    groups = body.get("rolling_users")
    if groups is not None and (not isinstance(groups, list) or any(not isinstance(g, list) for g in groups)):
        raise field_error("rolling_users", "Expected a list of lists of user ids.")


def _check_shift_name(store, name, own_id=None):
    if not isinstance(name, str) or not name:
        raise field_error("name", REQUIRED if name is None else "This field may not be blank.")
    for shift in store["shifts"].values():
        if shift["name"] == name and shift["id"] != own_id:
            raise detail("On-call shift with this name already exists")


def _check_rules(shift, frequency_changed=True, index_changed=True):
    """The engine's cross-field rules (facts S3, and the serializer's create/update checks)."""
    kind = shift["type"]
    if frequency_changed and kind not in ("single_event", "override"):
        if shift.get("frequency") is None:
            raise detail("Field 'frequency' is required for this on-call shift type")
        if shift["frequency"] == "weekly" and shift.get("week_start") is None:
            raise detail("Field 'week_start' is required for frequency type 'weekly'")
    if index_changed and kind == "rolling_users" and shift.get("start_rotation_from_user_index") is None:
        raise detail("Field 'start_rotation_from_user_index' is required for this on-call shift type")
    if kind == "rolling_users" and shift.get("frequency") == "daily":
        if shift.get("by_monthday"):
            raise detail("Day limits are temporarily disabled for on-call shifts with type 'rolling_users' "
                         "and frequency 'daily'")
        if shift.get("by_day") and (shift.get("interval") or 1) > len(shift["by_day"]):
            raise detail("Interval must be less than or equal to the number of selected days")


def _apply_shift_fields(store, shift, body):
    """Copy the writable fields of ``body`` onto ``shift``, validated as the engine does."""
    for key in ("start", "rotation_start", "until"):
        if key in body:
            _check_local(body[key], key)
    if "type" in body:
        if body["type"] not in SHIFT_TYPES:
            raise detail("Invalid shift type")
        shift["type"] = body["type"]
    if "frequency" in body and body["frequency"] is not None and body["frequency"] not in cal.FREQUENCIES:
        raise detail("Invalid frequency type")
    if "week_start" in body and body["week_start"] not in cal.WEEKDAYS:
        raise detail("Invalid day format for week start field. "
                     "Should be one of the following: 'MO', 'TU', 'WE', 'TH', 'FR', 'SA', 'SU'")
    if "time_zone" in body and body["time_zone"] is not None and cal.zone(body["time_zone"]) is None:
        raise field_error("time_zone", "Invalid timezone")
    if "level" in body and (not isinstance(body["level"], int) or isinstance(body["level"], bool)):
        raise field_error("level", "A valid integer is required.")
    _check_list_values(body)
    _check_users(body)
    if "team_id" in body:
        shift["team_id"] = team_ref(store, body)
    if "duration" in body:
        shift["duration"] = _duration(body["duration"])
    for key in ("name", "time_zone", "level", "start", "rotation_start", "frequency", "interval", "until",
                "week_start", "start_rotation_from_user_index"):
        if key in body:
            shift[key] = body[key]
    for key in ("by_day", "by_month", "by_monthday"):
        if key in body:
            shift[key] = list(body[key]) if body[key] else None  # [] is stored as null
    if "users" in body:
        shift["users"] = known_users(store, body["users"])
    if "rolling_users" in body:
        groups = [database_order(store, known_users(store, group)) for group in body["rolling_users"] or []]
        shift["rolling_users"] = groups or None


def _reset_for_type(shift):
    """What the engine's ``_correct_validated_data`` clears for the shift's type."""
    for key in DROPPED_BY_TYPE[shift["type"]]:
        if key == "users":
            shift["users"] = []
        elif key == "level":
            shift["level"] = 0
        elif key != "week_start":
            shift[key] = None


def create_shift(store, body, new_id):
    if not isinstance(body, dict):
        raise detail("Invalid data. Expected a dictionary, but got %s." % type(body).__name__)
    missing = [key for key in ("type", "start", "duration") if body.get(key) is None]
    if "name" not in body:
        missing.insert(0, "name")
    if missing:
        raise Refusal(400, dict((key, [REQUIRED]) for key in missing))
    _check_shift_name(store, body["name"])
    shift = dict(id=new_id, team_id=None, name=None, type=None, time_zone=None, level=0, start=None,
                 duration=None, rotation_start=None, frequency=None, interval=None, until=None, week_start=None,
                 by_day=None, by_month=None, by_monthday=None, users=[], rolling_users=None,
                 start_rotation_from_user_index=None)
    _apply_shift_fields(store, shift, body)
    _check_rules(shift)
    _reset_for_type(shift)
    shift["rotation_start"] = shift["rotation_start"] or shift["start"]
    store["shifts"][new_id] = shift
    return shift


def update_shift(store, shift, body):
    if not isinstance(body, dict):
        raise detail("Invalid data. Expected a dictionary, but got %s." % type(body).__name__)
    if "name" in body:
        _check_shift_name(store, body["name"], own_id=shift["id"])
    updated = copy.deepcopy(shift)
    _apply_shift_fields(store, updated, body)
    _check_rules(updated, frequency_changed=updated.get("frequency") != shift.get("frequency"),
                 index_changed=updated.get("start_rotation_from_user_index")
                 != shift.get("start_rotation_from_user_index"))
    if updated["type"] != shift["type"]:
        _reset_for_type(updated)
    shift.clear()
    shift.update(updated)
    return shift


def shift_schedule(store, shift_id):
    return next((schedule["id"] for schedule in store["schedules"].values()
                 if shift_id in (schedule.get("shifts") or [])), None)


def shift_answer(store, shift):
    """The engine's representation (facts S1, S5): type-specific fields only."""
    answer = {}
    for key in SHIFT_FIELDS:
        if key == "schedule":
            answer[key] = shift_schedule(store, shift["id"])
        else:
            answer[key] = copy.deepcopy(shift.get(key))
    for key in DROPPED_BY_TYPE[shift["type"]]:
        answer.pop(key, None)
    if shift.get("frequency") != "weekly":
        answer.pop("week_start", None)
    return answer


def shifts_of(store, ids):
    return [store["shifts"][shift_id] for shift_id in ids if shift_id in store["shifts"]]


# -- schedules ----------------------------------------------------------------------------

def _check_schedule_shifts(store, ids, team_id):
    """The shifts a schedule may hold (unknown ids are dropped, as the engine does)."""
    if ids is None:
        return []
    if not isinstance(ids, list):
        raise field_error("shifts", 'Expected a list of items but got type "%s".' % type(ids).__name__)
    kept = [shift_id for shift_id in ids if isinstance(shift_id, str) and shift_id in store["shifts"]]
    for shift_id in kept:
        shift = store["shifts"][shift_id]
        if (shift.get("team_id") or None) != team_id:
            raise detail("Shifts must be assigned to the same team as the schedule")
        if shift["type"] == "override":
            raise detail("Shifts of type override are not supported in this schedule")
    return list(dict.fromkeys(kept))


def _check_ical_url(store, url, field):
    """The engine downloads the feed at validation; the simulator "downloads" only the feeds
    registered through ``POST /_sim/oncall/ical`` and fails the others as a download would."""
    if url is None:
        return None
    if not isinstance(url, str) or not url.startswith(("http://", "https://")):
        raise field_error(field, "Enter a valid URL.")
    content = store["ical_feeds"].get(url)
    if content is None:
        raise field_error(field, "Ical download failed")
    if cal.parse_ical(content) is None:
        raise field_error(field, "Ical import failed")
    return url


def create_schedule(store, body, new_id, now):
    if not isinstance(body, dict):
        raise detail("Invalid data. Expected a dictionary, but got %s." % type(body).__name__)
    kind = body.get("type")
    if kind not in SCHEDULE_TYPES:
        raise Refusal(400, {"type": "Invalid type"})  # a bare string, not a list (facts S8)
    errors = {}
    if not body.get("name"):
        errors["name"] = [REQUIRED if body.get("name") is None else "This field may not be blank."]
    if kind in ("calendar", "web") and body.get("time_zone") is None:
        errors["time_zone"] = [REQUIRED]
    if kind == "ical" and body.get("ical_url_primary") is None:
        errors["ical_url_primary"] = [REQUIRED]
    if errors:
        raise Refusal(400, errors)
    schedule = dict(id=new_id, type=kind, team_id=team_ref(store, body), name=body["name"], time_zone=None,
                    shifts=[], ical_url_primary=None, ical_url_overrides=None, enable_web_overrides=False)
    _apply_schedule_fields(store, schedule, body)
    store["schedules"][new_id] = schedule
    refresh_calendar(store, schedule, now)
    return schedule


def _apply_schedule_fields(store, schedule, body):
    kind = schedule["type"]
    if "name" in body:
        if not body["name"]:
            raise field_error("name", "This field may not be blank." if body["name"] is not None
                              else "This field may not be null.")
        schedule["name"] = body["name"]
    if "team_id" in body:
        schedule["team_id"] = team_ref(store, body)
    if kind in ("calendar", "web") and "time_zone" in body:
        if cal.zone(body["time_zone"]) is None or body["time_zone"] is None:
            raise field_error("time_zone", "Invalid timezone")
        schedule["time_zone"] = body["time_zone"]
    if kind == "calendar" and "shifts" in body:
        schedule["shifts"] = _check_schedule_shifts(store, body["shifts"], schedule["team_id"])
    if kind == "ical" and "ical_url_primary" in body:
        if body["ical_url_primary"] is None:
            raise field_error("ical_url_primary", "This field may not be null.")
        schedule["ical_url_primary"] = _check_ical_url(store, body["ical_url_primary"], "ical_url_primary")
    if "ical_url_overrides" in body:
        schedule["ical_url_overrides"] = _check_ical_url(store, body["ical_url_overrides"], "ical_url_overrides")
    if kind == "web" and "enable_web_overrides" in body:
        schedule["enable_web_overrides"] = bool(body["enable_web_overrides"])


def update_schedule(store, schedule, body, now):
    """PUT and PATCH: partial updates (facts S15, S16). Returns the answer, whose
    ``on_call_now`` comes from the calendar as it was before the change (facts L6)."""
    if not isinstance(body, dict):
        raise detail("Invalid data. Expected a dictionary, but got %s." % type(body).__name__)
    updated = copy.deepcopy(schedule)
    _apply_schedule_fields(store, updated, body)
    if updated["type"] == "calendar":
        # The engine's update compares the old shifts with validated_data["shifts"], a key
        # that is never there (the field's source is custom_on_call_shifts): the calendar is
        # refreshed when the time zone changes or the schedule had shifts, never when shifts
        # are attached to a schedule that had none (facts L4, L5).
        refresh = updated["time_zone"] != schedule["time_zone"] or bool(schedule["shifts"])
    else:
        refresh = updated["ical_url_primary"] != schedule["ical_url_primary"]
    if updated["ical_url_overrides"] != schedule["ical_url_overrides"]:
        refresh = True
    answer = schedule_answer(store, dict(updated, calendar=schedule["calendar"]), now)
    schedule.clear()
    schedule.update(updated)
    if refresh:
        refresh_calendar(store, schedule, now)
    return answer


def refresh_calendar(store, schedule, now):
    """What the engine's Celery tasks do after a change: rebuild the cached calendar that
    ``on_call_now`` and ``final_shifts`` are computed from."""
    if schedule["type"] == "calendar":
        source = copy.deepcopy(shifts_of(store, schedule["shifts"]))
    elif schedule["type"] == "ical":
        source = [event for url in (schedule["ical_url_primary"], schedule["ical_url_overrides"]) if url
                  for event in cal.parse_ical(store["ical_feeds"].get(url, "")) or []]
    else:
        source = []
    schedule["calendar"] = dict(source=source, refreshed_at=now.timestamp())


def drop_calendars_with_shift(store, shift_id, now):
    """A shift changed or went: every schedule holding it rebuilds its calendar."""
    for schedule in store["schedules"].values():
        if shift_id in (schedule.get("shifts") or []):
            refresh_calendar(store, schedule, now)


def heal_stale(store, schedule, now, beat_seconds):
    """The engine's periodic task rebuilds every calendar (every 10 minutes in production)."""
    if now.timestamp() - schedule["calendar"]["refreshed_at"] >= beat_seconds:
        refresh_calendar(store, schedule, now)


def user_by_name(store):
    def lookup(name):
        for user in store["users"].values():
            if name in (user.get("username"), user.get("email")):
                return user
        return None
    return lookup


def on_call_now(store, schedule, now):
    source = schedule["calendar"]["source"]
    if schedule["type"] == "ical":
        return cal.ical_on_call_at(source, now, user_by_name(store), is_viewer(store))
    return cal.on_call_at(source, now, is_viewer(store))


def schedule_answer(store, schedule, now):
    """The engine's representation (facts S6, S9): calendar and ical shapes differ."""
    answer = dict(id=schedule["id"], team_id=schedule["team_id"], name=schedule["name"])
    if schedule["type"] == "ical":
        answer.update(ical_url_primary=schedule["ical_url_primary"],
                      ical_url_overrides=schedule["ical_url_overrides"],
                      on_call_now=on_call_now(store, schedule, now))
    else:
        answer.update(time_zone=schedule["time_zone"], on_call_now=on_call_now(store, schedule, now))
        if schedule["type"] == "calendar":
            answer["shifts"] = list(schedule["shifts"])
        answer.update(ical_url_overrides=schedule["ical_url_overrides"],
                      enable_web_overrides=schedule["enable_web_overrides"])
    answer["slack"] = {"channel_id": None, "user_group_id": None}
    answer["type"] = schedule["type"]
    return answer


def parse_day(value):
    for form in ("%Y-%m-%dT%H:%M", "%Y-%m-%d"):
        try:
            return datetime.strptime(value, form).replace(tzinfo=timezone.utc)
        except (TypeError, ValueError):
            continue
    return None


def final_shifts(store, schedule, args):
    """``GET /schedules/<id>/final_shifts/?start_date=&end_date=`` (facts S14)."""
    errors = {}
    start, end = parse_day(args.get("start_date")), parse_day(args.get("end_date"))
    for key, value in (("start_date", start), ("end_date", end)):
        if args.get(key) is None:
            errors[key] = [REQUIRED]
        elif value is None:
            errors[key] = ["Datetime has wrong format. Use one of these formats instead: YYYY-MM-DDThh:mm, YYYY-MM-DD."]
    if errors:
        raise Refusal(400, errors)
    if start > end:
        raise Refusal(400, {"non_field_errors": ["start_date must be less than or equal to end_date"]})
    if end - start > timedelta(days=365):
        raise Refusal(400, {"non_field_errors": [
            "The difference between start_date and end_date must be less than one year (365 days)"]})
    window_end = end + timedelta(days=1)
    if schedule["type"] == "ical":
        events = []
        for begin, finish, names in schedule["calendar"]["source"]:
            if begin < window_end and start < finish:
                ids = [user["id"] for user in map(user_by_name(store), names) if user is not None]
                events.append((begin, finish, [u for u in ids if not is_viewer(store)(u)]))
    else:
        events = cal.final_events(schedule["calendar"]["source"], start, window_end, is_viewer(store))
    results = []
    for begin, finish, people in events:
        for user_id in people:
            user = store["users"][user_id]
            results.append(dict(user_pk=user_id, user_email=user.get("email"), user_username=user.get("username"),
                                shift_start=begin.strftime("%Y-%m-%dT%H:%M:%SZ"),
                                shift_end=finish.strftime("%Y-%m-%dT%H:%M:%SZ")))
    return results
