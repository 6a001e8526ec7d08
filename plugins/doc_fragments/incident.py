# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # The options shared by every Grafana Incident (IRM) module.
    DOCUMENTATION = r"""
options:
  grafana_url:
    description:
      - URL of the stack's Grafana, for example V(https://mystack.grafana.net) (the C(url) that
        M(grafana_cloud.platform.stack_info) returns).
      - The Incident API is served by the IRM app of that Grafana, under
        C(/api/plugins/grafana-irm-app/resources/api/v1/). Stacks that still run the older
        Incident app answer under C(/api/plugins/grafana-incident-app/resources/api/v1/); the
        module falls back to it when Grafana says the first plugin is not installed, and sends
        every later request of the task there.
      - If not set, the value of the E(GRAFANA_URL) environment variable is used.
      - Required; it must be an http(s) URL.
    type: str
  incident_access_token:
    description:
      - A Grafana service account token (C(glsa_...)) of the stack, sent in the
        C(Authorization) header as C(Bearer <token>).
      - The service account needs the C(Editor) role to declare and change incidents and
        roles; C(Viewer) is enough to read.
      - M(grafana_cloud.platform.stack_service_account) and
        M(grafana_cloud.platform.stack_service_account_token) create one.
      - If not set, the value of the E(GRAFANA_INCIDENT_ACCESS_TOKEN) environment variable is used.
    type: str
  request_timeout:
    description:
      - Seconds to wait for each HTTP answer.
    type: float
    default: 30
  max_retries:
    description:
      - How many times a request is retried after an answer that says "try again"
        (HTTP 429, or 503 with C(Retry-After)) and, for methods that only read (C(Get...),
        C(Query...)), after 502, 503, 504 or a connection error.
      - Retries wait for C(Retry-After) or a jittered exponential backoff, within a total wait
        budget of 300 seconds per task. Retries that
        end well are no warning; each is listed in the result under C(retries), shown with C(-v).
      - Until the API has answered once in a task, a refused connection or a host name that
        does not resolve fails at once, naming the host, as the URL is then the likely mistake.
      - A method that changes something and ends without a clear answer is never sent again.
    type: int
    default: 5
  validate_certs:
    description:
      - Whether to verify the TLS certificate of Grafana.
    type: bool
    default: true
requirements:
  - requests >= 2.25
notes:
  - The Incident API reports errors in two styles, an C(error) field (even with HTTP 200)
    or RFC 7807 problem details; both, and non-JSON answers of proxies, become one message
    naming the method, the path, the HTTP status, the code and the trace id. The token is
    never part of it.
"""
