# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Wiring shared by every Grafana OnCall (IRM) module: options, client, lists, lookups, errors.

The OnCall public API (``<oncall_api_url>/api/v1/<resource>/``) differs from the Grafana
Cloud API in ways the engine's real answers fix (``oncall-engine-facts.md``):

* the token goes into ``Authorization`` bare, no scheme (``Bearer`` is refused); a
  service-account token (``glsa_``) also needs ``X-Grafana-URL``;
* auth failures are 403 (never 401) with ``{"detail": ...}``;
* lists page with ``page``/``perpage`` and absolute ``next`` links built on the engine's
  own base URL, which may not be the URL we were given;
* errors come as Django REST framework bodies of several shapes, or as an HTML page;
* a service-account token with an ``X-Grafana-URL`` that names no known stack is answered
  429 "Organization being synced" forever.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import re

try:
    from urllib.parse import urlsplit
except ImportError:  # pragma: no cover
    from urlparse import urlsplit  # type: ignore

try:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError
except ImportError:  # pragma: no cover - Python < 3.9: time zones are left to the engine
    ZoneInfo = None

try:
    # Comes with ansible-core on the controller, where these modules normally run; a module
    # run on another host may lack it: templates are then left to the engine (with a warning).
    from jinja2 import Environment as _JinjaEnvironment
    from jinja2.exceptions import TemplateSyntaxError as _TemplateSyntaxError
    HAS_JINJA2 = True
except ImportError:  # pragma: no cover - exercised where jinja2 is missing
    HAS_JINJA2 = False

from ansible.module_utils.basic import AnsibleModule, env_fallback, missing_required_lib

from ansible_collections.grafana_cloud.platform.plugins.module_utils._client import (
    ERROR_TEXT_LIMIT,
    HAS_REQUESTS,
    REQUESTS_IMPORT_ERROR,
    AmbiguousWriteError,
    GrafanaCloudAPIError,
    GrafanaCloudClient,
    api_path,
    token_source,
    transport_argument_spec,
)
from ansible_collections.grafana_cloud.platform.plugins.module_utils._gcom import exit_with
from ansible_collections.grafana_cloud.platform.plugins.module_utils._pagination import iter_next_link
from ansible_collections.grafana_cloud.platform.plugins.module_utils._resource import Resource

URL_ENV = "GRAFANA_ONCALL_API_URL"
TOKEN_ENV = "GRAFANA_ONCALL_ACCESS_TOKEN"
GRAFANA_URL_ENV = "GRAFANA_URL"
SERVICE_ACCOUNT_PREFIX = "glsa_"

#: Items per list page we ask for (the engine's pages hold at most 100).
PER_PAGE = 100
#: How many answers "Organization being synced" we accept before calling grafana_url wrong.
#: A real first sync takes a few seconds; a wrong grafana_url never clears.
SYNC_RETRIES = 3
SYNC_MESSAGE = "being synced"

#: Lists whose ``?name=`` filter is exact and case-sensitive on the engine. Other lists
#: ignore ``?name=`` and answer everything, so we filter on our side there.
NAME_FILTERED = frozenset(("integrations", "escalation_chains", "schedules", "on_call_shifts",
                           "teams", "webhooks"))

HTML_TITLE = re.compile(r"<title>\s*(.*?)\s*</title>", re.IGNORECASE | re.DOTALL)
API_ROOT = "/api/v1/"


class OnCallError(Exception):
    """A failure found without (or besides) an HTTP error: a missing reference, an ambiguous
    name. Its text is the whole message for the user."""


# -- options -------------------------------------------------------------------------------

def oncall_argument_spec():
    """The options every OnCall module takes (documented in the ``oncall`` doc fragment)."""
    return dict(
        oncall_api_url=dict(type="str", fallback=(env_fallback, [URL_ENV])),
        oncall_access_token=dict(type="str", no_log=True, fallback=(env_fallback, [TOKEN_ENV])),
        grafana_url=dict(type="str", fallback=(env_fallback, [GRAFANA_URL_ENV])),
        **transport_argument_spec()
    )


