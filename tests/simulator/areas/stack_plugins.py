# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Area ``stack_plugins``: plugins installed on a stack (``/instances/{id}/plugins``) and the
plugin catalog (``/plugins/{slug}``).

The catalog holds several versions per plugin (the reference's ``grafana-github-datasource``
with 1.3.0 and 1.3.1 among them); an installed plugin's version changes in place. After
each change on a stack, its plugin writes answer 409 ``Conflict`` "another operation is
already in progress" for ``stack_plugins_operation_window`` seconds, as the real API does
while Grafana restarts with the new plugin set. Reads are not held up.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, request

from ..auth import public, requires
from ..core import get_sim
from ..errors import ApiError, invalid_argument, not_found
from ..paging import page_page
from ..validation import json_body
from ._stackdata import require_ready_stack

blueprint = Blueprint("stack_plugins", __name__)

CONFIG_DEFAULTS = {"stack_plugins_operation_window": 1.0}

# slug -> (id, name, type code, versions oldest first).
CATALOG = {
    "grafana-github-datasource": (663, "GitHub", "datasource", ("1.2.0", "1.3.0", "1.3.1")),
    "grafana-clock-panel": (151, "Clock", "panel", ("2.1.3", "2.1.5", "2.1.8")),
    "grafana-polystat-panel": (298, "Polystat", "panel", ("2.1.4", "2.1.13")),
    "grafana-worldmap-panel": (87, "Worldmap Panel", "panel", ("1.0.3", "1.0.6")),
    "grafana-piechart-panel": (112, "Pie Chart (old)", "panel", ("1.6.2", "1.6.4")),
}
TYPE_IDS = {"datasource": 2, "panel": 3, "app": 1}
IN_PROGRESS = "Conflicting operation, another operation is already in progress"


def _installed(sim, stack: dict) -> dict:
    return sim.state["stack_plugins"].setdefault("installed", {}).setdefault(stack["id"], {})


def _catalog_entry(slug: str) -> tuple:
    entry = CATALOG.get(slug)
    if entry is None:
        raise not_found("Plugin not found")
    return entry


def _check_version(slug: str, version) -> str:
    versions = _catalog_entry(slug)[3]
    if version in (None, ""):
        return versions[-1]
    if not isinstance(version, str):
        raise invalid_argument("version must be a string")
    if version not in versions:
        raise not_found("Plugin %s has no version %s" % (slug, version))
    return version


def _hold_operations(sim, stack: dict) -> None:
    """Refuse plugin writes on this stack for a while (a change is being rolled out)."""
    busy = sim.state["stack_plugins"].setdefault("busy_until", {})
    busy[stack["id"]] = sim.now() + timedelta(seconds=float(sim.config["stack_plugins_operation_window"]))


def _refuse_while_busy(sim, stack: dict) -> None:
    until = sim.state["stack_plugins"].get("busy_until", {}).get(stack["id"])
    if until is not None and sim.now() < until:
        raise ApiError(409, "Conflict", IN_PROGRESS)


def _render(stack: dict, record: dict) -> dict:
    slug = record["pluginSlug"]
    return {"id": record["id"], "instanceId": stack["id"], "instanceUrl": stack["url"],
            "instanceSlug": stack["slug"], "pluginId": record["pluginId"], "pluginSlug": slug,
            "pluginName": record["pluginName"], "version": record["version"],
            "latestVersion": CATALOG[slug][3][-1], "createdAt": record["createdAt"],
            "updatedAt": record["updatedAt"],
            "links": [{"rel": "self", "href": "/instances/%s/plugins/%s" % (stack["slug"], slug)},
                      {"rel": "instance", "href": "/instances/%s" % stack["slug"]}]}


def _installed_or_404(sim, stack: dict, plugin: str) -> dict:
    record = _installed(sim, stack).get(plugin)
    if record is None:
        raise not_found("Plugin not found")
    return record


def check_create_plugins(slugs) -> list:
    """The plugins a v1 create asks for (``createStackV1``'s ``plugins``), checked before the
    stack is created: an unknown one refuses the whole create (404 "Plugin not found")."""
    if slugs is None:
        return []
    if not isinstance(slugs, list) or not all(isinstance(slug, str) for slug in slugs):
        raise invalid_argument("plugins must be a list of plugin slugs")
    for slug in slugs:
        _catalog_entry(slug)
    return list(dict.fromkeys(slugs))


def install_at_create(sim, stack: dict, slugs: list) -> None:
    """Install checked plugins on a stack being created, at their newest versions."""
    now = sim.now_iso()
    for slug in slugs:
        plugin_id, name = _catalog_entry(slug)[:2]
        _installed(sim, stack)[slug] = {"id": sim.next_id(), "pluginId": plugin_id, "pluginSlug": slug,
                                        "pluginName": name, "version": _check_version(slug, None),
                                        "createdAt": now, "updatedAt": now}


