# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""HTTP transport shared by every module of the collection.

One ``requests.Session`` per module run, authentication, timeouts, retries and typed errors.
Private to the collection: the API of this file may change without notice.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import email.utils
import os
import random
import socket
import time
import traceback
import uuid

try:
    from urllib.parse import quote, urlsplit
except ImportError:  # pragma: no cover - Python 2 is not supported, kept for the import sanity test
    from urllib import quote  # type: ignore
    from urlparse import urlsplit  # type: ignore

try:
    import requests

    HAS_REQUESTS = True
    REQUESTS_IMPORT_ERROR = None
except ImportError:
    HAS_REQUESTS = False
    REQUESTS_IMPORT_ERROR = traceback.format_exc()

COLLECTION_VERSION = "0.1.0"
USER_AGENT = "grafana_cloud.platform/%s" % COLLECTION_VERSION

IDEMPOTENT_METHODS = frozenset(("GET", "HEAD", "OPTIONS", "DELETE"))
WRITE_METHODS = frozenset(("POST", "PUT", "PATCH", "DELETE"))
GATEWAY_STATUSES = frozenset((502, 503, 504))

# How long, in all, a module run may spend sleeping between retries. Keeps a playbook from
# hanging on a server that keeps answering 429 with a long Retry-After.
DEFAULT_WAIT_BUDGET = 300.0
BACKOFF_BASE = 0.5
BACKOFF_CAP = 8.0
ERROR_TEXT_LIMIT = 500


class GrafanaCloudAPIError(Exception):
    """A request that did not succeed, with everything needed to understand why.

    Carries the method, path, HTTP status, and the API's ``code``, ``message`` and
    ``requestId``; never a header or a credential.
    """

    #: Set when the answer shows the base URL is not the API at all (see ``not_the_api``):
    #: then even a 404 means "wrong URL", never "no such object".
    wrong_base_url = False

    def __init__(self, method, path, status=None, code=None, message=None, request_id=None, reason=None,
                 message_id=None):
        self.method = method
        self.path = path
        self.status = status
        self.code = code
        self.message = message
        self.request_id = request_id
        self.reason = reason
        # A stack's own Grafana (``/instances/{stack}/api/...``) answers errors as
        # {"message", "messageId", "statusCode"}: ``messageId`` is what to branch on there.
        self.message_id = message_id
        super(GrafanaCloudAPIError, self).__init__(self.describe())

    def add_reason(self, text):
        """Append ``text`` to the reason (and to the message the error prints)."""
        self.reason = "%s; %s" % (self.reason, text) if self.reason else text
        self.args = (self.describe(),)
        return self

    def describe(self):
        parts = ["%s %s failed" % (self.method, self.path)]
        if self.status is not None:
            parts.append("HTTP %s" % self.status)
        if self.code:
            parts.append("code %s" % self.code)
        if self.message_id:
            parts.append("messageId %s" % self.message_id)
        if self.message:
            parts.append(self.message)
        if self.reason:
            parts.append(self.reason)
        text = ": ".join([parts[0], ", ".join(parts[1:])]) if len(parts) > 1 else parts[0]
        if self.request_id:
            text += " (requestId %s)" % self.request_id
        return text

    def to_result(self):
        """The error as module return values (for ``fail_json``)."""
        return dict(
            method=self.method,
            path=self.path,
            status=self.status,
            code=self.code,
            api_message=self.message,
            message_id=self.message_id,
            request_id=self.request_id,
        )


class AmbiguousWriteError(GrafanaCloudAPIError):
    """A write whose outcome is unknown: the server may or may not have committed it.

    Raised for a POST/PUT/PATCH that timed out after being sent or got a 5xx. It is never
    re-sent by the client; the resource layer reads by key and adopts what the server holds.
    """


#: The Grafana Cloud API's code for a 409 that is not a validation error (the spec's
#: ``ErrorConflict`` schema; 409 ``InvalidArgument`` is its validation channel).
CONFLICT_CODE = "Conflict"
#: ``messageId`` values with which a stack's own Grafana refuses a name that is taken (400,
#: not 409: Grafana's ``pkg/services/serviceaccounts/models.go``).
GRAFANA_TAKEN_MESSAGE_IDS = frozenset(("serviceaccounts.ErrAlreadyExists", "serviceaccounts.ErrTokenAlreadyExists"))
#: The OnCall engine's answers to a name that is taken. Its DRF bodies carry no code at all,
#: so the text is the only signal: ``non_field_errors`` of a unique constraint (facts EC2,
#: W8), the integration serializer's ``detail`` (I2) and the on-call shift serializer's.
ONCALL_TAKEN_TEXTS = ("must make a unique set", "with this name already exists")
#: The Incident API's RFC 7807 ``code`` values for a key that is taken: ``roles.name_conflict``
#: and the generic ``common.conflict`` (grafana/incident-go ``errorcodes.gen.go``, which mirrors
#: the server's ``pkg/errors``). Their HTTP status is not stated there, so it is not relied on.
INCIDENT_TAKEN_CODES = frozenset(("roles.name_conflict", "common.conflict"))