def oncall_module(argument_spec, **kwargs):
    """An AnsibleModule with the shared OnCall options added; check mode is always supported."""
    spec = oncall_argument_spec()
    spec.update(argument_spec)
    kwargs.setdefault("supports_check_mode", True)
    return AnsibleModule(argument_spec=spec, **kwargs)


def is_service_account_token(token):
    return bool(token) and token.startswith(SERVICE_ACCOUNT_PREFIX)


def _is_http_url(value):
    parts = urlsplit(value or "")
    return parts.scheme in ("http", "https") and bool(parts.netloc)


def connection_problems(params):
    """Everything wrong with the connection options, as messages (no request is sent)."""
    problems = []
    token = params.get("oncall_access_token")
    if not params.get("oncall_api_url"):
        problems.append("No OnCall API URL: set oncall_api_url or the %s environment variable "
                        "(stack_info with connections returns it as oncallApiUrl)." % URL_ENV)
    elif not _is_http_url(params["oncall_api_url"]):
        problems.append("oncall_api_url must be an http(s) URL, got %r." % params["oncall_api_url"])
    if not token:
        problems.append("No OnCall token: set oncall_access_token or the %s environment variable "
                        "(a glsa_ service-account token or a legacy OnCall API key)." % TOKEN_ENV)
    elif token.split(" ", 1)[0].lower() in ("bearer", "token"):
        # The engine refuses a scheme (403 "Invalid token."): say so before sending anything.
        problems.append("oncall_access_token must be the token alone, without a %r scheme: the OnCall "
                        "engine takes it bare." % token.split(" ", 1)[0])
    grafana_url = params.get("grafana_url")
    if grafana_url and not _is_http_url(grafana_url):
        problems.append("grafana_url must be the http(s) URL of the stack (https://<stack>.grafana.net), "
                        "got %r." % grafana_url)
    elif is_service_account_token(token) and not grafana_url:
        problems.append("A service-account token (glsa_...) needs grafana_url (or the %s environment "
                        "variable): the URL of the stack it belongs to, sent as X-Grafana-URL." % GRAFANA_URL_ENV)
    if params.get("request_timeout") is not None and params["request_timeout"] <= 0:
        problems.append("request_timeout must be greater than 0, got %s." % params["request_timeout"])
    if params.get("max_retries") is not None and params["max_retries"] < 0:
        problems.append("max_retries must be 0 or more, got %s." % params["max_retries"])
    return problems


def oncall_client(module):
    """The module's client; fails the module (before any request) on bad connection options."""
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR)
    params = module.params
    problems = connection_problems(params)
    if problems:
        module.fail_json(msg=" ".join(problems))
    return OnCallClient(
        base_url=params["oncall_api_url"],
        token=params["oncall_access_token"],
        grafana_url=params.get("grafana_url"),
        timeout=params["request_timeout"],
        max_retries=params["max_retries"],
        validate_certs=params["validate_certs"],
        token_origin=token_source(params, "oncall_access_token", TOKEN_ENV),
        url_help=("oncall_api_url (or the %s environment variable) must be the stack's OnCall API URL, "
                  "without /api/v1: stack_info with connections returns it as oncallApiUrl" % URL_ENV),
    )


# -- errors --------------------------------------------------------------------------------

def _flatten(value, prefix=""):
    """``(field path, message)`` pairs of a DRF error value (lists, nested dicts, strings)."""
    if isinstance(value, dict):
        pairs = []
        for key, inner in value.items():
            name = key if key in ("non_field_errors", "detail") else (prefix + "." + key if prefix else key)
            pairs.extend(_flatten(inner, "" if key in ("non_field_errors", "detail") else name))
        return pairs
    if isinstance(value, list):
        pairs = []
        for inner in value:
            pairs.extend(_flatten(inner, prefix))
        return pairs
    return [(prefix, str(value))]


