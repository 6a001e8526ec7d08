# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What every module and role that deals with stacks shares.

* input checks the API makes, done before any request (slug, labels, region syntax);
* ``endpoints``: the values users wire into agents, under stable names;
* waiting: readiness after a create, ``deleting`` -> gone after a delete, the retry of a
  slug deleted recently, the retry of a plugin "operation in progress"; one
  :class:`Deadline` per module run so all waits together stay within ``wait_timeout``.

Where the API's only signal is the English message (the 409s above carry ``code:
Conflict`` and nothing else that tells them apart), it is parsed narrowly, in one function
each, after the code, so a wording change breaks one place.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import base64
import binascii
import difflib
import json
import re
import time

from ansible_collections.grafana_cloud.platform.plugins.module_utils._client import api_path, GrafanaCloudAPIError

SLUG_PATTERN = re.compile(r"^[a-z][a-z0-9]{0,28}$")
LABEL_KEY_PATTERN = re.compile(r"^[A-Za-z0-9._/-]+$")
LABEL_VALUE_PATTERN = re.compile(r"^[A-Za-z0-9._/-]*$")
REGION_PATTERN = re.compile(r"^[a-z0-9][a-z0-9-]{0,62}$")
PLUGIN_PATTERN = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]{0,189}$")
VERSION_PATTERN = re.compile(r"^[0-9A-Za-z][0-9A-Za-z.+-]{0,63}$")
MAX_LABELS = 10

# Polls start soon and back off: a plugin's "operation in progress" window and a new stack's
# readiness are often over within a second or two, while a slow stack can take minutes. The
# first poll after 0.25 s, then 1.5 times longer each time, at most 5 s apart (about 17 reads
# for a one-minute wait); every wait is bounded by the module's Deadline.
POLL_START = 0.25
POLL_CAP = 5.0
POLL_GROWTH = 1.5

#: A stack in these states is gone, or on its way out.
GONE_STATUSES = frozenset(("deleting", "deleted"))

#: Stable names for the endpoints of a stack: (name, URL field, user id field).
ENDPOINT_FIELDS = (
    ("prometheus", "hmInstancePromUrl", "hmInstancePromId"),
    ("loki", "hlInstanceUrl", "hlInstanceId"),
    ("tempo", "htInstanceUrl", "htInstanceId"),
    ("alertmanager", "amInstanceUrl", "amInstanceId"),
    ("graphite", "hmInstanceGraphiteUrl", "hmInstanceGraphiteId"),
    ("profiles", "hpInstanceUrl", "hpInstanceId"),
)


class WaitTimeout(Exception):
    """A wait ran out of time; the message says what was waited for and the last state."""


# -- input checks -----------------------------------------------------------------------

def slug_problem(slug, option="slug"):
    """Why ``slug`` is not a valid stack slug, or None."""
    if not slug or not SLUG_PATTERN.match(slug):
        return ("%s %r is not a valid stack slug: it must start with a lowercase letter, then hold "
                "only lowercase letters and digits, 29 characters at most." % (option, slug))
    return None


def stack_ref_problem(value, option="stack"):
    """Why ``value`` names no stack (a slug or a numeric id), or None."""
    if value and str(value).isdigit():
        return None
    return slug_problem(value, option) and (
        "%s %r is neither a stack slug (a lowercase letter, then lowercase letters and digits, "
        "29 characters at most) nor a numeric stack id." % (option, value))


def labels_problem(labels):
    """Why ``labels`` would be refused by the API, or None."""
    if labels is None:
        return None
    if len(labels) > MAX_LABELS:
        return "labels holds %d entries; a stack takes at most %d." % (len(labels), MAX_LABELS)
    for key, value in sorted(labels.items()):
        value = "" if value is None else str(value)
        if not LABEL_KEY_PATTERN.match(str(key)) or not LABEL_VALUE_PATTERN.match(value):
            return ("labels: label %r: %r is not valid: keys and values may hold only letters, digits, "
                    "'.', '-', '_' and '/' (keys can't be empty)." % (key, value))
    return None