def is_already_exists(error):
    """Whether the API refused a create because an object of that key exists: maybe a lost race.

    One rule per API, read from what each answers (never English text where a code exists):

    * Grafana Cloud API: 409 with ``code: Conflict``. The code also covers other conflicts (a
      slug deleted recently, an operation in progress), so this is a candidate only: the
      caller confirms it with one read by key before it adopts anything.
    * a stack's Grafana (``/instances/{stack}/api/...``): 400 with a ``messageId`` of
      :data:`GRAFANA_TAKEN_MESSAGE_IDS`; its older API-key endpoint answers a taken name 409
      with a bare ``{"message"}`` (no code, no messageId), which counts too.
    * OnCall: 400 with no code and no messageId whose text is one of
      :data:`ONCALL_TAKEN_TEXTS`: the engine gives nothing else to branch on.
    * Incident: a ``code`` of :data:`INCIDENT_TAKEN_CODES`, whatever the status.
    """
    if not isinstance(error, GrafanaCloudAPIError) or isinstance(error, AmbiguousWriteError):
        return False
    if error.code in INCIDENT_TAKEN_CODES:
        return True
    if error.status == 409:
        return error.code in (CONFLICT_CODE, None) and not error.message_id
    if error.status != 400 or error.code:
        return False
    if error.message_id:
        return error.message_id in GRAFANA_TAKEN_MESSAGE_IDS
    text = error.message or ""
    return any(taken in text for taken in ONCALL_TAKEN_TEXTS)


def is_not_found(error):
    """Whether the API answered 404, no such object (on a DELETE: already gone); never a 404
    whose answer showed that the base URL is not the API at all (``wrong_base_url``)."""
    return isinstance(error, GrafanaCloudAPIError) and error.status == 404 and not error.wrong_base_url


def transport_argument_spec():
    """The options of the transport that every API's modules share (timeout, retries, TLS).

    Each API's wiring file (``_gcom``, ``_oncall``, ``_incident``) adds its URL and token options
    to these, so the three stay the same options with the same defaults.
    """
    return dict(
        request_timeout=dict(type="float", default=30.0),
        max_retries=dict(type="int", default=5),
        validate_certs=dict(type="bool", default=True),
    )


