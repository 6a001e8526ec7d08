# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""The /v1/stacks family of the spec, on the same records as /instances, in contract mode.

Operations: createStackV1, getStackV1, updateStackV1, deleteStackV1, checkStackReadinessV1,
getStackConnectionsV1, checkStackSlugV1 (request and response schemas of
../shared/reference/gcom-openapi.json; errors as its ErrorPayload).
"""

import pytest
import requests

from tests.simulator.testing import running_simulator

V1_FIELDS = {"id", "slug", "name", "description", "region", "orgId", "orgSlug", "url", "deleteProtection", "labels"}


def call(simulator, method, path, **kwargs):
    headers = dict(simulator.auth(), **{"X-Request-Id": "test"})
    return requests.request(method, simulator.url + path, headers=headers, timeout=10, **kwargs)


def create_v1(simulator, slug, **fields):
    return call(simulator, "POST", "/v1/stacks", json=dict({"name": slug, "slug": slug, "region": "eu", "org": "simorg"}, **fields))


@pytest.fixture(autouse=True)
def no_contract_violation(simulator):
    yield
    assert [entry for entry in simulator.requests() if entry.get("contract_violation")] == []


def test_a_v1_create_is_protected_by_default_installs_its_plugins_and_is_seen_by_instances(simulator):
    simulator.configure(stacks_ready_after=0)
    created = create_v1(simulator, "vfam", labels={"team": "a"}, plugins=["grafana-clock-panel"])
    assert created.status_code == 200, created.text
    stack = created.json()
    assert set(stack) == V1_FIELDS
    assert stack["deleteProtection"] is True and stack["region"] == "eu" and stack["labels"] == {"team": "a"}
    older = call(simulator, "GET", "/instances/vfam").json()
    assert older["id"] == stack["id"] and older["regionSlug"] == "eu" and older["status"] == "active"
    plugins = call(simulator, "GET", "/instances/vfam/plugins").json()["items"]
    assert [plugin["pluginSlug"] for plugin in plugins] == ["grafana-clock-panel"]


def test_a_v1_create_refuses_an_unknown_plugin_or_org_and_creates_nothing(simulator):
    unknown = create_v1(simulator, "vplug", plugins=["no-such-plugin"])
    assert unknown.status_code == 404 and unknown.json()["statusCode"] == 404
    other_org = create_v1(simulator, "vorg", org="someoneelse")
    assert other_org.status_code == 404 and other_org.json()["code"] == "NotFound"
    assert call(simulator, "GET", "/v1/stacks/vplug").status_code == 404
    assert call(simulator, "GET", "/v1/stacks/vorg").status_code == 404


def test_read_update_and_delete_by_id_or_slug(simulator):
    stack = create_v1(simulator, "vrud", deleteProtection=False).json()
    assert call(simulator, "GET", "/v1/stacks/%d" % stack["id"]).json() == call(simulator, "GET", "/v1/stacks/vrud").json()
    updated = call(simulator, "POST", "/v1/stacks/vrud", json={"description": "d", "name": None, "labels": {"x": "1"}})
    assert updated.status_code == 200
    assert updated.json()["description"] == "d" and updated.json()["name"] == "vrud" and updated.json()["labels"] == {"x": "1"}
    renamed = call(simulator, "POST", "/v1/stacks/vrud", json={"slug": "other"})
    assert renamed.status_code == 409 and renamed.json()["code"] == "InvalidArgument"
    deleted = call(simulator, "DELETE", "/v1/stacks/%d" % stack["id"])
    assert deleted.status_code == 200 and set(deleted.json()) == V1_FIELDS
    assert call(simulator, "GET", "/instances/vrud").json()["status"] == "deleting"
    simulator.advance_clock(simulator.sim.config["stacks_deleting_after"] + 1)
    assert call(simulator, "GET", "/instances/vrud").json()["status"] == "deleted"
    gone = call(simulator, "GET", "/v1/stacks/vrud")
    assert gone.status_code == 404 and gone.json()["statusCode"] == 404


def test_a_protected_stack_is_not_deleted_and_a_missing_one_is_404_as_error_payload(simulator):
    create_v1(simulator, "vprot")
    refused = call(simulator, "DELETE", "/v1/stacks/vprot")
    assert refused.status_code == 409
    assert set(refused.json()) == {"code", "message", "requestId", "statusCode"}
    assert call(simulator, "GET", "/v1/stacks/vprot").status_code == 200
    missing = call(simulator, "GET", "/v1/stacks/nosuch")
    assert missing.status_code == 404 and missing.json()["statusCode"] == 404


def test_readiness_and_connections(simulator):
    simulator.configure(stacks_ready_after=30)
    stack = create_v1(simulator, "vready").json()
    assert call(simulator, "GET", "/v1/stacks/vready/readiness").json() == {"ready": False}
    simulator.advance_clock(31)
    assert call(simulator, "GET", "/v1/stacks/%d/readiness" % stack["id"]).json() == {"ready": True}
    connections = call(simulator, "GET", "/v1/stacks/vready/connections").json()
    tenants = dict((tenant["type"], tenant) for tenant in connections["tenants"])
    older = call(simulator, "GET", "/instances/vready").json()
    assert tenants["prometheus"] == {"type": "prometheus", "id": older["hmInstancePromId"], "url": older["hmInstancePromUrl"]}
    assert tenants["logs"]["url"] == older["hlInstanceUrl"]


def test_check_url_answers_a_free_slug_and_refuses_a_taken_or_recently_deleted_one(simulator):
    simulator.configure(stacks_deleting_after=0, stacks_recent_slug_wait=60)
    free = call(simulator, "POST", "/v1/stacks/checkUrl", json={"url": "https://vfree.grafana.net", "org": "simorg"})
    assert free.status_code == 200 and free.json() == {"slug": "vfree", "url": "https://vfree.grafana.net"}
    assert call(simulator, "POST", "/v1/stacks/checkUrl", json={"url": "vfree"}).json()["slug"] == "vfree"
    create_v1(simulator, "vtaken", deleteProtection=False)
    taken = call(simulator, "POST", "/v1/stacks/checkUrl", json={"url": "vtaken"})
    assert taken.status_code == 409
    assert taken.json()["message"] == "That URL has already been taken, please try an alternate URL"
    call(simulator, "DELETE", "/v1/stacks/vtaken")
    recent = call(simulator, "POST", "/v1/stacks/checkUrl", json={"url": "vtaken"})
    assert recent.status_code == 409 and "deleted recently" in recent.json()["message"]
    bad = call(simulator, "POST", "/v1/stacks/checkUrl", json={"url": "Not A Slug"})
    assert bad.status_code == 409 and bad.json()["code"] == "InvalidArgument"


def test_v1_bodies_are_held_to_their_schemas_without_contract_mode_too():
    """StackCreateRequestV1, StackCheckRequestV1 and StackUpdateRequestV1 are
    ``additionalProperties: false``, the create requires slug, name, region and org: the
    simulator refuses the rest itself (a CI run without the spec has no contract check)."""
    with running_simulator(contract_spec=False) as sim:
        sim.configure(stacks_ready_after=0)
        for body in ({"slug": "vx", "name": "vx", "region": "eu", "org": "simorg", "waitForReadiness": False},
                     {"slug": "vx", "name": "vx", "org": "simorg"}):
            refused = call(sim, "POST", "/v1/stacks", json=body)
            assert refused.status_code == 409 and refused.json()["code"] == "InvalidArgument", body
            assert refused.json()["statusCode"] == 409
        assert call(sim, "GET", "/v1/stacks/vx").status_code == 404
        checked = call(sim, "POST", "/v1/stacks/checkUrl", json={"url": "https://vx.grafana.net", "slug": "vx"})
        assert checked.status_code == 409 and checked.json()["code"] == "InvalidArgument"
        stack = create_v1(sim, "vx", deleteProtection=False)
        assert stack.status_code == 200, stack.text
        typo = call(sim, "POST", "/v1/stacks/vx", json={"descripton": "d"})
        assert typo.status_code == 409 and typo.json()["code"] == "InvalidArgument"
        assert call(sim, "GET", "/v1/stacks/vx").json()["description"] == ""
