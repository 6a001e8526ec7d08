# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Area ``org_members``: ``/api/orgs/{slugOrId}/members`` and ``.../members/{usernameOrId}``.

As the spec describes them (operations getOrgMembers, postOrgMembers, getOrgMember,
postOrgMember, deleteOrgMember):

- The list answers ``OrgMemberListResponse`` (``items`` + ``links``, the page envelope of
  the org listings); the only query parameters are the filters ``billing``, ``privacy``,
  ``privacyIn`` and the order ``orderBy``/``direction``: no paging parameter, so the whole
  list comes in one answer.
- A member is a ``FormattedOrgMembership``: the user's fields (``userId``,
  ``userUsername``, ``userEmail`` ...), the org's, ``role`` (``Admin``, ``Editor``,
  ``Viewer``, ``None``, ``SSO Access``) and the flags ``billing``, ``security``,
  ``privacy`` (numbers in the answer; ``privacy`` is a string in the requests).
- Add (POST .../members) takes ``username`` (required), ``role``, ``billing``,
  ``security``, ``privacy``; update (POST .../members/{usernameOrId}) the same without
  ``username``, plus ``defaultOrg``; ``{usernameOrId}`` is a username or a numeric user id.
  Delete answers 200 with an empty body. Writes need the ``x-request-id`` header (the spec
  marks it required; contract mode checks it).
- Scopes: the spec's ``x-permissions`` of each operation (any one of them), but for the
  update (postOrgMember): the spec lists ``org-members:read`` among its alternatives, which
  would let a read-only token make anyone Admin. The simulator asks a write scope
  (``STRICTER_SCOPES``), the stricter plausible answer.

Facts from elsewhere:

- Member writes are rate limited tightly: adding about ten members in a row is answered 429
  (Terraform provider issue 2811). Every member write of the org (add, update, delete)
  counts: ``org_members_write_limit`` (8) per ``org_members_write_window`` seconds (60);
  beyond, 429 ``TooManyRequests`` with ``Retry-After`` = seconds until the oldest write in
  the window leaves it. Tests lower the window through ``/_sim/config``.

Decisions where the spec is silent (the stricter plausible answer):

- Users are grafana.com accounts, which the API can't create: the seed holds a directory
  of them (``simadmin``, the org's one Admin member; ``alice`` ... ``frank``;
  ``user001`` ... ``user060``). Adding an unknown username is 404 ``NotFound``.
- Adding a user who is already a member is 409 ``Conflict``; updating or deleting a user
  who is not one is 404 ``NotFound``.
- ``role`` must be one of ``Admin``, ``Editor``, ``Viewer``, ``None`` (``SSO Access`` is
  granted by single sign-on, never through the API); ``billing`` and ``security`` must be
  0 or 1; ``privacy`` ``"0"`` or ``"1"``; anything else, or a field the spec does not list,
  is 409 ``InvalidArgument``. A new member without ``role`` is a ``Viewer``.
- ``defaultOrg`` is the user's own choice: an org admin setting it is 403 ``Forbidden``.
- The org keeps at least one ``Admin``: removing or demoting the last one is 409
  ``Conflict``.
