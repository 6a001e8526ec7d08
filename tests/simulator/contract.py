# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Contract mode: validate /api traffic against the official OpenAPI spec (openapi-core).

Turned on by ``GCOM_OPENAPI_SPEC=<path>`` (or ``--spec``, or ``create_app(contract_spec=)``).
The app asks :class:`ContractChecker` about each /api request before handling it, and
about the response after; a violation becomes ``500 {"code": "ContractViolation"}``, is
printed to stderr and lands in the request log, so the test that caused it fails.

What is validated, and what is deliberately not:

- Only operations the spec knows. Paths it lacks (``/instances/{id}/datasources``) and
  methods it lacks pass unvalidated, except those the older spec still lists (see below).
- The deprecated org API keys (``/orgs/{slugOrId}/api-keys``) left the current spec; the older
  spec, ``gcom-openapi-2025-12-03.json``, still lists them, and operations only it knows are
  validated against it. It is found as ``$GCOM_OPENAPI_LEGACY_SPEC``, else next to the main
  spec; without it that layer is off, and the app says so on stderr at startup.
- Auth is the simulator's job, not the validator's: the spec's security requirement is
  satisfied by any request (see :class:`_AnyCredentials`), so a missing token is answered
  401 by the view, as the real API does, not 500 by the contract check.
- Responses with a status the spec doesn't list for the operation: a 2xx is a violation
  (the spec documents every success); an error status is not, because the spec omits most
  of them (no 401 on ``GET /orgs/{slugOrId}``, no 5xx anywhere). Those, like every error
  response, must still have the API's error shape ``{"code", "message", "requestId"}``,
  except what a stack's own Grafana answers under ``/instances/{id}/api/``: Grafana's
  ``{"message", "messageId", "statusCode"}`` (or ``{"message"}``), as the real proxy passes
  it on.
- Spec gap: ``ErrorConflict`` enumerates ``code: Conflict`` only, but the real API also
  answers 409 ``code: InvalidArgument`` for validation errors. Such a 409 is checked for
  the error shape only; every other error response is validated against the spec.
- The spec's ``ipv4-cidr``/``ipv6-cidr`` formats are checked (see ``EXTRA_FORMATS``).
- Spec gap: ``AuthAccessPolicy.scopes`` enumerates 18 scopes, but the API accepts every
  scope of the product, including ones the same spec names in its ``x-permissions``
  (``stacks:read``, ``stack-plugins:write`` ...) and ``profiles:write``, which agents need.
  The enum is lifted (see :func:`_close_spec_gaps`); scopes stay checked as strings.
- Responses to injected ``status`` faults aren't validated: they stand for a gateway, not
  the API. The real response behind a ``drop_after_commit`` fault is.

Loading the spec costs about half a second (mostly importing openapi-core), so it is
imported lazily, cached per path for the whole process, and the CLI warms it up in the
background while clients start.
"""

from __future__ import annotations

import ipaddress
import json
import os
import re
import threading
from pathlib import Path
from typing import Any

from flask import Request, Response

SPEC_ENV = "GCOM_OPENAPI_SPEC"
LEGACY_SPEC_ENV = "GCOM_OPENAPI_LEGACY_SPEC"
LEGACY_SPEC_NAME = "gcom-openapi-2025-12-03.json"

_load_lock = threading.Lock()
_loaded: dict[Path, Any] = {}


def spec_path_from(setting: str | os.PathLike | bool | None) -> Path | None:
    """Resolve ``create_app``'s ``contract_spec``: None -> ``$GCOM_OPENAPI_SPEC``, False -> off."""
    if setting is None:
        setting = os.environ.get(SPEC_ENV) or False
    if setting is False or setting == "":
        return None
    path = Path(setting).resolve()
    if not path.is_file():
        raise FileNotFoundError(f"OpenAPI spec not found: {path}")
    return path


def legacy_spec_path_for(spec_path: Path) -> Path | None:
    """The older spec (org API keys): ``$GCOM_OPENAPI_LEGACY_SPEC``, else beside ``spec_path``."""
    configured = os.environ.get(LEGACY_SPEC_ENV)
    path = Path(configured).resolve() if configured else spec_path.parent / LEGACY_SPEC_NAME
    if configured and not path.is_file():
        raise FileNotFoundError(f"older OpenAPI spec not found: {path}")
    return path if path.is_file() and path != spec_path else None


def load_spec(path: Path):
    """The parsed spec (an ``openapi_core.OpenAPI``), loaded once per path per process."""
    with _load_lock:
        if path not in _loaded:
            _loaded[path] = _read_spec(path)
        return _loaded[path]


def _is_cidr(version: int):
    def check(value) -> bool:
        if not isinstance(value, str) or "/" not in value:
            return False
        try:
            return ipaddress.ip_network(value, strict=False).version == version
        except ValueError:
            return False

    return check


# Formats the spec uses that jsonschema does not know. Unknown formats pass everything, so
# without these ``oneOf: [ipv4-cidr, ipv6-cidr]`` (access policies' ``allowedSubnets``)
# would match both branches and fail every policy that has subnets.
EXTRA_FORMATS = {"ipv4-cidr": _is_cidr(4), "ipv6-cidr": _is_cidr(6)}