def drf_error_message(body):
    """One readable message from a DRF error body: ``detail``, field maps (lists or a bare
    string under a field key), ``non_field_errors``, nested maps; fields are named."""
    if isinstance(body, dict) and set(body) == {"detail"}:
        return str(body["detail"])
    parts = []
    for field, message in _flatten(body):
        parts.append("%s: %s" % (field, message) if field else message)
    return "; ".join(parts)[:ERROR_TEXT_LIMIT] if parts else None


def _html_message(text):
    title = HTML_TITLE.search(text or "")
    summary = title.group(1) if title else (text or "").strip()[:100]
    return "the engine answered an HTML page (%s), not JSON" % summary


class OnCallClient(GrafanaCloudClient):
    """The shared client, speaking the OnCall dialect (see the module docstring)."""

    def __init__(self, base_url, token, grafana_url=None, **kwargs):
        headers = {}
        self.service_account = is_service_account_token(token)
        self.grafana_url = grafana_url
        if self.service_account and grafana_url:
            headers["X-Grafana-URL"] = grafana_url
        super(OnCallClient, self).__init__(base_url, token, auth_scheme=None, extra_headers=headers, **kwargs)
        self._sync_answers = 0

    def patch(self, path, json=None):
        return self.request("PATCH", path, json=json)

    def put(self, path, json=None):
        return self.request("PUT", path, json=json)

    def _absolute_link(self, link):
        """Re-base a ``next`` link onto ``oncall_api_url``: the engine builds it on its own
        ``BASE_URL`` setting, which need not be the URL (or host) we reach it by."""
        parts = urlsplit(link)
        index = parts.path.find(API_ROOT)
        if index < 0:
            return super(OnCallClient, self)._absolute_link(link)
        rebased = self.base_url + parts.path[index:]
        return rebased + ("?" + parts.query if parts.query else "")

    @staticmethod
    def _json_or_none(response):
        try:
            return response.json()
        except ValueError:
            return None

    def _is_sync_answer(self, response):
        if response.status_code != 429:
            return False
        body = self._json_or_none(response)
        return isinstance(body, dict) and SYNC_MESSAGE in str(body.get("detail", ""))

    def _should_retry(self, method, response, retry_after, attempt):
        if self._is_sync_answer(response):
            self._sync_answers += 1
            # A first sync clears within seconds; a wrong grafana_url never does.
            if self._sync_answers > SYNC_RETRIES:
                return False
        return super(OnCallClient, self)._should_retry(method, response, retry_after, attempt)

    def _decode_error(self, response):
        body = self._json_or_none(response)
        if body is None:
            return dict(message=_html_message(response.text) if (response.text or "").strip() else None)
        # DRF bodies carry no code; the message names the fields.
        return dict(message=drf_error_message(body))

    def _status_error(self, method, display, response, retry_after):
        error = super(OnCallClient, self)._status_error(method, display, response, retry_after)
        if response.status_code == 403:
            error.message = "the token was refused: %s" % (error.message or "no detail")
            error.reason = "check oncall_access_token%s%s" % (
                " (the token came from %s)" % self.token_origin if self.token_origin else "",
                " and grafana_url (sent as X-Grafana-URL %s)" % self.grafana_url if self.service_account else "")
        elif self._is_sync_answer(response) and self.service_account:
            error.reason = (
                "the engine kept answering 'Organization being synced' (%d times): with a "
                "service-account token that never clears when grafana_url names a stack this "
                "OnCall API does not serve; grafana_url %r probably names the wrong stack (give "
                "the stack URL, e.g. https://<stack>.grafana.net)" % (self._sync_answers, self.grafana_url))
        return _rebuilt(error)


