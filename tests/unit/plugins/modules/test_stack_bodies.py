# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What the stack and plugin modules send: only what changed, never a write on a re-run."""

import base64
import json

import pytest

from ansible_collections.grafana_cloud.platform.plugins.module_utils._client import GrafanaCloudAPIError
from ansible_collections.grafana_cloud.platform.plugins.modules.plugin import StackPlugin
from ansible_collections.grafana_cloud.platform.plugins.modules.stack import Stack


class Failed(Exception):
    pass


class FakeModule:
    def __init__(self, params, check_mode=False):
        self.params = params
        self.check_mode = check_mode
        self._diff = True

    def fail_json(self, msg, **kwargs):
        raise Failed(msg)

    def warn(self, message):
        pass


class RecordingClient:
    def __init__(self, objects):
        self.objects = objects
        self.calls = []

    def get_or_none(self, path, params=None):
        self.calls.append(("GET", path, None))
        return self.objects.get(path)

    def get(self, path, params=None):
        self.calls.append(("GET", path, None))
        return self.objects[path]

    def post(self, path, json=None, params=None):
        self.calls.append(("POST", path, json))
        return dict(self.objects.get(path) or {}, **(json or {}))

    def delete(self, path, params=None):
        self.calls.append(("DELETE", path, None))
        return dict(self.objects[path], status="deleted")


STACK = {"id": 5, "slug": "s", "name": "s", "regionSlug": "eu", "description": "old",
         "labels": {"a": "1", "b": "2"}, "url": "https://s.grafana.net", "deleteProtection": False,
         "status": "active"}


def stack_params(**overrides):
    params = dict(slug="s", name=None, region=None, description=None, labels=None, purge_labels=True,
                  url=None, delete_protection=None, wait=True, wait_timeout=600, state="present",
                  org_slug=None)
    params.update(overrides)
    return params


def run_stack(check_mode=False, **overrides):
    client = RecordingClient({"/instances/s": dict(STACK)})
    result = Stack(FakeModule(stack_params(**overrides), check_mode), client).run()
    return result, client


def test_a_rerun_is_one_read():
    result, client = run_stack(description="old", labels={"a": "1", "b": "2"}, region="eu")
    assert result["changed"] is False and client.calls == [("GET", "/instances/s", None)]


def test_an_update_sends_only_the_fields_that_changed():
    result, client = run_stack(description="new", labels={"a": "1", "b": "2"}, name="s")
    assert client.calls[1] == ("POST", "/v1/stacks/5", {"description": "new"})
    # The v1 answer (ten fields) is merged into the stack as read: nothing else is lost.
    assert result["stack"]["status"] == "active" and result["stack"]["regionSlug"] == "eu"
    assert result["diff"]["before"]["description"] == "old"


def test_labels_without_purge_send_the_merged_map():
    result, client = run_stack(labels={"c": "3"}, purge_labels=False)
    assert result["changed"]
    assert client.calls[1] == ("POST", "/v1/stacks/5", {"labels": {"a": "1", "b": "2", "c": "3"}})


def test_a_different_region_fails_naming_it():
    with pytest.raises(Failed) as caught:
        run_stack(region="us")
    assert "region" in str(caught.value) and "'eu'" in str(caught.value) and "'us'" in str(caught.value)


def test_check_mode_update_writes_nothing():
    result, client = run_stack(check_mode=True, description="new")
    assert result["changed"] and result["stack"]["description"] == "new"
    assert [call[0] for call in client.calls] == ["GET"]


