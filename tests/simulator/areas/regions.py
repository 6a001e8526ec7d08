# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Area ``regions``: ``GET /api/stack-regions``, the regions a stack can be created in.

The four first regions are the API reference's example; the ``prod-*`` ones stand for the
newer cluster-named regions. Other areas look regions up with :func:`region_by_slug`.

``GET /api/stack-regions/closest`` (getClosestStackRegion) answers one region. The real API
picks it from the caller's address, which a test on 127.0.0.1 cannot stand for: the
simulator answers the region with the lowest ``sortOrder`` (of ``provider`` when given, one
of the spec's enum, else 409 ``InvalidArgument``). The spec declares no security for it.
"""

from __future__ import annotations

from flask import Blueprint, request

from ..auth import public, requires
from ..core import Simulator, get_sim
from ..errors import invalid_argument
from ..paging import page_page

blueprint = Blueprint("regions", __name__)

ORDER_FIELDS = ("id", "createdAt", "updatedAt", "sortOrder")
FILTERS = {"slug": "slug", "slugIn": "slug", "provider": "provider", "id": "id", "idIn": "id"}


def _region(region_id, slug, name, description, provider, created_at, updated_at):
    return {"id": region_id, "status": "active", "visibility": "public", "slug": slug,
            "name": name, "publicName": name, "description": description,
            "provider": provider, "createdAt": created_at, "updatedAt": updated_at,
            "sortOrder": region_id}


SEED_REGIONS = (
    _region(1, "us", "GCP US Central", "United States", "gcp",
            "2021-08-20T20:00:27.000Z", "2022-12-12T12:29:37.000Z"),
    _region(2, "us-azure", "Azure US Central", "United States (Azure)", "azure",
            "2021-08-20T20:08:03.000Z", "2022-11-29T12:04:00.000Z"),
    _region(3, "eu", "GCP Belgium", "Europe", "gcp",
            "2021-08-20T20:28:52.000Z", "2022-12-05T18:05:33.000Z"),
    _region(4, "au", "GCP Australia", "Australia", "gcp",
            "2021-11-16T22:03:18.000Z", "2022-09-22T09:27:47.000Z"),
    _region(5, "prod-us-east-0", "AWS US East", "United States (AWS)", "aws",
            "2022-03-01T10:00:00.000Z", "2023-06-01T10:00:00.000Z"),
    _region(6, "prod-eu-west-2", "AWS Europe West", "Europe (AWS)", "aws",
            "2022-05-10T10:00:00.000Z", "2023-06-01T10:00:00.000Z"),
    _region(7, "prod-ap-southeast-1", "GCP Singapore", "Asia Pacific (Singapore)", "gcp",
            "2022-08-15T10:00:00.000Z", None),
)


def seed(sim: Simulator) -> None:
    # Copies, so a test that edits a region doesn't leak into the next reset.
    sim.state["regions"]["items"] = [dict(region) for region in SEED_REGIONS]


def region_by_slug(sim: Simulator, slug: str) -> dict | None:
    return next((r for r in sim.state["regions"]["items"] if r["slug"] == slug), None)


@blueprint.get("/stack-regions")
@requires()  # x-auth-required, no x-permissions: any valid token
def list_regions():
    args = request.args
    sim = get_sim()
    with sim.lock:
        regions = [dict(r) for r in sim.state["regions"]["items"] if _selected(r, args)]
    order_by = args.get("orderBy") if args.get("orderBy") in ORDER_FIELDS else "id"
    direction = "desc" if args.get("direction") == "desc" else "asc"
    # updatedAt may be null: nulls sort after every date.
    regions.sort(key=lambda r: (r[order_by] is None, r[order_by] or ""),
                 reverse=direction == "desc")
    return page_page(regions, args, order_by=order_by, direction=direction)


def _selected(region: dict, args) -> bool:
    """The spec's equality filters; ``slugIn`` and ``idIn`` are repeated query parameters."""
    return all(str(region[field]) in args.getlist(param)
               for param, field in FILTERS.items() if param in args)


CLOSEST_PROVIDERS = ("aws", "gcp", "azure", "fedramp-palantir")


@blueprint.get("/stack-regions/closest")
@public  # the spec declares neither x-auth-required nor x-permissions for getClosestStackRegion
def closest_region():
    provider = request.args.get("provider")
    if provider is not None and provider not in CLOSEST_PROVIDERS:
        raise invalid_argument(f"provider must be one of {', '.join(CLOSEST_PROVIDERS)}")
    sim = get_sim()
    with sim.lock:
        regions = [dict(r) for r in sim.state["regions"]["items"]
                   if r["status"] == "active" and (provider is None or r["provider"] == provider)]
    if not regions:
        raise invalid_argument(f"no region of provider {provider}")
    return min(regions, key=lambda r: r["sortOrder"])
