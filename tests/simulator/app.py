# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Flask app: areas mounted under /api (or their own prefix, e.g. /oncall), control
endpoints under /_sim, and the per-request machinery every API request goes through, in
this order:

1. a request id (every error body carries it);
2. contract check of the request (contract mode only, /api only), then the configured ``latency``;
3. an armed fault: answer its status now, or sleep, or flag the response for dropping, or
   (``race``) first handle the same request as another client would send it;
4. the area's view (auth, then the work); an error of a view marked ``payload_errors``
   gets ``statusCode``, the spec's newer error shape;
5. contract check of the response (contract mode only; not for fault answers);
6. ``drop_after_commit`` / ``status_after_commit``: the real response is replaced by a 504
   or by the fault's status;
7. an entry in the request log, with the status the client saw.
"""

from __future__ import annotations

import sys
import time
from typing import Iterable

from flask import Flask, Response, current_app, g, request
from werkzeug.exceptions import HTTPException, MethodNotAllowed, NotFound

from . import control
from .areas import Area, load_areas
from .contract import LEGACY_SPEC_NAME, ContractChecker, legacy_spec_path_for, spec_path_from
from .core import EXTENSION_KEY, Simulator, get_sim
from .errors import ApiError, code_for_status, error_response, with_status_code

API_PREFIX = "/api"
CONTRACT_KEY = "grafana_cloud_simulator_contract"
PREFIXES_KEY = "grafana_cloud_simulator_prefixes"


def create_app(sim: Simulator | None = None, *, areas: Iterable[str | Area] | None = None,
               contract_spec=None, **simulator_kwargs) -> Flask:
    """A simulator app. ``sim``: an existing Simulator, else one is built from
    ``simulator_kwargs`` (``admin_token``, ``org_slug``, ``org_id``, ``org_name``).
    ``areas``: the areas to mount (names, modules or ``Area``s), all by default.
    ``contract_spec``: path of the OpenAPI spec to validate against; None reads
    ``$GCOM_OPENAPI_SPEC``; False turns contract mode off."""
    if sim is None:
        sim = Simulator(**simulator_kwargs)
    elif simulator_kwargs:
        raise TypeError("pass either sim or Simulator keyword arguments, not both")
    app = Flask(__name__)
    app.json.sort_keys = False  # keep fields in the order the real API sends them
    app.config["SIMULATOR"] = sim
    app.extensions[EXTENSION_KEY] = sim
    prefixes: dict[str, object] = {API_PREFIX: None}
    for area in load_areas(areas):
        app.register_blueprint(area.blueprint, url_prefix=area.url_prefix)
        sim.register_area(area.name, area.seed, area.config_defaults)
        if prefixes.get(area.url_prefix) is None:
            prefixes[area.url_prefix] = area.http_error
    app.extensions[PREFIXES_KEY] = prefixes
    sim.reset()
    app.register_blueprint(control.blueprint)
    spec_path = spec_path_from(contract_spec)
    app.extensions[CONTRACT_KEY] = _contract_checker_for(spec_path) if spec_path else None
    app.before_request(_before_request)
    app.after_request(_after_request)
    # Through the instance: an area's ApiError subclass answers in its own API's shape.
    app.register_error_handler(ApiError, lambda exc: exc.to_response())
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)
    return app


def _contract_checker_for(spec_path) -> ContractChecker:
    legacy = legacy_spec_path_for(spec_path)
    if legacy is None:
        print("contract mode: the older spec (%s) is not at hand: the org API-key operations "
              "it alone lists are not validated" % LEGACY_SPEC_NAME, file=sys.stderr, flush=True)
    return ContractChecker(spec_path, legacy)


def contract_checker(app: Flask) -> ContractChecker | None:
    return app.extensions.get(CONTRACT_KEY)


def api_path() -> str:
    """What fault regexes, the log and the spec see: the path after /api for the Grafana
    Cloud API, the whole path for the APIs under their own prefix (``/oncall/api/v1/...``)."""
    if _request_prefix() == API_PREFIX:
        return request.path[len(API_PREFIX):] or "/"
    return request.path


def _request_prefix() -> str | None:
    """The API prefix the request is under, or None (control endpoints, unknown paths)."""
    for prefix in current_app.extensions.get(PREFIXES_KEY, {API_PREFIX: None}):
        if request.path == prefix or request.path.startswith(prefix + "/"):
            return prefix
    return None


def _is_api_request() -> bool:
    return _request_prefix() is not None


#: WSGI environ key of the request a ``race`` fault sends as another client (not an HTTP
#: header, so no client can set it); such a request meets no fault and no added latency.
OTHER_CLIENT_KEY = "grafana_cloud_simulator.other_client"


def _before_request() -> Response | None:
    g.request_id = Simulator.request_id()
    if not _is_api_request():
        return None
    if request.environ.get(OTHER_CLIENT_KEY):
        g.fault = None
        return None
    checker = _checker() if _request_prefix() == API_PREFIX else None
    violation = checker.check_request(request) if checker else None
    if violation:
        return _contract_violation(violation)
    latency = float(get_sim().config.get("latency") or 0)
    if latency > 0:
        time.sleep(latency)
    fault = get_sim().take_fault(request.method, api_path())
    g.fault = fault
    if fault is None:
        return None
    if fault.kind == "status":
        return fault.status_response()
    if fault.kind == "delay":
        time.sleep(fault.delay)
    if fault.kind == "race":
        _send_as_other_client()
    return None


def _send_as_other_client() -> None:
    """The request, sent first by another client with the same credentials (a ``race`` fault):
    handled in full (its answer is dropped, its log entry kept), before this one is."""
    headers = [(name, value) for name, value in request.headers.items()
               if name.lower() not in ("host", "content-length")]
    # The inner request shares this app context, hence ``g``: keep this request's own.
    ours = dict(g.__dict__)
    g.__dict__.clear()
    try:
        current_app.test_client().open(request.path, method=request.method, headers=headers,
                                       query_string=request.query_string.decode("latin-1"), data=request.get_data(),
                                       environ_overrides={OTHER_CLIENT_KEY: True})
    finally:
        g.__dict__.clear()
        g.__dict__.update(ours)


def _after_request(response: Response) -> Response:
    if not _is_api_request():
        return response
    if response.status_code >= 400 and _answers_error_payload():
        response = with_status_code(response)
    fault = g.get("fault")
    if fault is None or fault.kind != "status":
        response = _check_response_contract(response)
    committed_status = None
    # A contract violation is never masked by the injected 504: it must fail the test.
    if fault is not None and fault.kind == "drop_after_commit" and not g.get("contract_violation"):
        committed_status = response.status_code
        response = error_response(504, "GatewayTimeout",
                                  "Injected fault: the gateway gave up waiting")
    elif fault is not None and fault.kind == "status_after_commit" and not g.get("contract_violation"):
        committed_status = response.status_code
        response = fault.status_response()
    _log_request(response.status_code, committed_status)
    return response


def _answers_error_payload() -> bool:
    """Whether the view of this request answers errors in the spec's newer ``ErrorPayload``."""
    view = current_app.view_functions.get(request.endpoint) if request.endpoint else None
    return bool(getattr(view, "error_payload", False))