def test_absent_lifts_protection_only_when_asked():
    client = RecordingClient({"/instances/s": dict(STACK, deleteProtection=True), "/v1/stacks/5": dict(STACK)})
    with pytest.raises(Failed) as caught:
        Stack(FakeModule(stack_params(state="absent")), client).run()
    assert "delete_protection: false" in str(caught.value)
    client.calls = []
    result = Stack(FakeModule(stack_params(state="absent", delete_protection=False)), client).run()
    assert result["changed"]
    assert client.calls[1:] == [("POST", "/v1/stacks/5", {"deleteProtection": False}),
                                ("DELETE", "/v1/stacks/5", None)]
    # grafana.grafana.cloud_stack's keys after the delete: the stack as it was deleted.
    assert result["id"] == 5 and result["url"] == "https://s.grafana.net" and result["delete_protection"] is False
    assert result["stack"] == {}


def plugin_params(**overrides):
    params = dict(stack="s", plugin="p", version=None, state="present")
    params.update(overrides)
    return params


def test_plugin_present_without_version_leaves_the_installed_one():
    client = RecordingClient({"/instances/s/plugins/p": {"pluginSlug": "p", "version": "1.0.0"}})
    result = StackPlugin(FakeModule(plugin_params()), client).run()
    assert result["changed"] is False and len(client.calls) == 1


def test_plugin_latest_reads_the_catalog_and_changes_in_place():
    client = RecordingClient({"/instances/s/plugins/p": {"pluginSlug": "p", "version": "1.0.0"},
                              "/plugins/p": {"version": "1.1.0"}})
    result = StackPlugin(FakeModule(plugin_params(state="latest")), client).run()
    assert result["changed"] and result["plugin"]["version"] == "1.1.0"
    assert client.calls[-1] == ("POST", "/instances/s/plugins/p", {"version": "1.1.0"})


TOKEN = "glc_" + base64.urlsafe_b64encode(json.dumps({"o": "1000", "n": "t", "k": "x"}).encode()).decode()
CHECK_URL = ("POST", "/v1/stacks/checkUrl", {"url": "https://s.grafana.net", "org": "acme"})


def creating_client():
    """No stack yet; the org of TOKEN is acme; a create answers what it was sent (v1: ten fields)."""
    client = RecordingClient({"/orgs/1000": {"slug": "acme"}, "/instances/9": dict(STACK, id=9, deleteProtection=True)})
    client.post = lambda path, json=None, params=None: client.calls.append(("POST", path, json)) or dict(json, id=9)
    return client


def test_a_new_stack_is_protected_unless_told_otherwise():
    for check_mode in (False, True):
        client = creating_client()
        result = Stack(FakeModule(stack_params(wait=False, cloud_access_policy_token=TOKEN), check_mode), client).run()
        assert result["stack"]["deleteProtection"] is True
        assert result["diff"]["after"]["delete_protection"] is True
        # checkStackSlugV1 asks, in check mode too; createStackV1 names the token's org.
        assert [call for call in client.calls if call[0] == "POST"] == [CHECK_URL] + (
            [] if check_mode else [("POST", "/v1/stacks", {"slug": "s", "name": "s", "deleteProtection": True,
                                                           "region": "us", "org": "acme"})])
    client = creating_client()
    result = Stack(FakeModule(stack_params(wait=False, delete_protection=False, cloud_access_policy_token=TOKEN)),
                   client).run()
    assert client.calls[-2][2]["deleteProtection"] is False
    # The v1 answer has no databases: the stack is read once from /instances for them.
    assert client.calls[-1] == ("GET", "/instances/9", None)
    assert result["stack"]["status"] == "active" and result["cluster_slug"] is None


def test_without_an_org_in_the_token_the_create_goes_through_instances_and_says_so():
    client = creating_client()
    result = Stack(FakeModule(stack_params(wait=False)), client).run()
    assert [call for call in client.calls if call[0] == "POST"] == [
        ("POST", "/v1/stacks/checkUrl", {"url": "https://s.grafana.net"}),
        ("POST", "/instances", {"slug": "s", "name": "s", "waitForReadiness": False, "deleteProtection": True})]
    assert result["changed"]


def test_an_existing_stack_keeps_its_protection_when_the_task_is_silent():
    result, client = run_stack(description="old")
    assert result["changed"] is False and client.calls == [("GET", "/instances/s", None)]


