# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Area ``billing``: ``GET /api/orgs/{org}/billed-usage?year=&month=`` and the months that
have a bill, ``GET /api/orgs/{org}/billed-usage-history`` (getOrgBilledUsageHistory).

Answers the reference example's three dimensions (logs, metrics, Grafana users) for the
asked month, with one usage line per live stack (the reference's ``example`` stack when
there is none), so a test can tell months and stacks apart.
"""

from __future__ import annotations

import calendar

from flask import Blueprint, request

from ..auth import requires
from ..core import get_sim
from ..errors import invalid_argument
from ..paging import page_page
from ..validation import query_int
from ._stackdata import live_stacks
from .orgs import check_org

blueprint = Blueprint("billing", __name__)

# dimensionId, dimensionName, unit, included, total per stack, rate, usage fields.
DIMENSIONS = (
    ("hl", "Logs", "GB", 50, 251.02109133593612, 0.5, {"ingestUsage": 251.02109133593612,
                                                       "queryUsage": 1255.8636820528654}),
    ("hm", "Metrics", "series", 10000, 129755.72, 6.5, {"activeSeries": 55937, "dpm": 132364}),
    ("hg", "Grafana Users", "user", 3, 14, 8, {"grafanaUsage": 14, "onCallUsage": 0}),
)
DESCRIPTIONS = {"hl": "Hosted Logs Usage", "hm": "Hosted Metrics Usage", "hg": "Hosted Grafana Usage"}


@blueprint.get("/orgs/<org_slug>/billed-usage")
@requires("orgs:read", "org-billing-info:read")
def billed_usage(org_slug: str):
    sim, args = get_sim(), request.args
    if "year" not in args or "month" not in args:
        raise invalid_argument("year and month are required")
    year = query_int(args, "year", 0, minimum=2000, maximum=2100)
    month = query_int(args, "month", 0, minimum=1, maximum=12)
    with sim.lock:
        check_org(sim, org_slug)
        stacks = [(stack["id"], stack["name"], dict(stack["labels"])) for stack in live_stacks(sim)]
    stacks = stacks or [(111118, "example.grafana.net", {})]
    start = "%04d-%02d-01T00:00:00Z" % (year, month)
    end = "%04d-%02d-%02dT23:59:59Z" % (year, month, calendar.monthrange(year, month)[1])
    month_name = "%s %d" % (calendar.month_name[month], year)
    items = []
    for index, (dimension, name, unit, included, per_stack, rate, fields) in enumerate(DIMENSIONS):
        total = per_stack * len(stacks)
        overage = max(0, round(total - included))
        usages = [dict({"id": year * 1000 + month * 10 + index, "stackId": stack_id,
                        "periodStart": start, "periodEnd": end, "totalUsage": per_stack,
                        "isProrated": False, "stackName": stack_name, "stackLabels": labels},
                       **fields)
                  for stack_id, stack_name, labels in stacks]
        items.append({"id": (year * 100 + month) * 10 + index, "dimensionId": dimension,
                      "dimensionName": name, "unit": unit, "includedUsage": included,
                      "totalUsage": total, "overage": overage,
                      "orgRates": {"tiers": [{"min": included, "rate": rate}]},
                      "amountDue": round(overage * rate / (1000 if dimension == "hm" else 1), 2),
                      "periodStart": start, "periodEnd": end,
                      "description": "%s - %s" % (DESCRIPTIONS[dimension], month_name),
                      "notes": "Included Usage: %s %s" % (included, unit), "usages": usages})
    return page_page(items, {}, path=request.path)


@blueprint.get("/orgs/<org_slug>/billed-usage-history")
@requires("orgs:read")
def billed_usage_history(org_slug: str):
    sim = get_sim()
    with sim.lock:
        check_org(sim, org_slug)
        now = sim.now()
    year, month = now.year, now.month
    items = []
    while len(items) < 12:
        year, month = (year - 1, 12) if month == 1 else (year, month - 1)
        items.append({"month": month, "year": year})
    return {"items": items}
