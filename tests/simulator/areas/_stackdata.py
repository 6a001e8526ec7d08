# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Stack records, shared by every area that needs a stack (not an area itself).

The ``stacks`` area serves ``/instances``; access policies resolve stack realms; the
in-stack credential areas proxy ``/instances/{stack}/api/...``. They all read and write the
records kept here, so a stack created through one is seen by the others. Tests that need a
stack without exercising ``/instances`` create one with ``POST /_sim/stacks``.

A record is the API's stack object (the fields of the reference's example) plus private
keys starting with ``_`` that are never rendered: ``_ready_at`` (when readiness turns true)
and ``_gone_at`` (when a ``deleting`` stack becomes ``deleted``).
"""

from __future__ import annotations

from datetime import timedelta

from ..core import Simulator, format_time
from ..errors import ApiError, not_found
from .regions import region_by_slug

# The Grafana version new stacks run (``runningVersion``) unless the config key
# ``stacks_grafana_version`` or ``POST /_sim/stacks`` says otherwise: a current Grafana 12.
DEFAULT_GRAFANA_VERSION = "12.3.0"

# The cluster each region's stacks land on; other regions get "prod-<region>".
REGION_CLUSTERS = {
    "us": ("prod-us-central-0", 69, "us-central1"),
    "us-azure": ("prod-us-central-3", 70, "us-central3"),
    "eu": ("prod-eu-west-0", 71, "eu-west0"),
    "au": ("prod-au-southeast-0", 72, "au-southeast0"),
}


def stack_records(sim: Simulator) -> dict[int, dict]:
    """Every stack record by id (created lazily, emptied by every reset)."""
    return sim.state.setdefault("stack_records", {})


def find_stack(sim: Simulator, slug_or_id: str | int, include_deleted: bool = False) -> dict | None:
    """The record named by slug or numeric id; a ``deleted`` one only when asked for."""
    key = str(slug_or_id)
    # A slug may be reused after a delete: prefer the live record over deleted ones.
    matches = [stack for stack in stack_records(sim).values()
               if str(stack["id"]) == key or stack["slug"] == key]
    settle_all(sim)
    live = [stack for stack in matches if stack["status"] != "deleted"]
    if live:
        return live[-1]
    return matches[-1] if matches and include_deleted else None


def render(stack: dict) -> dict:
    """The API's view of a record: without the private keys."""
    return {key: value for key, value in stack.items() if not key.startswith("_")}


def settle_all(sim: Simulator) -> None:
    """Move ``deleting`` stacks whose time has come to ``deleted``."""
    now = sim.now()
    for stack in stack_records(sim).values():
        gone_at = stack.get("_gone_at")
        if stack["status"] == "deleting" and gone_at is not None and now >= gone_at:
            stack["status"] = "deleted"
            stack["updatedAt"] = format_time(now)


def is_ready(sim: Simulator, stack: dict) -> bool:
    return stack["status"] == "active" and sim.now() >= stack["_ready_at"]


def seconds_until_ready(sim: Simulator, stack: dict) -> int:
    remaining = (stack["_ready_at"] - sim.now()).total_seconds()
    return max(1, int(remaining + 0.999))


def require_ready_stack(sim: Simulator, slug_or_id: str | int) -> dict:
    """The stack for a request proxied into it: 404 when absent, 503 ``Loading`` while it warms up.

    A real stack answers its API only once its Grafana instance runs; until then the Grafana
    Cloud API answers 503 with ``Retry-After``.
    """
    stack = find_stack(sim, slug_or_id)
    if stack is None or stack["status"] != "active":
        raise not_found("Stack not found")
    if not is_ready(sim, stack):
        raise ApiError(503, "Loading", "Stack %s is loading, retry later" % stack["slug"],
                       headers={"Retry-After": str(seconds_until_ready(sim, stack))})
    return stack