def test_restart_posts_once_and_waits_for_readiness():
    client = RecordingClient({"/instances/s": dict(STACK), "/v1/stacks/5/readiness": {"ready": True}})
    result = Stack(FakeModule(stack_params(state="restarted")), client).run()
    assert result["changed"] is True
    # The restart has no v1 route; the readiness has one.
    assert client.calls == [("GET", "/instances/s", None), ("POST", "/instances/s/restart", None),
                            ("GET", "/v1/stacks/5/readiness", None)]


def test_restart_in_check_mode_only_reads():
    client = RecordingClient({"/instances/s": dict(STACK)})
    result = Stack(FakeModule(stack_params(state="restarted"), check_mode=True), client).run()
    assert result["changed"] is True and client.calls == [("GET", "/instances/s", None)]


def test_restart_refuses_settings_before_any_request():
    client = RecordingClient({"/instances/s": dict(STACK)})
    with pytest.raises(Failed) as caught:
        Stack(FakeModule(stack_params(state="restarted", labels={"a": "1"})), client).run()
    assert "labels" in str(caught.value) and client.calls == []


def test_results_carry_the_keys_grafana_grafana_returned():
    result, _client = run_stack()
    assert result["url"] == "https://s.grafana.net" and result["id"] == 5
    assert result["delete_protection"] is False
    client = RecordingClient({"/instances/s/plugins/p": {"pluginSlug": "p", "version": "1.0.0",
                                                         "latestVersion": "1.1.0", "pluginId": 3}})
    result = StackPlugin(FakeModule(plugin_params()), client).run()
    assert (result["current_version"], result["latest_version"], result["pluginId"]) == ("1.0.0", "1.1.0", 3)


def test_a_slug_another_run_took_since_the_lookup_is_adopted_not_refused():
    """Two pipelines at once (issue 22): the lookup finds no stack, then the other run creates
    it, then checkStackSlugV1 answers that the slug is taken. That is the race lost, not
    another org's stack: one read by slug finds it, and it is adopted without a write."""
    others = dict(STACK, description="")
    lookups = [None, others]
    client = RecordingClient({"/orgs/1000": {"slug": "acme"}})

    def get_or_none(path, params=None):
        client.calls.append(("GET", path, None))
        return lookups.pop(0) if path == "/instances/s" else client.objects.get(path)

    def post(path, json=None, params=None):
        client.calls.append(("POST", path, json))
        assert path == "/v1/stacks/checkUrl", "no write expected, got POST %s" % path
        raise GrafanaCloudAPIError("POST", path, status=409, code="Conflict",
                                   message="That URL has already been taken, please try an alternate URL")

    client.get_or_none, client.post = get_or_none, post
    stack = Stack(FakeModule(stack_params(wait=False, description="", cloud_access_policy_token=TOKEN)), client)
    result = stack.run()

    assert result["changed"] is False and result["stack"]["id"] == 5
    assert [call[:2] for call in client.calls] == [("GET", "/instances/s"), ("GET", "/orgs/1000"),
                                                   ("POST", "/v1/stacks/checkUrl"), ("GET", "/instances/s")]
    assert "concurrently by another run" in stack.warnings[0]


def test_a_slug_held_elsewhere_still_fails_after_the_one_read():
    client = RecordingClient({"/orgs/1000": {"slug": "acme"}})

    def post(path, json=None, params=None):
        client.calls.append(("POST", path, json))
        raise GrafanaCloudAPIError("POST", path, status=409, code="Conflict",
                                   message="That URL has already been taken, please try an alternate URL")

    client.post = post
    with pytest.raises(Failed) as caught:
        Stack(FakeModule(stack_params(wait=False, cloud_access_policy_token=TOKEN)), client).run()
    assert "Another organization's stack may hold it" in str(caught.value)
    assert [call[:2] for call in client.calls][-1] == ("GET", "/instances/s")
