# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Area ``stacks``: ``/instances`` (create, read, update, delete by slug or id), readiness,
connections, data sources, the org's listing ``/orgs/{orgSlug}/instances``, and the whole v1
family of the spec (``createStackV1``, ``listStacksV1``, ``getStackV1``, ``updateStackV1``,
``deleteStackV1``, ``checkStackReadinessV1``, ``getStackConnectionsV1``,
``checkStackSlugV1``), on the same records: a stack created through one surface is read,
changed and deleted through the other. The v1 routes answer errors as ``ErrorPayload``.

Behaviour the modules must cope with, each with a tunable in ``CONFIG_DEFAULTS``:

- a new stack answers ``{"ready": false}`` at ``/instances/{id}/readiness`` for
  ``stacks_ready_after`` seconds (unless the create asked ``waitForReadiness``, the API's
  default, in which case the create itself waits that long);
- ``DELETE`` moves a stack to ``deleting``, then to ``deleted`` after ``stacks_deleting_after``
  seconds; a deleted stack is still readable (``status: deleted``) but absent from listings;
- a slug deleted less than ``stacks_recent_slug_wait`` seconds ago is refused with 409
  ``Conflict`` "... wait for Ns ..." (the number is the only signal, as in the real API), or,
  with ``stacks_recent_slug_wording: "exists"``, in the API's other wording, 409 ``Conflict``
  "Grafana stack with the same slug already exists", which names no wait at all;