def _rebuilt(error):
    """The error with its message recomputed after its ``reason`` changed."""
    return type(error)(error.method, error.path, status=error.status, code=error.code,
                       message=error.message, request_id=error.request_id, reason=error.reason)


# -- paths, lists and lookups ----------------------------------------------------------------

def oncall_path(resource, *ids):
    """``/api/v1/<resource>/[<id>/]``: the engine's paths end with a slash."""
    return api_path("api", "v1", resource, *ids) + "/"


def iter_oncall(client, resource, **filters):
    """Items of an OnCall list, lazily, ``perpage=100``, following ``next`` until null.

    Filters with the value None are not sent. Never pass ``team_id``: on several lists it is
    a server error (HTTP 500) for an existing team; filter on our side instead."""
    params = dict((key, value) for key, value in filters.items() if value is not None)
    return iter_next_link(client, oncall_path(resource), params=params, per_page=PER_PAGE)


def matches(obj, criteria):
    return all(obj.get(key) == value for key, value in criteria.items())


def find_all(client, resource, name=None, server_filters=None, **ours):
    """Every object of ``resource`` named exactly ``name`` (if given) whose fields equal
    ``ours``: one filtered read (``?name=`` where the list has an exact filter, else the
    list is read and filtered here), plus any ``server_filters`` the list supports."""
    params = dict(server_filters or {})
    if name is not None and resource in NAME_FILTERED:
        params["name"] = name
    criteria = dict(ours)
    if name is not None:
        # Also on filtered lists: a server that answered more must not pick a wrong object.
        criteria["name"] = name
    return [obj for obj in iter_oncall(client, resource, **params) if matches(obj, criteria)]


def describe_matches(objects, keys=("id", "name", "team_id")):
    return ", ".join("{%s}" % ", ".join("%s: %s" % (key, obj.get(key)) for key in keys if key in obj)
                     for obj in objects)


def single(objects, what):
    """The one object of ``objects``, None if there is none; more than one is an error."""
    if len(objects) > 1:
        raise OnCallError("%d objects match %s, expected at most one: %s. Make the name unique "
                          "(or give the team) so that the task names one object."
                          % (len(objects), what, describe_matches(objects)))
    return objects[0] if objects else None


def find_one(client, resource, what, name=None, server_filters=None, **ours):
    """:func:`find_all`, expecting at most one match (``what`` names it in the error)."""
    return single(find_all(client, resource, name=name, server_filters=server_filters, **ours), what)


class References:
    """Names resolved to OnCall ids, one filtered read per name, each name asked once.

    The engine silently drops unknown ids (a policy's ``persons_to_notify``), so every name is
    checked: an unknown one is None here and the caller fails naming it, before any write."""

    def __init__(self, client):
        self.client = client
        self._cache = {}

    def _cached(self, key, lookup):
        if key not in self._cache:
            self._cache[key] = lookup()
        return self._cache[key]

    def team(self, name):
        return self._cached(("team", name), lambda: find_one(
            self.client, "teams", "team %r" % name, name=name))

    def escalation_chain(self, name):
        return self._cached(("escalation_chain", name), lambda: find_one(
            self.client, "escalation_chains", "escalation chain %r" % name, name=name))

    def integration(self, name, team_id=None):
        """The integration named ``name`` (names are unique per team: give ``team_id``,
        "" for no team, or None when the name must be unique across teams)."""
        def lookup():
            found = find_all(self.client, "integrations", name=name)
            if team_id is not None:
                found = [obj for obj in found if (obj.get("team_id") or "") == team_id]
            return single(found, "integration %r" % name)
        return self._cached(("integration", name, team_id), lookup)

    def schedule(self, name):
        return self._cached(("schedule", name), lambda: find_one(
            self.client, "schedules", "schedule %r" % name, name=name))

    def webhook(self, name):
        return self._cached(("webhook", name), lambda: find_one(
            self.client, "webhooks", "outgoing webhook %r" % name, name=name))

    def user(self, username):
        """The user (``?username=`` is case-insensitive on the engine; an exact match wins)."""
        def lookup():
            found = list(iter_oncall(self.client, "users", username=username))
            exact = [user for user in found if user.get("username") == username]
            if exact:
                return single(exact, "username %r" % username)
            folded = [user for user in found if (user.get("username") or "").lower() == username.lower()]
            return single(folded, "username %r" % username)
        return self._cached(("user", username), lookup)


