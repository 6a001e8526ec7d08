# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Area ``accesspolicies``: ``/api/v1/accesspolicies`` and ``/api/v1/tokens``.

As documented in the API reference and the spec:

- ``region`` is required on every call; access policies and tokens live in one region and
  their names are unique per (org, region): a second one is refused with 409 ``Conflict``.
- Validation errors are 409 ``InvalidArgument`` (names of 1-255 of ``a-z0-9-_``, display
  names of 1-255 characters, realms ``org``/``stack`` naming this org or one of its live
  stacks, CIDRs with a prefix length, ``status`` ``active``/``inactive``, expiries in the
  future).
- Listings page by cursor (``pageSize`` at most 500) and take the documented filters:
  policies by ``name``, ``realmType`` (+ ``realmIdentifier``) and ``status``; tokens by
  ``accessPolicyId(s)``, ``accessPolicyName``, ``accessPolicyRealmType`` (+ identifier),
  ``accessPolicyStatus``, ``name``, ``expiresBefore``/``expiresAfter`` and
  ``includeExpired`` (expired tokens are left out unless it is true). ``name`` filters are
  exact matches.
- ``conditions: {}`` (or null, or ``allowedSubnets: []``) removes the conditions: the
  policy is then rendered without a ``conditions`` key.
- ``attributes`` (``lokiQueryPolicy``, ``pdcConfiguration.limitedHosts``; spec operations
  postAccessPolicies, postAccessPolicy) are stored as sent, without their null fields, and
  returned by every read; an update that carries ``attributes`` replaces them whole, null or
  ``{}`` removes them. Fields of an unexpected type, or outside the spec's request schema,
  are refused with 409 ``InvalidArgument`` (stricter than an API that might ignore them).
- ``GET /v1/accesspolicies/config`` (getConfig) lists the scopes a policy may hold, among them
  ``set:pdc-signing`` (the scope Terraform's private data source connect network gives its
  policy) and the older ``pdc-signing:write``.
- Token values look like real ones (``glc_`` + base64 JSON) and are returned only by the
  create. Every issued token is a working credential (``sim.add_token``) holding exactly
  its policy's scopes (kept in step when the policy's scopes change) until it is deleted,
  it expires (``sim.now()``), or its policy is made ``inactive`` or deleted. The token's
  realms are recorded in its ``meta`` for areas that want to enforce stack realms. Each
  request it authenticates sets its ``lastUsedAt`` (and ``firstUsedAt`` the first time), as
  Grafana Cloud does; a token never used has neither.
- Writes (POST/DELETE) on ``/v1/accesspolicies*`` are rate limited per calling token:
  ``accesspolicies_write_limit`` (600) per ``accesspolicies_write_window`` seconds (3600);
  beyond it, 429 ``TooManyRequests`` with ``Retry-After`` = seconds until the oldest write
  in the window leaves it.

Decisions where the documentation is silent:

