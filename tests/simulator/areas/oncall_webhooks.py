# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Area ``oncall_webhooks``: outgoing webhooks, under /oncall (facts W1-W14).

``name`` is unique per organization (W8); ``url``, ``http_method`` and ``trigger_type`` are
required (W9); a bad ``trigger_type`` is a ``detail`` (W6), a bad ``http_method`` a field
error (W7), a template that does not parse a field error (W11); ``preset`` is always refused
(W10). ``password`` and ``authorization_header`` read back as ``****************``; sending
the mask keeps the secret, ``null`` clears it (W5). Every PUT or PATCH that does not carry
``integration_filter`` resets it to null (W3). A deleted integration leaves every filter.
The rules are ``_oncall_hookrules.py``.
"""

from __future__ import annotations

from flask import Blueprint

from ..core import get_sim
from ..oncall import ONCALL_PREFIX
from ..oncall.auth import oncall_view
from ..oncall.errors import not_found
from ..oncall.fields import body
from ..oncall.paging import name_filtered, page, team_filtered
from ..oncall.store import delete, new_id, objects, on_delete
from . import _oncall_hookrules as rules
from .oncall_schedules import store

blueprint = Blueprint("oncall_webhooks", __name__)
URL_PREFIX = ONCALL_PREFIX


def _webhook(webhook_id: str) -> dict:
    webhook = objects(get_sim(), "webhooks").get(webhook_id)
    if webhook is None:
        raise not_found()
    return webhook


@blueprint.get("/api/v1/webhooks/", strict_slashes=False)
@oncall_view("read")
def list_webhooks():
    with get_sim().lock:
        answers = [rules.webhook_answer(webhook) for webhook in objects(get_sim(), "webhooks").values()]
        return page(team_filtered(name_filtered(answers)))


@blueprint.post("/api/v1/webhooks/", strict_slashes=False)
@oncall_view("write")
def create_webhook():
    sim = get_sim()
    with sim.lock:
        webhook = rules.write_webhook(store(sim), None, body(), new_id=new_id(sim, "webhooks"))
        return rules.webhook_answer(webhook), 201


@blueprint.get("/api/v1/webhooks/<webhook_id>/", strict_slashes=False)
@oncall_view("read")
def get_webhook(webhook_id):
    with get_sim().lock:
        return rules.webhook_answer(_webhook(webhook_id))


@blueprint.route("/api/v1/webhooks/<webhook_id>/", methods=["PUT", "PATCH"], strict_slashes=False)
@oncall_view("write")
def update_webhook(webhook_id):
    sim = get_sim()
    with sim.lock:
        webhook = rules.write_webhook(store(sim), _webhook(webhook_id), body())
        return rules.webhook_answer(webhook)


@blueprint.delete("/api/v1/webhooks/<webhook_id>/", strict_slashes=False)
@oncall_view("write")
def delete_webhook(webhook_id):
    sim = get_sim()
    with sim.lock:
        _webhook(webhook_id)
        delete(sim, "webhooks", webhook_id)
    return "", 204


@on_delete("integrations")
def _leave_filters(sim, integration) -> None:
    rules.forget_integration(store(sim), integration["id"])
