# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Access policies and their tokens (``/v1/accesspolicies``, ``/v1/tokens``): validation,
lookups with the server-side filters, and the realm/subnet shapes, shared by the
``access_policy``, ``access_policy_info``, ``token`` and ``token_info`` modules."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import ipaddress
import re

from ansible_collections.grafana_cloud.platform.plugins.module_utils._client import api_path
from ansible_collections.grafana_cloud.platform.plugins.module_utils._lookups import find_org, find_stack
from ansible_collections.grafana_cloud.platform.plugins.module_utils._pagination import iter_cursor

POLICIES_PATH = "/v1/accesspolicies"
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