def region_problem(region):
    if region is not None and not REGION_PATTERN.match(region):
        return ("region %r is not a region slug (lowercase letters, digits and '-', for example us "
                "or prod-eu-west-2); grafana_cloud.platform.region_info lists them." % region)
    return None


REGIONS_PATH = "/stack-regions"


def unknown_region_problem(client, region):
    """Why a stack can't be created in ``region`` (no such region, with close matches), or None.

    One read with the API's ``slug`` filter; only when that finds nothing, a second one lists
    every region for the close matches (the list is short, and this is the failure path).
    """
    if not region or (client.get(REGIONS_PATH, params=dict(slug=region)) or {}).get("items"):
        return None
    slugs = [item.get("slug") for item in (client.get(REGIONS_PATH) or {}).get("items") or [] if item.get("slug")]
    close = difflib.get_close_matches(region, slugs, n=3, cutoff=0.5)
    message = "region %r is not a Grafana Cloud region" % region
    if close:
        message += "; close matches: %s" % ", ".join(close)
    return message + ". grafana_cloud.platform.region_info lists the regions."


# -- paths and endpoints ----------------------------------------------------------------

def stack_path(slug_or_id, *rest):
    """``/instances/{slug or id}[/rest...]`` with every part quoted."""
    return api_path("instances", slug_or_id, *rest)


def v1_stack_path(id_or_slug, *rest):
    """``/v1/stacks/{id or slug}[/rest...]`` with every part quoted."""
    return api_path("v1", "stacks", id_or_slug, *rest)


V1_STACKS = "/v1/stacks"
V1_CHECK_URL = "/v1/stacks/checkUrl"

#: The v1 stack object (StackV1) names the region ``region``; the stack object this collection
#: returns (the /instances one) names it ``regionSlug``. Every other v1 field has the same name.
V1_TO_INSTANCE = {"region": "regionSlug"}


def from_v1(stack):
    """A v1 stack object under the field names of the /instances one."""
    return dict((V1_TO_INSTANCE.get(key, key), value) for key, value in (stack or {}).items())


def connections_with_older_keys(connections):
    """The v1 connections (``tenants``, ``otlp``, ``services``, ``appPlatform``, ``pdc``) plus the
    keys the ``/instances/{slug}/connections`` answer had and playbooks read: ``oncallApiUrl``
    and ``influxUrl`` (from ``services``), ``otlpHttpUrl`` and ``otlpMultiAZ`` (from ``otlp``),
    and ``privateConnectivityInfo`` (each tenant's ``type``, ``id`` and ``info``, the v1
    tenant's ``privateConnectivityInfo``; ``otlp`` and ``pdc`` where v1 has them). The older
    tenants' ``ipAllowListCNAME`` has no v1 counterpart (v1 gives ``allowlistUrl``)."""
    result = dict(connections)
    services, otlp = connections.get("services") or {}, connections.get("otlp") or {}
    older = dict(oncallApiUrl=services.get("oncallApiUrl"), influxUrl=services.get("influxUrl"),
                 otlpHttpUrl=otlp.get("url"), otlpMultiAZ=otlp.get("multiAZ"))
    tenants = []
    for tenant in connections.get("tenants") or []:
        entry = dict(type=tenant.get("type"), id=tenant.get("id"))
        if tenant.get("privateConnectivityInfo"):
            entry["info"] = tenant["privateConnectivityInfo"]
        tenants.append(entry)
    private = dict(tenants=tenants)
    if otlp.get("privateConnectivityInfo"):
        private["otlp"] = otlp["privateConnectivityInfo"]
    if connections.get("pdc"):
        private["pdc"] = connections["pdc"]
    older["privateConnectivityInfo"] = private
    for key, value in older.items():
        result.setdefault(key, value)
    return result


def token_org_id(token):
    """The numeric org id an access policy token carries, or None.

    An access policy token is ``glc_`` and the base64 of a JSON object whose ``o`` is the id of
    the org that owns it: the org every stack it creates belongs to. Nothing else is read from it.
    """
    if not token or not token.startswith("glc_"):
        return None
    encoded = token[len("glc_"):]
    try:
        blob = json.loads(base64.urlsafe_b64decode(encoded + "=" * (-len(encoded) % 4)).decode("utf-8"))
    except (ValueError, TypeError, binascii.Error, UnicodeDecodeError):
        return None
    org = blob.get("o") if isinstance(blob, dict) else None
    return str(org) if org is not None and str(org).isdigit() else None


