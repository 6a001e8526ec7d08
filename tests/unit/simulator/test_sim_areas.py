# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The area plug-in mechanism and this issue's areas: regions and orgs."""

import types
from pathlib import Path

import requests
from flask import Blueprint

from tests.simulator import Simulator, create_app
from tests.simulator.areas import Area, area_names, load_areas
from tests.simulator.areas.regions import region_by_slug

AREAS_DIR = Path(__file__).resolve().parents[2] / "simulator" / "areas"


def get(simulator, path, **kwargs):
    return requests.get(f"{simulator.url}{path}", headers=simulator.auth(), timeout=5, **kwargs)


def test_every_module_in_the_areas_package_is_an_area():
    modules = sorted(p.stem for p in AREAS_DIR.glob("*.py") if not p.stem.startswith("_"))
    assert area_names() == modules
    assert {"orgs", "regions"} <= set(area_names())


def test_a_module_area_brings_its_seed_and_config():
    seed_calls = []

    def seed(sim):
        seed_calls.append(dict(sim.state["widgets"]))  # the area's slot starts empty
        sim.state["widgets"]["count"] = 1

    module = types.ModuleType("tests.simulator.areas.widgets")
    module.blueprint = Blueprint("widgets", __name__)
    module.seed = seed
    module.CONFIG_DEFAULTS = {"widgets_limit": 3}
    sim = Simulator()

    create_app(sim, areas=load_areas([module]))
    sim.state["widgets"]["count"] = 99
    sim.reset()

    assert seed_calls == [{}, {}]
    assert sim.state == {"widgets": {"count": 1}}
    assert sim.config == {"latency": 0.0, "widgets_limit": 3}


def test_areas_can_be_selected_by_name_or_given_as_area_objects():
    app = create_app(areas=["regions", Area("extra", Blueprint("extra", __name__))])
    assert set(app.config["SIMULATOR"].state) == {"regions", "extra"}
    assert {rule.rule for rule in app.url_map.iter_rules() if rule.rule.startswith("/api")} == {
        "/api/stack-regions", "/api/stack-regions/closest"}


def test_regions_list_the_seed_regions_in_the_page_envelope(simulator):
    body = get(simulator, "/stack-regions").json()

    slugs = [region["slug"] for region in body["items"]]
    assert slugs[:4] == ["us", "us-azure", "eu", "au"]
    assert {"prod-us-east-0", "prod-eu-west-2", "prod-ap-southeast-1"} <= set(slugs)
    assert body["items"][0] == {**body["items"][0], "id": 1, "status": "active", "slug": "us",
                                "name": "GCP US Central", "description": "United States",
                                "provider": "gcp", "createdAt": "2021-08-20T20:00:27.000Z"}
    assert (body["orderBy"], body["direction"], body["page"], body["pages"]) == ("id", "asc", 1, 1)
    assert body["total"] == len(slugs)
    assert body["links"] == [{"rel": "self", "href": "/stack-regions"}]


def test_regions_filters_and_order(simulator):
    def slugs(query):
        return [r["slug"] for r in get(simulator, f"/stack-regions?{query}").json()["items"]]

    assert slugs("slug=eu") == ["eu"]
    assert slugs("slugIn=au&slugIn=us") == ["us", "au"]
    assert slugs("provider=azure") == ["us-azure"]
    assert slugs("idIn=2&idIn=3") == ["us-azure", "eu"]
    assert slugs("orderBy=id&direction=desc")[0] == "prod-ap-southeast-1"


def test_regions_page_parameters(simulator):
    body = get(simulator, "/stack-regions?pageSize=3&page=3").json()
    assert ([r["id"] for r in body["items"]], body["pages"]) == ([7], 3)


def test_region_by_slug(simulator):
    assert region_by_slug(simulator.sim, "eu")["id"] == 3
    assert region_by_slug(simulator.sim, "mars") is None


def test_org_by_slug_and_by_id(simulator):
    by_slug = get(simulator, "/orgs/simorg").json()
    by_id = get(simulator, "/orgs/1000").json()

    assert by_slug == by_id
    assert (by_slug["id"], by_slug["slug"]) == (1000, "simorg")
    assert by_slug["url"] == "https://grafana.com/orgs/simorg"
    assert list(by_slug)[:3] == ["id", "slug", "name"]


def test_unknown_org_is_404(simulator):
    response = get(simulator, "/orgs/someone-else")
    assert response.status_code == 404
    assert response.json()["code"] == "NotFound"


def test_org_identity_is_configurable():
    client = create_app(org_slug="acme", org_id=42, org_name="Acme").test_client()
    sim = client.application.config["SIMULATOR"]
    body = client.get("/api/orgs/42", headers={"Authorization": f"Bearer {sim.admin_token}"}).json
    assert (body["id"], body["slug"], body["name"]) == (42, "acme", "Acme")
