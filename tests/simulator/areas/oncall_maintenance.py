# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Area ``oncall_maintenance``: maintenance and debug mode of OnCall integrations, under /oncall.

Source: the engine's ``MaintainableObjectMixin`` (``engine/apps/public_api/views/
maintaiable_object_mixin.py``) and ``MaintainableObject.start_maintenance``:

- ``POST /api/v1/integrations/<id>/maintenance_start/`` with ``{"mode", "duration"}``:
  ``mode`` is ``maintenance`` or ``debug`` (case-insensitive), else 400
  ``{"mode": ["Unknown mode"]}``; ``duration`` is seconds as an integer (the engine takes any
  integer, "agile durations"), else 400 ``{"duration": ["Invalid duration"]}``; an
  integration already in either mode: 400 ``{"detail": "Already on maintenance"}``. The
  answer is the integration (``retrieve``), with ``maintenance_mode`` (the mode, lower
  case), ``maintenance_started_at`` and ``maintenance_end_at`` (start + duration).
- With a service-account token, ``maintenance_start`` is an HTML 500 page, whatever the mode
  (fact N4: ``'ServiceAccountUser' object has no attribute 'get_username_with_slack_verbal'``);
  whether the engine had stored the mode by then is not known, so the simulator answers
  after the checks of the body and changes nothing. A legacy key starts it.
- ``POST .../maintenance_stop/``: ends it, with a service-account token too (N4) (``force_disable_maintenance``; nothing to end is
  no error) and answers the integration.
- The window ends by itself at ``maintenance_end_at`` (the engine's countdown task): the
  simulator checks before every request.

The engine's "maintenance" mode also collects the integration's alerts into one alert group
of a hidden maintenance integration; the simulator does not model that part.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import Blueprint

from ..core import get_sim
from ..oncall import ONCALL_PREFIX
from ..oncall.auth import current_identity, oncall_view
from ..oncall.errors import detail, fields_error, not_found, server_error_page
from ..oncall.fields import body
from ..oncall.store import objects
from .oncall_integrations import render_integration

blueprint = Blueprint("oncall_maintenance", __name__)
URL_PREFIX = ONCALL_PREFIX

MODES = ("maintenance", "debug")


def drf_time(moment: datetime) -> str:
    """DRF's rendering of a datetime: microseconds and ``Z``."""
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def _parse(text: str) -> datetime:
    return datetime.strptime(text, "%Y-%m-%dT%H:%M:%S.%fZ").replace(tzinfo=get_sim().now().tzinfo)


def end_expired_windows(sim) -> None:
    """End every maintenance whose time is up (the engine's countdown task)."""
    now = sim.now()
    for integration in objects(sim, "integrations").values():
        end = integration.get("maintenance_end_at")
        if end and _parse(end) <= now:
            _clear(integration)


def _clear(integration: dict) -> None:
    integration["maintenance_mode"] = None
    integration["maintenance_started_at"] = None
    integration["maintenance_end_at"] = None


@blueprint.before_app_request
def _expire():
    sim = get_sim()
    with sim.lock:
        if "oncall" in sim.state:
            end_expired_windows(sim)


def _integration(integration_id: str) -> dict:
    integration = objects(get_sim(), "integrations").get(integration_id)
    if integration is None:
        raise not_found()
    return integration


@blueprint.post("/api/v1/integrations/<integration_id>/maintenance_start/", strict_slashes=False)
@oncall_view("write")
def maintenance_start(integration_id):
    sim = get_sim()
    with sim.lock:
        integration = _integration(integration_id)
        data = body()
        mode = str(data.get("mode")).lower()
        if mode not in MODES:
            raise fields_error({"mode": ["Unknown mode"]})
        try:
            duration = int(data.get("duration"))
        except (TypeError, ValueError):
            raise fields_error({"duration": ["Invalid duration"]}) from None
        if integration.get("maintenance_mode") is not None:
            raise detail(400, "Already on maintenance")
        if current_identity()["kind"] == "service_account":
            raise server_error_page()  # N4
        now = sim.now()
        integration["maintenance_mode"] = mode
        integration["maintenance_started_at"] = drf_time(now)
        integration["maintenance_end_at"] = drf_time(now + timedelta(seconds=duration))
        return render_integration(integration)


@blueprint.post("/api/v1/integrations/<integration_id>/maintenance_stop/", strict_slashes=False)
@oncall_view("write")
def maintenance_stop(integration_id):
    sim = get_sim()
    with sim.lock:
        integration = _integration(integration_id)
        _clear(integration)
        return render_integration(integration)
