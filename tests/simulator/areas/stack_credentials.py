# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Area ``stack_credentials``: credentials inside a stack, through the Grafana Cloud API's proxy.

- Service accounts: ``POST /instances/{stack}/api/serviceaccounts``, ``GET .../search``
  (``query`` is a case-insensitive substring of the name or login; ``page``/``perpage``),
  ``GET|DELETE .../serviceaccounts/{id}``. There is no update: the real proxy offers none.
- Their tokens: ``POST|GET .../serviceaccounts/{id}/tokens``, ``DELETE .../tokens/{tokenId}``.
  The key (``glsa_...``) is in the create answer only; the listing never shows it.
- Hosted API keys (the older credential): ``POST /instances/{stack}/api/auth/keys``, create
  only. Grafana removed API key creation in 11.3 (and the endpoints in 12): on a stack whose
  ``runningVersion`` is 11.3 or later (new stacks run ``stacks_grafana_version``, 12.x by
  default) it answers 410. On an older stack it creates the key, shown once, and answers a
  duplicate name 409 as the API reference documents.

Every route answers 404 for an unknown stack and 503 ``Loading`` with ``Retry-After`` while
the stack warms up (:func:`require_ready_stack`): those come from the Grafana Cloud API and
have its error shape. What the stack's Grafana itself refuses has Grafana's shape and status
(:class:`GrafanaError`): ``{"message", "messageId", "statusCode"}``, 400 for bad input and
duplicates (``serviceaccounts.ErrAlreadyExists`` for an account whose name or login is
taken, ``serviceaccounts.ErrTokenAlreadyExists`` for a token name already used in the
stack's Grafana org: Grafana keeps token names unique per org, not per account), 404
``serviceaccounts.ErrNotFound`` / ``ErrTokenNotFound``. The messageIds and messages are
Grafana's (``pkg/services/serviceaccounts/models.go``); the hosted-key errors are Grafana's
older ``{"message"}`` answers. Records are kept per stack id, so a stack deleted and created
again under the same slug starts without credentials.

Shapes follow the spec (``getInstanceServiceAccount``, ``getInstanceServiceAccountTokens``,
``postInstanceServiceAccountTokens``). Search items carry the full service account (as
Grafana's search does); the spec only promises ``id`` and ``name``. A token without expiry
has no ``expiration`` key (the spec types it as a date-time, never null).
"""

from __future__ import annotations

import base64
import json
import re
import secrets
import string
from datetime import timedelta

from flask import Blueprint, request

from ..auth import requires
from ..core import Simulator, format_time, get_sim
from ..errors import GrafanaError
from ..validation import query_int
from ._stackdata import require_ready_stack

blueprint = Blueprint("stack_credentials", __name__)

SA_SCOPE = "stack-service-accounts:write"
# Hosted API keys are not in the spec; the reference says they need an Admin credential.
HOSTED_KEY_SCOPE = "stacks:write"

SA_ROLES = ("Viewer", "Editor", "Admin", "None")
HOSTED_KEY_ROLES = ("Viewer", "Editor", "Admin")
# Grafana removed API key creation in this version (the endpoints went in 12.0).
API_KEYS_REMOVED_IN = (11, 3)
API_KEYS_GONE = ("API keys can no longer be created: Grafana removed them in favour of service accounts "
                 "(migrate with POST /api/serviceaccounts/migrate)")
DEFAULT_PERPAGE = 1000  # Grafana's default page size for the search
GRAFANA_ORG_ID = 1  # the one org of a hosted Grafana instance

CONFIG_DEFAULTS = {
    # Largest perpage the search accepts (Grafana caps it too); tests lower it to force paging.
    "stack_credentials_max_perpage": 1000,
}


def seed(sim: Simulator) -> None:
    sim.state["stack_credentials"].update(service_accounts={}, tokens={}, hosted_keys={})


# -- storage helpers ----------------------------------------------------------------------

def _area(sim: Simulator) -> dict:
    return sim.state["stack_credentials"]


def _accounts(sim: Simulator, stack: dict) -> dict:
    """Service accounts of one stack, by id."""
    return _area(sim)["service_accounts"].setdefault(stack["id"], {})


def _tokens(sim: Simulator, account: dict) -> dict:
    """Tokens of one service account, by id (service account ids are unique across stacks)."""
    return _area(sim)["tokens"].setdefault(account["id"], {})


def _account(sim: Simulator, stack: dict, account_id: str) -> dict:
    key = _int_id(account_id, "serviceaccounts.ErrInvalidId", "invalid service account id specified")
    account = _accounts(sim, stack).get(key)
    if account is None:
        raise GrafanaError(404, "serviceaccounts.ErrNotFound", "service account not found")
    return account


def _int_id(value: str, message_id: str, message: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise GrafanaError(400, message_id, message) from None


def _grafana_body() -> dict:
    """The JSON object body; Grafana answers anything else 400 "bad request data"."""
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise GrafanaError(400, None, "bad request data")
    return body


def _login(name: str) -> str:
    """Grafana's login for a service account: ``sa-`` and the slugified name."""
    return "sa-" + re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def _render_account(sim: Simulator, account: dict) -> dict:
    return {**account, "tokens": len(_tokens(sim, account))}


def _required_text(body: dict, name: str) -> str:
    """Grafana's binding of a ``Required`` field: 400 "bad request data" without it."""
    value = body.get(name)
    if not isinstance(value, str) or not value.strip():
        raise GrafanaError(400, None, "bad request data")
    return value


def _sa_role(body: dict) -> str:
    role = body.get("role")
    if role not in SA_ROLES:
        raise GrafanaError(400, "serviceaccounts.ErrInvalidRoleSpecified", "invalid role specified")
    return role


def _hosted_key_role(body: dict) -> str:
    role = body.get("role")
    if role not in HOSTED_KEY_ROLES:
        raise GrafanaError(400, None, "Invalid role specified")
    return role


def _seconds_to_live(body: dict, message_id: str | None) -> int:
    value = body.get("secondsToLive")
    if value is None:
        return 0
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise GrafanaError(400, message_id, "invalid SecondsToLive value")
    return value


def grafana_version(stack: dict) -> tuple:
    """The stack's Grafana version as a tuple (``runningVersion``, e.g. ``12.3.0``)."""
    numbers = re.findall(r"\d+", stack.get("runningVersion") or "")
    return tuple(int(number) for number in numbers[:3]) or (0,)


def service_account_token_value() -> str:
    """A secret shaped like Grafana's: ``glsa_`` + 32 letters and digits + ``_`` + 8 hex."""
    alphabet = string.ascii_letters + string.digits
    body = "".join(secrets.choice(alphabet) for _position in range(32))
    return f"glsa_{body}_{secrets.token_hex(4)}"


def hosted_key_value(name: str, key_id: int) -> str:
    """A secret shaped like the reference's example: base64 of ``{"k", "n", "id"}``."""
    blob = json.dumps({"k": secrets.token_urlsafe(24), "n": name, "id": key_id}, separators=(",", ":"))
    return base64.b64encode(blob.encode()).decode().rstrip("=")


# -- service accounts ---------------------------------------------------------------------

@blueprint.post("/instances/<stack>/api/serviceaccounts")
@requires(SA_SCOPE)
def create_service_account(stack: str):
    sim = get_sim()
    body = _grafana_body()
    name = _required_text(body, "name")
    role = _sa_role(body)
    disabled = body.get("isDisabled", False)
    if not isinstance(disabled, bool):
        raise GrafanaError(400, None, "bad request data")
    with sim.lock:
        record = require_ready_stack(sim, stack)
        accounts = _accounts(sim, record)
        login = _login(name)
        if any(account["name"] == name or account["login"] == login for account in accounts.values()):
            raise GrafanaError(400, "serviceaccounts.ErrAlreadyExists", "service account already exists")
        account_id = sim.next_id()
        account = {"id": account_id, "name": name, "login": login, "orgId": GRAFANA_ORG_ID,
                   "isDisabled": disabled, "role": role,
                   "avatarUrl": "/avatar/%s" % secrets.token_hex(16), "isExternal": False}
        accounts[account_id] = account
        return _render_account(sim, account)


@blueprint.get("/instances/<stack>/api/serviceaccounts/search")
@requires(SA_SCOPE)
def search_service_accounts(stack: str):
    sim = get_sim()
    args = request.args
    page = query_int(args, "page", 1, minimum=1)
    perpage = query_int(args, "perpage", DEFAULT_PERPAGE, minimum=1)
    query = (args.get("query") or "").lower()
    with sim.lock:
        perpage = min(perpage, sim.config["stack_credentials_max_perpage"])
        record = require_ready_stack(sim, stack)
        matches = sorted((account for account in _accounts(sim, record).values()
                          if query in account["name"].lower() or query in account["login"]),
                         key=lambda account: account["login"])
        start = (page - 1) * perpage
        return {"totalCount": len(matches),
                "serviceAccounts": [_render_account(sim, a) for a in matches[start:start + perpage]],
                "page": page, "perPage": perpage}


@blueprint.get("/instances/<stack>/api/serviceaccounts/<account_id>")
@requires(SA_SCOPE)
def get_service_account(stack: str, account_id: str):
    sim = get_sim()
    with sim.lock:
        record = require_ready_stack(sim, stack)
        return _render_account(sim, _account(sim, record, account_id))


@blueprint.delete("/instances/<stack>/api/serviceaccounts/<account_id>")
@requires(SA_SCOPE)
def delete_service_account(stack: str, account_id: str):
    sim = get_sim()
    with sim.lock:
        record = require_ready_stack(sim, stack)
        account = _account(sim, record, account_id)
        # Grafana deletes the tokens with their service account.
        _area(sim)["tokens"].pop(account["id"], None)
        del _accounts(sim, record)[account["id"]]
    return {"message": "Service account deleted"}


# -- service account tokens ---------------------------------------------------------------

@blueprint.post("/instances/<stack>/api/serviceaccounts/<account_id>/tokens")
@requires(SA_SCOPE)
def create_token(stack: str, account_id: str):
    sim = get_sim()
    body = _grafana_body()
    name = _required_text(body, "name")
    seconds_to_live = _seconds_to_live(body, "serviceaccounts.ErrInvalidInput")
    with sim.lock:
        record = require_ready_stack(sim, stack)
        tokens = _tokens(sim, _account(sim, record, account_id))
        if any(token["name"] == name for token in _org_tokens(sim, record)):
            raise GrafanaError(400, "serviceaccounts.ErrTokenAlreadyExists",
                               "service account token with given name already exists in the organization")
        now = sim.now()
        token_id = sim.next_id()
        key = service_account_token_value()
        # The secret is kept (never rendered) so that areas served by the stack's Grafana
        # (the Incident API) can authenticate requests made with it: account_for_token.
        tokens[token_id] = {"id": token_id, "name": name, "_created": now, "_secret": key,
                            "_expires": now + timedelta(seconds=seconds_to_live) if seconds_to_live else None}
        return {"id": token_id, "name": name, "key": key}


@blueprint.get("/instances/<stack>/api/serviceaccounts/<account_id>/tokens")
@requires(SA_SCOPE)
def list_tokens(stack: str, account_id: str):
    sim = get_sim()
    with sim.lock:
        record = require_ready_stack(sim, stack)
        tokens = _tokens(sim, _account(sim, record, account_id))
        return [_render_token(sim, token) for token in sorted(tokens.values(), key=lambda t: t["id"])]


def _org_tokens(sim: Simulator, stack: dict) -> list:
    """Every token of every service account of the stack's Grafana org (names are unique there)."""
    return [token for account in _accounts(sim, stack).values() for token in _tokens(sim, account).values()]


def account_for_token(sim: Simulator, stack: dict, secret: str | None) -> dict | None:
    """The enabled service account of ``stack`` whose live token is ``secret``, or None.

    How the stack's Grafana authenticates ``Authorization: Bearer glsa_...``: the token must
    exist, not be expired, and belong to an account of that stack that is not disabled.
    """
    if not secret:
        return None
    now = sim.now()
    for account in _accounts(sim, stack).values():
        for token in _tokens(sim, account).values():
            if token.get("_secret") != secret:
                continue
            expired = token["_expires"] is not None and now >= token["_expires"]
            return None if expired or account["isDisabled"] else account
    return None


def _render_token(sim: Simulator, token: dict) -> dict:
    now = sim.now()
    rendered = {"id": token["id"], "name": token["name"], "created": format_time(token["_created"]),
                "isRevoked": False}
    expires = token["_expires"]
    if expires is None:
        rendered.update(hasExpired=False, secondsUntilExpiration=0)
    else:
        rendered.update(expiration=format_time(expires), hasExpired=now >= expires,
                        secondsUntilExpiration=max(0.0, (expires - now).total_seconds()))
    return rendered


@blueprint.delete("/instances/<stack>/api/serviceaccounts/<account_id>/tokens/<token_id>")
@requires(SA_SCOPE)
def delete_token(stack: str, account_id: str, token_id: str):
    sim = get_sim()
    with sim.lock:
        record = require_ready_stack(sim, stack)
        tokens = _tokens(sim, _account(sim, record, account_id))
        key = _int_id(token_id, "serviceaccounts.ErrInvalidTokenId", "invalid service account token id specified")
        if tokens.pop(key, None) is None:
            raise GrafanaError(404, "serviceaccounts.ErrTokenNotFound", "service account token not found")
    return {"message": "Service account token deleted"}


# -- hosted API keys ----------------------------------------------------------------------

@blueprint.post("/instances/<stack>/api/auth/keys")
@requires(HOSTED_KEY_SCOPE)
def create_hosted_key(stack: str):
    sim = get_sim()
    with sim.lock:
        record = require_ready_stack(sim, stack)
        if grafana_version(record) >= API_KEYS_REMOVED_IN:
            raise GrafanaError(410, None, API_KEYS_GONE)
    body = _grafana_body()
    name = _required_text(body, "name")
    role = _hosted_key_role(body)
    seconds_to_live = _seconds_to_live(body, None)
    with sim.lock:
        record = require_ready_stack(sim, stack)
        keys = _area(sim)["hosted_keys"].setdefault(record["id"], {})
        if name in keys:
            raise GrafanaError(409, None, "API key, organization ID and name must be unique")
        key_id = sim.next_id()
        keys[name] = {"id": key_id, "name": name, "role": role, "secondsToLive": seconds_to_live}
        return {"id": key_id, "name": name, "key": hosted_key_value(name, key_id)}


def hosted_keys(sim: Simulator, stack_id: int) -> dict:
    """The hosted API keys of a stack by name (for tests: the API has no read)."""
    return dict(_area(sim)["hosted_keys"].get(stack_id, {}))
