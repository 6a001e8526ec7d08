# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Access policy helpers: the scope check against getConfig, attributes in option and API shape."""

from ansible_collections.grafana_cloud.platform.plugins.module_utils._accesspolicies import (
    attributes_from_api,
    attributes_problems,
    attributes_to_api,
    canonical_attributes,
    known_scopes,
    set_attributes,
    unknown_scope_problems,
)


class ConfigClient:
    """Answers GET /v1/accesspolicies/config (AccessPoliciesConfig) and records the calls."""

    def __init__(self, config):
        self.config = config
        self.calls = []

    def get(self, path, params=None):
        self.calls.append((path, params))
        return self.config


CONFIG = {"realms": [], "scopes": [{"name": "metrics:read", "description": ""},
                                   {"name": "metrics:write", "description": ""},
                                   {"name": "logs:read", "description": ""}],
          "sets": [{"name": "pdc-signing", "scopes": ["pdc-signing:write"]}]}


def test_known_scopes_are_read_once_with_the_region_and_count_sets():
    client = ConfigClient(CONFIG)
    known = known_scopes(client, "eu")
    assert client.calls == [("/v1/accesspolicies/config", {"region": "eu"})]
    assert {"metrics:read", "logs:read", "set:pdc-signing"} <= known


def test_a_typo_names_the_scope_and_its_close_matches():
    known = known_scopes(ConfigClient(CONFIG), "us")
    problems = unknown_scope_problems(["metric:read", "logs:read"], known)
    assert len(problems) == 1
    assert problems[0].startswith("scopes: 'metric:read'")
    assert "metrics:read" in problems[0]


def test_a_scope_far_from_every_known_one_says_so():
    problems = unknown_scope_problems(["zzz:qqq"], {"metrics:read"}, option="check_scopes")
    assert problems == ["check_scopes: 'zzz:qqq' is not a scope Grafana Cloud knows "
                        "(GET /v1/accesspolicies/config lists them): no known scope is close to it."]


def test_attributes_round_trip_between_option_and_api_shape():
    api = {"lokiQueryPolicy": {"maxQueryLength": "7d", "maxEntriesLimitPerQuery": 100, "requiredLabels": ["app"]},
           "pdcConfiguration": {"limitedHosts": ["db:5432"]}}
    options = attributes_from_api(api)
    assert options == {"loki_query_policy": {"max_query_length": "7d", "max_entries_limit_per_query": 100,
                                             "required_labels": ["app"]},
                       "pdc_configuration": {"limited_hosts": ["db:5432"]}}
    assert attributes_to_api(options) == api


def test_only_the_sub_options_set_replace_the_servers():
    current = {"loki_query_policy": {"max_query_length": "7d", "required_labels": ["app"]}}
    wanted = {"loki_query_policy": {"max_query_length": None, "max_query_lookback": "30d", "required_labels": None},
              "pdc_configuration": None}
    assert set_attributes(current, wanted) == {
        "loki_query_policy": {"max_query_length": "7d", "required_labels": ["app"], "max_query_lookback": "30d"}}
    # An empty list is a value: it clears the hosts (every host allowed).
    assert set_attributes({"pdc_configuration": {"limited_hosts": ["a:1"]}},
                          {"pdc_configuration": {"limited_hosts": []}}) == {"pdc_configuration": {"limited_hosts": []}}


def test_attribute_lists_compare_as_sets():
    left = canonical_attributes({"pdc_configuration": {"limited_hosts": ["b:2", "a:1"]}})
    right = canonical_attributes({"pdc_configuration": {"limited_hosts": ["a:1", "b:2", "a:1"]}})
    assert left == right


def test_attribute_problems_name_the_sub_option():
    problems = attributes_problems({"loki_query_policy": {"max_query_lookback": "a month", "max_query_bytes_read": "lots",
                                                          "minimum_labels_number": -2, "required_labels": [""]},
                                    "pdc_configuration": {"limited_hosts": ["http://db:5432", "db:5432"]}})
    assert [problem.split(":")[0].split(" ")[0] for problem in problems] == [
        "attributes.loki_query_policy.max_query_lookback",
        "attributes.loki_query_policy.max_query_bytes_read",
        "attributes.loki_query_policy.minimum_labels_number",
        "attributes.loki_query_policy.required_labels",
        "attributes.pdc_configuration.limited_hosts",
    ]
    assert attributes_problems({"loki_query_policy": {"max_query_time": "1h30m", "max_query_bytes_read": "1.5GiB"},
                                "pdc_configuration": {"limited_hosts": ["mysql.example.com:3306", "[2001:db8::1]:5432"]}}) == []


def test_what_the_module_does_not_manage_is_kept_on_an_update():
    # AuthAccessPolicy.attributes also has allowedScopes, allowedAudiences, lokiQueryPolicy.queryTimeout.
    held = {"allowedScopes": ["metrics:read"], "lokiQueryPolicy": {"queryTimeout": "10s", "maxQueryLength": "7d"}}
    body = attributes_to_api({"loki_query_policy": {"max_query_length": "1d"},
                              "pdc_configuration": {"limited_hosts": ["db:5432"]}}, held=held)
    assert body == {"allowedScopes": ["metrics:read"],
                    "lokiQueryPolicy": {"queryTimeout": "10s", "maxQueryLength": "1d"},
                    "pdcConfiguration": {"limitedHosts": ["db:5432"]}}
    assert held["lokiQueryPolicy"]["maxQueryLength"] == "7d"
