# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Options of grafana.grafana that mean nothing here: accepted, with a deprecation saying why."""

from ansible_collections.grafana_cloud.platform.plugins.module_utils._migration import (
    deprecate_ignored_options,
    legacy_api_key_output,
    legacy_plugin_keys,
    legacy_stack_keys,
)


class FakeModule:
    def __init__(self, params):
        self.params = params
        self.deprecations = []

    def deprecate(self, msg, version=None, collection_name=None):
        self.deprecations.append((msg, version, collection_name))


def test_only_options_that_are_set_are_deprecated_with_the_reason():
    module = FakeModule({"fail_if_already_created": False, "org_slug": None})
    deprecate_ignored_options(module, {"fail_if_already_created": "an existing key is reported unchanged.",
                                       "org_slug": "a stack is created in the org of the token."})
    assert len(module.deprecations) == 1
    message, version, collection = module.deprecations[0]
    assert message.startswith("The option fail_if_already_created is accepted only so that tasks written "
                              "for grafana.grafana run unchanged; it is ignored: an existing key is reported "
                              "unchanged.")
    assert (version, collection) == ("2.0.0", "grafana_cloud.platform")


def test_the_flat_return_keys_come_from_the_resource():
    stack = {"url": "https://s.grafana.net", "id": 5, "orgId": 7, "clusterName": "prod-eu-west-0",
             "hmInstancePromUrl": "https://prometheus", "hlInstanceUrl": "https://logs",
             "htInstanceUrl": "https://tempo", "amInstanceUrl": "https://am", "amInstanceName": "s-alerts",
             "deleteProtection": True}
    assert legacy_stack_keys(stack) == {
        "url": "https://s.grafana.net", "id": 5, "orgID": 7, "cluster_slug": "prod-eu-west-0",
        "prometheus_url": "https://prometheus", "loki_url": "https://logs", "tempo_url": "https://tempo",
        "alertmanager_url": "https://am", "alertmanager_name": "s-alerts", "delete_protection": True}
    assert legacy_stack_keys({}) == {} and legacy_plugin_keys(None) == {}
    assert legacy_plugin_keys({"pluginId": 1, "pluginName": "P", "pluginSlug": "p", "version": "1.0",
                               "latestVersion": "1.1"}) == {
        "pluginId": 1, "pluginName": "P", "pluginSlug": "p", "current_version": "1.0", "latest_version": "1.1"}


def test_the_api_key_output_is_what_grafana_grafana_returned_in_each_state():
    # grafana.grafana 6.0.6 and 6.1.0, cloud_api_key: exit_json(output=...) with the create's
    # answer, or its two messages.
    key = {"id": 1, "name": "k", "role": "Admin"}
    assert legacy_api_key_output("present", True, key, "glc_secret") == dict(key, token="glc_secret")
    assert legacy_api_key_output("present", True, key, None) == key  # check mode: no secret yet
    assert legacy_api_key_output("present", False, key, None) == "A Cloud API key with the same name already exists"
    assert legacy_api_key_output("absent", True, {}, None) == "Cloud API key is deleted"
    # Their delete of a missing key failed (HTTP 404): no output to reproduce.
    assert legacy_api_key_output("absent", False, {}, None) is None
