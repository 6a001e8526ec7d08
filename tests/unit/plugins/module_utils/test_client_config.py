# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Configuration errors (a URL without scheme or host) fail at once: never retried."""

import pytest

from ansible_collections.grafana_cloud.platform.plugins.module_utils._client import (
    AmbiguousWriteError,
    GrafanaCloudAPIError,
    GrafanaCloudClient,
    base_url_problem,
)

TOKEN = "glc_Y29uZmlnLXRlc3QtdG9rZW4"


@pytest.mark.parametrize("url", ["grafana.com/api", "https://", "ftp://grafana.com/api", "", "   ", "https:///api"])
def test_a_url_without_scheme_or_host_is_refused_naming_the_option(url):
    problem = base_url_problem("cloud_api_url", url)
    assert problem and problem.startswith("cloud_api_url ")


@pytest.mark.parametrize("url", ["https://grafana.com/api", "http://127.0.0.1:8080/api", "https://[::1]:9/api"])
def test_a_good_url_passes(url):
    assert base_url_problem("cloud_api_url", url) is None


@pytest.mark.parametrize("method", ["GET", "DELETE", "POST"])
def test_a_url_requests_refuses_is_not_retried(sleeper, method):
    """requests raises MissingSchema before sending: retrying would only repeat it."""
    client = GrafanaCloudClient("grafana.com/api", TOKEN, sleep=sleeper)

    with pytest.raises(GrafanaCloudAPIError) as raised:
        client.request(method, "/stack-regions")

    assert "configuration error" in str(raised.value)
    # Nothing reached a server: a write is not "ambiguous", it was never sent.
    assert not isinstance(raised.value, AmbiguousWriteError)
    assert client.retries == [] and sleeper.waits == []
    assert TOKEN not in str(raised.value)


def test_an_invalid_url_is_not_retried(sleeper):
    client = GrafanaCloudClient("http://exa mple.invalid:99999/api", TOKEN, sleep=sleeper)

    with pytest.raises(GrafanaCloudAPIError, match="configuration error"):
        client.get("/stack-regions")

    assert client.retries == [] and sleeper.waits == []