- Usernames match exactly (no case folding).
"""

from __future__ import annotations

from collections import deque

from flask import Blueprint, Response, request

from ..auth import requires
from ..core import Simulator, get_sim
from ..errors import ApiError, invalid_argument, not_found
from ..paging import page_page
from ..validation import json_body
from .orgs import check_org

blueprint = Blueprint("org_members", __name__)

CONFIG_DEFAULTS = {
    "org_members_write_limit": 8,
    "org_members_write_window": 60,
}

WRITABLE_ROLES = ("Admin", "Editor", "Viewer", "None")
FLAGS = ("billing", "security")
ADD_FIELDS = ("username", "role", "billing", "security", "privacy")
UPDATE_FIELDS = ("role", "billing", "security", "privacy", "defaultOrg")
ORDER_FIELDS = ("id", "userId", "userUsername", "userName", "userEmail", "role", "createdAt")
NAMED_USERS = ("alice", "bob", "carol", "dave", "erin", "frank")
NUMBERED_USERS = 60
OWNER = "simadmin"
# Operations whose spec x-permissions the simulator narrows (see the module docstring).
STRICTER_SCOPES = {"postOrgMember": ("staff-org-members:write", "org-members:write")}

# The org fields FormattedOrgMembership requires, valued as the orgs area values the org.
MEMBERSHIP_ORG_FIELDS = {
    "grafanaCloud": 1, "resellerId": None, "contractTypeId": 0, "allowGCloudTrial": False,
    "hlUsage": 0, "hmCurrentGraphiteUsage": 0, "hmCurrentPrometheusUsage": 0,
    "hgDatasourceCnts": "{}", "marketplaceSubscription": None,
    "subscriptions": {
        "current": {"product": "grafana-cloud-free", "isTrial": False,
                    "startDate": "2023-01-04T06:43:24.000Z", "endDate": None, "payload": {},
                    "plan": None, "publicName": "Free", "enterprisePluginsAdded": False,
                    "planBillingCycle": "monthly"},
        "next": None,
    },
}


def seed(sim: Simulator) -> None:
    area = sim.state["org_members"]
    names = (OWNER,) + NAMED_USERS + tuple("user%03d" % n for n in range(1, NUMBERED_USERS + 1))
    area["users"] = {}  # user id -> {"id", "username", "email", "firstName", "lastName"}
    for index, username in enumerate(names):
        user_id = 500 + index
        area["users"][user_id] = {"id": user_id, "username": username,
                                  "email": f"{username}@example.com",
                                  "firstName": username.capitalize(), "lastName": "Example"}
    area["members"] = {}  # user id -> membership record
    area["writes"] = deque()  # times of the org's member writes
    owner = _user_named(sim, OWNER)
    area["members"][owner["id"]] = _new_membership(sim, owner, {"role": "Admin", "billing": 1,
                                                                "security": 1})


def _area(sim: Simulator) -> dict:
    return sim.state["org_members"]


def _user_named(sim: Simulator, username: str) -> dict | None:
    return next((user for user in _area(sim)["users"].values() if user["username"] == username), None)


def _new_membership(sim: Simulator, user: dict, fields: dict) -> dict:
    org, now = sim.org, sim.now_iso()
    return {"id": sim.next_id(), "orgId": org["id"], "userId": user["id"], "status": 1,
            "createdAt": now, "updatedAt": None, "defaultOrg": 0,
            "role": fields.get("role", "Viewer"), "privacy": fields.get("privacy", 0),
            "billing": fields.get("billing", 0), "security": fields.get("security", 0),
            "createdBy": "api", "updatedBy": "",
            "orgName": org["name"], "orgSlug": org["slug"], "orgUrl": org["url"],
            **MEMBERSHIP_ORG_FIELDS,
            "userFirstName": user["firstName"], "userLastName": user["lastName"],
            "userUsername": user["username"], "userStatus": 1, "userEmail": user["email"],
            "userName": f"{user['firstName']} {user['lastName']}", "mfaEnabled": False}


def _member(sim: Simulator, username_or_id: str) -> dict:
    """The membership of the user named by username or numeric id, or 404."""
    members = _area(sim)["members"]
    if username_or_id.isdigit():
        record = members.get(int(username_or_id))
    else:
        record = next((member for member in members.values()
                       if member["userUsername"] == username_or_id), None)
    if record is None:
        raise not_found(f"User {username_or_id} is not a member of this org")
    return record


def _keep_an_admin(sim: Simulator, record: dict, new_role: str | None) -> None:
    """409 when ``record`` is the org's last Admin and would stop being one (None: removed)."""
    admins = [member for member in _area(sim)["members"].values() if member["role"] == "Admin"]
    if record["role"] == "Admin" and new_role != "Admin" and len(admins) == 1:
        raise ApiError(409, "Conflict", "the org must keep at least one Admin")


# -- rate limit --------------------------------------------------------------------------

def _count_write(sim: Simulator) -> None:
    """Refuse the write with 429 when the org used up its member-write budget."""
    limit = int(sim.config["org_members_write_limit"])
    window = float(sim.config["org_members_write_window"])
    now = sim.now()
    writes = _area(sim)["writes"]
    while writes and (now - writes[0]).total_seconds() >= window:
        writes.popleft()
    if len(writes) >= limit:
        wait = window - (now - writes[0]).total_seconds()
        raise ApiError(429, "TooManyRequests",
                       f"rate limit of {limit} org member writes per {window:g}s exceeded",
                       headers={"Retry-After": str(max(1, int(wait + 0.999)))})
    writes.append(now)


# -- input -------------------------------------------------------------------------------

