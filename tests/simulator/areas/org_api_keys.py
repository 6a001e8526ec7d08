# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Area ``org_api_keys``: the deprecated org-level Grafana Cloud API keys.

``GET|POST /orgs/{org}/api-keys``, ``GET|DELETE /orgs/{org}/api-keys/{name}``, as the API
reference and the older spec (``gcom-openapi-2025-12-03.json``) describe them; the current
spec dropped them, so contract mode validates these paths against the older spec (when it
is at hand, see ``contract.py``). The key (``token``) is in the create answer only. A
duplicate name answers 409 ``Conflict``.

The older spec requires a bearer token (its global ``security``) but names no
``x-permissions`` for these operations (nor for any other); the simulator asks the stricter
``orgs:read`` to list and read and ``orgs:write`` to create and delete.
"""

from __future__ import annotations

import base64
import json
import secrets

from flask import Blueprint

from ..auth import requires
from ..core import Simulator, get_sim
from ..errors import ApiError, invalid_argument, not_found
from ..validation import json_body
from .orgs import check_org

blueprint = Blueprint("org_api_keys", __name__)

ROLES = ("Viewer", "Editor", "Admin", "MetricsPublisher", "PluginPublisher")


def seed(sim: Simulator) -> None:
    sim.state["org_api_keys"]["keys"] = {}


def _keys(sim: Simulator) -> dict:
    return sim.state["org_api_keys"]["keys"]


def _render(key: dict) -> dict:
    return {key_: value for key_, value in key.items() if not key_.startswith("_")}


def _key_value(org_id: int, name: str, key_id: int) -> str:
    """Shaped like the reference's example: base64 of ``{"k", "n", "id"}``."""
    blob = json.dumps({"k": secrets.token_hex(20), "n": name, "id": org_id * 1000 + key_id % 1000},
                      separators=(",", ":"))
    return base64.b64encode(blob.encode()).decode().rstrip("=")


@blueprint.get("/orgs/<org_slug_or_id>/api-keys")
@requires("orgs:read")
def list_keys(org_slug_or_id: str):
    sim = get_sim()
    with sim.lock:
        org = check_org(sim, org_slug_or_id)
        items = [_render(key) for key in sorted(_keys(sim).values(), key=lambda k: k["name"])]
    return {"items": items, "orderBy": "name", "direction": "asc",
            "links": [{"rel": "self", "href": f"/orgs/{org['slug']}/api-keys"}]}


@blueprint.get("/orgs/<org_slug_or_id>/api-keys/<name>")
@requires("orgs:read")
def get_key(org_slug_or_id: str, name: str):
    sim = get_sim()
    with sim.lock:
        check_org(sim, org_slug_or_id)
        key = _keys(sim).get(name)
        if key is None:
            raise not_found("API key not found")
        return _render(key)


@blueprint.post("/orgs/<org_slug_or_id>/api-keys")
@requires("orgs:write")
def create_key(org_slug_or_id: str):
    sim = get_sim()
    body = json_body()
    name, role = body.get("name"), body.get("role")
    if not isinstance(name, str) or not name.strip():
        raise invalid_argument("name is required")
    if role not in ROLES:
        raise invalid_argument(f"role must be one of {', '.join(ROLES)}, got {role!r}")
    with sim.lock:
        org = check_org(sim, org_slug_or_id)
        if name in _keys(sim):
            raise ApiError(409, "Conflict", "API key with this name already exists")
        key_id = sim.next_id()
        key = {"id": key_id, "accessPolicyId": secrets.token_hex(16), "orgId": org["id"],
               "orgSlug": org["slug"], "orgName": org["name"], "instanceId": None,
               "name": name, "role": role, "createdAt": sim.now_iso(), "updatedAt": None,
               "firstUsed": None,
               "links": [{"rel": "self", "href": f"/orgs/{org['slug']}/api-keys/{name}"},
                         {"rel": "org", "href": f"/orgs/{org['slug']}"}]}
        _keys(sim)[name] = key
        return {**_render(key), "token": _key_value(org["id"], name, key_id)}


@blueprint.delete("/orgs/<org_slug_or_id>/api-keys/<name>")
@requires("orgs:write")
def delete_key(org_slug_or_id: str, name: str):
    sim = get_sim()
    with sim.lock:
        check_org(sim, org_slug_or_id)
        if _keys(sim).pop(name, None) is None:
            raise ApiError(404, "NotFound", "API Key not found")
    return json.dumps(True), 200, {"Content-Type": "application/json"}
