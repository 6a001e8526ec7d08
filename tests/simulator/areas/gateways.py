# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Area ``gateways``: the ingestion gateways of the stacks and each stack's Grafana HTTP API.

A stack hands out, per signal, a URL and a user id (``hmInstancePromUrl`` /
``hmInstancePromId``, ``hlInstanceUrl`` / ``hlInstanceId``, ``htInstanceUrl`` /
``htInstanceId``, ``hpInstanceUrl`` / ``hpInstanceId``) and its Grafana at ``url``. Those
hosts do not resolve here, so the simulator serves them under ``/gateways/<host>``: a push to
``https://prometheus-prod-10-prod-us-central-0.grafana.net/api/prom/push`` is sent to
``<simulator>/gateways/prometheus-prod-10-prod-us-central-0.grafana.net/api/prom/push``
(:func:`tests.simulator.testing.gateway_url` does the mapping).

How the real gateways authenticate (Grafana Cloud docs, "Configure remote_write with a
Prometheus ConfigMap" and the agents' configuration pages): HTTP basic auth, the user is the
signal's instance (user) id of the stack, the password an access-policy token whose policy
holds the signal's write scope (``metrics:write``, ``logs:write``, ``traces:write``,
``profiles:write``). The exact statuses of the real gateways are not documented; the
stricter plausible answers are kept:

- 401 without basic auth, with a user id that is no instance of that signal on that host,
  or with a password that is no live token (unknown, deleted, expired);
- 403 for a live token whose policy lacks the write scope, or whose realms cover neither the
  stack nor its org (a token without realms, like the simulator's admin token, is no
  access-policy token of any stack: 403 too);
- 204 (Prometheus remote write, Loki push) or 200 (OTLP, profiles ingest) when accepted.

The stack's Grafana (``GET /gateways/<slug>.grafana.net/api/user``) accepts
``Authorization: Bearer glsa_...``: a live token of an enabled service account of that stack
(:func:`stack_credentials.account_for_token`); 401 otherwise, as Grafana answers an invalid
API key. Every accepted push is recorded (``sim.state["gateways"]["pushes"]``) for tests.
"""

from __future__ import annotations

import base64
import binascii
from urllib.parse import urlsplit

from flask import Blueprint, Response, jsonify, request

from ..auth import public
from ..core import Simulator, get_sim
from ._stackdata import live_stacks
from .stack_credentials import account_for_token

blueprint = Blueprint("gateways", __name__)
URL_PREFIX = "/gateways/<host>"

#: signal -> (URL field, user id field, write scope, push path, status on success)
SIGNALS = {
    "prometheus": ("hmInstancePromUrl", "hmInstancePromId", "metrics:write", "api/prom/push", 204),
    "loki": ("hlInstanceUrl", "hlInstanceId", "logs:write", "loki/api/v1/push", 204),
    "tempo": ("htInstanceUrl", "htInstanceId", "traces:write", "otlp/v1/traces", 200),
    "profiles": ("hpInstanceUrl", "hpInstanceId", "profiles:write", "ingest", 200),
}


def seed(sim: Simulator) -> None:
    sim.state["gateways"].update(pushes=[])


def _host(url: str | None) -> str:
    return urlsplit(url or "").hostname or ""


def _refuse(status: int, message: str) -> Response:
    response = Response(message + "\n", status=status, mimetype="text/plain")
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Basic realm="grafana-cloud"'
    return response


def _basic_credentials() -> tuple[str, str] | None:
    parts = request.headers.get("Authorization", "").split()
    if len(parts) != 2 or parts[0].lower() != "basic":
        return None
    try:
        user, _colon, password = base64.b64decode(parts[1], validate=True).decode("utf-8").partition(":")
    except (binascii.Error, UnicodeDecodeError):
        return None
    return user, password


def _realm_covers(sim: Simulator, realms: list | None, stack: dict) -> bool:
    if not realms:
        return False
    return any((realm["type"] == "org" and realm["identifier"] == str(sim.org["id"]))
               or (realm["type"] == "stack" and realm["identifier"] == str(stack["id"]))
               for realm in realms)


def _push(host: str, signal: str) -> Response:
    url_field, user_field, scope, _path, success = SIGNALS[signal]
    credentials = _basic_credentials()
    if credentials is None:
        return _refuse(401, "authentication error: no basic auth credentials")
    user, password = credentials
    sim = get_sim()
    stack = next((stack for stack in live_stacks(sim)
                  if _host(stack.get(url_field)) == host and str(stack.get(user_field)) == user), None)
    token = sim.authenticate(password) if password else None
    if stack is None or token is None:
        return _refuse(401, "authentication error: invalid credentials")
    if scope not in token.scopes:
        return _refuse(403, "the token's access policy lacks the scope %s" % scope)
    if not _realm_covers(sim, token.meta.get("realms"), stack):
        return _refuse(403, "the token's access policy has no realm for stack %s" % stack["slug"])
    sim.state["gateways"]["pushes"].append(
        {"signal": signal, "stack": stack["slug"], "token_id": token.meta.get("token_id")})
    return Response(status=success)


def _push_view(signal: str):
    def view(host: str):
        return _push(host, signal)
    view.__name__ = "push_" + signal
    return public(view)


for _signal, (_url, _user, _scope, _path, _status) in SIGNALS.items():
    blueprint.add_url_rule("/" + _path, view_func=_push_view(_signal), methods=["POST"])


@blueprint.get("/api/user")
@public
def grafana_user(host: str):
    """The signed-in user of a stack's Grafana: here, the service account of the bearer token."""
    sim = get_sim()
    stack = next((stack for stack in live_stacks(sim) if _host(stack.get("url")) == host), None)
    parts = request.headers.get("Authorization", "").split()
    secret = parts[1] if len(parts) == 2 and parts[0].lower() == "bearer" else None
    account = account_for_token(sim, stack, secret) if stack is not None and stack["status"] == "active" else None
    if account is None:
        response = jsonify({"message": "Invalid API key", "messageId": "auth.unauthorized", "statusCode": 401})
        response.status_code = 401
        return response
    return jsonify({"id": account["id"], "login": account["login"], "name": account["name"],
                    "isServiceAccount": True, "orgId": 1})