def _fields(body: dict, allowed: tuple) -> dict:
    """The body's member fields as stored values; 409 InvalidArgument naming a bad one."""
    unknown = sorted(set(body) - set(allowed))
    if unknown:
        raise invalid_argument(f"unknown fields: {', '.join(unknown)}")
    fields = {}
    if "role" in body:
        if body["role"] not in WRITABLE_ROLES:
            raise invalid_argument(f"role must be one of {', '.join(WRITABLE_ROLES)}")
        fields["role"] = body["role"]
    for flag in FLAGS:
        if flag in body:
            if isinstance(body[flag], bool) or body[flag] not in (0, 1):
                raise invalid_argument(f"{flag} must be 0 or 1")
            fields[flag] = body[flag]
    if "privacy" in body:
        if body["privacy"] not in ("0", "1"):
            raise invalid_argument("privacy must be \"0\" or \"1\"")
        fields["privacy"] = int(body["privacy"])
    if "defaultOrg" in body:
        raise ApiError(403, "Forbidden", "Forbidden: defaultOrg can only be set by the user")
    return fields


def _filtered(members: list, args) -> list:
    if args.get("billing", "") != "":
        members = [member for member in members if str(member["billing"]) == args["billing"]]
    privacy = [value for value in args.get("privacyIn", "").split(",") if value]
    if args.get("privacy", "") != "":
        privacy.append(args["privacy"])
    if privacy:
        members = [member for member in members if str(member["privacy"]) in privacy]
    order_by = args.get("orderBy") or "id"
    direction = args.get("direction") or "asc"
    if order_by not in ORDER_FIELDS:
        raise invalid_argument(f"orderBy must be one of {', '.join(ORDER_FIELDS)}")
    if direction not in ("asc", "desc"):
        raise invalid_argument("direction must be asc or desc")
    return sorted(members, key=lambda member: member[order_by], reverse=direction == "desc")


# -- views -------------------------------------------------------------------------------

@blueprint.get("/orgs/<org_slug>/members")
@requires("org-members:read", "org-members:write")
def list_members(org_slug: str):
    sim = get_sim()
    with sim.lock:
        check_org(sim, org_slug)
        members = _filtered([dict(member) for member in _area(sim)["members"].values()], request.args)
    answer = page_page(members, {}, path=request.path, order_by=request.args.get("orderBy") or "id",
                       direction=request.args.get("direction") or "asc")
    answer["perPage"] = answer.pop("pageSize")
    return answer


@blueprint.post("/orgs/<org_slug>/members")
@requires("org-members:write")
def add_member(org_slug: str):
    sim = get_sim()
    body = json_body()
    with sim.lock:
        check_org(sim, org_slug)
        _count_write(sim)
        username = body.get("username")
        if not isinstance(username, str) or not username:
            raise invalid_argument("username is required")
        fields = _fields(body, ADD_FIELDS)
        user = _user_named(sim, username)
        if user is None:
            raise not_found(f"User {username} not found")
        if user["id"] in _area(sim)["members"]:
            raise ApiError(409, "Conflict", f"User {username} is already a member of this org")
        record = _new_membership(sim, user, fields)
        _area(sim)["members"][user["id"]] = record
        return dict(record)


@blueprint.get("/orgs/<org_slug>/members/<username_or_id>")
@requires("org-members:read")
def get_member(org_slug: str, username_or_id: str):
    sim = get_sim()
    with sim.lock:
        check_org(sim, org_slug)
        return dict(_member(sim, username_or_id))


@blueprint.post("/orgs/<org_slug>/members/<username_or_id>")
@requires(*STRICTER_SCOPES["postOrgMember"])
def update_member(org_slug: str, username_or_id: str):
    sim = get_sim()
    body = json_body()
    with sim.lock:
        check_org(sim, org_slug)
        _count_write(sim)
        fields = _fields(body, UPDATE_FIELDS)
        record = _member(sim, username_or_id)
        _keep_an_admin(sim, record, fields.get("role", record["role"]))
        record.update(fields, updatedAt=sim.now_iso(), updatedBy="api")
        return dict(record)


@blueprint.delete("/orgs/<org_slug>/members/<username_or_id>")
@requires("org-members:delete")
def delete_member(org_slug: str, username_or_id: str):
    sim = get_sim()
    with sim.lock:
        check_org(sim, org_slug)
        _count_write(sim)
        record = _member(sim, username_or_id)
        _keep_an_admin(sim, record, None)
        del _area(sim)["members"][record["userId"]]
    return Response(status=200)