# -- actions that two runs send at once ------------------------------------------------------

#: How the engine refuses an action already done, per action endpoint. Its bodies carry no
#: code, so the text is the only signal (a 400 ``{"detail"}``):
#:
#: * ``maintenance_start``: "Already on maintenance" for an integration in either mode (the
#:   engine's ``MaintainableObjectMixin``, as the simulator's ``oncall_maintenance`` area cites);
#: * the alert-group actions: "Can't <action> a(n) <state> alert group". Fact A7 is the
#:   acknowledge repeat ("Can't acknowledge an acknowledged alert group"); the engine's public
#:   alert-group view (which the simulator's ``oncall_alert_groups`` area follows) words every
#:   other refusal of ``<action>`` the same way. Only the "Can't <action> " prefix is matched,
#:   not the state: the text only makes the refusal a candidate, and the one read that follows
#:   decides (a group found in another state fails with the engine's answer, as before), so a
#:   looser match costs at most one read, while a wording that differs a little from the
#:   source for the other actions is still recognised.
REFUSED_REPEAT_TEXTS = {"maintenance_start": "Already on maintenance"}
REFUSED_ACTION_PREFIX = "Can't %s "


def is_refused_repeat(error, action):
    """Whether the engine refused ``action`` (an action endpoint's last path segment:
    ``acknowledge``, ``maintenance_start``) in a way another run doing it first explains.

    A candidate only: the caller reads the object again once (:func:`read_again_if_refused_repeat`)
    and counts the action as done only when the object is where the action leads.
    """
    if not isinstance(error, GrafanaCloudAPIError) or isinstance(error, AmbiguousWriteError):
        return False
    if error.status != 400 or error.code:
        return False
    text = error.message or ""
    if action in REFUSED_REPEAT_TEXTS:
        return REFUSED_REPEAT_TEXTS[action] in text
    return text.startswith(REFUSED_ACTION_PREFIX % action)


def read_again_if_refused_repeat(error, action, read_again):
    """After the engine refused ``action``: the object read again, once, when the refusal may be
    a race lost to another run (:func:`is_refused_repeat`); ``error`` is raised again otherwise.

    Two pipelines act on the same object at the same moment: both read it before either acts,
    both send the action, the engine refuses the second. The caller compares the object read
    here with what it asked for: there, the other run did it (``changed`` false, a warning);
    elsewhere, it fails saying so. Bounded: one read, never a second try of the action.
    """
    if not is_refused_repeat(error, action):
        raise error
    return read_again()


# -- the resource base and the module body ---------------------------------------------------

