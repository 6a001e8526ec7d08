# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Access policies and their tokens (``/v1/accesspolicies``, ``/v1/tokens``): validation,
lookups with the server-side filters, and the realm/subnet shapes, shared by the
``access_policy``, ``access_policy_info``, ``token`` and ``token_info`` modules."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import copy
import difflib
import ipaddress
import re

from ansible_collections.grafana_cloud.platform.plugins.module_utils._client import api_path
from ansible_collections.grafana_cloud.platform.plugins.module_utils._lookups import find_org, find_stack
from ansible_collections.grafana_cloud.platform.plugins.module_utils._pagination import iter_cursor

POLICIES_PATH = "/v1/accesspolicies"
CONFIG_PATH = "/v1/accesspolicies/config"
TOKENS_PATH = "/v1/tokens"

NAME_PATTERN = re.compile(r"^[a-z0-9_-]{1,255}$")
NAME_RULE = "1-255 characters of lowercase letters (a-z), numbers (0-9), hyphens (-) and underscores (_)"
# Access policy and token ids are UUIDs; a name can look like one only by a stretch.
ID_PATTERN = re.compile(r"^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$")
NUMERIC = re.compile(r"^[0-9]+$")


def name_problem(name, what, option="name"):
    """Why ``name`` is not a valid access policy or token name, or None (naming ``option``)."""
    if name is None or not NAME_PATTERN.match(name):
        return "%s: %r is not a valid %s name: use %s." % (option, name, what.lower(), NAME_RULE)
    return None


def looks_like_id(value):
    return bool(value) and bool(ID_PATTERN.match(value))


def cidr_problem(value, option="allowed_subnets"):
    """Why ``value`` is not a CIDR the API accepts (IPv4 or IPv6, with a prefix), or None."""
    if not isinstance(value, str) or "/" not in value:
        return ("%s: %r is not in CIDR notation: give a prefix length, such as 10.1.2.99/32 or "
                "2001:db8::1/128 for a single address." % (option, value))
    try:
        ipaddress.ip_interface(value)
    except ValueError:
        return "%s: %r is not a valid IPv4 or IPv6 CIDR." % (option, value)
    return None


def canonical_cidrs(values):
    """CIDRs in one spelling (``2001:DB8:0::1/128`` == ``2001:db8::1/128``), for comparing."""
    result = []
    for value in values or []:
        try:
            result.append(str(ipaddress.ip_interface(value)))
        except ValueError:
            result.append(value)
    return result


# -- realms ------------------------------------------------------------------------------

def realms_from_api(realms):
    """The API's realms as option values: ``{type, identifier, label_policies: [...]}``."""
    return [dict(type=realm.get("type"), identifier=str(realm.get("identifier")),
                 label_policies=[policy.get("selector") for policy in realm.get("labelPolicies") or []])
            for realm in realms or []]


def realms_to_api(realms):
    return [dict(type=realm["type"], identifier=str(realm["identifier"]),
                 labelPolicies=[dict(selector=selector) for selector in realm.get("label_policies") or []])
            for realm in realms or []]


def canonical_realms(realms):
    """Realms as order-free comparable values: label policies as sorted, de-duplicated lists."""
    return [dict(type=realm.get("type"), identifier=str(realm.get("identifier")),
                 label_policies=sorted(set(realm.get("label_policies") or [])))
            for realm in realms or []]


class RealmNotFound(Exception):
    """A realm named by a slug that matches no stack or org."""


def resolve_realm_identifier(client, realm_type, identifier, cache=None):
    """The numeric id of a realm: numeric identifiers as they are (no request), a stack or org
    slug resolved with one request (once per slug when ``cache`` is given)."""
    identifier = str(identifier)
    if NUMERIC.match(identifier):
        return identifier
    key = (realm_type, identifier)
    if cache is not None and key in cache:
        return cache[key]
    found = find_stack(client, identifier) if realm_type == "stack" else find_org(client, identifier)
    if found is None:
        raise RealmNotFound("%s %r not found: give its slug or numeric id." % (realm_type, identifier))
    resolved = str(found["id"])
    if cache is not None:
        cache[key] = resolved
    return resolved