def _log_request(status: int, committed_status: int | None) -> None:
    fault = g.get("fault")
    get_sim().log_request({
        "method": request.method,
        "path": api_path(),
        "query": {key: values[0] if len(values) == 1 else values
                  for key, values in request.args.lists()},
        # The JSON a write sent, so tests can check that an update sends only what changed.
        "body": request.get_json(silent=True) if request.method != "GET" else None,
        "status": status,
        "request_id": g.request_id,
        "x_request_id": request.headers.get("X-Request-Id"),
        "fault": fault.id if fault is not None else None,
        "committed_status": committed_status,
        "contract_violation": g.get("contract_violation"),
        "other_client": bool(request.environ.get(OTHER_CLIENT_KEY)),
    })


def _checker() -> ContractChecker | None:
    return contract_checker(current_app)


def _check_response_contract(response: Response) -> Response:
    checker = _checker()
    if checker is None or g.get("contract_violation") or _request_prefix() != API_PREFIX:
        return response
    violation = checker.check_response(request, response)
    return _contract_violation(violation) if violation else response


def _contract_violation(message: str) -> Response:
    g.contract_violation = message
    print(f"CONTRACT VIOLATION {request.method} {request.full_path.rstrip('?')}: {message}",
          file=sys.stderr, flush=True)
    return error_response(500, "ContractViolation", message)


NOT_AN_API_PAGE = ("<!DOCTYPE html>\n<html><head><title>404 Not Found</title></head>"
                   "<body><h1>Not Found</h1><p>This is not an API path.</p></body></html>\n")


def _http_error(exc: HTTPException) -> Response:
    prefix = _request_prefix()
    if prefix is None and isinstance(exc, NotFound) and not request.path.startswith(control.blueprint.url_prefix + "/"):
        # Outside every API prefix a real host answers what a web server does: grafana.com
        # serves its website there (HTML), a bare host:port whatever it serves. Never the
        # API's JSON error: a client given a base URL without /api must not take the
        # answer for the API's "no such object".
        return Response(NOT_AN_API_PAGE, status=404, mimetype="text/html")
    own_shape = current_app.extensions.get(PREFIXES_KEY, {}).get(prefix) if prefix else None
    if own_shape is not None:
        return own_shape(exc)
    status = exc.code or 500
    headers = {}
    if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
        headers["Allow"] = ", ".join(exc.valid_methods)
    # Routing errors get a short message; others (e.g. a malformed JSON body) keep theirs.
    routing = isinstance(exc, (NotFound, MethodNotAllowed))
    message = f"{exc.name}: {request.method} {request.path}" if routing else exc.description
    return error_response(status, code_for_status(status), message, headers)


def _unexpected_error(exc: Exception) -> Response:
    current_app.logger.error("simulator bug on %s %s", request.method, request.path,
                             exc_info=exc)
    return error_response(500, "InternalServerError", f"simulator error: {exc!r}")