class OnCallResource(Resource):
    """A :class:`Resource` on an OnCall collection (``/api/v1/<collection>/``).

    Subclasses set ``collection`` and implement :meth:`find`, :meth:`current_values` and
    :meth:`body` (option values -> API fields); create, update (PATCH with only the changed
    fields) and delete are done here. ``self.refs`` resolves names to ids."""

    collection = None
    #: False where the engine can hold two objects of the module's key (see
    #: :attr:`Resource.unique_key`): schedule names are not unique at all (facts S6, S9, S10),
    #: routes and escalation steps have no unique key, and the integration and shift name
    #: checks are the serializer's (a read, then the write), which two concurrent creates
    #: both pass.
    unique_key = True
    #: The fields the objects of one key share (for the default :meth:`twins`).
    twin_fields = ("name",)

    def __init__(self, module, client):
        super(OnCallResource, self).__init__(module, client)
        self.refs = References(client)
        self.names = {}

    def name_of(self, obj_id, resource=None, option=None):
        """How a referenced id is shown in results and diffs: the name the task gave for it;
        "" for none (how a task asks for none). Another id is looked up by id (one request,
        once) only when the task sets ``option``, i.e. when the diff will show a change;
        otherwise it is shown as the id, and an unchanged run sends no extra request."""
        if not obj_id:
            return ""
        if obj_id not in self.names and resource and option and self.params.get(option) is not None:
            obj = self.client.get_or_none(oncall_path(resource, obj_id)) or {}
            self.names[obj_id] = obj.get("username") if resource == "users" else obj.get("name")
        return self.names.get(obj_id) or obj_id

    def object_path(self, obj):
        return oncall_path(self.collection, obj["id"])

    def body(self, values):
        """The API fields for option values (all of them on create, the changes on update)."""
        raise NotImplementedError

    def create(self, values):
        return self.client.post(oncall_path(self.collection), json=self.body(values))

    def update(self, obj, changes, values):
        return self.client.patch(self.object_path(obj), json=self.body(changes))

    def delete(self, obj):
        self.client.delete(self.object_path(obj))

    # -- creates that race where the engine keeps no key unique ------------------------------

    def twins(self, created):
        """The objects of ``created``'s key, oldest first (one filtered read).

        The default reads by ``twin_fields`` (the name, with ``?name=``): the engine lists them
        in creation order (facts S10: the schedule created first is listed first). A module
        whose objects are ordered by position overrides it.
        """
        criteria = dict((field, created.get(field)) for field in self.twin_fields)
        return find_all(self.client, self.collection, **criteria)

    def read_again(self, obj):
        # Deleting ours may have moved the positions of the others.
        return self.client.get_or_none(self.object_path(obj)) or obj

    def reference(self, kind, name, *args):
        """The id that ``name`` of ``kind`` (team, escalation_chain, ...) resolves to.

        Unknown: a real run fails naming it; check mode warns (an earlier task of the same
        play may create it) and answers None."""
        obj = getattr(self.refs, kind)(name, *args)
        if obj is not None:
            self.names[obj["id"]] = name
            return obj["id"]
        self.missing("%s %r not found in OnCall." % (kind.replace("_", " ").capitalize(), name))
        return None

    def missing(self, message, fix="Create it first, or correct the name.",
                check_note="A real run fails unless it exists by then."):
        """Something the task needs is not there: a real run fails (before any write); check
        mode warns, since an earlier task of the play may have been only predicted."""
        if not self.module.check_mode:
            self.fail(msg="%s %s" % (message, fix))
        self.warnings.append("%s %s" % (message, check_note))


def text_problem(option, value, max_length=None):
    """A message when an optional text option is set but blank, padded or too long, else None.

    Padded: the engine trims text fields on write (fact N7), so a padded name is stored
    without its spaces; the next run's exact lookup would miss it and create a copy."""
    if value is None:
        return None
    if not value.strip():
        return "%s must not be empty." % option
    if value != value.strip():
        return ("%s %r starts or ends with spaces: the OnCall engine trims them when it stores it, so a later "
                "run would not find it by this value; remove them." % (option, value))
    if max_length and len(value) > max_length:
        return "%s must be at most %d characters, got %d." % (option, max_length, len(value))
    return None


def names_problems(option, values):
    """Messages for the blank or padded entries of a list of names (None: nothing to check)."""
    return [text_problem("%s entries" % option, value) for value in values or []]


def reference_problem(option, value):
    """Like :func:`text_problem` for a name that may be V("") to mean "none" (a team)."""
    return None if value == "" else text_problem(option, value)