class StacksV1:
    """The ``/v1/stacks`` family for one module or inventory run, or ``/instances`` without it.

    The v1 family (the spec's createStackV1, updateStackV1, deleteStackV1,
    checkStackReadinessV1, checkStackSlugV1, getStackConnectionsV1) is where Terraform (provider
    PR 2495) and grafana.grafana 6.1.0 moved their create, update and delete. When a v1 call
    answers 404 for a stack that /instances just showed (or for the org of the token), this API
    serves no v1 family: the run falls back to /instances for every later call, decided once
    and said in one warning. Reads stay on /instances, as theirs did: the v1 stack object has
    ten fields (no status, no databases, no cluster), which the modules return and the roles
    read, and reading both would double every run's requests.
    """

    def __init__(self, client, warnings, token=None):
        self.client = client
        self.warnings = warnings
        self.token = token
        self.v1 = True

    def _no_v1(self, error):
        """Fall back to /instances for the rest of the run, after a v1 call answered 404."""
        self.v1 = False
        self.warnings.append(
            "%s %s answered 404 (%s): this Grafana Cloud API serves no /v1/stacks, so this run "
            "uses /instances instead." % (error.method, error.path, error.message))

    def _v1_or_older(self, v1_call, older_call):
        if self.v1:
            try:
                return v1_call()
            except GrafanaCloudAPIError as error:
                if error.status != 404:
                    raise
                self._no_v1(error)
        return older_call()

    def update(self, stack, body):
        """The stack after the update, under the /instances field names."""
        return self._v1_or_older(
            lambda: from_v1(self.client.post(v1_stack_path(stack["id"]), json=body)),
            lambda: self.client.post(stack_path(stack["slug"]), json=body))

    def delete(self, stack):
        return self._v1_or_older(
            lambda: from_v1(self.client.delete(v1_stack_path(stack["id"]))),
            lambda: self.client.delete(stack_path(stack["slug"])))

    def wait_until_ready(self, stack, deadline):
        """Poll the stack's readiness (v1's while v1 serves) until ready or the deadline."""
        return self._v1_or_older(
            lambda: wait_until_ready(self.client, stack, deadline, v1_stack_path(stack["id"], "readiness")),
            lambda: wait_until_ready(self.client, stack, deadline))

    def connections(self, stack):
        """The stack's connections (``GET /v1/stacks/{id}/connections``, getStackConnectionsV1),
        with the keys of the older ``/instances/{slug}/connections`` answer added (see
        :func:`connections_with_older_keys`); that older answer itself after the fallback."""
        return self._v1_or_older(
            lambda: connections_with_older_keys(self.client.get(v1_stack_path(stack["id"], "connections")) or {}),
            lambda: self.client.get(stack_path(stack["slug"], "connections")) or {})

    def org_slug(self):
        """The slug of the token's org (``GET /orgs/{id}``), which a v1 create must name; None
        when the token names no org, or the API does not show it this org (then the create goes
        through /instances).

        Reading the org id from the token is an inference from the token's shape, not a
        documented contract, and ``GET /orgs/{id}`` needs ``orgs:read``, which a policy made for
        stacks may lack: neither may fail a create that /instances can do."""
        org_id = token_org_id(self.token)
        if org_id is None:
            return None
        try:
            return (self.client.get(api_path("orgs", org_id)) or {}).get("slug")
        except GrafanaCloudAPIError as error:
            if error.status not in (401, 403, 404):
                raise
            self.warnings.append(
                "The org of the access policy token (id %s, read from the token) could not be read (%s): the "
                "stack is created through /instances, which needs no org. Add the orgs:read scope to the "
                "token's policy to create it through /v1/stacks." % (org_id, error))
            return None

    def refusal(self, slug, org):
        """``POST /v1/stacks/checkUrl``: None when a new stack may take this slug, else the API's
        refusal (a GrafanaCloudAPIError). A slug deleted recently is let through: the create
        waits that out itself, within wait_timeout."""
        def check():
            try:
                body = dict(url="https://%s.grafana.net" % slug)
                if org is not None:
                    body["org"] = org
                self.client.post(V1_CHECK_URL, json=body)
            except GrafanaCloudAPIError as error:
                if error.status == 404:
                    raise
                if error.status == 409 and (recent_slug_wait(error) is not None or same_slug_exists(error)):
                    return None
                return error
            return None
        return self._v1_or_older(check, lambda: None)

    def create(self, body, org, deadline):
        """Create the stack (``POST /v1/stacks`` when v1 serves and the org is known, else
        ``POST /instances``); the answer under the /instances field names."""
        if self.v1 and org is None:
            # A token whose org could not be read was already warned about, by org_slug().
            if token_org_id(self.token) is None:
                self.warnings.append("The access policy token names no org, which a /v1/stacks create needs: "
                                     "the stack is created through /instances.")
        elif self.v1:
            v1_body = dict((key, value) for key, value in body.items() if key != "waitForReadiness")
            v1_body.setdefault("region", "us")
            v1_body["org"] = org
            return self._v1_or_older(
                lambda: from_v1(create_stack(self.client, v1_body, deadline, self.warnings, path=V1_STACKS)),
                lambda: create_stack(self.client, body, deadline, self.warnings))
        return create_stack(self.client, body, deadline, self.warnings)


