# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Area ``orgs``: the simulator's one org, its visibility and its settings.

- ``GET /orgs/{slugOrId}`` (getOrg): the org's identity (``sim.org``: id, slug, name, url)
  is core state, set from the command line; this area renders it with the rest of the
  fields the spec's ``FormattedApiOrgPublic`` requires, valued like a fresh Grafana Cloud
  Free org, and with the settings below (the spec's four settings fields there are not
  nullable: an unset one reads ``false``/``0``).
- ``GET /orgs/{slugOrId}/check-visibility`` (checkOrgVisibility): no token, 200 with an
  empty body, 404 for another org (the spec's two answers).
- ``GET``/``POST /orgs/{slugOrId}/settings`` (getOrgSettings, updateOrgSettings):
  ``FormattedApiOrgSettings``, every field nullable. A fresh org has never set any, so
  all read ``null``. The update is partial: a field absent from the body keeps its value,
  ``null`` resets it. ``allowedInviteDomains`` is a string in the request and a list in the
  answer (the spec's two schemas).

Decisions where the spec is silent (the stricter plausible answer):

- ``allowedInviteDomains`` is a comma-separated list of domain names; anything that is not
  a domain name, and an empty item, is 409 ``InvalidArgument``; ``""`` clears the list.
- ``maxTokenExpirationDays`` is a whole number of days from 1 to 3650 (or null).
- Booleans must be JSON booleans; a field the spec does not list is 409
  ``InvalidArgument``, so a typo never passes silently.
"""

from __future__ import annotations

import re

from flask import Blueprint, Response

from ..auth import public, requires
from ..core import Simulator, get_sim
from ..errors import invalid_argument, not_found
from ..validation import json_body

blueprint = Blueprint("orgs", __name__)

_USAGE_FIELDS = (
    "gcloudMonthlyCost", "hgUsage", "hgCurrentActiveUsers", "hgGrafanaUsage", "hgOnCallUsage",
    "hmUsage", "hmCurrentUsage", "hmGraphiteUsage", "hlUsage", "hlRetentionUsage", "htUsage",
    "hpUsage", "irmUsage", "k6VuhUsage", "k6IPUsage", "feO11YUsage", "appO11YUsage",
    "smUsage", "infraO11YHostsUsage", "infraO11YContainersUsage", "geUsersUsage",
    "geInstancesUsage", "smBrowserUsage",
)

ORG_DEFAULTS = {
    "createdBy": "simulator", "updatedAt": None, "updatedBy": None, "avatar": None,
    "isource": None, "osource": None, "isStaff": False, "checksPerMonth": 0,
    "wpPlan": "free", "hgInstanceLimit": 1, "hmInstanceLimit": 1, "hlInstanceLimit": 1,
    "userQuota": 3, "supportPlan": "community", "creditApproved": 0,
    "msaSignedAt": None, "msaSignedBy": None, "enterprisePlugins": 0,
    "licenseProducts": [], "grafanaCloud": 1, "privacy": "private", "reseller": "",
    "resellerId": None, "resellerName": None, "emergencySupport": False,
    **dict.fromkeys(_USAGE_FIELDS, 0),
    "awsMarketplaceSupport": 0, "trialStartDate": None, "trialEndDate": None,
    "trialLengthDays": None, "trialNoticeDate": None, "cancellationDate": None,
    "retainedStackId": 0, "allowGCloudTrial": False, "pluginSignatureType": "community",
    "contractType": "self_serve", "contractTypeId": 0, "liveChatEnabled": False,
    "kapaDeflectorEnabled": False, "disableTokenExpirationEmails": False,
    "maxTokenExpirationDays": 0, "mfaRequired": False, "mfaAdminRecoveryOnly": False,
    "subscriptions": {
        "current": {"product": "grafana-cloud-free", "isTrial": False,
                    "startDate": "2023-01-04T06:43:24.000Z", "endDate": None, "payload": {},
                    "plan": None, "publicName": "Free", "enterprisePluginsAdded": False,
                    "planBillingCycle": "monthly"},
        "next": None,
    },
}


SETTINGS_FIELDS = ("aiDataSharingOptOut", "allowedInviteDomains", "disableTokenExpirationEmails",
                   "maxTokenExpirationDays", "mfaAdminRecoveryOnly", "mfaRequired")
BOOLEAN_SETTINGS = ("aiDataSharingOptOut", "disableTokenExpirationEmails", "mfaAdminRecoveryOnly",
                    "mfaRequired")
# The settings getOrg shows too, with the value an unset one reads as there.
ORG_SETTINGS_SHOWN = {"disableTokenExpirationEmails": False, "maxTokenExpirationDays": 0,
                      "mfaRequired": False, "mfaAdminRecoveryOnly": False}
MAX_TOKEN_EXPIRATION_DAYS = 3650
DOMAIN = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")


def seed(sim: Simulator) -> None:
    sim.state["orgs"]["settings"] = dict.fromkeys(SETTINGS_FIELDS)


def check_org(sim: Simulator, slug_or_id: str) -> dict:
    """The org named by slug or id, or 404 (other areas under /orgs/{org} use it too).

    Views under /orgs/{org} name their argument ``org_slug`` or ``org_slug_or_id``, never
    ``slug_or_id``: the realm check reads ``slug_or_id`` as a stack, which let a token with
    stack realms only read the org and its API keys."""
    org = sim.org
    if slug_or_id not in (org["slug"], str(org["id"])):
        raise not_found("Org not found")
    return org


@blueprint.get("/orgs/<org_slug_or_id>")
@requires("orgs:read")
def get_org(org_slug_or_id: str):
    sim = get_sim()
    with sim.lock:
        org = check_org(sim, org_slug_or_id)
        settings = sim.state["orgs"]["settings"]
        shown = {key: default if settings[key] is None else settings[key]
                 for key, default in ORG_SETTINGS_SHOWN.items()}
        # Identity first, as the real API orders it; sim.org wins over the defaults.
        defaults = {key: value for key, value in ORG_DEFAULTS.items() if key not in org}
        return {**org, **defaults, **shown, "links": [{"rel": "self", "href": f"/orgs/{org['slug']}"}]}


@blueprint.get("/orgs/<org_slug>/check-visibility")
@public
def check_visibility(org_slug: str):
    sim = get_sim()
    with sim.lock:
        check_org(sim, org_slug)
    return Response(status=200)


@blueprint.get("/orgs/<org_slug>/settings")
@requires("orgs:read")
def get_settings(org_slug: str):
    sim = get_sim()
    with sim.lock:
        check_org(sim, org_slug)
        return dict(sim.state["orgs"]["settings"])


@blueprint.post("/orgs/<org_slug>/settings")
@requires("orgs:write")
def update_settings(org_slug: str):
    sim = get_sim()
    body = json_body()
    with sim.lock:
        check_org(sim, org_slug)
        changes = _settings_changes(body)
        settings = sim.state["orgs"]["settings"]
        settings.update(changes)
        return dict(settings)


def _settings_changes(body: dict) -> dict:
    """The body as stored values; 409 InvalidArgument naming the first bad field."""
    unknown = sorted(set(body) - set(SETTINGS_FIELDS))
    if unknown:
        raise invalid_argument(f"unknown settings: {', '.join(unknown)}")
    changes = {}
    for key, value in body.items():
        if value is None:
            changes[key] = None
        elif key in BOOLEAN_SETTINGS:
            if not isinstance(value, bool):
                raise invalid_argument(f"{key} must be a boolean")
            changes[key] = value
        elif key == "maxTokenExpirationDays":
            if isinstance(value, bool) or not isinstance(value, int) \
                    or not 1 <= value <= MAX_TOKEN_EXPIRATION_DAYS:
                raise invalid_argument(f"maxTokenExpirationDays must be a whole number of days "
                                       f"from 1 to {MAX_TOKEN_EXPIRATION_DAYS}")
            changes[key] = value
        else:
            changes[key] = _invite_domains(value)
    return changes


def _invite_domains(value) -> list | None:
    if not isinstance(value, str):
        raise invalid_argument("allowedInviteDomains must be a string of comma-separated domains")
    if not value.strip():
        return None
    domains = [item.strip().lower() for item in value.split(",")]
    bad = [item for item in domains if not DOMAIN.match(item)]
    if bad:
        raise invalid_argument(f"allowedInviteDomains: not a domain name: {', '.join(map(repr, bad))}")
    return list(dict.fromkeys(domains))