- ``POST /instances/{stack}/restart`` (the reference's "Restart Grafana", answering ``true``)
  makes the stack answer ``{"ready": false}`` (and its in-stack API 503 ``Loading``) for
  ``stacks_restart_after`` seconds;
- delete protection answers 409 ``Conflict``; bad slugs, labels and regions 409
  ``InvalidArgument``; more live stacks than ``stacks_org_limit`` 403 ``Forbidden``.
"""

from __future__ import annotations

import math
import re
import time
from datetime import timedelta
from functools import wraps

from flask import Blueprint, jsonify, request

from ..auth import requires
from ..core import get_sim
from ..errors import ApiError, error_body, invalid_argument, not_found, payload_errors
from ..paging import page_page
from ..validation import json_body
from ._stackdata import begin_delete, find_stack, is_ready, live_stacks, new_stack, render
from .orgs import check_org
from .regions import region_by_slug
from .stack_plugins import check_create_plugins, install_at_create

blueprint = Blueprint("stacks", __name__)

CONFIG_DEFAULTS = {
    "stacks_ready_after": 1.0,
    "stacks_deleting_after": 1.0,
    "stacks_recent_slug_wait": 3.0,
    # "wait": "... deleted recently, please wait for Ns ..."; "exists": "Grafana stack with
    # the same slug already exists" (no number). The real API answers both.
    "stacks_recent_slug_wording": "wait",
    "stacks_org_limit": 10,
    "stacks_restart_after": 1.0,
    # The Grafana version (runningVersion) of stacks created from now on; before 11.3 their
    # Grafana still creates hosted API keys (see stack_credentials).
    "stacks_grafana_version": "12.3.0",
}

SLUG_TAKEN = "That url is not available"
SLUG_TAKEN_V1 = "That URL has already been taken, please try an alternate URL"
SLUG_PATTERN = re.compile(r"^[a-z][a-z0-9]{0,28}$")
STACK_URL = re.compile(r"^https://([a-z][a-z0-9]{0,28})\.grafana\.net/?$")
LABEL_KEY_PATTERN = re.compile(r"^[A-Za-z0-9._/-]+$")
LABEL_VALUE_PATTERN = re.compile(r"^[A-Za-z0-9._/-]*$")
MAX_LABELS = 10
UPDATABLE = {"name": "name", "description": "description", "labels": "labels",
             "deleteProtection": "deleteProtection", "url": "url"}
ORDER_FIELDS = ("id", "name", "version", "createdAt", "runningVersion")
LIST_FILTERS = {"name": "name", "nameIn": "name", "slug": "slug", "slugIn": "slug",
                "id": "id", "idIn": "id", "cluster": "clusterSlug", "url": "url",
                "urlIn": "url", "plan": "plan"}


def _actor() -> str:
    return "sim-user"


def _stack_or_404(slug_or_id: str, include_deleted: bool = False) -> dict:
    stack = find_stack(get_sim(), slug_or_id, include_deleted=include_deleted)
    if stack is None:
        raise not_found("Cloud Stack not found")
    return stack


def validate_labels(labels) -> dict:
    if not isinstance(labels, dict):
        raise invalid_argument("labels must be an object of strings")
    if len(labels) > MAX_LABELS:
        raise invalid_argument("at most %d labels are allowed, got %d" % (MAX_LABELS, len(labels)))
    for key, value in labels.items():
        if not LABEL_KEY_PATTERN.match(key) or not isinstance(value, str) or not LABEL_VALUE_PATTERN.match(value):
            raise invalid_argument("invalid label %r: %r; keys and values may hold letters, digits, "
                                   "'.', '-', '_' and '/'" % (key, value))
    return dict(labels)


def _recent_slug_wait(sim, slug: str) -> int | None:
    """Seconds until ``slug`` may be used again after a delete, or None when it is free now."""
    now, hold = sim.now(), float(sim.config["stacks_recent_slug_wait"])
    waits = []
    for stack in sim.state.get("stack_records", {}).values():
        if stack["slug"] != slug or stack["status"] not in ("deleting", "deleted"):
            continue
        free_at = (stack["_gone_at"] - now).total_seconds() + hold
        if free_at > 0:
            waits.append(free_at)
    return int(math.ceil(max(waits))) if waits else None


def _check_slug_free(sim, slug, url=None) -> None:
    """Refuse a slug (or custom URL) a live stack holds, or one deleted recently."""
    if not isinstance(slug, str) or not SLUG_PATTERN.match(slug):
        raise invalid_argument("invalid slug %r: a lowercase letter, then lowercase letters and digits, "
                               "29 characters at most" % (slug,))
    if any(stack["slug"] == slug or (url and stack["url"] == url)
           for stack in live_stacks(sim) if stack["status"] != "deleting"):
        raise ApiError(409, "Conflict", SLUG_TAKEN)
    wait = _recent_slug_wait(sim, slug)
    if wait is not None and sim.config["stacks_recent_slug_wording"] == "exists":
        raise ApiError(409, "Conflict", "Grafana stack with the same slug already exists")
    if wait is not None:
        raise ApiError(409, "Conflict", "The stack %s was deleted recently, please wait for %ds "
                       "before creating it again" % (slug, wait))


def _check_create(sim, body: dict, protect_by_default: bool = False) -> dict:
    slug = body.get("slug")
    if not isinstance(slug, str) or not SLUG_PATTERN.match(slug):
        raise invalid_argument("invalid slug %r: a lowercase letter, then lowercase letters and digits, "
                               "29 characters at most" % (slug,))
    if not isinstance(body.get("name"), str) or not body["name"]:
        raise invalid_argument("name is required")
    region = body.get("region") or "us"
    if region_by_slug(sim, region) is None:
        raise invalid_argument("unknown region %r" % region)
    labels = validate_labels(body.get("labels") or {})
    _check_slug_free(sim, slug, body.get("url"))
    limit = int(sim.config["stacks_org_limit"])
    if len(live_stacks(sim)) >= limit:
        raise ApiError(403, "Forbidden", "Your org has reached its limit of %d stacks" % limit)
    return slug, {"name": body["name"], "region": region, "labels": labels,
                  "description": body.get("description") or "", "url": body.get("url"),
                  # /instances: a missing or null deleteProtection is off (grafana.grafana 6.0.6
                  # sent null and got unprotected stacks); createStackV1: the spec's default, true.
                  "delete_protection": (protect_by_default if body.get("deleteProtection") is None
                                        else bool(body["deleteProtection"]))}


@blueprint.post("/instances")
@requires("stacks:write")
def create_stack():
    return _create_stack()


def _v1(view):
    """A v1 route: its ApiErrors answered as the spec's ErrorPayload; a taken slug in the v1
    routes' own words."""
    @wraps(view)
    def answer(*args, **kwargs):
        try:
            return view(*args, **kwargs)
        except ApiError as error:
            taken = error.status == 409 and error.message == SLUG_TAKEN
            return _v1_error(error, SLUG_TAKEN_V1 if taken else error.message)
    return answer


# The spec names no x-permissions for the v1 family but the connections' (``stacks:read``):
# only ``x-auth-required``. A stack API that let any valid token create or delete stacks is
# not plausible, so each v1 route asks the scopes of its /instances twin (the stricter
# answer): a module that passes here holds the scopes the real API may ask.
V1_SCOPES = {
    "listStacksV1": ("stacks:read",),  # getInstances
    "createStackV1": ("stacks:write",),  # postInstances
    "checkStackSlugV1": ("stacks:read",),  # a lookup of the slug, done before a create (and in check mode)
    "getStackV1": ("stacks:read", "stack-config:read"),  # getInstance
    "updateStackV1": ("stacks:write",),  # postInstance
    "deleteStackV1": ("stacks:delete",),  # deleteInstance
    "checkStackReadinessV1": ("stacks:read",),  # getInstanceReadiness
}


# The v1 request bodies' fields (StackCreateRequestV1, StackCheckRequestV1,
# StackUpdateRequestV1: each ``additionalProperties: false``).
V1_CREATE_FIELDS = ("slug", "name", "region", "org", "description", "labels", "deleteProtection", "plugins", "url")
V1_CHECK_FIELDS = ("url", "org")
V1_UPDATE_FIELDS = ("name", "slug", "description", "labels", "deleteProtection", "url")


def _v1_body(allowed: tuple, required: tuple = ()) -> dict:
    """The request's body, held to its v1 schema without contract mode too: a field the
    schema lacks (``additionalProperties: false``) or a required one missing is 409
    ``InvalidArgument``, never ignored."""
    body = json_body()
    unknown = sorted(set(body) - set(allowed))
    if unknown:
        raise invalid_argument("unknown fields: %s" % ", ".join(unknown))
    missing = [field for field in required if body.get(field) is None]
    if missing:
        raise invalid_argument("%s required" % ", ".join(missing))
    return body


def _v1_route(*scopes):
    """A route of the v1 family: errors as ErrorPayload (marked for the app), the scopes (see
    ``V1_SCOPES``), a taken slug in the v1 words."""
    def decorate(view):
        return payload_errors(requires(*scopes)(_v1(view)))
    return decorate


@blueprint.post("/v1/stacks")
@_v1_route(*V1_SCOPES["createStackV1"])
def create_stack_v1():
    """``createStackV1``: ``org`` names the caller's org, ``deleteProtection`` defaults to true,
    ``plugins`` are installed with the stack. A taken slug is refused in the words
    ``grafana.grafana.cloud_stack`` matches on (its only way to find an existing stack)."""
    sim, body = get_sim(), _v1_body(V1_CREATE_FIELDS, required=("slug", "name", "region", "org"))
    check_org(sim, body["org"])
    return render_v1(_create_stack(v1=True))


@blueprint.post("/v1/stacks/checkUrl")
@_v1_route(*V1_SCOPES["checkStackSlugV1"])
def check_stack_url_v1():
    """``checkStackSlugV1``: whether a new stack could have this URL (a ``https://<slug>.grafana.net``
    URL or a bare slug). 200 ``{slug, url}`` when it could; otherwise the refusal the create
    would answer (409 taken or deleted recently, 409 InvalidArgument for a bad slug)."""
    sim, body = get_sim(), _v1_body(V1_CHECK_FIELDS)
    url = body.get("url")
    if not isinstance(url, str) or not url:
        raise invalid_argument("url is required")
    if body.get("org") is not None:
        check_org(sim, body["org"])
    match = STACK_URL.match(url)
    slug = match.group(1) if match else url
    with sim.lock:
        _check_slug_free(sim, slug)
    return {"slug": slug, "url": "https://%s.grafana.net" % slug}


@blueprint.get("/v1/stacks")
@payload_errors
@requires(*V1_SCOPES["listStacksV1"])
def list_stacks_v1():
    """The org's live stacks (spec: ``listStacksV1``, ``org`` and ``page``/``pageSize``)."""
    sim, args = get_sim(), request.args
    with sim.lock:
        if args.get("org") not in (sim.org["slug"], str(sim.org["id"])):
            return _v1_error(not_found("Org not found"))
        stacks = sorted((render_v1(render(stack)) for stack in live_stacks(sim)), key=lambda stack: stack["id"])
    listing = page_page(stacks, args, order_by="id", direction="asc")
    return {key: listing[key] for key in ("items", "page", "pageSize", "pages", "total")}


@blueprint.get("/v1/stacks/<id_or_slug>")
@_v1_route(*V1_SCOPES["getStackV1"])
def get_stack_v1(id_or_slug: str):
    """``getStackV1``: a stack that is ``deleted`` is not found (the v1 object has no status)."""
    sim = get_sim()
    with sim.lock:
        return render_v1(render(_stack_or_404(id_or_slug)))


@blueprint.post("/v1/stacks/<id_or_slug>")
@_v1_route(*V1_SCOPES["updateStackV1"])
def update_stack_v1(id_or_slug: str):
    """``updateStackV1``: null or missing fields are left as they are; the slug can't change."""
    sim, body = get_sim(), _v1_body(V1_UPDATE_FIELDS)
    with sim.lock:
        stack = _stack_or_404(id_or_slug)
        if body.get("slug") not in (None, stack["slug"]):
            raise invalid_argument("slug can't be changed: delete the stack and create it again")
        changes = {key: value for key, value in body.items() if key in UPDATABLE and value is not None}
        return render_v1(_update(sim, stack, changes))


@blueprint.delete("/v1/stacks/<id_or_slug>")
@_v1_route(*V1_SCOPES["deleteStackV1"])
def delete_stack_v1(id_or_slug: str):
    """``deleteStackV1``: the stack as it was, its delete started; 409 while protected."""
    sim = get_sim()
    with sim.lock:
        return render_v1(_delete(sim, _stack_or_404(id_or_slug)))


@blueprint.get("/v1/stacks/<id_or_slug>/readiness")
@_v1_route(*V1_SCOPES["checkStackReadinessV1"])
def stack_readiness_v1(id_or_slug: str):
    """``checkStackReadinessV1``."""
    sim = get_sim()
    with sim.lock:
        return {"ready": is_ready(sim, _stack_or_404(id_or_slug))}


@blueprint.get("/v1/stacks/<id_or_slug>/connections")
@_v1_route("stacks:read")
def stack_connections_v1(id_or_slug: str):
    """``getStackConnectionsV1`` (``x-permissions: stacks:read``)."""
    sim = get_sim()
    with sim.lock:
        return connections_v1(_stack_or_404(id_or_slug))


def _v1_error(error: ApiError, message: str | None = None):
    """The v1 routes' error shape (the spec's ``ErrorPayload``): the usual one plus ``statusCode``."""
    body = dict(error_body(error.code, message or error.message), statusCode=error.status)
    response = jsonify(body)
    response.status_code = error.status
    response.headers.update(error.headers)
    return response


def render_v1(stack: dict) -> dict:
    """A stack as the v1 routes answer it: the spec's ten fields, no more."""
    return {"id": stack["id"], "slug": stack["slug"], "name": stack["name"],
            "description": stack.get("description") or "", "region": stack["regionSlug"],
            "orgId": stack["orgId"], "orgSlug": stack["orgSlug"], "url": stack["url"],
            "deleteProtection": stack["deleteProtection"], "labels": stack.get("labels") or {}}


def _create_stack(v1: bool = False):
    sim, body = get_sim(), json_body()
    ready_after = float(sim.config["stacks_ready_after"])
    # createStackV1 has no waitForReadiness: it answers at once (readiness tells the rest).
    waits = not v1 and body.get("waitForReadiness", True) is not False
    with sim.lock:
        slug, fields = _check_create(sim, body, protect_by_default=v1)
        plugins = check_create_plugins(body.get("plugins")) if v1 else []
        stack = new_stack(sim, slug, ready_after=ready_after, created_by=_actor(), **fields)
        install_at_create(sim, stack, plugins)
        answer = render(stack)
    if waits and ready_after > 0:
        # The API's default: the create returns once the stack is ready.
        time.sleep(ready_after)
    return answer


@blueprint.get("/instances/<slug_or_id>")
@requires("stacks:read", "stack-config:read")
def get_stack(slug_or_id: str):
    sim = get_sim()
    with sim.lock:
        # A deleted stack stays readable for a while, with status "deleted".
        return render(_stack_or_404(slug_or_id, include_deleted=True))


@blueprint.post("/instances/<slug_or_id>")
@requires("stacks:write")
def update_stack(slug_or_id: str):
    sim, body = get_sim(), json_body()
    with sim.lock:
        return render(_update(sim, _stack_or_404(slug_or_id), body))


def _update(sim, stack: dict, body: dict) -> dict:
    """Both surfaces' update: only an ``active`` stack; labels and name checked."""
    if stack["status"] != "active":
        raise ApiError(409, "Conflict", "Stack %s is %s and can't be updated" % (stack["slug"], stack["status"]))
    if "labels" in body:
        body["labels"] = validate_labels(body["labels"])
    if "name" in body and (not isinstance(body["name"], str) or not body["name"]):
        raise invalid_argument("name must be a non-empty string")
    for key, field in UPDATABLE.items():
        if key in body:
            stack[field] = body[key]
    stack["updatedAt"] = sim.now_iso()
    stack["updatedBy"] = _actor()
    return stack


@blueprint.delete("/instances/<slug_or_id>")
@requires("stacks:delete")
def delete_stack(slug_or_id: str):
    sim = get_sim()
    with sim.lock:
        return render(_delete(sim, _stack_or_404(slug_or_id)))


def _delete(sim, stack: dict) -> dict:
    """Both surfaces' delete: 409 while protected; ``deleting``, then ``deleted``."""
    if stack["deleteProtection"]:
        raise ApiError(409, "Conflict", "Delete protection is enabled for stack %s: set "
                       "deleteProtection to false before deleting it" % stack["slug"])
    if stack["status"] != "deleting":
        begin_delete(sim, stack, float(sim.config["stacks_deleting_after"]), _actor())
    return stack


@blueprint.post("/instances/<slug_or_id>/restart")
@requires("stacks:write")  # not in the spec; a restart is a write on the stack
def restart_stack(slug_or_id: str):
    sim = get_sim()
    with sim.lock:
        stack = _stack_or_404(slug_or_id)
        if stack["status"] != "active":
            raise ApiError(409, "Conflict", "Stack %s is %s and can't be restarted" % (stack["slug"], stack["status"]))
        restart_after = float(sim.config["stacks_restart_after"])
        # Grafana goes down at once and answers again after the delay.
        stack["_ready_at"] = max(stack["_ready_at"], sim.now() + timedelta(seconds=restart_after))
    return jsonify(True)


@blueprint.get("/instances/<slug_or_id>/readiness")
@requires("stacks:read")
def stack_readiness(slug_or_id: str):
    sim = get_sim()
    with sim.lock:
        stack = _stack_or_404(slug_or_id)
        return {"ready": is_ready(sim, stack)}


@blueprint.get("/instances/<slug_or_id>/connections")
@payload_errors  # this newer endpoint answers errors as the spec's ErrorPayload, with statusCode
@requires("stacks:read")
def stack_connections(slug_or_id: str):
    sim = get_sim()
    with sim.lock:
        return connections_of(_stack_or_404(slug_or_id))


@blueprint.get("/instances/<slug_or_id>/datasources")
@requires("stacks:read")  # not in the spec; reading a stack's data sources is a stack read
def stack_datasources(slug_or_id: str):
    sim = get_sim()
    with sim.lock:
        return {"items": datasources_of(_stack_or_404(slug_or_id))}


@blueprint.get("/orgs/<org_slug>/instances")
@requires("stacks:read")
def list_org_stacks(org_slug: str):
    sim, args = get_sim(), request.args
    with sim.lock:
        check_org(sim, org_slug)
        stacks = [render(stack) for stack in live_stacks(sim) if _selected(stack, args)]
    order_by = args.get("orderBy") if args.get("orderBy") in ORDER_FIELDS else "name"
    direction = "desc" if args.get("direction") == "desc" else "asc"
    stacks.sort(key=lambda stack: (str(stack[order_by] or ""), stack["id"]), reverse=direction == "desc")
    return page_page(stacks, args, order_by=order_by, direction=direction)


def _selected(stack: dict, args) -> bool:
    return all(str(stack[field]) in args.getlist(param)
               for param, field in LIST_FILTERS.items() if param in args)


# Tenant type, the stack fields holding its id and URL, and the host its addresses are named after.
TENANTS = (("prometheus", "hmInstancePromId", "hmInstancePromUrl", "prometheus"),
           ("graphite", "hmInstanceGraphiteId", "hmInstanceGraphiteUrl", "prometheus"),
           ("logs", "hlInstanceId", "hlInstanceUrl", "logs"),
           ("traces", "htInstanceId", "htInstanceUrl", "tempo"),
           ("profiles", "hpInstanceId", "hpInstanceUrl", "profiles"),
           ("alerts", "amInstanceId", "amInstanceUrl", "alertmanager"))


def connections_of(stack: dict) -> dict:
    """The connectivity info, shaped like the reference's example."""
    cluster, region = stack["clusterSlug"], stack["regionSlug"]
    aws = stack.get("provider") == "aws"
    tenants = []
    for tenant_type, id_field, _url_field, host in TENANTS:
        tenant = {"type": tenant_type, "id": stack[id_field],
                  "ipAllowListCNAME": "src-ips.%s-%s.grafana.net" % (host, cluster)}
        if aws:
            tenant["info"] = {"privateDNS": "%s-%s.vpce.grafana.net" % (host, cluster),
                              "serviceName": "com.amazonaws.vpce.%s.vpce-svc-%d" % (region, stack[id_field])}
        tenants.append(tenant)
    tenants.append({"type": "grafana", "id": stack["id"], "ipAllowListCNAME": None})
    private = {"tenants": tenants}
    if aws:
        private["otlp"] = {"privateDNS": "%s-otlp-gateway.vpce.grafana.net" % cluster,
                           "serviceName": "com.amazonaws.vpce.%s.vpce-svc-otlp" % region}
        private["pdc"] = {"api": {"privateDNS": "private-datasource-connect-api.%s.vpce.grafana.net" % region},
                          "gateway": {"privateDNS": "private-datasource-connect.%s.vpce.grafana.net" % region}}
    return {
        "privateConnectivityInfo": private,
        "influxUrl": "https://influx-%s.grafana.net" % cluster,
        "otlpHttpUrl": "https://otlp-gateway-%s.grafana.net" % cluster,
        "otlpMultiAZ": False,
        "oncallApiUrl": "https://oncall-%s.grafana.net/oncall" % cluster,
        "appPlatform": {"url": "https://app-platform-apiserver-%s.grafana.net" % cluster},
    }


def connections_v1(stack: dict) -> dict:
    """``StackConnectionsV1``: each tenant's type, id and URL, the OTLP, services and app
    platform URLs; the private-connectivity parts only for a stack on AWS."""
    older = connections_of(stack)
    private = {tenant["type"]: tenant.get("info") for tenant in older["privateConnectivityInfo"]["tenants"]}
    tenants = []
    for tenant_type, id_field, url_field, _host in TENANTS:
        tenant = {"type": tenant_type, "id": stack[id_field], "url": stack[url_field]}
        if private.get(tenant_type):
            tenant["privateConnectivityInfo"] = private[tenant_type]
        tenants.append(tenant)
    otlp = {"url": older["otlpHttpUrl"], "multiAZ": older["otlpMultiAZ"]}
    if "otlp" in older["privateConnectivityInfo"]:
        otlp["privateConnectivityInfo"] = older["privateConnectivityInfo"]["otlp"]
    answer = {"tenants": tenants, "otlp": otlp, "appPlatform": older["appPlatform"],
              "services": {"influxUrl": older["influxUrl"], "oncallApiUrl": older["oncallApiUrl"]}}
    if "pdc" in older["privateConnectivityInfo"]:
        answer["pdc"] = older["privateConnectivityInfo"]["pdc"]
    return answer


def datasources_of(stack: dict) -> list[dict]:
    """The data sources Grafana Cloud provisions in a stack, shaped like the reference's."""
    slug, created = stack["slug"], stack["createdAt"]
    entries = (
        ("grafanacloud-%s-prom" % slug, "prometheus", stack["hmInstancePromUrl"] + "/api/prom",
         stack["hmInstancePromId"], {"prometheusType": "Mimir"}),
        ("grafanacloud-%s-logs" % slug, "loki", stack["hlInstanceUrl"], stack["hlInstanceId"],
         {"timeout": "300"}),
        ("grafanacloud-%s-traces" % slug, "tempo", stack["htInstanceUrl"], stack["htInstanceId"], {}),
        ("grafanacloud-%s-profiles" % slug, "grafana-pyroscope-datasource", stack["hpInstanceUrl"],
         stack["hpInstanceId"], {}),
    )
    return [{"id": stack["id"] * 10 + index, "instanceId": stack["id"], "name": name, "type": kind,
             "access": "proxy", "grafanaOrgId": 1, "url": url, "password": "", "user": "",
             "database": "", "basicAuth": 1, "basicAuthUser": str(user), "withCredentials": 0,
             "isDefault": 0, "jsonData": json_data, "version": 1, "editable": 1, "delete": 0,
             "createdAt": created, "updatedAt": None}
            for index, (name, kind, url, user, json_data) in enumerate(entries)]
