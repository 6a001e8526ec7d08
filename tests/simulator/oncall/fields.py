# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Request bodies and DRF-style validation for OnCall views.

:func:`body` reads JSON or a form (X16); bad JSON is 400 ``{"detail": "JSON parse error -
..."}`` (X4). Unknown fields are ignored, like the engine does (EC12). A :class:`Checker`
gathers field errors the way a DRF serializer does and raises them together as one field
map (``{"name": ["This field is required."]}``).
"""

from __future__ import annotations

import json
import re
from typing import Any, Iterable

import jinja2
from flask import request

from .errors import detail, fields_error

REQUIRED = "This field is required."
BLANK = "This field may not be blank."
NULL = "This field may not be null."
NOT_STRING = "Not a valid string."
NOT_A_NUMBER = "A valid number is required."
NOT_A_LIST = 'Expected a list of items but got type "{kind}".'
NO_OBJECT = "Object does not exist"

_MISSING = object()


def body() -> dict:
    if request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        return dict(request.form.items())
    raw = request.get_data(as_text=True)
    if not raw.strip():
        return {}
    try:
        parsed = json.loads(raw)
    except ValueError as exc:
        raise detail(400, f"JSON parse error - {exc}") from None
    if not isinstance(parsed, dict):
        raise fields_error({"non_field_errors": [
            f"Invalid data. Expected a dictionary, but got {type(parsed).__name__}."]})
    return parsed


def jinja_ok(text: str) -> bool:
    try:
        jinja2.Environment().parse(text)
    except jinja2.TemplateSyntaxError:
        return False
    return True


def regex_ok(text: str) -> bool:
    try:
        re.compile(text)
    except re.error:
        return False
    return True


class Checker:
    """Collects field errors of one request; :meth:`done` raises them as one 400."""

    def __init__(self, data: dict, *, partial: bool = False):
        self.data = data
        self.partial = partial
        self.errors: dict[str, Any] = {}

    def add(self, name: str, message: str) -> None:
        self.errors.setdefault(name, []).append(message)

    def present(self, name: str) -> bool:
        return name in self.data

    def string(self, name: str, *, required: bool = False, allow_null: bool = False,
               allow_blank: bool = False, max_length: int | None = None, trim: bool = False) -> Any:
        """A text field. ``trim``: stored without leading and trailing spaces, as DRF's
        ``CharField`` does by default (fact N7 for names)."""
        value = self.data.get(name, _MISSING)
        if value is _MISSING:
            if required and not self.partial:
                self.add(name, REQUIRED)
            return _MISSING
        if value is None:
            if not allow_null:
                self.add(name, NULL)
            return None
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            self.add(name, NOT_STRING)
            return _MISSING
        value = str(value).strip() if trim else str(value)
        if not value.strip() and not allow_blank:
            self.add(name, BLANK)
            return _MISSING
        if max_length is not None and len(value) > max_length:
            self.add(name, f"Ensure this field has no more than {max_length} characters.")
            return _MISSING
        return value

    def integer(self, name: str, *, required: bool = False, allow_null: bool = False,
                minimum: int | None = None, maximum: int | None = None,
                minimum_text: str | None = None, maximum_text: str | None = None) -> Any:
        value = self.data.get(name, _MISSING)
        if value is _MISSING:
            if required and not self.partial:
                self.add(name, REQUIRED)
            return _MISSING
        if value is None:
            if not allow_null:
                self.add(name, NULL)
            return None
        try:
            if isinstance(value, bool):
                raise ValueError(value)
            number = int(value)
            if isinstance(value, float) and number != value:
                raise ValueError(value)
        except (TypeError, ValueError):
            self.add(name, NOT_A_NUMBER)
            return _MISSING
        if minimum is not None and number < minimum:
            self.add(name, minimum_text or f"Ensure this value is greater than or equal to {minimum}.")
            return _MISSING
        if maximum is not None and number > maximum:
            self.add(name, maximum_text or f"Ensure this value is less than or equal to {maximum}.")
            return _MISSING
        return number

    def boolean(self, name: str) -> Any:
        value = self.data.get(name, _MISSING)
        if value is _MISSING:
            return _MISSING
        if isinstance(value, bool):
            return value
        if isinstance(value, str) and value.lower() in ("true", "false", "1", "0"):
            return value.lower() in ("true", "1")
        self.add(name, "Must be a valid boolean.")
        return _MISSING

    def id_list(self, name: str) -> Any:
        value = self.data.get(name, _MISSING)
        if value is _MISSING:
            return _MISSING
        if value is None:
            self.add(name, NULL)
            return _MISSING
        if not isinstance(value, list):
            self.add(name, NOT_A_LIST.format(kind=type(value).__name__))
            return _MISSING
        if not all(isinstance(item, str) for item in value):
            self.add(name, NOT_STRING)
            return _MISSING
        return list(value)

    def reference(self, name: str, known: Iterable[str], *, required: bool = False,
                  allow_null: bool = True) -> Any:
        """An id that must name an existing object (``{"team_id": ["Object does not exist"]}``)."""
        value = self.data.get(name, _MISSING)
        if value is _MISSING:
            if required and not self.partial:
                self.add(name, REQUIRED)
            return _MISSING
        if value is None or value == "":
            if not allow_null:
                self.add(name, NULL)
                return _MISSING
            return None
        if not isinstance(value, str) or value not in set(known):
            self.add(name, NO_OBJECT)
            return _MISSING
        return value

    def done(self) -> None:
        if self.errors:
            raise fields_error(self.errors)


def given(value: Any) -> bool:
    """Whether a Checker value was present and valid."""
    return value is not _MISSING