def base_url_problem(option, url):
    """A message when ``url`` is not an http(s) URL with a host, else None.

    Checked before the first request: a URL without a scheme or host is a configuration
    error, never a transient one, so it must fail at once and not be retried.
    """
    if not url or not url.strip():
        return "%s must not be empty: give the API's URL, for example https://grafana.com/api." % option
    parts = urlsplit(url.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return ("%s must be an http:// or https:// URL with a host, for example https://grafana.com/api; "
                "got %r." % (option, url))
    return None


def token_source(params, option, env_var):
    """Where the token in ``params[option]`` came from, in words, for an authentication error.

    ``env_fallback`` leaves no trace of its use in the module's parameters: a token equal to the
    environment variable's value is taken to come from there (the option set to that same value
    would be the same token anyway).
    """
    value = params.get(option)
    if env_var and value and os.environ.get(env_var) == value:
        return "the %s environment variable (the option was not set)" % env_var
    return "the %s option" % option


def _configuration_errors():
    """The ``requests`` errors that say the request itself is wrong (URL, header): never retried."""
    names = ("URLRequired", "MissingSchema", "InvalidSchema", "InvalidURL", "InvalidHeader", "InvalidJSONError")
    return tuple(getattr(requests.exceptions, name) for name in names if hasattr(requests.exceptions, name))


def _error_chain(error):
    """``error`` and every exception it wraps (``requests`` wraps urllib3, which wraps the
    socket error): through ``args``, ``reason``, ``__cause__`` and ``__context__``."""
    chain, pending = [], [error]
    while pending and len(chain) < 20:
        current = pending.pop(0)
        if not isinstance(current, BaseException) or any(current is seen for seen in chain):
            continue
        chain.append(current)
        pending.extend([getattr(current, "reason", None), current.__cause__, current.__context__])
        pending.extend(arg for arg in getattr(current, "args", ()) if isinstance(arg, BaseException))
    return chain


NAME_NOT_RESOLVED_TEXTS = ("Name or service not known", "nodename nor servname", "getaddrinfo failed",
                           "Temporary failure in name resolution", "Failed to resolve", "No address associated")


def connection_cause(error):
    """Why a connection got no answer: ``refused``, ``name not resolved``, ``timed out``,
    ``TLS`` or ``other``."""
    chain = _error_chain(error)
    text = " ".join(str(link) for link in chain)
    if any(isinstance(link, requests.exceptions.SSLError) for link in chain):
        return "TLS"
    if any(isinstance(link, (requests.exceptions.Timeout, socket.timeout)) for link in chain):
        return "timed out"
    if any(isinstance(link, ConnectionRefusedError) for link in chain) or "Connection refused" in text:
        return "refused"
    if any(isinstance(link, socket.gaierror) for link in chain) or any(
            type(link).__name__ == "NameResolutionError" for link in chain) or any(
            marker in text for marker in NAME_NOT_RESOLVED_TEXTS):
        return "name not resolved"
    return "other"


def api_path(*parts):
    """``/part/part/...`` with every part URL-quoted: how every module builds a request path."""
    return "/" + "/".join(quote(str(part), safe="") for part in parts)


def parse_retry_after(value, now=None):
    """Seconds to wait from a ``Retry-After`` header: delta-seconds or an HTTP date."""
    if value is None:
        return None
    value = value.strip()
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    if when is None:
        return None
    now = time.time() if now is None else now
    return max(0.0, when.timestamp() - now)


def jittered_backoff(attempt, rand=random.random):
    """Full-jitter exponential backoff: a random wait up to base * 2**attempt, capped."""
    return rand() * min(BACKOFF_CAP, BACKOFF_BASE * (2 ** attempt))


def not_the_api(response):
    """Whether an answer cannot be the API's: below 500 (a gateway's 5xx page is a blip), and
    a body that is not JSON, or an empty 404 (the APIs here answer every error in JSON)."""
    if response.status_code >= 500 or response.status_code == 429:
        return False
    content = (response.content or b"").strip()
    if not content:
        return response.status_code == 404
    try:
        response.json()
    except ValueError:
        return True
    return False


def _decode_error_body(response):
    """The error answer as keyword arguments of :class:`GrafanaCloudAPIError`, whatever its shape."""
    try:
        body = response.json()
    except ValueError:
        text = (response.text or "").strip()
        return dict(message=("non-JSON answer: %s" % text[:ERROR_TEXT_LIMIT]) if text else None)
    if not isinstance(body, dict):
        return dict(message=str(body)[:ERROR_TEXT_LIMIT])
    # The Grafana Cloud API answers {code, message, requestId}; a stack's Grafana
    # {message, messageId, statusCode}; OnCall {detail}.
    message = body.get("message") or body.get("detail") or body.get("error")
    if message is None and body:
        message = str(body)[:ERROR_TEXT_LIMIT]
    return dict(code=body.get("code"), message=message, request_id=body.get("requestId"),
                message_id=body.get("messageId"))


class GrafanaCloudClient:
    """A small JSON-over-HTTP client with the retry rules of the design.

    * 429: wait for ``Retry-After`` (or a backoff) and retry, any method.
    * 503 with ``Retry-After`` (e.g. a stack still loading): wait and retry GET and DELETE.
      Not a POST: Grafana's gateway answers a canned ``503 Loading`` to requests the backend
      went on to process, so a write that got it is ambiguous like any other 5xx.
    * 502/503/504 and connection errors: jittered backoff, GET and DELETE only.
    * A write that ends ambiguously raises :class:`AmbiguousWriteError` and is not re-sent.
    * 4xx other than 429 are never retried here.

    Every retry is recorded in ``self.retries`` so the module can report it.
    """

    def __init__(self, base_url, token, timeout=30, max_retries=5, validate_certs=True,
                 wait_budget=DEFAULT_WAIT_BUDGET, auth_scheme="Bearer", extra_headers=None,
                 sleep=time.sleep, session=None, token_origin=None, url_help=None):
        if not HAS_REQUESTS:
            raise RuntimeError("the requests library is required")
        self.base_url = base_url.rstrip("/")
        # For the messages of the first failures a user meets: where the token came from
        # (a 401 names it) and what the base URL should look like (a URL that does not
        # answer like the API names it).
        self.token_origin = token_origin
        self.url_help = url_help or "give the API's base URL"
        # Whether the API answered anything yet: until it has, an answer that is not the
        # API's (an HTML page, an empty 404) or no answer at all is a wrong URL, not a blip.
        self._answered = False
        self.timeout = timeout
        self.max_retries = max_retries
        self.wait_budget = wait_budget
        self.retries = []
        self._waited = 0.0
        self._sleep = sleep
        # Sent with every request, not set on the session: requests lets REQUESTS_CA_BUNDLE
        # and CURL_CA_BUNDLE override a session's verify (merge_environment_settings), which
        # would turn validate_certs: false back on where CI machines set those variables.
        self.verify = validate_certs
        self._session = session or requests.Session()
        self._session.headers.update({
            "User-Agent": USER_AGENT,
            "Accept": "application/json",
            "Authorization": "%s %s" % (auth_scheme, token) if auth_scheme else token,
        })
        if extra_headers:
            self._session.headers.update(extra_headers)

    # -- public helpers ------------------------------------------------------------------

    def get(self, path, params=None):
        return self.request("GET", path, params=params)

    def get_or_none(self, path, params=None):
        """GET that answers None for 404: how lookups by id or slug ask "does it exist?"."""
        try:
            return self.request("GET", path, params=params)
        except GrafanaCloudAPIError as error:
            if is_not_found(error):
                return None
            raise

    def post(self, path, json=None, params=None):
        return self.request("POST", path, params=params, json=json)

    def delete(self, path, params=None):
        return self.request("DELETE", path, params=params)

    def request(self, method, path, params=None, json=None):
        """Send one API call, with retries; return the decoded JSON body (None if empty)."""
        method = method.upper()
        url = self._url(path)
        display = self._display_path(url, params)
        headers = {"X-Request-Id": str(uuid.uuid4())} if method in WRITE_METHODS else None
        attempt = 0
        while True:
            try:
                response = self._session.request(method, url, params=params, json=json, headers=headers,
                                                 timeout=self.timeout, verify=self.verify)
            except requests.exceptions.RequestException as error:
                reason = self._describe_transport_error(error, url)
                if self._may_retry_transport(method, error) and self._wait(attempt, None, display, reason):
                    attempt += 1
                    continue
                error_class = AmbiguousWriteError if self._is_ambiguous_transport(method, error) else GrafanaCloudAPIError
                raise error_class(method, display, reason=reason)

            first_answer = not self._answered
            if response.status_code < 500 and response.status_code != 429:
                self._answered = True
            try:
                if response.status_code < 400:
                    return self._decode_success(method, display, response)
                retry_after = parse_retry_after(response.headers.get("Retry-After"))
                if self._should_retry(method, response, retry_after, attempt):
                    if self._wait(attempt, retry_after, display, "HTTP %s" % response.status_code):
                        attempt += 1
                        continue
                error = self._status_error(method, display, response, retry_after)
                hint = self._token_refused_hint() if response.status_code == 401 else None
                if hint:  # None where the API's own wording already says it (Incident)
                    error.add_reason(hint)
                raise error
            except GrafanaCloudAPIError as error:
                if first_answer and not_the_api(response):
                    error.add_reason(self._wrong_url_hint(response))
                    error.wrong_base_url = True
                raise

    def _token_refused_hint(self):
        return "the token was refused%s: check that it is current, not revoked, and meant for this API" % (
            " (it came from %s)" % self.token_origin if self.token_origin else "")

    def _wrong_url_hint(self, response):
        what = ("an empty %s" % response.status_code) if not (response.content or b"").strip() else (
            "a %s page" % (response.headers.get("Content-Type") or "non-JSON").split(";")[0])
        return ("the URL looks wrong: %s answered %s where the API answers JSON; %s"
                % (self.base_url, what, self.url_help))

    # -- internals -----------------------------------------------------------------------

    def _url(self, path):
        if path.startswith(("http://", "https://")):
            return self._absolute_link(path)
        return self.base_url + "/" + path.lstrip("/")

    def _absolute_link(self, link):
        """The URL to request for an absolute link (a next page) the API answered.

        Only links to the API we were given are followed, so the credential is never sent
        to another host. A subclass may re-base links onto ``base_url`` instead.
        """
        if urlsplit(link)[:2] != urlsplit(self.base_url)[:2]:
            raise GrafanaCloudAPIError("GET", link, reason="refusing to follow a link to another host")
        return link

    def _display_path(self, url, params):
        path = url[len(self.base_url):] if url.startswith(self.base_url) else urlsplit(url).path
        if params:
            query = "&".join("%s=%s" % (key, value) for key, value in sorted(params.items()) if value is not None)
            if query:
                path += ("&" if "?" in path else "?") + query
        return path or "/"

    def _describe_transport_error(self, error, url):
        """What went wrong, naming the host and the cause (refused, name, timeout, TLS)."""
        if isinstance(error, _configuration_errors()):
            return "configuration error: %s" % error
        host = urlsplit(url).netloc or url
        cause = connection_cause(error)
        if cause == "TLS":
            return "TLS error with %s: %s" % (host, error)
        if cause == "timed out":
            kind = "connecting" if isinstance(error, requests.exceptions.ConnectTimeout) else "waiting for an answer"
            return "timed out %s to %s after %ss (%s; request_timeout)" % (kind, host, self.timeout, type(error).__name__)
        if cause == "refused":
            return "connection refused by %s: nothing listens there; %s" % (host, self.url_help)
        if cause == "name not resolved":
            return "the host name of %s could not be resolved (DNS); %s" % (host, self.url_help)
        if isinstance(error, requests.exceptions.ConnectionError):
            return "connection error with %s: %s" % (host, type(error).__name__)
        return "request error with %s: %s" % (host, type(error).__name__)

    @staticmethod
    def _never_sent(error):
        # A connect timeout or refused connection means the request never reached the server.
        return isinstance(error, requests.exceptions.ConnectTimeout) or (
            isinstance(error, requests.exceptions.ConnectionError)
            and "NewConnectionError" in repr(error)
        )

    def _may_retry_transport(self, method, error):
        # A certificate or a malformed URL is the same on every attempt.
        if isinstance(error, (requests.exceptions.SSLError,) + _configuration_errors()):
            return False
        # A host that never answered and refuses, or whose name does not resolve, is a wrong
        # URL (or a service that is down): say so at once rather than after seconds of backoff.
        if not self._answered and connection_cause(error) in ("refused", "name not resolved"):
            return False
        return method in IDEMPOTENT_METHODS or self._never_sent(error)

    def _is_ambiguous_transport(self, method, error):
        if isinstance(error, _configuration_errors()):
            return False  # refused by requests before anything was sent
        return method not in IDEMPOTENT_METHODS and not self._never_sent(error)

    def _should_retry(self, method, response, retry_after, attempt):
        """Whether an error answer may be retried (a subclass may look at the body too)."""
        return self._may_retry_status(method, response.status_code, retry_after)

    @staticmethod
    def _may_retry_status(method, status, retry_after):
        if status == 429:
            return True
        return status in GATEWAY_STATUSES and method in IDEMPOTENT_METHODS

    def _wait(self, attempt, retry_after, display, reason):
        """Sleep before a retry if the retry count and the wait budget allow it."""
        if attempt >= self.max_retries:
            return False
        delay = retry_after if retry_after is not None else jittered_backoff(attempt)
        if self._waited + delay > self.wait_budget:
            return False
        self.retries.append(dict(path=display, reason=reason, waited=round(delay, 3)))
        self._sleep(delay)
        self._waited += delay
        return True

    def _decode_error(self, response):
        """The error answer as keyword arguments of :class:`GrafanaCloudAPIError` (``code``,
        ``message``, ``request_id``, ``message_id``); a subclass may read other shapes."""
        return _decode_error_body(response)

    def _status_error(self, method, display, response, retry_after):
        details = self._decode_error(response)
        reason = None
        if response.status_code == 429 or (response.status_code == 503 and retry_after is not None):
            reason = "gave up after %d retries and %.0fs of waiting" % (len(self.retries), self._waited)
            if retry_after is not None:
                reason += " (server asked to wait %.0fs more)" % retry_after
        if response.status_code >= 500 and method not in IDEMPOTENT_METHODS:
            # Nothing was waited for: the caller reads back before anything is sent again.
            return AmbiguousWriteError(method, display, status=response.status_code, **details)
        return GrafanaCloudAPIError(method, display, status=response.status_code, reason=reason, **details)

    @staticmethod
    def _decode_success(method, display, response):
        if not response.content or not response.content.strip():
            return None
        try:
            return response.json()
        except ValueError:
            raise GrafanaCloudAPIError(method, display, status=response.status_code,
                                       reason="expected JSON, got: %s" % response.text[:ERROR_TEXT_LIMIT])
