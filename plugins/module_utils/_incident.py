# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Wiring shared by every Grafana Incident (IRM) module: options, the RPC call, errors.

The Incident API is JSON over HTTP RPC: every method is ``POST <base>/<Service>.<Method>``
with a JSON object body, on the stack's Grafana (``grafana_url``). The base is the
``grafana-irm-app`` plugin's resources on current stacks and the older
``grafana-incident-app`` on others: the first call tries the new one and falls back to the
old one when Grafana says the plugin is not there; the answer is remembered for the run.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

try:
    from urllib.parse import urlsplit
except ImportError:  # pragma: no cover - Python 2 is not supported, kept for the import sanity test
    from urlparse import urlsplit  # type: ignore

from ansible.module_utils.basic import AnsibleModule, env_fallback, missing_required_lib

from ansible_collections.grafana_cloud.platform.plugins.module_utils._client import (
    ERROR_TEXT_LIMIT,
    HAS_REQUESTS,
    REQUESTS_IMPORT_ERROR,
    AmbiguousWriteError,
    GrafanaCloudAPIError,
    GrafanaCloudClient,
    token_source,
    transport_argument_spec,
)
from ansible_collections.grafana_cloud.platform.plugins.module_utils._gcom import run_module
from ansible_collections.grafana_cloud.platform.plugins.module_utils._pagination import iter_rpc_cursor
from ansible_collections.grafana_cloud.platform.plugins.module_utils._timeutil import parse_datetime

GRAFANA_URL_ENV = "GRAFANA_URL"
TOKEN_ENV = "GRAFANA_INCIDENT_ACCESS_TOKEN"

IRM_PLUGIN_PATH = "/api/plugins/grafana-irm-app/resources/api/v1"
INCIDENT_PLUGIN_PATH = "/api/plugins/grafana-incident-app/resources/api/v1"
PLUGIN_PATHS = (IRM_PLUGIN_PATH, INCIDENT_PLUGIN_PATH)

# Methods that only read: safe to retry after a 5xx or a dropped connection, like a GET.
READ_METHOD_PREFIXES = ("Get", "Query")
RPC_NAME = re.compile(r"^[A-Z][A-Za-z]*Service\.[A-Z][A-Za-z]*$")
JSON_HEADERS = {
    "Content-Type": "application/json; charset=utf-8",
    "Accept": "application/json; charset=utf-8",
}


def incident_argument_spec():
    """The options every Incident module takes (documented in the ``incident`` fragment)."""
    return dict(
        grafana_url=dict(type="str", fallback=(env_fallback, [GRAFANA_URL_ENV])),
        incident_access_token=dict(type="str", no_log=True, fallback=(env_fallback, [TOKEN_ENV])),
        **transport_argument_spec()
    )


def incident_module(argument_spec, **kwargs):
    """An AnsibleModule with the shared options added; check mode is always supported."""
    spec = incident_argument_spec()
    spec.update(argument_spec)
    kwargs.setdefault("supports_check_mode", True)
    return AnsibleModule(argument_spec=spec, **kwargs)


def grafana_url_problem(value):
    """A message when ``value`` is not an http(s) URL with a host, else None."""
    if not value:
        return ("No Grafana URL: set grafana_url (the stack's URL, for example "
                "https://mystack.grafana.net) or the %s environment variable." % GRAFANA_URL_ENV)
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return "grafana_url must be an http(s) URL such as https://mystack.grafana.net, got %r." % (value,)
    if parts.query or parts.fragment:
        return "grafana_url must not carry a query or a fragment, got %r." % (value,)
    return None


def client_option_problems(params):
    """Problems with the shared options, found before any request."""
    problems = [grafana_url_problem(params.get("grafana_url"))]
    if not params.get("incident_access_token"):
        problems.append("No service account token: set incident_access_token or the %s "
                        "environment variable (a Grafana service account token, glsa_...)." % TOKEN_ENV)
    if params["request_timeout"] <= 0:
        problems.append("request_timeout must be greater than 0, got %s." % params["request_timeout"])
    if params["max_retries"] < 0:
        problems.append("max_retries must be 0 or more, got %s." % params["max_retries"])
    return [problem for problem in problems if problem]


def refused_token_reason(status, source, grafana_url):
    """What a 401 or 403 from the stack's Grafana means for the Incident token, or None.

    :param source: where the token came from, as ``_client.token_source`` says it.
    """
    if status == 401:
        return ("the token was refused: check incident_access_token (from %s): it must be a Grafana service "
                "account token (glsa_...) of the stack at grafana_url %s, neither expired nor disabled"
                % (source, grafana_url))
    if status == 403:
        return ("the token may not do this: the service account of incident_access_token (from %s) needs the "
                "Editor role to change incidents and roles, Viewer to read them" % source)
    return None


def _text_excerpt(text):
    """A non-JSON body (an HTML error page, a proxy's text) as one short line."""
    text = re.sub(r"<[^>]+>", " ", text or "")
    return re.sub(r"\s+", " ", text).strip()[:ERROR_TEXT_LIMIT]


