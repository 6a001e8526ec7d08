# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Area ``oncall_schedules``: on-call shifts and schedules, under /oncall.

Shifts (S1-S5, S12, S13, S17-S19, S21): ``type``, ``start`` (``yyyy-mm-ddThh:mm:ss``, S2)
and ``duration`` are required; repeating types need ``frequency`` (S3), weekly ones
``week_start``; ``rolling_users`` groups come back in the engine's own order, not the
request's (S1); unknown user ids are dropped silently; PUT is as partial as PATCH (S17);
``?name=`` and ``?schedule_id=`` filter (S12, S13).

Schedules (S6-S11, S14-S16, S20, S22, L1-L7): ``calendar`` needs ``time_zone`` (S7), an
unknown ``type`` is the bare string ``{"type": "Invalid type"}`` (S8), names are not unique
(S10); ``ical`` schedules need ``ical_url_primary``, which the engine downloads: the
simulator serves the feeds of its config ``oncall_ical_feeds`` (URL -> iCal text) and fails
any other URL as a failed download. ``on_call_now`` and ``final_shifts`` come from a cached
calendar that the engine's background tasks rebuild after a change; a write's answer shows
the calendar from before the change (L6, L7), and attaching shifts to a schedule that had
none never rebuilds it (L4, L5) until the periodic task, every ``oncall_calendar_refresh``
seconds of the simulator's clock. The calendar arithmetic is ``_oncall_calendar.py``; the
validation ``_oncall_shiftrules.py``.
"""

from __future__ import annotations

import secrets

from flask import Blueprint, request

from ..core import get_sim
from ..oncall import ONCALL_PREFIX
from ..oncall.auth import oncall_view
from ..oncall.errors import not_found
from ..oncall.fields import body
from ..oncall.paging import name_filtered, page, team_filtered
from ..oncall.store import delete, new_id, objects, on_delete, world
from . import _oncall_shiftrules as rules

blueprint = Blueprint("oncall_schedules", __name__)
URL_PREFIX = ONCALL_PREFIX
CONFIG_DEFAULTS = {
    # The engine's periodic task rebuilds every schedule's calendar (10 minutes in production).
    "oncall_calendar_refresh": 600,
    # iCal feeds the simulator can "download": {"https://.../x.ics": "BEGIN:VCALENDAR..."}.
    "oncall_ical_feeds": {},
}


def store(sim) -> dict:
    """The collections the rules work on (the shared OnCall world, see ``oncall/store.py``)."""
    state = world(sim)
    return {"users": objects(sim, "users"), "teams": objects(sim, "teams"),
            "shifts": objects(sim, "on_call_shifts"), "schedules": objects(sim, "schedules"),
            "webhooks": objects(sim, "webhooks"), "integrations": objects(sim, "integrations"),
            "alert_groups": objects(sim, "alert_groups"),
            "ical_feeds": sim.config.get("oncall_ical_feeds") or {},
            "order_salt": state.setdefault("rolling_order_salt", secrets.token_hex(8))}


def _found(collection: dict, obj_id: str) -> dict:
    obj = collection.get(obj_id)
    if obj is None:
        raise not_found()
    return obj


# -- shifts ---------------------------------------------------------------------------------

@blueprint.get("/api/v1/on_call_shifts/", strict_slashes=False)
@oncall_view("read")
def list_shifts():
    sim = get_sim()
    with sim.lock:
        world_store = store(sim)
        shifts = list(world_store["shifts"].values())
        schedule_id = request.args.get("schedule_id")
        if schedule_id:
            held = (world_store["schedules"].get(schedule_id) or {}).get("shifts") or []
            shifts = [shift for shift in shifts if shift["id"] in held]
        answers = [rules.shift_answer(world_store, shift) for shift in shifts]
        return page(team_filtered(name_filtered(answers)))


@blueprint.post("/api/v1/on_call_shifts/", strict_slashes=False)
@oncall_view("write")
def create_shift():
    sim = get_sim()
    with sim.lock:
        world_store = store(sim)
        shift = rules.create_shift(world_store, body(), new_id(sim, "on_call_shifts"))
        return rules.shift_answer(world_store, shift), 201


@blueprint.get("/api/v1/on_call_shifts/<shift_id>/", strict_slashes=False)
@oncall_view("read")
def get_shift(shift_id):
    sim = get_sim()
    with sim.lock:
        world_store = store(sim)
        return rules.shift_answer(world_store, _found(world_store["shifts"], shift_id))


@blueprint.route("/api/v1/on_call_shifts/<shift_id>/", methods=["PUT", "PATCH"], strict_slashes=False)
@oncall_view("write")
def update_shift(shift_id):
    sim = get_sim()
    with sim.lock:
        world_store = store(sim)
        shift = rules.update_shift(world_store, _found(world_store["shifts"], shift_id), body())
        rules.drop_calendars_with_shift(world_store, shift_id, sim.now())
        return rules.shift_answer(world_store, shift)


@blueprint.delete("/api/v1/on_call_shifts/<shift_id>/", strict_slashes=False)
@oncall_view("write")
def delete_shift(shift_id):
    sim = get_sim()
    with sim.lock:
        _found(objects(sim, "on_call_shifts"), shift_id)
        delete(sim, "on_call_shifts", shift_id)
    return "", 204


@on_delete("on_call_shifts")
def _leave_schedules(sim, shift) -> None:
    """A deleted shift leaves the schedules that held it, whose calendars are rebuilt (S21, S22)."""
    world_store = store(sim)
    for schedule in world_store["schedules"].values():
        if shift["id"] in (schedule.get("shifts") or []):
            schedule["shifts"] = [shift_id for shift_id in schedule["shifts"] if shift_id != shift["id"]]
            rules.refresh_calendar(world_store, schedule, sim.now())


# -- schedules -------------------------------------------------------------------------------

def _answer(sim, world_store, schedule) -> dict:
    rules.heal_stale(world_store, schedule, sim.now(), float(sim.config.get("oncall_calendar_refresh") or 600))
    return rules.schedule_answer(world_store, schedule, sim.now())


@blueprint.get("/api/v1/schedules/", strict_slashes=False)
@oncall_view("read")
def list_schedules():
    sim = get_sim()
    with sim.lock:
        world_store = store(sim)
        answers = [_answer(sim, world_store, schedule) for schedule in world_store["schedules"].values()]
        return page(team_filtered(name_filtered(answers)))


@blueprint.post("/api/v1/schedules/", strict_slashes=False)
@oncall_view("write")
def create_schedule():
    sim = get_sim()
    with sim.lock:
        world_store = store(sim)
        schedule = rules.create_schedule(world_store, body(), new_id(sim, "schedules"), sim.now())
        return _answer(sim, world_store, schedule), 201


@blueprint.get("/api/v1/schedules/<schedule_id>/", strict_slashes=False)
@oncall_view("read")
def get_schedule(schedule_id):
    sim = get_sim()
    with sim.lock:
        world_store = store(sim)
        return _answer(sim, world_store, _found(world_store["schedules"], schedule_id))


@blueprint.route("/api/v1/schedules/<schedule_id>/", methods=["PUT", "PATCH"], strict_slashes=False)
@oncall_view("write")
def update_schedule(schedule_id):
    sim = get_sim()
    with sim.lock:
        world_store = store(sim)
        schedule = _found(world_store["schedules"], schedule_id)
        rules.heal_stale(world_store, schedule, sim.now(), float(sim.config.get("oncall_calendar_refresh") or 600))
        return rules.update_schedule(world_store, schedule, body(), sim.now())


@blueprint.delete("/api/v1/schedules/<schedule_id>/", strict_slashes=False)
@oncall_view("write")
def delete_schedule(schedule_id):
    sim = get_sim()
    with sim.lock:
        _found(objects(sim, "schedules"), schedule_id)
        delete(sim, "schedules", schedule_id)
    return "", 204


@blueprint.get("/api/v1/schedules/<schedule_id>/final_shifts/", strict_slashes=False)
@oncall_view("read")
def final_shifts(schedule_id):
    sim = get_sim()
    with sim.lock:
        world_store = store(sim)
        schedule = _found(world_store["schedules"], schedule_id)
        rules.heal_stale(world_store, schedule, sim.now(), float(sim.config.get("oncall_calendar_refresh") or 600))
        return page(rules.final_shifts(world_store, schedule, request.args))
