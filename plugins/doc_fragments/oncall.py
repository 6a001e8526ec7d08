# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # The options shared by every Grafana OnCall (IRM) module.
    DOCUMENTATION = r"""
options:
  oncall_api_url:
    description:
      - The OnCall API URL of the stack, for example C(https://oncall-prod-us-central-0.grafana.net/oncall).
      - M(grafana_cloud.platform.stack_info) with O(grafana_cloud.platform.stack_info#module:include_connections=true)
        returns it as C(connections.oncallApiUrl); in Grafana it is shown under IRM, Settings, Admin & API.
      - If not set, the value of the E(GRAFANA_ONCALL_API_URL) environment variable is used.
      - Required (here or in the environment).
    type: str
  oncall_access_token:
    description:
      - A Grafana service-account token (C(glsa_...)) of the stack, with the IRM/OnCall
        permissions the module needs, or a legacy OnCall API key.
      - It is sent in the C(Authorization) header as it is, with no scheme, as the OnCall engine
        expects (it refuses C(Bearer <token>)).
      - If not set, the value of the E(GRAFANA_ONCALL_ACCESS_TOKEN) environment variable is used.
      - Required (here or in the environment).
    type: str
  grafana_url:
    description:
      - The URL of the Grafana stack, for example C(https://mystack.grafana.net), sent as
        C(X-Grafana-URL) so the engine knows which stack a service-account token belongs to.
      - Required with a service-account token; not used with a legacy OnCall API key.
      - Must be an C(http) or C(https) URL. A URL that names a stack the OnCall API does not
        serve is answered "Organization being synced" forever; the module stops after a few
        tries and says that O(grafana_url) probably names the wrong stack.
      - If not set, the value of the E(GRAFANA_URL) environment variable is used.
    type: str
  request_timeout:
    description:
      - Seconds to wait for each HTTP answer.
    type: float
    default: 30
  max_retries:
    description:
      - How many times a request is retried after an answer that says "try again"
        (HTTP 429, the OnCall limit is 300 requests a minute) and, for reads and deletes, after
        502, 503, 504 or a connection error.
      - Retries wait for C(Retry-After) or a jittered exponential backoff, within a total wait
        budget of 300 seconds per task. Retries that
        end well are no warning; each is listed in the result under C(retries), shown with C(-v).
      - Until the API has answered once in a task, a refused connection or a host name that
        does not resolve fails at once, naming the host, as the URL is then the likely mistake.
      - A create or update that ends without a clear answer is never sent again; the module
        reads the object back instead.
    type: int
    default: 5
  validate_certs:
    description:
      - Whether to verify the TLS certificate of the OnCall API.
    type: bool
    default: true
requirements:
  - requests >= 2.25
notes:
  - Lists are read 100 objects a page, following the engine's C(next) links (re-based onto
    O(oncall_api_url)).
  - Error messages name the method, path, HTTP status and the engine's message, with the fields
    it complains about; they never include the token.
  - All OnCall modules belong to the action group C(grafana_cloud.platform.oncall), so
    C(module_defaults) can set the connection options once.
"""