- Deleting a policy deletes its tokens too (the Grafana Cloud UI says so when you delete a
  policy; tokens can't exist without a policy).
- A token whose policy is ``inactive`` stops authenticating, and works again when the
  policy is made ``active`` again (the status is checked on every request).
- The create body of a policy has no ``status`` in the spec: a new policy is ``active``.
- Deletes answer 200 (the spec's status; the prose reference says 204): an empty body for
  policies, ``{}`` for tokens, as the spec's schemas say.
"""

from __future__ import annotations

import ipaddress
import re
import uuid
from collections import deque
from datetime import datetime, timedelta, timezone

from flask import Blueprint, request

from ..auth import current_token, public, requires
from ..core import Simulator, format_time, get_sim, make_token
from ..errors import ApiError, invalid_argument, not_found
from ..paging import cursor_page
from ..validation import json_body
from ._stackdata import find_stack, live_stacks
from .regions import region_by_slug

blueprint = Blueprint("accesspolicies", __name__)

CONFIG_DEFAULTS = {
    "accesspolicies_write_limit": 600,
    "accesspolicies_write_window": 3600,
}

NAME = re.compile(r"^[a-z0-9_-]{1,255}$")
SCOPE = re.compile(r"^[a-z0-9-]+:[a-z0-9-]+$")
REALM_TYPES = ("org", "stack")
STATUSES = ("active", "inactive")


def seed(sim: Simulator) -> None:
    area = sim.state["accesspolicies"]
    area["policies"] = {}  # id -> record (API fields + private "_region")
    area["tokens"] = {}  # id -> record (API fields + "_region", "_secret")
    area["writes"] = {}  # calling token value -> deque of write times


def _area(sim: Simulator) -> dict:
    return sim.state["accesspolicies"]


# -- shared helpers ----------------------------------------------------------------------

def _region() -> str:
    region = request.args.get("region", "")
    if not region:
        raise invalid_argument("region is required")
    if region_by_slug(get_sim(), region) is None:
        raise invalid_argument(f"unknown region {region!r}")
    return region


def _render(record: dict) -> dict:
    return {key: value for key, value in record.items() if not key.startswith("_")}


def _check_name(value, what: str) -> str:
    if not isinstance(value, str) or not NAME.match(value):
        raise invalid_argument(f"{what} name must be 1-255 characters of lowercase letters "
                               f"(a-z), numbers (0-9), hyphens (-) and underscores (_)")
    return value


def _check_display_name(value, what: str) -> str:
    if not isinstance(value, str) or not 1 <= len(value) <= 255:
        raise invalid_argument(f"{what} displayName must be 1-255 characters long")
    return value


def _parse_time(value, what: str) -> datetime:
    if not isinstance(value, str):
        raise invalid_argument(f"{what} must be an ISO 8601 time")
    text = re.sub(r"[zZ]$", "+00:00", value.strip())
    text = re.sub(r"(\.\d{6})\d+", r"\1", text)
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise invalid_argument(f"{what} must be an ISO 8601 time, got {value!r}") from None
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def _same_region(record: dict, region: str) -> bool:
    return record["_region"] == region


# -- rate limit --------------------------------------------------------------------------

def _count_write(sim: Simulator) -> None:
    """Refuse the write with 429 when the calling token used up its hourly budget."""
    limit = int(sim.config["accesspolicies_write_limit"])
    window = float(sim.config["accesspolicies_write_window"])
    now = sim.now()
    writes = _area(sim)["writes"].setdefault(current_token().value, deque())
    while writes and (now - writes[0]).total_seconds() >= window:
        writes.popleft()
    if len(writes) >= limit:
        wait = window - (now - writes[0]).total_seconds()
        raise ApiError(429, "TooManyRequests",
                       f"rate limit of {limit} access policy writes per {int(window)}s exceeded",
                       headers={"Retry-After": str(max(1, int(wait + 0.999)))})
    writes.append(now)


# -- access policies ---------------------------------------------------------------------

def _policy(sim: Simulator, policy_id: str, region: str) -> dict:
    record = _area(sim)["policies"].get(policy_id)
    if record is None or not _same_region(record, region):
        raise not_found("Access policy not found")
    return record


def _policy_named(sim: Simulator, name: str, region: str) -> dict | None:
    return next((p for p in _area(sim)["policies"].values()
                 if p["name"] == name and _same_region(p, region)), None)


def _scopes(value) -> list:
    if not isinstance(value, list) or not value:
        raise invalid_argument("scopes must be a non-empty list")
    for scope in value:
        if not isinstance(scope, str) or not SCOPE.match(scope):
            raise invalid_argument(f"invalid scope {scope!r}")
    return list(dict.fromkeys(value))


def _realms(sim: Simulator, value) -> list:
    if not isinstance(value, list) or not value:
        raise invalid_argument("realms must be a non-empty list")
    realms = []
    for realm in value:
        if not isinstance(realm, dict):
            raise invalid_argument("a realm must be an object")
        kind, identifier = realm.get("type"), realm.get("identifier")
        if kind not in REALM_TYPES:
            raise invalid_argument(f"invalid realm type {kind!r}: must be org or stack")
        if not isinstance(identifier, str) or not identifier:
            raise invalid_argument("realm identifier is required")
        if kind == "org" and identifier != str(sim.org["id"]):
            raise invalid_argument(f"org {identifier!r} not found")
        if kind == "stack":
            stack = find_stack(sim, identifier)
            if stack is None or str(stack["id"]) != identifier or stack["status"] != "active":
                raise invalid_argument(f"stack {identifier!r} not found")
        selectors = []
        for policy in realm.get("labelPolicies") or []:
            selector = policy.get("selector") if isinstance(policy, dict) else None
            if not isinstance(selector, str) or not selector.strip():
                raise invalid_argument("a label policy needs a selector")
            selectors.append({"selector": selector})
        realms.append({"type": kind, "identifier": identifier, "labelPolicies": selectors})
    return realms


def _conditions(value) -> dict | None:
    """The stored conditions, or None to remove them (``{}``, null, or no subnets)."""
    if value is None or value == {}:
        return None
    if not isinstance(value, dict):
        raise invalid_argument("conditions must be an object")
    subnets = value.get("allowedSubnets")
    if not subnets:
        return None
    if not isinstance(subnets, list):
        raise invalid_argument("allowedSubnets must be a list")
    for subnet in subnets:
        if not isinstance(subnet, str) or "/" not in subnet:
            raise invalid_argument(f"invalid CIDR {subnet!r}: give a subnet mask, such as /32")
        try:
            ipaddress.ip_network(subnet, strict=False)
        except ValueError:
            raise invalid_argument(f"invalid CIDR {subnet!r}") from None
    return {"allowedSubnets": list(subnets)}


def _set_conditions(record: dict, conditions: dict | None) -> None:
    record.pop("conditions", None)
    if conditions:
        record["conditions"] = conditions


# The spec's request schema of attributes (postAccessPolicies): field -> accepted types.
LOKI_QUERY_POLICY_FIELDS = {
    "maxEntriesLimitPerQuery": int, "maxQueryBytesRead": str, "maxQueryInterval": str,
    "maxQueryLength": str, "maxQueryLookback": str, "maxQueryTime": str,
    "minimumLabelsNumber": int, "requiredLabels": list,
}


def _attributes(value) -> dict | None:
    """The stored attributes without null fields, or None to remove them."""
    if value is None:
        return None
    if not isinstance(value, dict):
        raise invalid_argument("attributes must be an object")
    unknown = set(value) - {"lokiQueryPolicy", "pdcConfiguration"}
    if unknown:
        raise invalid_argument(f"unknown attributes: {', '.join(sorted(unknown))}")
    attributes = {}
    loki = _loki_query_policy(value.get("lokiQueryPolicy"))
    if loki:
        attributes["lokiQueryPolicy"] = loki
    pdc = value.get("pdcConfiguration")
    if pdc is not None:
        if not isinstance(pdc, dict) or set(pdc) - {"limitedHosts"}:
            raise invalid_argument("pdcConfiguration must be an object with limitedHosts")
        hosts = pdc.get("limitedHosts")
        if hosts is not None:
            if not isinstance(hosts, list) or not all(isinstance(h, str) and h.strip() for h in hosts):
                raise invalid_argument("pdcConfiguration.limitedHosts must be a list of host:port strings")
            attributes["pdcConfiguration"] = {"limitedHosts": list(hosts)}
    return attributes or None


def _loki_query_policy(value) -> dict:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise invalid_argument("lokiQueryPolicy must be an object")
    policy = {}
    for key, item in value.items():
        kind = LOKI_QUERY_POLICY_FIELDS.get(key)
        if kind is None:
            raise invalid_argument(f"unknown lokiQueryPolicy field {key!r}")
        if item is None:
            continue
        if not isinstance(item, kind) or isinstance(item, bool):
            raise invalid_argument(f"lokiQueryPolicy.{key} has the wrong type")
        if kind is int and item < 0:
            raise invalid_argument(f"lokiQueryPolicy.{key} must not be negative")
        if kind is list and not all(isinstance(label, str) and label for label in item):
            raise invalid_argument(f"lokiQueryPolicy.{key} must be a list of label names")
        policy[key] = item
    return policy


def _set_attributes(record: dict, attributes: dict | None) -> None:
    record.pop("attributes", None)
    if attributes:
        record["attributes"] = attributes


def _policy_matches(policy: dict, args) -> bool:
    if "name" in args and policy["name"] != args["name"]:
        return False
    if args.get("status") and policy["status"] != args["status"]:
        return False
    return _realm_matches(policy, args.get("realmType"), args.get("realmIdentifier"))


def _realm_matches(policy: dict, realm_type, identifier) -> bool:
    if identifier and not realm_type:
        raise invalid_argument("realmIdentifier requires realmType")
    if not realm_type:
        return True
    return any(realm["type"] == realm_type and (not identifier or realm["identifier"] == identifier)
               for realm in policy["realms"])


@blueprint.get("/v1/accesspolicies")
@requires("accesspolicies:read")
def list_policies():
    sim = get_sim()
    region = _region()
    with sim.lock:
        items = [_render(p) for p in _area(sim)["policies"].values()
                 if _same_region(p, region) and _policy_matches(p, request.args)]
    return cursor_page(items, request.args)


@blueprint.post("/v1/accesspolicies")
@requires("accesspolicies:write")
def create_policy():
    sim = get_sim()
    region = _region()
    with sim.lock:
        _count_write(sim)
        body = json_body()
        name = _check_name(body.get("name"), "access policy")
        display_name = _check_display_name(body.get("displayName", name), "access policy")
        record = {
            "id": str(uuid.uuid4()), "orgId": str(sim.org["id"]), "name": name,
            "displayName": display_name, "scopes": _scopes(body.get("scopes")),
            "realms": _realms(sim, body.get("realms")),
        }
        _set_conditions(record, _conditions(body.get("conditions")))
        _set_attributes(record, _attributes(body.get("attributes")))
        if _policy_named(sim, name, region) is not None:
            raise ApiError(409, "Conflict", f"access policy {name!r} already exists in region {region}")
        now = sim.now_iso()
        record.update({"createdAt": now, "updatedAt": now, "status": "active", "_region": region})
        _area(sim)["policies"][record["id"]] = record
        return _render(record)


# The scopes a policy may hold, as ``GET /v1/accesspolicies/config`` lists them:
# (name, description, realm type it requires or None). A selection; the spec names no full list.
CONFIG_SCOPES = (
    ("metrics:read", "Read metrics", None), ("metrics:write", "Write metrics", None),
    ("metrics:delete", "Delete metrics", None), ("metrics:import", "Import metrics", None),
    ("logs:read", "Read logs", None), ("logs:write", "Write logs", None),
    ("logs:delete", "Delete logs", None),
    ("traces:read", "Read traces", None), ("traces:write", "Write traces", None),
    ("traces:delete", "Delete traces", None),
    ("profiles:read", "Read profiles", None), ("profiles:write", "Write profiles", None),
    ("alerts:read", "Read alerts", None), ("alerts:write", "Write alerts", None),
    ("rules:read", "Read rules", None), ("rules:write", "Write rules", None),
    ("accesspolicies:read", "Read access policies", "org"),
    ("accesspolicies:write", "Write access policies", "org"),
    ("accesspolicies:delete", "Delete access policies", "org"),
    ("stacks:read", "Read stacks", "org"), ("stacks:write", "Write stacks", "org"),
    ("stacks:delete", "Delete stacks", "org"),
    ("stack-plugins:read", "Read stack plugins", "org"), ("stack-plugins:write", "Write stack plugins", "org"),
    ("stack-plugins:delete", "Delete stack plugins", "org"),
    ("stack-service-accounts:write", "Manage service accounts of stacks", "org"),
    ("orgs:read", "Read the organization", "org"), ("orgs:write", "Write the organization", "org"),
    ("stack-users:read", "Read the users of stacks", "org"),
    ("billing-metrics:read", "Read billing metrics", None),
    # Private data source connect: Terraform's network policy holds set:pdc-signing (older
    # networks pdc-signing:write), on a stack realm.
    ("set:pdc-signing", "Sign private data source connect agents", "stack"),
    ("pdc-signing:write", "Sign private data source connect agents (older scope)", "stack"),
)


@blueprint.get("/v1/accesspolicies/config")
@public  # the spec declares neither x-permissions nor x-auth-required for getConfig
def access_policies_config():
    """What policies may hold: the org's realms (the org and its live stacks), scopes, sets.

    A real path of the API, not a policy named "config" (policy ids are UUIDs): the static
    route wins over ``/v1/accesspolicies/<policy_id>``.
    """
    sim = get_sim()
    _region()
    with sim.lock:
        realms = [{"type": "org", "identifier": str(sim.org["id"])}]
        realms += [{"type": "stack", "identifier": str(stack["id"])} for stack in live_stacks(sim)
                   if stack["status"] == "active"]
    scopes = []
    for name, description, realm_type in CONFIG_SCOPES:
        scope = {"name": name, "description": description}
        if realm_type:
            scope["requiresRealmType"] = realm_type
        scopes.append(scope)
    families = {}
    for name, _description, _realm in CONFIG_SCOPES:
        if not name.startswith("set:"):
            families.setdefault(name.split(":", maxsplit=1)[0], []).append(name)
    sets = [{"name": family, "scopes": names} for family, names in families.items()]
    return {"realms": realms, "scopes": scopes, "sets": sets}


@blueprint.get("/v1/accesspolicies/<policy_id>")
@requires("accesspolicies:read")
def get_policy(policy_id: str):
    sim = get_sim()
    region = _region()
    with sim.lock:
        return _render(_policy(sim, policy_id, region))


@blueprint.post("/v1/accesspolicies/<policy_id>")
@requires("accesspolicies:write")
def update_policy(policy_id: str):
    sim = get_sim()
    region = _region()
    with sim.lock:
        _count_write(sim)
        record = _policy(sim, policy_id, region)
        body = json_body()
        changes = {}
        if "displayName" in body:
            changes["displayName"] = _check_display_name(body["displayName"], "access policy")
        if "scopes" in body:
            changes["scopes"] = _scopes(body["scopes"])
        if "realms" in body:
            changes["realms"] = _realms(sim, body["realms"])
        if "status" in body:
            if body["status"] not in STATUSES:
                raise invalid_argument(f"invalid status {body['status']!r}: must be active or inactive")
            changes["status"] = body["status"]
        record.update(changes)
        if "conditions" in body:
            _set_conditions(record, _conditions(body["conditions"]))
        if "attributes" in body:
            _set_attributes(record, _attributes(body["attributes"]))
        record["updatedAt"] = sim.now_iso()
        _refresh_credentials(sim, record)
        return _render(record)


@blueprint.delete("/v1/accesspolicies/<policy_id>")
@requires("accesspolicies:delete")
def delete_policy(policy_id: str):
    sim = get_sim()
    region = _region()
    with sim.lock:
        _count_write(sim)
        _policy(sim, policy_id, region)
        del _area(sim)["policies"][policy_id]
        # Its tokens go with it (see the module docstring).
        tokens = _area(sim)["tokens"]
        for token_id in [t["id"] for t in tokens.values() if t["accessPolicyId"] == policy_id]:
            _drop_token(sim, tokens.pop(token_id))
    return "", 200


# -- tokens ------------------------------------------------------------------------------

def _token(sim: Simulator, token_id: str, region: str) -> dict:
    record = _area(sim)["tokens"].get(token_id)
    if record is None or not _same_region(record, region):
        raise not_found("Token not found")
    return record


def _expired(sim: Simulator, record: dict) -> bool:
    expires_at = record.get("expiresAt")
    return bool(expires_at) and _parse_time(expires_at, "expiresAt") <= sim.now()


def _future_expiry(sim: Simulator, value) -> str:
    moment = _parse_time(value, "expiresAt")
    if moment <= sim.now():
        raise invalid_argument("expiresAt must be in the future")
    return format_time(moment)


def _credential_check(token_id: str):
    """``is_valid`` of an issued token: it, and its policy, exist; not expired; policy active."""

    def is_valid(sim: Simulator) -> bool:
        area = sim.state.get("accesspolicies") or {}
        record = (area.get("tokens") or {}).get(token_id)
        if record is None or _expired(sim, record):
            return False
        policy = area["policies"].get(record["accessPolicyId"])
        if policy is None or policy["status"] != "active":
            return False
        _record_use(sim, record)
        return True

    return is_valid


def _record_use(sim: Simulator, record: dict) -> None:
    """The token authenticated a request: what audits read as its first and last use."""
    now = sim.now_iso()
    record["lastUsedAt"] = now
    if not record.get("firstUsedAt"):
        record["firstUsedAt"] = now


def _register_credential(sim: Simulator, record: dict, policy: dict) -> None:
    sim.add_token(record["_secret"], policy["scopes"], is_valid=_credential_check(record["id"]),
                  meta={"token_id": record["id"], "access_policy_id": policy["id"],
                        "region": record["_region"],
                        "realms": [dict(realm) for realm in policy["realms"]]})


def _refresh_credentials(sim: Simulator, policy: dict) -> None:
    """Tokens carry their policy's current scopes and realms."""
    for record in _area(sim)["tokens"].values():
        if record["accessPolicyId"] == policy["id"]:
            _register_credential(sim, record, policy)


def _drop_token(sim: Simulator, record: dict) -> None:
    sim.remove_token(record["_secret"])


def _token_matches(sim: Simulator, record: dict, args) -> bool:
    policy = _area(sim)["policies"].get(record["accessPolicyId"])
    if policy is None:
        return False
    if "name" in args and record["name"] != args["name"]:
        return False
    if args.get("accessPolicyId") and record["accessPolicyId"] != args["accessPolicyId"]:
        return False
    if args.get("accessPolicyIds"):
        wanted = {item for value in args.getlist("accessPolicyIds") for item in value.split(",") if item}
        if record["accessPolicyId"] not in wanted:
            return False
    if "accessPolicyName" in args and policy["name"] != args["accessPolicyName"]:
        return False
    if args.get("accessPolicyStatus") and policy["status"] != args["accessPolicyStatus"]:
        return False
    if not _realm_matches(policy, args.get("accessPolicyRealmType"), args.get("accessPolicyRealmIdentifier")):
        return False
    return _expiry_matches(sim, record, args)


def _expiry_matches(sim: Simulator, record: dict, args) -> bool:
    include_expired = args.get("includeExpired", "false").lower() == "true"
    if not include_expired and _expired(sim, record):
        return False
    expires_at = record.get("expiresAt")
    moment = _parse_time(expires_at, "expiresAt") if expires_at else None
    if args.get("expiresBefore"):
        if moment is None or moment >= _parse_time(args["expiresBefore"], "expiresBefore"):
            return False
    if args.get("expiresAfter"):
        if moment is not None and moment <= _parse_time(args["expiresAfter"], "expiresAfter"):
            return False
    return True


@blueprint.get("/v1/tokens")
@requires("accesspolicies:read")
def list_tokens():
    sim = get_sim()
    region = _region()
    with sim.lock:
        items = [_render_token(t) for t in _area(sim)["tokens"].values()
                 if _same_region(t, region) and _token_matches(sim, t, request.args)]
    return cursor_page(items, request.args)


def _render_token(record: dict) -> dict:
    # The spec's AuthToken has no nullable fields: absent values are left out.
    return {key: value for key, value in _render(record).items() if value is not None}


@blueprint.post("/v1/tokens")
@requires("accesspolicies:write")
def create_token():
    sim = get_sim()
    region = _region()
    with sim.lock:
        body = json_body()
        name = _check_name(body.get("name"), "token")
        display_name = _check_display_name(body.get("displayName", name), "token")
        policy_id = body.get("accessPolicyId")
        policy = _area(sim)["policies"].get(policy_id) if isinstance(policy_id, str) else None
        if policy is None or not _same_region(policy, region):
            raise invalid_argument(f"access policy {policy_id!r} not found in region {region}")
        expires_at = _future_expiry(sim, body["expiresAt"]) if body.get("expiresAt") is not None else None
        if any(t["name"] == name and _same_region(t, region) for t in _area(sim)["tokens"].values()):
            raise ApiError(409, "Conflict", f"token {name!r} already exists in region {region}")
        now = sim.now_iso()
        record = {
            "id": str(uuid.uuid4()), "accessPolicyId": policy["id"], "name": name,
            "displayName": display_name, "expiresAt": expires_at, "createdAt": now,
            "updatedAt": now, "orgId": str(sim.org["id"]),
            "_region": region, "_secret": make_token(name, sim.org["id"], region),
        }
        _area(sim)["tokens"][record["id"]] = record
        _register_credential(sim, record, policy)
        return {**_render_token(record), "token": record["_secret"]}


@blueprint.get("/v1/tokens/<token_id>")
@requires("accesspolicies:read")
def get_token(token_id: str):
    sim = get_sim()
    region = _region()
    with sim.lock:
        return _render_token(_token(sim, token_id, region))


@blueprint.post("/v1/tokens/<token_id>")
@requires("accesspolicies:write")
def update_token(token_id: str):
    sim = get_sim()
    region = _region()
    with sim.lock:
        record = _token(sim, token_id, region)
        body = json_body()
        changes = {}
        if "displayName" in body:
            changes["displayName"] = _check_display_name(body["displayName"], "token")
        if "expiresAt" in body:
            # null removes the expiry, as documented.
            changes["expiresAt"] = (_future_expiry(sim, body["expiresAt"])
                                    if body["expiresAt"] is not None else None)
        record.update(changes)
        record["updatedAt"] = sim.now_iso()
        return _render_token(record)


@blueprint.delete("/v1/tokens/<token_id>")
@requires("accesspolicies:delete")
def delete_token(token_id: str):
    sim = get_sim()
    region = _region()
    with sim.lock:
        record = _token(sim, token_id, region)
        del _area(sim)["tokens"][token_id]
        _drop_token(sim, record)
    return {}


def seed_policies(sim: Simulator, count: int, *, region: str = "us", prefix: str = "bulk") -> None:
    """Test/bench helper: store ``count`` policies directly (no requests, no rate limit)."""
    with sim.lock:
        now = sim.now_iso()
        policies = _area(sim)["policies"]
        for index in range(count):
            policy_id = str(uuid.uuid4())
            policies[policy_id] = {
                "id": policy_id, "orgId": str(sim.org["id"]), "name": f"{prefix}-{index:05d}",
                "displayName": f"{prefix} {index}", "scopes": ["metrics:read"],
                "realms": [{"type": "org", "identifier": str(sim.org["id"]), "labelPolicies": []}],
                "createdAt": now, "updatedAt": now, "status": "active", "_region": region,
            }


def seed_tokens(sim: Simulator, count: int, *, region: str = "us", prefix: str = "bulk") -> None:
    """Test/bench helper: store ``count`` tokens directly, one per policy of ``seed_policies``
    (same region and prefix; seed those first)."""
    with sim.lock:
        now = sim.now_iso()
        policies = [policy for policy in _area(sim)["policies"].values()
                    if policy["name"].startswith(prefix + "-") and _same_region(policy, region)]
        tokens = _area(sim)["tokens"]
        for index in range(count):
            policy = policies[index % len(policies)]
            token_id = str(uuid.uuid4())
            name = f"{prefix}-token-{index:05d}"
            tokens[token_id] = {
                "id": token_id, "accessPolicyId": policy["id"], "name": name, "displayName": name,
                "expiresAt": None, "createdAt": now, "updatedAt": now, "orgId": str(sim.org["id"]),
                "_region": region, "_secret": make_token(name, sim.org["id"], region),
            }


def expire_in(sim: Simulator, token_id: str, seconds: float) -> None:
    """Test helper: make a stored token expire ``seconds`` from the simulator's now."""
    with sim.lock:
        record = _area(sim)["tokens"][token_id]
        record["expiresAt"] = format_time(sim.now() + timedelta(seconds=seconds))