def decode_incident_error(body, text=None):
    """``(code, message, request_id, from_incident_api)`` of an error answer, whatever its style.

    * older style: ``{"error": "..."}`` (any status, even 200);
    * RFC 7807 problem details: ``{"type", "title", "status", "detail", "code", "trace_id",
      "hint", "retryable"}``;
    * Grafana's own errors (an unknown plugin, auth): ``{"message", "messageId", "traceID"}``;
    * anything that is not JSON: a short excerpt of the text.

    ``from_incident_api`` is true when the body came from the Incident app itself (the first
    two styles), which tells "the app said no" from "no app at this path".
    """
    if not isinstance(body, dict):
        if body is None:
            excerpt = _text_excerpt(text)
            return None, ("non-JSON answer: %s" % excerpt) if excerpt else None, None, False
        return None, str(body)[:ERROR_TEXT_LIMIT], None, False
    if body.get("error"):
        return body.get("code"), str(body["error"]), body.get("requestId") or body.get("trace_id"), True
    if "title" in body or "detail" in body or "type" in body:
        parts = [str(body[key]) for key in ("title", "detail") if body.get(key)]
        message = ": ".join(parts) if parts else None
        if body.get("hint"):
            message = "%s (hint: %s)" % (message, body["hint"]) if message else "hint: %s" % body["hint"]
        return body.get("code"), message, body.get("trace_id") or body.get("traceID"), True
    message = body.get("message") or (str(body)[:ERROR_TEXT_LIMIT] if body else None)
    return body.get("messageId") or body.get("code"), message, body.get("traceID") or body.get("requestId"), False


def _json_or_none(response):
    try:
        return response.json()
    except ValueError:
        return None


class IncidentTransport(GrafanaCloudClient):
    """The shared client with the Incident API's rules on top.

    * An ``error`` field is a failure even with status 200.
    * Problem details and non-JSON bodies become the same readable message.
    * Read methods (``Get*``, ``Query*``) are retried like a GET; writes keep the rule of
      the shared client (never re-sent after an unclear end).
    """

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("extra_headers", dict(JSON_HEADERS))
        super(IncidentTransport, self).__init__(*args, **kwargs)
        self._read_call = False

    def rpc(self, path, body, read):
        """POST one RPC; ``read`` says whether it only reads (and may be retried)."""
        self._read_call = read
        try:
            return self.request("POST", path, json=body)
        finally:
            self._read_call = False

    def _as_sent(self, method):
        return "GET" if self._read_call else method

    def _may_retry_transport(self, method, error):
        return super(IncidentTransport, self)._may_retry_transport(self._as_sent(method), error)

    def _is_ambiguous_transport(self, method, error):
        return super(IncidentTransport, self)._is_ambiguous_transport(self._as_sent(method), error)

    def _may_retry_status(self, method, status, retry_after):
        return super(IncidentTransport, self)._may_retry_status(self._as_sent(method), status, retry_after)

    def _status_error(self, method, display, response, retry_after):
        generic = super(IncidentTransport, self)._status_error(method, display, response, retry_after)
        code, message, request_id, from_api = decode_incident_error(_json_or_none(response), response.text)
        error_class = type(generic)
        if self._read_call and error_class is AmbiguousWriteError:
            error_class = GrafanaCloudAPIError
        reason = refused_token_reason(response.status_code, self.token_origin or "the incident_access_token option",
                                      self.base_url) or generic.reason
        error = error_class(method, display, status=response.status_code, code=code,
                            message=message, request_id=request_id, reason=reason)
        error.from_incident_api = from_api
        return error

    def _token_refused_hint(self):
        return None  # refused_token_reason above already says it, the Incident way

    def _decode_success(self, method, display, response):
        body = GrafanaCloudClient._decode_success(method, display, response)
        if isinstance(body, dict) and body.get("error"):
            code, message, request_id, _from_api = decode_incident_error(body)
            error = GrafanaCloudAPIError(method, display, status=response.status_code, code=code,
                                         message=message, request_id=request_id)
            error.from_incident_api = True
            raise error
        return body


def is_read_method(name):
    return name.rpartition(".")[2].startswith(READ_METHOD_PREFIXES)