def _read_spec(path: Path):
    from openapi_core import Config, OpenAPI
    from openapi_core.security.factories import SecurityProviderFactory

    class _AnyCredentials(SecurityProviderFactory):
        """Satisfies every security scheme: auth is enforced by the views, not here."""

        def create(self, scheme):
            return lambda parameters: None

    # The spec is the official, published one: skipping its own validation saves ~0.4 s.
    config = Config(spec_validator_cls=None, security_provider_factory=_AnyCredentials(),
                    extra_format_validators=EXTRA_FORMATS)
    document = json.loads(path.read_text(encoding="utf-8"))
    _close_spec_gaps(document)
    return OpenAPI.from_dict(document, config=config)


def _close_spec_gaps(document: dict) -> None:
    """Lift the spec's closed list of access-policy scopes (see the module docstring)."""
    scope_items = document["components"]["schemas"]["AuthAccessPolicy"]["properties"]["scopes"]["items"]
    scope_items.pop("enum", None)


class ContractChecker:
    """Validates one app's /api requests and responses against the spec at ``spec_path``, and
    operations only the older spec knows against ``legacy_spec_path``."""

    def __init__(self, spec_path: Path, legacy_spec_path: Path | None = None):
        self.spec_path = spec_path
        self.legacy_spec_path = legacy_spec_path

    def _specs(self):
        """The specs to ask, in order: an operation is checked by the first that knows its path."""
        return [path for path in (self.spec_path, self.legacy_spec_path) if path is not None]

    def warm_up(self) -> threading.Thread:
        """Load the specs in the background, so the first request doesn't pay for it."""
        def load_all():
            for spec_path in self._specs():
                load_spec(spec_path)

        thread = threading.Thread(target=load_all, daemon=True, name="contract-spec-loader")
        thread.start()
        return thread

    def check_request(self, request: Request) -> str | None:
        """A description of how the request breaks the contract, or None."""
        from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest
        from openapi_core.exceptions import OpenAPIError
        from openapi_core.templating.paths.exceptions import PathError

        for spec_path in self._specs():
            try:
                load_spec(spec_path).validate_request(WerkzeugOpenAPIRequest(request))
            except PathError:
                continue
            except OpenAPIError as exc:
                return f"request: {describe(exc)}"
            return None
        return None

    def check_response(self, request: Request, response: Response) -> str | None:
        """A description of how the response breaks the contract, or None."""
        shape_error = _error_shape_problem(request, response)
        if shape_error or _is_invalid_argument_conflict(response):
            return shape_error
        problem = self._validate_response(request, response)
        return f"response: {problem}" if problem else None

    def _validate_response(self, request: Request, response: Response) -> str | None:
        from openapi_core.contrib.werkzeug import WerkzeugOpenAPIRequest, WerkzeugOpenAPIResponse
        from openapi_core.exceptions import OpenAPIError
        from openapi_core.templating.paths.exceptions import PathError
        from openapi_core.templating.responses.exceptions import ResponseNotFound

        for spec_path in self._specs():
            try:
                load_spec(spec_path).validate_response(WerkzeugOpenAPIRequest(request),
                                                       WerkzeugOpenAPIResponse(response))
            except PathError:
                continue
            except ResponseNotFound:
                if response.status_code < 400:
                    return f"status {response.status_code} is not documented for this operation"
                return None
            except OpenAPIError as exc:
                return describe(exc)
            return None
        return None


# Requests the Grafana Cloud API proxies to a stack's own Grafana.
STACK_GRAFANA_PATH = re.compile(r"^/api/instances/[^/]+/api/")


def _is_grafana_error(request: Request, body: Any) -> bool:
    """A stack's Grafana answers errors as ``{"message", "messageId", "statusCode"}`` (or, in
    its older handlers, ``{"message"}``): the real shape there, not a violation."""
    if not STACK_GRAFANA_PATH.match(request.path) or not isinstance(body, dict):
        return False
    if set(body) == {"message"}:
        return isinstance(body["message"], str)
    return (set(body) == {"message", "messageId", "statusCode"} and isinstance(body["message"], str)
            and isinstance(body["messageId"], str) and isinstance(body["statusCode"], int))


def _error_shape_problem(request: Request, response: Response) -> str | None:
    """Every /api error answer carries string ``code``, ``message`` and ``requestId``
    (a stack's Grafana: see :func:`_is_grafana_error`)."""
    if response.status_code < 400:
        return None
    body = response.get_json(silent=True)
    if _is_grafana_error(request, body):
        return None
    missing = [key for key in ("code", "message", "requestId")
               if not isinstance(body, dict) or not isinstance(body.get(key), str)]
    if missing:
        return f"response: error body lacks string {', '.join(missing)}: {body!r}"
    return None


def _is_invalid_argument_conflict(response: Response) -> bool:
    body = response.get_json(silent=True)
    return (response.status_code == 409 and isinstance(body, dict)
            and body.get("code") == "InvalidArgument")


def describe(exc: BaseException) -> str:
    """An openapi-core error, down to the JSON-schema messages when there are some."""
    chain = [exc]
    while chain[-1].__cause__ is not None:
        chain.append(chain[-1].__cause__)
    for error in chain:
        schema_errors = getattr(error, "schema_errors", None)
        if schema_errors:
            details = "; ".join(_schema_error_text(item) for item in schema_errors)
            return f"{_label(chain[0])}: {details}"
    return "; ".join(dict.fromkeys(str(error) for error in chain))


def _label(error: BaseException) -> str:
    """The error's class and, for parameter errors, the parameter it is about."""
    name = getattr(error, "name", None)
    location = getattr(error, "location", None)
    where = f" ({location} parameter {name!r})" if name and location else ""
    return type(error).__name__ + where


def _schema_error_text(error) -> str:
    where = "/".join(str(step) for step in error.absolute_path)
    return f"{where}: {error.message}" if where else error.message
