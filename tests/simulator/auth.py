# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Bearer-token auth for /api views: ``@requires("stacks:read")``.

Scopes are the spec's ``x-permissions`` of the operation. When an operation lists several
(``GET /instances/{id}``: ``stacks:read``, ``stack-config:read``), they are alternatives:
a token holding ANY ONE of them passes. That is the only reading under which every list in
the spec makes sense (``GET /orgs/{slugOrId}/members`` accepts ``org-members:read`` or
``org-members:write``). ``@requires()`` with no scope means "any valid token" (the spec's
``x-auth-required`` without ``x-permissions``, e.g. ``GET /stack-regions``); ``@public``
marks the few operations that need no token at all.

Realms are enforced too, for tokens issued by the ``accesspolicies`` area (their ``meta``
holds their policy's realms): a policy whose realms are stacks only may act on those
stacks (a view with a ``stack``, ``stack_id``, ``slug_or_id`` or ``id_or_slug`` argument
naming one of them) and on nothing at the org level; anything else answers 403 ``Forbidden``. A realm of
the org covers every stack. Tokens without realms (the admin token, ``/_sim/tokens``) are
not limited.

The decorators record what they demand on the view function (``required_scopes``,
``auth_required``), so a test can compare every registered route with the spec.
"""

from __future__ import annotations

import functools
from typing import Callable

from flask import g, request

from .core import Token, get_sim
from .errors import ApiError


def requires(*scopes: str) -> Callable:
    """Demand a valid bearer token holding any one of ``scopes`` (or just a valid token)."""

    def decorate(view: Callable) -> Callable:
        @functools.wraps(view)
        def guarded(*args, **kwargs):
            token = _authenticate()
            if scopes and not any(token.has_scope(scope) for scope in scopes):
                raise ApiError(403, "Forbidden",
                               f"Forbidden: token is missing scope {' or '.join(scopes)}")
            if scopes:
                _check_realm(token, kwargs)
            g.token = token
            return view(*args, **kwargs)

        guarded.required_scopes = tuple(scopes)
        guarded.auth_required = True
        return guarded

    return decorate


def public(view: Callable) -> Callable:
    """Mark a view that answers without any token."""
    view.required_scopes = ()
    view.auth_required = False
    return view


def current_token() -> Token | None:
    """The token that authenticated this request (None in a public view)."""
    return g.get("token")


def bearer_secret() -> str | None:
    """The secret of ``Authorization: Bearer <secret>``, or None if absent or garbled."""
    parts = request.headers.get("Authorization", "").split()
    if len(parts) != 2 or parts[0].lower() != "bearer":
        return None
    return parts[1]


STACK_ARGUMENTS = ("stack", "stack_id", "slug_or_id", "id_or_slug")


def _check_realm(token: Token, view_arguments: dict) -> None:
    """403 unless the token's realms cover what the request acts on (see the module docstring)."""
    realms = token.meta.get("realms")
    if realms is None:
        return
    sim = get_sim()
    if any(realm["type"] == "org" and realm["identifier"] == str(sim.org["id"]) for realm in realms):
        return
    stack_ids = {realm["identifier"] for realm in realms if realm["type"] == "stack"}
    reference = next((view_arguments[name] for name in STACK_ARGUMENTS if name in view_arguments), None)
    if reference is None:
        raise ApiError(403, "Forbidden", "Forbidden: the token's access policy has only stack realms "
                       f"({', '.join(sorted(stack_ids))}); this operation needs a realm of the org")
    # Imported here: the stack records live with the areas, which import this module.
    from .areas._stackdata import find_stack

    stack = find_stack(sim, reference, include_deleted=True)
    if stack is not None and str(stack["id"]) not in stack_ids:
        raise ApiError(403, "Forbidden", f"Forbidden: stack {stack['slug']} (id {stack['id']}) is not in the "
                       f"realms of the token's access policy ({', '.join(sorted(stack_ids))})")


def _authenticate() -> Token:
    secret = bearer_secret()
    token = get_sim().authenticate(secret) if secret else None
    if token is None:
        raise ApiError(401, "InvalidCredentials", "Token invalid")
    return token
