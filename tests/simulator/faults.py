# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Injected faults: make the next N matching /api requests fail the way real networks do.

A fault matches on method (or ``*``) and a regex searched in the path after ``/api``
(``^/v1/accesspolicies$``). Exactly one kind per fault:

- ``status``: answer that status at once, without handling the request; optional
  ``retry_after`` (seconds or an HTTP date, sent as ``Retry-After``), and optional ``body``
  (JSON) or ``text`` (a non-JSON body, like a proxy's HTML page). Default body: the API's
  error shape with the status's code (503 -> ``ServiceUnavailable``).
- ``delay``: sleep that many seconds, then handle the request normally.
- ``drop_after_commit``: handle the request for real (a write is committed), then answer
  ``504 {"code": "GatewayTimeout"}`` instead of the real response. That is what a client
  sees when a gateway gives up on a backend that went on to finish: an ambiguous failure,
  after which the client must read the state back rather than blindly re-send. A 504 was
  chosen over closing the socket or sleeping past the client timeout because it is
  deterministic and fast, and ``requests`` sees it as an error either way.
- ``status_after_commit``: handle the request for real, then answer that status instead of
  the real response, with the same optional ``retry_after``, ``body`` and ``text`` as
  ``status``. ``{"status_after_commit": 503, "retry_after": 5}`` is Grafana's gateway
  answering its canned ``503 Loading`` to a write the backend went on to process: a client
  that resends on the ``Retry-After`` creates a duplicate (or meets "already exists").
- ``race``: another client sends the very same request (method, path, query, body,
  credentials) just before this one is handled, and gets its answer; then this request is
  handled as usual. On a create that is "another run created the same object between your
  lookup and your create", for every kind of object, deterministically: a unique key answers
  this request "already exists", a non-unique one ends with two objects. On a DELETE, the
  other client deleted it first (this one gets the 404). The other client's request is in
  the request log too, marked ``other_client: true``, before this one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from flask import Response, jsonify

from .errors import code_for_status, error_response

FAULT_KINDS = ("status", "delay", "drop_after_commit", "status_after_commit", "race")
# Kinds that answer with a status of their own (and take retry_after, body and text).
ANSWERING_KINDS = ("status", "status_after_commit")


@dataclass
class Fault:
    id: int
    method: str
    path: str
    remaining: int
    status: int | None = None
    retry_after: str | None = None
    body: Any = None
    text: str | None = None
    delay: float | None = None
    drop_after_commit: bool = False
    after_commit: bool = False
    race: bool = False
    pattern: re.Pattern = field(init=False, repr=False)

    def __post_init__(self):
        self.pattern = re.compile(self.path)

    @property
    def kind(self) -> str:
        if self.status is not None:
            return "status_after_commit" if self.after_commit else "status"
        if self.race:
            return "race"
        return "delay" if self.delay is not None else "drop_after_commit"

    def matches(self, method: str, path: str) -> bool:
        return (self.remaining > 0
                and self.method in ("*", method)
                and self.pattern.search(path) is not None)

    def to_dict(self) -> dict:
        data = {"id": self.id, "method": self.method, "path": self.path,
                "remaining": self.remaining, "kind": self.kind}
        if self.kind in ANSWERING_KINDS:
            data.update({self.kind: self.status, "retry_after": self.retry_after,
                         "body": self.body, "text": self.text})
        elif self.kind == "delay":
            data["delay"] = self.delay
        else:
            data[self.kind] = True
        return data

    def status_response(self) -> Response:
        """The answer of a ``status`` or ``status_after_commit`` fault."""
        if self.text is not None:
            response = Response(self.text, status=self.status, mimetype="text/plain")
        elif self.body is not None:
            response = jsonify(self.body)
            response.status_code = self.status
        else:
            response = error_response(self.status, code_for_status(self.status),
                                      f"Injected fault: answering {self.status}")
        if self.retry_after is not None:
            response.headers["Retry-After"] = self.retry_after
        return response


def parse_fault(data: Any, fault_id: int) -> Fault:
    """Build a fault from a ``POST /_sim/faults`` body; ``ValueError`` says what is wrong."""
    if not isinstance(data, dict):
        raise ValueError("the body must be a JSON object")
    unknown = set(data) - {"method", "path", "times", "retry_after", "body", "text", *FAULT_KINDS}
    if unknown:
        raise ValueError(f"unknown fields: {', '.join(sorted(unknown))}")
    kinds = [kind for kind in FAULT_KINDS if data.get(kind) is not None and data[kind] is not False]
    if len(kinds) != 1:
        raise ValueError(f"give exactly one of {', '.join(FAULT_KINDS)}")
    return Fault(
        id=fault_id,
        method=_method(data.get("method", "*")),
        path=_regex(data.get("path", "")),
        remaining=_positive_int(data.get("times", 1), "times"),
        **_kind_fields(kinds[0], data),
    )


def _kind_fields(kind: str, data: dict) -> dict:
    if kind in ANSWERING_KINDS:
        return {"status": _status(data[kind]),
                "after_commit": kind == "status_after_commit",
                "retry_after": _retry_after(data.get("retry_after")),
                "body": data.get("body"),
                "text": _optional_str(data.get("text"), "text")}
    if set(data) & {"retry_after", "body", "text"}:
        raise ValueError("retry_after, body and text only go with status or status_after_commit")
    if kind == "delay":
        return {"delay": _non_negative_number(data["delay"], "delay")}
    if data[kind] is not True:
        raise ValueError(f"{kind} must be true")
    return {kind: True}


def _method(value: Any) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError("method must be an HTTP method or '*'")
    return value.upper()


def _regex(value: Any) -> str:
    if not isinstance(value, str):
        raise ValueError("path must be a regular expression string")
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"path is not a valid regular expression: {exc}") from None
    return value


def _status(value: Any) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not 100 <= value <= 599:
        raise ValueError("status must be an HTTP status code")
    return value


def _retry_after(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, (int, float, str)):
        raise ValueError("retry_after must be seconds or an HTTP date")
    return str(value)


def _optional_str(value: Any, name: str) -> str | None:
    if value is not None and not isinstance(value, str):
        raise ValueError(f"{name} must be a string")
    return value


def _positive_int(value: Any, name: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or value < 1:
        raise ValueError(f"{name} must be a positive integer")
    return value


def _non_negative_number(value: Any, name: str) -> float:
    if not isinstance(value, (int, float)) or isinstance(value, bool) or value < 0:
        raise ValueError(f"{name} must be a non-negative number of seconds")
    return float(value)