def resolve_realms(client, realms):
    """Realm options with every identifier numeric (see :func:`resolve_realm_identifier`)."""
    cache = {}
    return [dict(realm, identifier=resolve_realm_identifier(client, realm["type"], realm["identifier"], cache))
            for realm in realms or []]


# -- lookups -----------------------------------------------------------------------------

def find_policy(client, region, name):
    """The access policy named ``name`` in ``region``, or None: one request (``name`` filter)."""
    for policy in iter_cursor(client, POLICIES_PATH, dict(region=region, name=name)):
        # The filter is exact on the real API; checking again costs nothing.
        if policy.get("name") == name:
            return policy
    return None


def get_policy(client, region, policy_id):
    """The access policy with this id, or None."""
    return client.get_or_none(POLICIES_PATH + api_path(policy_id), params=dict(region=region))


def find_policy_by_name_or_id(client, region, name_or_id):
    if looks_like_id(name_or_id):
        return get_policy(client, region, name_or_id)
    return find_policy(client, region, name_or_id)


def policy_filter(name_or_id):
    """The ``/v1/tokens`` query parameter that selects an access policy's tokens."""
    if looks_like_id(name_or_id):
        return dict(accessPolicyId=name_or_id)
    return dict(accessPolicyName=name_or_id)


def public_token(token):
    """Token metadata without its secret (list answers never carry one; be sure anyway)."""
    return dict((key, value) for key, value in (token or {}).items() if key != "token")


# -- scopes ------------------------------------------------------------------------------

def known_scopes(client, region):
    """The scopes a policy of ``region`` may hold: one request (getConfig).

    The config lists scopes by ``name`` and sets of scopes by ``name``; a policy names a set
    as ``set:<name>`` (``set:pdc-signing``), so both spellings count as known.
    """
    config = client.get(CONFIG_PATH, params=dict(region=region)) or {}
    names = set(scope.get("name") for scope in config.get("scopes") or [] if scope.get("name"))
    names.update("set:" + item["name"] for item in config.get("sets") or [] if item.get("name"))
    return names


def unknown_scope_problems(scopes, known, option="scopes"):
    """One message per scope the API does not know, with the close matches (a typo such as
    ``metric:read`` names ``metrics:read``)."""
    problems = []
    for scope in scopes or []:
        if scope in known:
            continue
        close = difflib.get_close_matches(scope, sorted(known), n=3, cutoff=0.6)
        hint = ("did you mean %s?" % " or ".join(close)) if close else "no known scope is close to it."
        problems.append("%s: %r is not a scope Grafana Cloud knows (GET %s lists them): %s"
                        % (option, scope, CONFIG_PATH, hint))
    return problems


# -- attributes --------------------------------------------------------------------------

# Option name -> API name of the Loki query policy (the spec's postAccessPolicies body).
LOKI_QUERY_POLICY_KEYS = (
    ("max_entries_limit_per_query", "maxEntriesLimitPerQuery"),
    ("max_query_bytes_read", "maxQueryBytesRead"),
    ("max_query_interval", "maxQueryInterval"),
    ("max_query_length", "maxQueryLength"),
    ("max_query_lookback", "maxQueryLookback"),
    ("max_query_time", "maxQueryTime"),
    ("minimum_labels_number", "minimumLabelsNumber"),
    ("required_labels", "requiredLabels"),
)
LOKI_DURATIONS = ("max_query_interval", "max_query_length", "max_query_lookback", "max_query_time")
# Loki's durations ("10s", "2w", "1h30m") and byte sizes ("10GB", "1.5GiB", "500MB").
DURATION = re.compile(r"^([0-9]+(ms|s|m|h|d|w|y))+$")
BYTE_SIZE = re.compile(r"^[0-9]+(\.[0-9]+)?\s*([KMGTPE]i?B|B)?$")
HOST = re.compile(r"^[A-Za-z0-9._\-\[\]:]+$")
# The lists of attributes whose order carries no meaning.
ATTRIBUTE_SETS = (("loki_query_policy", "required_labels"), ("pdc_configuration", "limited_hosts"))