def stack_endpoints(stack):
    """``{prometheus: {url, user_id}, loki: ..., ...}`` from a stack object (None where unknown)."""
    stack = stack or {}
    return dict((name, dict(url=stack.get(url_field), user_id=stack.get(id_field)))
                for name, url_field, id_field in ENDPOINT_FIELDS)


def with_endpoints(stack):
    """A copy of the stack object with ``endpoints`` added."""
    result = dict(stack or {})
    result["endpoints"] = stack_endpoints(stack)
    return result


# -- messages parsed narrowly -------------------------------------------------------------

_RECENT_SLUG_WAIT = re.compile(r"\bwait\s+(?:for\s+)?(\d+(?:\.\d+)?)\s*s", re.IGNORECASE)
_SAME_SLUG_EXISTS = re.compile(r"\bsame slug already exists\b", re.IGNORECASE)


def recent_slug_wait(error):
    """Seconds the API asks to wait before reusing a slug deleted recently, or None.

    The API answers 409 ``Conflict`` "... deleted recently ... wait for Ns" and gives no
    other signal (no distinct code, no Retry-After), so the number is read from the message.
    Any other 409 Conflict (a slug taken by a live stack) is not retried.
    """
    if not isinstance(error, GrafanaCloudAPIError) or error.status != 409 or error.code != "Conflict":
        return None
    match = _RECENT_SLUG_WAIT.search(error.message or "")
    return float(match.group(1)) if match else None


def same_slug_exists(error):
    """Whether the API refused the slug as held, without saying for how long.

    409 ``Conflict`` "Grafana stack with the same slug already exists": the other wording of
    the recently-deleted refusal (it also answers so while the old stack is being deleted).
    The module only creates after finding no live stack of that slug, so this is retried with
    backoff within ``wait_timeout``; a slug held by another org's stack runs the budget out.
    """
    return (isinstance(error, GrafanaCloudAPIError) and error.status == 409 and error.code == "Conflict"
            and _SAME_SLUG_EXISTS.search(error.message or "") is not None)


def operation_in_progress(error):
    """Whether the API refused a plugin call because another operation runs on the stack.

    409 ``Conflict`` "... another operation is already in progress": transient, but the
    code alone can't tell it from other conflicts, so the message is checked.
    """
    return (isinstance(error, GrafanaCloudAPIError) and error.status == 409
            and error.code == "Conflict" and "in progress" in (error.message or "").lower())


# -- waiting ------------------------------------------------------------------------------

