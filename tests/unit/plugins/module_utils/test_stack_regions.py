# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""A stack's region is checked against /stack-regions before the create."""

from ansible_collections.grafana_cloud.platform.plugins.module_utils._client import GrafanaCloudClient
from ansible_collections.grafana_cloud.platform.plugins.module_utils._stacks import unknown_region_problem

from http_fakes import FakeSession, make_response

REGIONS = [{"slug": slug} for slug in ("us", "eu", "prod-eu-west-2", "prod-us-east-0", "prod-ap-southeast-1")]


def client_with(answers, sleeper):
    session = FakeSession(answers)
    return GrafanaCloudClient("https://gcom.example/api", "glc_x", session=session, sleep=sleeper), session


def test_a_known_region_is_one_read_with_the_slug_filter(sleeper):
    client, session = client_with([make_response(200, {"items": [{"slug": "eu"}]})], sleeper)

    assert unknown_region_problem(client, "eu") is None

    assert [(call["url"], call["params"]) for call in session.calls] == [
        ("https://gcom.example/api/stack-regions", {"slug": "eu"})]


def test_an_unknown_region_names_the_option_and_the_close_matches(sleeper):
    client, session = client_with([make_response(200, {"items": []}), make_response(200, {"items": REGIONS})], sleeper)

    problem = unknown_region_problem(client, "prod-eu-west-3")

    assert problem.startswith("region 'prod-eu-west-3' is not a Grafana Cloud region; close matches: prod-eu-west-2")
    assert "region_info" in problem
    assert len(session.calls) == 2


def test_no_close_match_still_names_the_region(sleeper):
    client, _session = client_with([make_response(200, {"items": []}), make_response(200, {"items": REGIONS})], sleeper)

    problem = unknown_region_problem(client, "mars")

    assert problem.startswith("region 'mars' is not a Grafana Cloud region.")


def test_no_region_given_sends_nothing(sleeper):
    client, session = client_with([], sleeper)
    assert unknown_region_problem(client, None) is None
    assert session.calls == []


def test_every_input_message_starts_with_its_option():
    from ansible_collections.grafana_cloud.platform.plugins.module_utils._accesspolicies import cidr_problem, name_problem
    from ansible_collections.grafana_cloud.platform.plugins.module_utils._stacks import labels_problem, region_problem

    assert name_problem("Bad-Name", "Token").startswith("name: 'Bad-Name' is not a valid token name")
    assert cidr_problem("10.0.0.1").startswith("allowed_subnets: '10.0.0.1' is not in CIDR notation")
    assert cidr_problem("300.1.2.3/24").startswith("allowed_subnets: ")
    assert labels_problem({"bad key": "x"}).startswith("labels: ")
    assert labels_problem(dict(("k%d" % i, "v") for i in range(11))).startswith("labels ")
    assert region_problem("EU West").startswith("region ")
