# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Control endpoints under ``/_sim`` (no auth, never logged, never faulted).

- ``POST /_sim/reset``: back to the seed (see ``Simulator.reset``).
- ``GET|DELETE /_sim/requests``: the /api request log, oldest first / clear it. An entry:
  ``method``; ``path`` after /api, no query string (``/v1/accesspolicies``, as in fault
  regexes and the spec); ``query`` (a dict; a repeated parameter maps to a list);
  ``status`` (what the client saw); ``request_id`` (the body's ``requestId``);
  ``x_request_id`` (the client's ``X-Request-Id`` header, or null); ``fault`` (the id of
  the fault that hit it, or null); ``committed_status`` (the real status behind a
  ``drop_after_commit`` 504, or null); ``contract_violation`` (the message, or null);
  ``other_client`` (true for the request a ``race`` fault sent as another client).
- ``POST|GET|DELETE /_sim/faults``: arm a fault (see ``faults.py``) / list / clear.
- ``POST|GET /_sim/config``: merge into ``sim.config`` (unknown keys are refused) / show it.
- ``POST /_sim/clock``: ``{"advance": s}`` or ``{"offset": s}``; answers the new time.
- ``POST /_sim/tokens``: ``{"token"?: str, "scopes": [...]}`` registers a test credential.
- ``GET /_sim/health``.
- ``GET /_sim/oncall``: how to reach the OnCall API: ``url`` (``<root>/oncall``, the
  ``oncall_api_url``), ``grafana_url`` (for ``X-Grafana-URL``) and the credentials:
  ``service_account_token``, ``service_account_read_only_token``, ``legacy_key`` (admin),
  ``viewer_legacy_key`` (carol, a Viewer).

Bad control input answers 400 ``BadRequest`` (in the API's error shape).
"""

from __future__ import annotations

from typing import Any

from flask import Blueprint, request

from .core import get_sim, make_token
from .errors import ApiError

blueprint = Blueprint("sim_control", __name__, url_prefix="/_sim")


def _bad_request(message: str) -> ApiError:
    return ApiError(400, "BadRequest", message)


def _body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise _bad_request("the body must be a JSON object")
    return body


def _number(body: dict, name: str) -> float:
    value = body[name]
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise _bad_request(f"{name} must be a number of seconds")
    return float(value)


@blueprint.get("/health")
def health():
    return {"status": "ok"}


@blueprint.post("/reset")
def reset():
    get_sim().reset()
    return {"status": "reset"}


@blueprint.get("/requests")
def list_requests():
    return get_sim().request_log()


@blueprint.delete("/requests")
def clear_requests():
    get_sim().clear_request_log()
    return "", 204


@blueprint.post("/faults")
def add_fault():
    try:
        fault = get_sim().add_fault(_body())
    except ValueError as exc:
        raise _bad_request(f"invalid fault: {exc}") from None
    return fault.to_dict(), 201


@blueprint.get("/faults")
def list_faults():
    return get_sim().faults()


@blueprint.delete("/faults")
def clear_faults():
    get_sim().clear_faults()
    return "", 204


@blueprint.post("/config")
def update_config():
    try:
        return get_sim().update_config(_body())
    except KeyError as exc:
        raise _bad_request(exc.args[0]) from None


@blueprint.get("/config")
def show_config():
    return dict(get_sim().config)


@blueprint.post("/clock")
def move_clock():
    body, sim = _body(), get_sim()
    if set(body) == {"advance"}:
        sim.advance_clock(_number(body, "advance"))
    elif set(body) == {"offset"}:
        sim.set_clock_offset(_number(body, "offset"))
    else:
        raise _bad_request('give exactly one of "advance" or "offset" (seconds)')
    return {"offset": sim.clock_offset, "now": sim.now_iso()}


@blueprint.post("/tokens")
def add_token():
    body, sim = _body(), get_sim()
    scopes = body.get("scopes")
    if not _is_str_list(scopes):
        raise _bad_request("scopes must be a list of strings")
    value = body.get("token") or make_token("sim-test", sim.org["id"])
    if not isinstance(value, str):
        raise _bad_request("token must be a string")
    token = sim.add_token(value, scopes)
    return {"token": token.value, "scopes": sorted(token.scopes), "orgId": token.org_id}, 201


def _is_str_list(value: Any) -> bool:
    return isinstance(value, list) and all(isinstance(item, str) for item in value)


@blueprint.post("/stacks")
def add_stack():
    """Create a stack directly (no /instances call), for tests of areas that need one.

    Body: ``{"slug": ..., "region": "us", "ready_after": seconds, ...}``; answers the stack.
    ``grafana_version`` sets its ``runningVersion`` (``"11.2.0"``: a Grafana that still
    creates hosted API keys).
    """
    # Imported here: the stack model lives with the areas, which import this package.
    from .areas._stackdata import new_stack, render

    body, sim = _body(), get_sim()
    slug = body.pop("slug", None)
    if not isinstance(slug, str) or not slug:
        raise _bad_request("slug is required")
    allowed = {"name", "region", "description", "labels", "url", "delete_protection", "ready_after",
               "grafana_version"}
    unknown = set(body) - allowed
    if unknown:
        raise _bad_request("unknown fields: %s" % ", ".join(sorted(unknown)))
    if "ready_after" in body:
        body["ready_after"] = _number(body, "ready_after")
    with sim.lock:
        stack = new_stack(sim, slug, **body)
    return render(stack), 201


@blueprint.get("/oncall")
def oncall_access():
    """The OnCall API URL, the Grafana URL and the OnCall credentials, for targets and tests."""
    # Imported here, as above: the OnCall world lives with the areas' helpers.
    from .oncall import ONCALL_PREFIX
    from .oncall.store import credentials, grafana_url

    sim = get_sim()
    return {"url": request.host_url.rstrip("/") + ONCALL_PREFIX, "grafana_url": grafana_url(sim),
            **credentials(sim).as_dict()}