def attributes_problems(attributes, option="attributes"):
    """Why the ``attributes`` option can't be sent (naming each sub-option), as a list."""
    problems = []
    loki = (attributes or {}).get("loki_query_policy") or {}
    for key in LOKI_DURATIONS:
        if loki.get(key) is not None and not DURATION.match(loki[key]):
            problems.append("%s.loki_query_policy.%s: %r is not a duration such as 30d, 12h or 1h30m."
                            % (option, key, loki[key]))
    if loki.get("max_query_bytes_read") is not None and not BYTE_SIZE.match(loki["max_query_bytes_read"]):
        problems.append("%s.loki_query_policy.max_query_bytes_read: %r is not a size such as 10GB or 1.5GiB."
                        % (option, loki["max_query_bytes_read"]))
    for key in ("max_entries_limit_per_query", "minimum_labels_number"):
        if loki.get(key) is not None and loki[key] < 0:
            problems.append("%s.loki_query_policy.%s must not be negative, got %s." % (option, key, loki[key]))
    if any(not (label or "").strip() for label in loki.get("required_labels") or []):
        problems.append("%s.loki_query_policy.required_labels: each must be a label name." % option)
    hosts = ((attributes or {}).get("pdc_configuration") or {}).get("limited_hosts") or []
    for host in hosts:
        if "://" in (host or "") or not HOST.match(host or ""):
            problems.append("%s.pdc_configuration.limited_hosts: %r is not a host or host:port such as "
                            "mysql.example.com:3306." % (option, host))
    return problems


def attributes_from_api(attributes):
    """The API's ``attributes`` in option shape (only the parts the module manages)."""
    attributes = attributes or {}
    loki = attributes.get("lokiQueryPolicy") or {}
    result = {}
    loki_values = dict((option, loki[api]) for option, api in LOKI_QUERY_POLICY_KEYS if loki.get(api) is not None)
    if loki_values:
        result["loki_query_policy"] = loki_values
    pdc = attributes.get("pdcConfiguration") or {}
    if pdc.get("limitedHosts") is not None:
        result["pdc_configuration"] = dict(limited_hosts=list(pdc["limitedHosts"]))
    return result


def attributes_to_api(values, held=None):
    """Option-shaped attributes as the API's ``attributes`` object.

    ``held``: the attributes the server holds. What the module does not manage in them
    (``allowedScopes``, ``queryTimeout`` ...) is kept, so that an update, which replaces the
    attributes whole, does not drop it.
    """
    values = values or {}
    body = copy.deepcopy(held or {})
    loki = values.get("loki_query_policy") or {}
    loki_body = dict(body.get("lokiQueryPolicy") or {})
    loki_body.update((api, loki[option]) for option, api in LOKI_QUERY_POLICY_KEYS if loki.get(option) is not None)
    if loki_body:
        body["lokiQueryPolicy"] = loki_body
    pdc = values.get("pdc_configuration") or {}
    if pdc.get("limited_hosts") is not None:
        body["pdcConfiguration"] = dict(limitedHosts=list(pdc["limited_hosts"]))
    return body


def set_attributes(current, wanted):
    """The attributes to hold: the server's, with every sub-option the user set (not None)
    in their place; what the user did not set is left as the server has it."""
    merged = dict((group, dict(values)) for group, values in (current or {}).items())
    for group, values in (wanted or {}).items():
        chosen = dict((key, value) for key, value in (values or {}).items() if value is not None)
        if chosen:
            merged[group] = dict(merged.get(group) or {}, **chosen)
    return merged


def canonical_attributes(attributes):
    """Attributes as a comparable value: the order-free lists sorted."""
    result = dict((group, dict(values)) for group, values in (attributes or {}).items() if values)
    for group, key in ATTRIBUTE_SETS:
        if result.get(group, {}).get(key) is not None:
            result[group][key] = sorted(set(result[group][key]))
    return result