def time_zone_problem(value, option="time_zone"):
    """A message when ``value`` is set but is no IANA time zone name, else None. Checked only
    where Python knows the time zones (zoneinfo and a time zone database); else the engine
    decides."""
    problem = text_problem(option, value)
    if problem or value is None or ZoneInfo is None:
        return problem
    try:
        ZoneInfo(value)
        return None
    except (ZoneInfoNotFoundError, ValueError):
        pass
    try:
        ZoneInfo("Europe/Berlin")
    except ZoneInfoNotFoundError:
        return None  # no time zone database on this host: nothing to compare with
    return "%s must be an IANA time zone name such as UTC or Europe/Berlin, got %r." % (option, value)


TEMPLATE_PART = re.compile(r"\{\{.*?\}\}|\{%.*?%\}", re.DOTALL)
NO_JINJA2_WARNING = ("jinja2 is not importable where this module runs, so %s was not checked before "
                     "sending: the engine checks it (run the module on the controller to have it checked first).")


def url_problem(option, value, templated=False):
    """A message when ``value`` is set but is no http(s) URL with a host, else None.

    The engine stores a webhook URL without checking its scheme (fact N8): such a webhook
    can never fire, so it is refused here, before any request. ``templated``: the URL may
    hold the engine's Jinja2 expressions (their text is not checked as URL text, and a URL
    that starts with one can't be checked)."""
    if value is None:
        return None
    text = value
    if templated:
        if value.lstrip().startswith(("{{", "{%")):
            return None
        text = TEMPLATE_PART.sub("x", value)
    if not _is_http_url(text) or value != value.strip() or " " in text:
        return "%s must be an http(s) URL with a host (https://host/path), got %r." % (option, value)
    return None


def template_problem(option, text, warnings):
    """A message when ``text`` is no valid Jinja2 template, else None; the engine renders it
    with Jinja2 and refuses a syntax error only after the write was sent. Without jinja2
    here, a warning is added to ``warnings`` and the engine decides."""
    if text is None or not isinstance(text, str):
        return None
    if not HAS_JINJA2:
        warnings.append(NO_JINJA2_WARNING % option)
        return None
    try:
        # Syntax only: the engine adds filters of its own, unknown here.
        _JinjaEnvironment().parse(text)
    except _TemplateSyntaxError as error:
        return "%s is not a valid Jinja2 template: %s (line %s)." % (option, error.message, error.lineno)
    return None


def regex_problem(option, text):
    """A message when ``text`` is no regular expression Python compiles (the engine checks a
    route's expression with Python's ``re``), else None."""
    if text is None:
        return None
    try:
        re.compile(text)
    except re.error as error:
        return "%s is not a valid regular expression: %s." % (option, error)
    return None


def fail_on_problems(module, problems):
    """Fail before any request when input validation found problems (None entries are fine)."""
    problems = [problem for problem in problems if problem]
    if problems:
        module.fail_json(msg=" ".join(problems))


def run_oncall(module, client, work, pending_warnings=None, pending_retries=None):
    """Run ``work()`` (returning the result dict) and exit; API and lookup errors fail the
    module with the whole story; retries go under ``retries`` (see ``_gcom.exit_with``)."""
    def failed(msg, **details):
        exit_with(module, client, error_result=dict(
            msg=msg,
            warnings=list(pending_warnings() if pending_warnings else []),
            retries=list(pending_retries() if pending_retries else []),
            **details))
    try:
        result = work()
    except GrafanaCloudAPIError as error:
        failed(str(error), **error.to_result())
    except OnCallError as error:
        failed(str(error))
    exit_with(module, client, result)


def run_oncall_resource(module, resource_class):
    """Build the client and the resource, run it and exit: the body of an OnCall module."""
    client = oncall_client(module)
    resource = resource_class(module, client)

    def work():
        result = resource.run()
        result["warnings"] = resource.warnings
        result["retries"] = resource.retries
        return result

    run_oncall(module, client, work, pending_warnings=lambda: resource.warnings,
               pending_retries=lambda: resource.retries)