def _spec_required_fields(sim: Simulator, slug: str, stack_id: int, cluster_id: int,
                          region: str) -> dict:
    """Fields the spec's ``FormattedApiInstance`` requires beyond the reference's example."""
    known = region_by_slug(sim, region) or {}
    return {
        "hpInstanceName": "%s-profiles" % slug, "hpInstanceStatus": "active",
        "hpInstanceCurrentUsage": 0,
        "htInstanceCurrentUsage": 0,
        "hmInstancePromClusterId": cluster_id, "hmInstanceGraphiteClusterId": cluster_id,
        "hlInstanceClusterId": cluster_id, "htInstanceClusterId": cluster_id,
        "hpInstanceClusterId": cluster_id, "amInstanceClusterId": cluster_id,
        "hmInstancePromBillingUsage": 0, "hmInstanceGraphiteBillingUsage": 0,
        "hlInstanceBillingUsage": 0, "htInstanceBillingUsage": 0, "hpInstanceBillingUsage": 0,
        "agentManagementInstanceId": stack_id + 700000,
        "agentManagementInstanceName": "%s-fleet" % slug,
        "agentManagementInstanceUrl": "https://fleet-management-%s.grafana.net" % region,
        "agentManagementInstanceStatus": "active", "agentManagementInstanceClusterId": cluster_id,
        "k6OrgId": None, "machineLearningLogsToken": "",
        "orgCreatedAt": sim.org.get("createdAt", ""),
        "provider": known.get("provider", "gcp"), "providerRegion": region,
        "regionPublicName": known.get("publicName", region),
        "regionAssistantUrl": "https://assistant-%s.grafana.net" % region,
        "regionHostedExportersApiUrl": "https://hosted-exporters-%s.grafana.net" % region,
        "regionInsightsApiUrl": "https://insights-%s.grafana.net" % region,
        "regionIntegrationsApiUrl": "https://integrations-%s.grafana.net" % region,
        "regionLLMGatewayUrl": "https://llm-gateway-%s.grafana.net" % region,
        "regionMachineLearningApiUrl": "https://ml-%s.grafana.net" % region,
        "regionSigilUrl": "https://sigil-%s.grafana.net" % region,
        "regionStackStateServiceUrl": "https://stack-state-%s.grafana.net" % region,
        "regionSyntheticMonitoringApiUrl": "https://synthetic-monitoring-api-%s.grafana.net" % region,
        "usageStatsId": "sim-%d" % stack_id,
    }


