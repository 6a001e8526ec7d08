# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Flask app: areas mounted under /api, control endpoints under /_sim, and the
per-request machinery every /api request goes through, in this order:

1. a request id (every error body carries it);
2. contract check of the request (contract mode only);
3. an armed fault: answer its status now, or sleep, or flag the response for dropping;
4. the area's view (auth, then the work);
5. contract check of the response (contract mode only; not for fault answers);
6. ``drop_after_commit``: the real response is replaced by a 504;
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
from .contract import ContractChecker, spec_path_from
from .core import EXTENSION_KEY, Simulator, get_sim
from .errors import ApiError, code_for_status, error_response

API_PREFIX = "/api"
CONTRACT_KEY = "grafana_cloud_simulator_contract"


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
    for area in load_areas(areas):
        app.register_blueprint(area.blueprint, url_prefix=API_PREFIX)
        sim.register_area(area.name, area.seed, area.config_defaults)
    sim.reset()
    app.register_blueprint(control.blueprint)
    spec_path = spec_path_from(contract_spec)
    app.extensions[CONTRACT_KEY] = ContractChecker(spec_path) if spec_path else None
    app.before_request(_before_request)
    app.after_request(_after_request)
    app.register_error_handler(ApiError, ApiError.to_response)
    app.register_error_handler(HTTPException, _http_error)
    app.register_error_handler(Exception, _unexpected_error)
    return app


def contract_checker(app: Flask) -> ContractChecker | None:
    return app.extensions.get(CONTRACT_KEY)


def api_path() -> str:
    """The request path after /api: what fault regexes, the log and the spec use."""
    return request.path[len(API_PREFIX):] or "/"


def _is_api_request() -> bool:
    return request.path == API_PREFIX or request.path.startswith(API_PREFIX + "/")


def _before_request() -> Response | None:
    g.request_id = Simulator.request_id()
    if not _is_api_request():
        return None
    checker = _checker()
    violation = checker.check_request(request) if checker else None
    if violation:
        return _contract_violation(violation)
    fault = get_sim().take_fault(request.method, api_path())
    g.fault = fault
    if fault is None:
        return None
    if fault.kind == "status":
        return fault.status_response()
    if fault.kind == "delay":
        time.sleep(fault.delay)
    return None


def _after_request(response: Response) -> Response:
    if not _is_api_request():
        return response
    fault = g.get("fault")
    if fault is None or fault.kind != "status":
        response = _check_response_contract(response)
    committed_status = None
    # A contract violation is never masked by the injected 504: it must fail the test.
    if fault is not None and fault.kind == "drop_after_commit" and not g.get("contract_violation"):
        committed_status = response.status_code
        response = error_response(504, "GatewayTimeout",
                                  "Injected fault: the gateway gave up waiting")
    _log_request(response.status_code, committed_status)
    return response


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
    })


def _checker() -> ContractChecker | None:
    return contract_checker(current_app)


def _check_response_contract(response: Response) -> Response:
    checker = _checker()
    if checker is None or g.get("contract_violation"):
        return response
    violation = checker.check_response(request, response)
    return _contract_violation(violation) if violation else response


def _contract_violation(message: str) -> Response:
    g.contract_violation = message
    print(f"CONTRACT VIOLATION {request.method} {request.full_path.rstrip('?')}: {message}",
          file=sys.stderr, flush=True)
    return error_response(500, "ContractViolation", message)


def _http_error(exc: HTTPException) -> Response:
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