class Deadline:
    """A time budget shared by every wait of one module run, with a growing poll interval."""

    def __init__(self, seconds, sleep=time.sleep, clock=time.monotonic):
        self.seconds = seconds
        self._sleep = sleep
        self._clock = clock
        self._end = clock() + seconds
        self._interval = POLL_START

    def remaining(self):
        return max(0.0, self._end - self._clock())

    def pause(self, hint=None):
        """Sleep before the next poll: ``hint`` seconds when the API named them, else the
        growing interval; never past the deadline. False when no time is left."""
        left = self.remaining()
        if left <= 0:
            return False
        if hint is not None:
            delay = hint
        else:
            delay = self._interval
            self._interval = min(POLL_CAP, self._interval * POLL_GROWTH)
        delay = min(delay, left)
        self._sleep(delay)
        return True


def wait_until_ready(client, stack, deadline, path=None):
    """Poll the readiness ``path`` (default ``/instances/{id}/readiness``) until
    ``{"ready": true}``; WaitTimeout otherwise."""
    path = path or stack_path(stack["id"], "readiness")
    while True:
        if (client.get(path) or {}).get("ready"):
            return
        if not deadline.pause():
            # One more read, only on failure, to name the state the stack is stuck in.
            current = client.get_or_none(stack_path(stack["id"])) or {}
            raise WaitTimeout(
                "Stack %r was not ready within wait_timeout (%ss): status %r, readiness false. "
                "It may still become ready: re-run later, or raise wait_timeout."
                % (stack.get("slug"), deadline.seconds, current.get("status", stack.get("status"))))


def restart_stack(client, stack):
    """``POST /instances/{slug}/restart``: restarts the stack's Grafana (the API answers ``true``).

    Sent once, never retried: a second restart would only restart it again.
    """
    return client.post(stack_path(stack["slug"], "restart"))


def wait_until_gone(client, stack, deadline):
    """Poll the stack until it is ``deleted`` or 404; WaitTimeout otherwise."""
    path = stack_path(stack["id"])
    status = stack.get("status")
    while status != "deleted":
        if not deadline.pause():
            raise WaitTimeout("Stack %r was still %r after wait_timeout (%ss)."
                              % (stack.get("slug"), status, deadline.seconds))
        current = client.get_or_none(path)
        status = "deleted" if current is None else current.get("status")


def create_stack(client, body, deadline, warnings, path="/instances"):
    """``POST /instances`` (or ``path``, ``/v1/stacks``); a slug deleted recently is retried
    after the wait the API names, or with backoff within the deadline when it names none."""
    noted = False
    while True:
        try:
            return client.post(path, json=body)
        except GrafanaCloudAPIError as error:
            if same_slug_exists(error):
                if not deadline.pause():
                    raise WaitTimeout(
                        "The API still refused the slug %r after %ss (wait_timeout): %s. It was deleted "
                        "recently, or another organization's stack holds it. Re-run later, raise "
                        "wait_timeout, or pick another slug." % (body.get("slug"), deadline.seconds, error.message))
                if not noted:
                    warnings.append("The slug %r is still held (deleted recently); retried with backoff "
                                    "until the API accepted it." % body.get("slug"))
                    noted = True
                continue
            wait = recent_slug_wait(error)
            if wait is None:
                raise
            if deadline.remaining() < wait:
                raise WaitTimeout(
                    "The slug %r was deleted recently and the API asks to wait %ss before reusing "
                    "it, more than the %.0fs left of wait_timeout (%ss). API message: %s"
                    % (body.get("slug"), wait, deadline.remaining(), deadline.seconds, error.message))
            warnings.append("The slug %r was deleted recently; waited %ss as the API asked, then "
                            "created the stack again." % (body.get("slug"), wait))
            deadline.pause(hint=wait)


def retry_in_progress(call, deadline, retries):
    """``call()``, retried while the API says another operation is in progress on the stack.

    Backs off like every poll (0.25 s, growing to 5 s) until ``deadline`` runs out, then
    raises the last error with a reason that says so. ``retries`` collects one note per retry.
    """
    while True:
        try:
            return call()
        except GrafanaCloudAPIError as error:
            if not operation_in_progress(error):
                raise
            if not deadline.pause():
                error.reason = ("another operation was still in progress on the stack after %.0fs "
                                "of retries; try again later" % deadline.seconds)
                raise GrafanaCloudAPIError(error.method, error.path, error.status, error.code,
                                           error.message, error.request_id, error.reason)
            retries.append("%s %s: operation in progress, retried" % (error.method, error.path))