@blueprint.get("/instances/<stack_id>/plugins")
@requires("stack-plugins:read")
def list_plugins(stack_id: str):
    sim = get_sim()
    with sim.lock:
        stack = require_ready_stack(sim, stack_id)
        items = [_render(stack, record) for record in _installed(sim, stack).values()]
    items.sort(key=lambda item: item["pluginName"])
    return page_page(items, request.args, order_by="pluginName")


@blueprint.post("/instances/<stack_id>/plugins")
@requires("stack-plugins:write")
def install_plugin(stack_id: str):
    sim, body = get_sim(), json_body()
    slug = body.get("plugin")
    if not isinstance(slug, str) or not slug:
        raise invalid_argument("plugin is required")
    with sim.lock:
        stack = require_ready_stack(sim, stack_id)
        plugin_id, name = _catalog_entry(slug)[:2]
        version = _check_version(slug, body.get("version"))
        _refuse_while_busy(sim, stack)
        installed = _installed(sim, stack)
        if slug in installed:
            raise ApiError(409, "Conflict", "Plugin %s is already installed" % slug)
        # The reference's example shows updatedAt null, but the spec types it as a
        # non-nullable date-time: contract mode wins, so a new plugin carries its createdAt.
        now = sim.now_iso()
        installed[slug] = {"id": sim.next_id(), "pluginId": plugin_id, "pluginSlug": slug,
                           "pluginName": name, "version": version, "createdAt": now,
                           "updatedAt": now}
        _hold_operations(sim, stack)
        return _render(stack, installed[slug])


@blueprint.get("/instances/<stack_id>/plugins/<plugin>")
@requires("stack-plugins:read")
def get_plugin(stack_id: str, plugin: str):
    sim = get_sim()
    with sim.lock:
        stack = require_ready_stack(sim, stack_id)
        return _render(stack, _installed_or_404(sim, stack, plugin))


@blueprint.post("/instances/<stack_id>/plugins/<plugin>")
@requires("stack-plugins:write")
def change_plugin_version(stack_id: str, plugin: str):
    sim, body = get_sim(), json_body()
    with sim.lock:
        stack = require_ready_stack(sim, stack_id)
        record = _installed_or_404(sim, stack, plugin)
        version = _check_version(plugin, body.get("version"))
        _refuse_while_busy(sim, stack)
        record["version"] = version
        record["updatedAt"] = sim.now_iso()
        _hold_operations(sim, stack)
        return _render(stack, record)


@blueprint.delete("/instances/<stack_id>/plugins/<plugin>")
@requires("stack-plugins:delete")
def uninstall_plugin(stack_id: str, plugin: str):
    sim = get_sim()
    with sim.lock:
        stack = require_ready_stack(sim, stack_id)
        record = _installed_or_404(sim, stack, plugin)
        _refuse_while_busy(sim, stack)
        del _installed(sim, stack)[plugin]
        record["updatedAt"] = sim.now_iso()
        _hold_operations(sim, stack)
        return _render(stack, record)


@blueprint.get("/plugins/<slug>")
@public  # the catalog is public: the spec lists no security for it
def catalog_plugin(slug: str):
    plugin_id, name, type_code, versions = _catalog_entry(slug)
    version = request.args.get("version") or versions[-1]
    if version not in versions:
        raise not_found("Plugin %s has no version %s" % (slug, version))
    return {
        "status": "active", "id": plugin_id, "typeId": TYPE_IDS[type_code],
        "typeName": type_code.capitalize(), "typeCode": type_code, "slug": slug, "name": name,
        "description": "%s plugin for Grafana" % name, "version": version,
        "versionStatus": "active", "versionSignatureType": "grafana",
        "versionDistributionType": "grafana", "versionSignedByOrg": "grafana",
        "versionSignedByOrgName": "Grafana Labs", "userId": 0, "orgId": 5000,
        "orgName": "Grafana Labs", "orgSlug": "grafana", "orgUrl": "https://grafana.com",
        "url": "https://github.com/grafana/%s" % slug, "createdAt": "2020-01-01T00:00:00.000Z",
        "updatedAt": "2024-01-01T00:00:00.000Z", "downloads": 1000, "verified": False,
        "featured": 0, "internal": False, "downloadSlug": slug, "popularity": 0.5,
        "signatureType": "grafana", "packages": {}, "angularDetected": False,
        "links": [{"rel": "self", "href": "/plugins/%s" % slug},
                  {"rel": "versions", "href": "/plugins/%s/versions" % slug}],
    }