def new_stack(sim: Simulator, slug: str, *, name: str | None = None, region: str = "us",
              description: str = "", labels: dict | None = None, url: str | None = None,
              delete_protection: bool = False, ready_after: float = 0.0,
              created_by: str = "simulator", grafana_version: str | None = None) -> dict:
    """Create and store a stack record shaped like the API reference's example; return it.

    ``grafana_version`` (the stack's ``runningVersion``) decides what its Grafana offers:
    hosted API keys only before 11.3.
    """
    stack_id = sim.next_id()
    now = sim.now()
    cluster, cluster_id, gcp_region = REGION_CLUSTERS.get(region, ("prod-%s" % region, 99, region))
    org = sim.org
    record = {
        "id": stack_id, "orgId": org["id"], "orgSlug": org["slug"], "orgName": org["name"],
        "type": "grafana", "name": name or slug,
        "url": url or "https://%s.grafana.net" % slug, "slug": slug, "version": "stable",
        "labels": dict(labels or {}), "description": description, "status": "active",
        "gateway": "istio", "createdAt": format_time(now), "createdBy": created_by,
        "updatedAt": None, "updatedBy": "", "trial": 0, "trialExpiresAt": None,
        "clusterId": cluster_id, "clusterSlug": cluster, "clusterName": cluster,
        "plan": "gcloud", "planName": "Grafana Cloud",
        "billingStartDate": format_time(now), "billingEndDate": None,
        "billingActiveUsers": 0, "billingGrafanaActiveUsers": 0, "billingOnCallActiveUsers": 0,
        "currentActiveUsers": 0, "currentActiveAdminUsers": 0, "currentActiveEditorUsers": 0,
        "currentActiveViewerUsers": 0, "dailyUserCnt": 0, "dailyAdminCnt": 0,
        "dailyEditorCnt": 0, "dailyViewerCnt": 0, "dashboardCnt": 0, "datasourceCnts": {},
        "userQuota": 10, "dashboardQuota": -1, "alertQuota": -1, "alertCnt": 0, "ssl": True,
        "customAuth": True, "customDomain": True, "support": True,
        "runningVersion": grafana_version or sim.config.get("stacks_grafana_version", DEFAULT_GRAFANA_VERSION),
        "machineLearning": 0, "incident": 0, "deleteProtection": bool(delete_protection),
        "hmInstancePromId": stack_id + 100000,
        "hmInstancePromUrl": "https://prometheus-%s.grafana.net" % cluster,
        "hmInstancePromName": "%s-prom" % slug, "hmInstancePromStatus": "active",
        "hmInstancePromCurrentUsage": 0, "hmInstancePromCurrentActiveSeries": 0,
        "hmInstanceGraphiteId": stack_id + 200000,
        "hmInstanceGraphiteUrl": "https://graphite-%s.grafana.net" % cluster,
        "hmInstanceGraphiteName": "%s-graphite" % slug, "hmInstanceGraphiteType": "graphite-v5",
        "hmInstanceGraphiteStatus": "active", "hmInstanceGraphiteCurrentUsage": 0,
        "hlInstanceId": stack_id + 300000,
        "hlInstanceUrl": "https://logs-%s.grafana.net" % cluster,
        "hlInstanceName": "%s-logs" % slug, "hlInstanceStatus": "active",
        "hlInstanceCurrentUsage": 0,
        "amInstanceId": stack_id + 400000, "amInstanceName": "%s-alerts" % slug,
        "amInstanceUrl": "https://alertmanager-%s.grafana.net" % cluster,
        "amInstanceStatus": "active", "amInstanceGeneratorUrl": "https://%s.grafana.net" % slug,
        "amInstanceGeneratorUrlDatasource": "",
        "htInstanceId": stack_id + 500000,
        "htInstanceUrl": "https://tempo-%s.grafana.net" % cluster,
        "htInstanceName": "%s-traces" % slug, "htInstanceStatus": "active",
        "hpInstanceId": stack_id + 600000,
        "hpInstanceUrl": "https://profiles-%s.grafana.net" % cluster,
        "regionId": (region_by_slug(sim, region) or {}).get("id"), "regionSlug": region,
        **_spec_required_fields(sim, slug, stack_id, cluster_id, region),
        "links": [
            {"rel": "self", "href": "/instances/%s" % slug},
            {"rel": "org", "href": "/orgs/%s" % org["slug"]},
            {"rel": "plugins", "href": "/instances/%s/plugins" % slug},
        ],
        "_ready_at": now + timedelta(seconds=ready_after),
        "_gone_at": None,
        "_cloud_region": gcp_region,
    }
    stack_records(sim)[stack_id] = record
    return record


def begin_delete(sim: Simulator, stack: dict, deleting_after: float, deleted_by: str = "simulator") -> None:
    """Start deleting a stack: ``deleting`` now, ``deleted`` after ``deleting_after`` seconds."""
    now = sim.now()
    stack["status"] = "deleting"
    stack["_gone_at"] = now + timedelta(seconds=deleting_after)
    stack["updatedAt"] = format_time(now)
    stack["updatedBy"] = deleted_by
    stack["billingEndDate"] = format_time(now)
    settle_all(sim)


def live_stacks(sim: Simulator) -> list[dict]:
    """Every stack that is not ``deleted``, oldest first."""
    settle_all(sim)
    return [stack for stack in stack_records(sim).values() if stack["status"] != "deleted"]
