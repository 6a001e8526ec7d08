# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Area ``orgs``: ``GET /api/orgs/{slugOrId}``, the simulator's one org.

The org's identity (``sim.org``: id, slug, name, url) is core state, set from the command
line; this area renders it with the rest of the fields the spec's ``FormattedApiOrgPublic``
requires, valued like a fresh Grafana Cloud Free org.
"""

from __future__ import annotations

from flask import Blueprint

from ..auth import requires
from ..core import get_sim
from ..errors import not_found

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


@blueprint.get("/orgs/<slug_or_id>")
@requires("orgs:read")
def get_org(slug_or_id: str):
    org = get_sim().org
    if slug_or_id not in (org["slug"], str(org["id"])):
        raise not_found("Org not found")
    # Identity first, as the real API orders it; sim.org wins over the defaults.
    defaults = {key: value for key, value in ORG_DEFAULTS.items() if key not in org}
    return {**org, **defaults, "links": [{"rel": "self", "href": f"/orgs/{org['slug']}"}]}
