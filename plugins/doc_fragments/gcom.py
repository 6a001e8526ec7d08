# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # The options shared by every Grafana Cloud API module.
    DOCUMENTATION = r"""
options:
  cloud_api_url:
    description:
      - Base URL of the Grafana Cloud API.
      - If not set, the value of the E(GRAFANA_CLOUD_API_URL) environment variable is used.
    type: str
    default: https://grafana.com/api
  cloud_access_policy_token:
    description:
      - A Grafana Cloud access policy token with the scopes the module needs.
      - If not set, the value of the E(GRAFANA_CLOUD_ACCESS_POLICY_TOKEN) environment variable is used.
      - The aliases O(cloud_api_key) and O(existing_cloud_api_key) (the names of this option in
        C(grafana.grafana)'s cloud modules) ease the move from that collection; legacy Cloud
        API keys are retired by Grafana, use an access policy token.
    type: str
    aliases: [cloud_api_key, existing_cloud_api_key]
  request_timeout:
    description:
      - Seconds to wait for each HTTP answer.
    type: float
    default: 30
  max_retries:
    description:
      - How many times a request is retried after an answer that says "try again"
        (HTTP 429 with any method; for reads and deletes, 503 with C(Retry-After)) and, for
        reads and deletes, after 502, 503, 504 or a connection error.
      - Retries wait for C(Retry-After) or a jittered exponential backoff, within a total wait
        budget of 300 seconds per task. Retries that
        end well are no warning; each is listed in the result under C(retries), shown with C(-v).
      - Until the API has answered once in a task, a refused connection or a host name that
        does not resolve fails at once, naming the host, as the URL is then the likely mistake.
      - A write that ends without a clear answer (a timeout or a 5xx, including a 503 with
        C(Retry-After), since Grafana's gateway answers a canned C(503 Loading) to requests its
        backend goes on to process) is never sent again blindly. After a create the module
        reads the object back and adopts it, and sends the create once more only when the read
        shows it is not there; after an update the task fails, and a re-run compares
        again.
    type: int
    default: 5
  validate_certs:
    description:
      - Whether to verify the TLS certificate of the API.
    type: bool
    default: true
requirements:
  - requests >= 2.25
notes:
  - Every request carries C(User-Agent) C(grafana_cloud.platform/<version>); writes carry a
    fresh C(X-Request-Id) to correlate with Grafana support.
  - Error messages name the method, path, HTTP status, the API's C(code), C(message) and
    C(requestId); they never include the token.
"""