class IncidentClient:
    """``call("IncidentsService.GetIncident", {"incidentID": "1"})`` on the right plugin path.

    The first call goes to the ``grafana-irm-app`` path. A 404 that did not come from the
    Incident app (Grafana's "plugin not found") means the stack has the older app: the same
    call goes to ``grafana-incident-app`` once, and every later call goes straight there.
    """

    def __init__(self, transport):
        self.transport = transport
        self.plugin_path = None

    @property
    def retries(self):
        return self.transport.retries

    def call(self, name, body=None):
        if not RPC_NAME.match(name):
            raise ValueError("not an RPC method name: %r" % (name,))
        body = {} if body is None else body
        if not isinstance(body, dict):
            raise ValueError("an RPC body is a JSON object")
        read = is_read_method(name)
        if self.plugin_path is not None:
            return self.transport.rpc(self.plugin_path + "/" + name, body, read)
        try:
            answer = self.transport.rpc(IRM_PLUGIN_PATH + "/" + name, body, read)
        except GrafanaCloudAPIError as error:
            if not _plugin_missing(error):
                raise
            answer = self._call_older_app(name, body, read, error)
            self.plugin_path = INCIDENT_PLUGIN_PATH
            return answer
        self.plugin_path = IRM_PLUGIN_PATH
        return answer

    def _call_older_app(self, name, body, read, first_error):
        try:
            return self.transport.rpc(INCIDENT_PLUGIN_PATH + "/" + name, body, read)
        except GrafanaCloudAPIError as error:
            if not _plugin_missing(error):
                raise
            if getattr(first_error, "wrong_base_url", False):
                raise first_error  # not Grafana at all: the URL is what to fix
            raise GrafanaCloudAPIError(
                "POST", INCIDENT_PLUGIN_PATH + "/" + name, status=404, code=error.code,
                message="neither grafana-irm-app nor grafana-incident-app answers under %s" % self.transport.base_url,
                request_id=error.request_id or first_error.request_id,
                reason="is Grafana IRM (Incident) enabled on this stack, and is grafana_url the stack's URL?")


def refused_by_the_app(error):
    """Whether the Incident app itself refused a request as a client error (a 4xx, or an
    ``error`` field with 200): not an auth failure, not a server error, not a missing app."""
    status = error.status or 0
    return (getattr(error, "from_incident_api", False) and not isinstance(error, AmbiguousWriteError)
            and status < 500 and status not in (401, 403))


def _plugin_missing(error):
    return error.status == 404 and not getattr(error, "from_incident_api", False)


def incident_client(module):
    """The module's Incident client; fails the module before any request on bad options."""
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR)
    problems = client_option_problems(module.params)
    if problems:
        module.fail_json(msg=" ".join(problems))
    params = module.params
    transport = IncidentTransport(
        base_url=params["grafana_url"],
        token=params["incident_access_token"],
        timeout=params["request_timeout"],
        max_retries=params["max_retries"],
        validate_certs=params["validate_certs"],
        token_origin=token_source(params, "incident_access_token", TOKEN_ENV),
        url_help=("grafana_url (or the %s environment variable) must be the stack's Grafana URL, "
                  "such as https://mystack.grafana.net" % GRAFANA_URL_ENV),
    )
    return IncidentClient(transport)


def run_incident_resource(module, resource_class):
    """Build the client and the resource, run it and exit: the body of an Incident module."""
    client = incident_client(module)
    resource = resource_class(module, client)

    def work():
        result = resource.run()
        result["warnings"] = resource.warnings
        result["retries"] = resource.retries
        return result

    run_module(module, client, work, explain=None, pending_warnings=lambda: resource.warnings,
               pending_retries=lambda: resource.retries)


# -- incidents: the key label and the lookups every incident module shares ------------------

#: The label the ``incident`` module puts on what it declares, so a re-run finds it again.
KEY_LABEL_PREFIX = "ansible-key:"
KEY_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:/@-]{0,89}$")
LABEL_MAX_LENGTH = 100
#: Incidents per page of a query (the API's ``limit``); the server may answer fewer.
QUERY_PAGE_SIZE = 50


def key_label(key):
    return KEY_LABEL_PREFIX + key


def key_problem(key):
    """A message when ``key`` can't be used as the module's label, else None."""
    if not KEY_PATTERN.match(key or ""):
        return ("key must be 1 to 90 letters, digits and . _ : / @ - (starting with a letter or "
                "a digit), got %r." % (key,))
    return None


def label_texts(incident):
    """The label texts of an incident (``labels`` is a list of ``{label, ...}`` objects)."""
    return [label.get("label") for label in (incident or {}).get("labels") or [] if label.get("label")]


def find_active_by_key(client, key):
    """The active incidents that carry the key label, oldest first (:func:`creation_order`):
    one query.

    The server filters on status and label; the label is checked again here, so an
    incident that merely resembles it is never taken for ours.
    """
    query = dict(limit=QUERY_PAGE_SIZE, includeStatuses=["active"], incidentLabels=[key_label(key)],
                 orderDirection="DESC")
    matches = [incident for incident in iter_rpc_cursor(client.call, "IncidentsService.QueryIncidents", query,
                                                        "incidents")
               if incident.get("status") == "active" and key_label(key) in label_texts(incident)]
    return sorted(matches, key=creation_order)


def creation_order(incident):
    """A sort key: the incident declared first comes first. ``createdTime`` (RFC 3339), then the
    id, so that two runs sorting the same incidents always agree on the first."""
    try:
        created = (0, parse_datetime(incident.get("createdTime")).timestamp())
    except ValueError:
        created = (1, 0.0)  # after every date: an incident without a readable time is not the oldest
    incident_id = str(incident.get("incidentID") or "")
    return (created, (0, int(incident_id), "") if incident_id.isdigit() else (1, 0, incident_id))
