# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""Wiring shared by every Grafana Cloud API module: options, client, error handling."""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible.module_utils.basic import AnsibleModule, env_fallback, missing_required_lib

from ansible_collections.grafana_cloud.platform.plugins.module_utils._client import (
    HAS_REQUESTS,
    REQUESTS_IMPORT_ERROR,
    GrafanaCloudAPIError,
    GrafanaCloudClient,
    base_url_problem,
    transport_argument_spec,
)

DEFAULT_API_URL = "https://grafana.com/api"
TOKEN_ENV = "GRAFANA_CLOUD_ACCESS_POLICY_TOKEN"
URL_ENV = "GRAFANA_CLOUD_API_URL"


def gcom_argument_spec():
    """The options every Grafana Cloud API module takes (documented in the ``gcom`` fragment)."""
    return dict(
        cloud_api_url=dict(type="str", default=DEFAULT_API_URL, fallback=(env_fallback, [URL_ENV])),
        cloud_access_policy_token=dict(type="str", no_log=True, aliases=["cloud_api_key", "existing_cloud_api_key"],
                                       fallback=(env_fallback, [TOKEN_ENV])),
        **transport_argument_spec()
    )


def gcom_module(argument_spec, **kwargs):
    """An AnsibleModule with the shared options added; check mode is always supported."""
    spec = gcom_argument_spec()
    spec.update(argument_spec)
    kwargs.setdefault("supports_check_mode", True)
    return AnsibleModule(argument_spec=spec, **kwargs)


def fail_on_problems(module, problems):
    """Fail before any request when input validation found problems (None entries are fine)."""
    problems = [problem for problem in problems if problem]
    if problems:
        module.fail_json(msg=" ".join(problems))


def gcom_client(module):
    """The module's client; fails the module when requests or the token is missing."""
    if not HAS_REQUESTS:
        module.fail_json(msg=missing_required_lib("requests"), exception=REQUESTS_IMPORT_ERROR)
    params = module.params
    url_problem = base_url_problem("cloud_api_url", params["cloud_api_url"])
    if url_problem:
        module.fail_json(msg=url_problem + " It comes from the option or the %s environment variable." % URL_ENV)
    if not params.get("cloud_access_policy_token"):
        module.fail_json(msg="cloud_access_policy_token: no Grafana Cloud access policy token given: set "
                             "the option or the %s environment variable." % TOKEN_ENV)
    if params["request_timeout"] <= 0:
        module.fail_json(msg="request_timeout must be greater than 0, got %s." % params["request_timeout"])
    if params["max_retries"] < 0:
        module.fail_json(msg="max_retries must be 0 or more, got %s." % params["max_retries"])
    return GrafanaCloudClient(
        base_url=params["cloud_api_url"],
        token=params["cloud_access_policy_token"],
        timeout=params["request_timeout"],
        max_retries=params["max_retries"],
        validate_certs=params["validate_certs"],
    )


def retry_warnings(client):
    """One warning that says how often and why requests were retried, or nothing."""
    if not client or not client.retries:
        return []
    reasons = "; ".join("%s (%s, waited %ss)" % (r["path"], r["reason"], r["waited"]) for r in client.retries)
    return ["Retried %d request(s): %s" % (len(client.retries), reasons)]


def forbidden_hint(error):
    """What a 403 from the Grafana Cloud API means, in the user's terms ('' for other errors)."""
    if error.status != 403 or error.message_id:
        return ""
    return (" The access policy token may not do this: its policy lacks the scope the request needs, "
            "or its realms do not cover this stack (a policy with stack realms acts only on those "
            "stacks, and on nothing at the org level). Check the policy's scopes and realms "
            "(grafana_cloud.platform.access_policy_info).")


def run_module(module, client, work, pending_warnings=None):
    """Run ``work()`` (which returns the result dict) and exit the module with it.

    API errors become ``fail_json`` with method, path, status, code, message and requestId;
    retries and the work's own warnings are reported as warnings.
    """
    try:
        result = work()
    except GrafanaCloudAPIError as error:
        for warning in retry_warnings(client) + list(pending_warnings() if pending_warnings else []):
            module.warn(warning)
        module.fail_json(msg=str(error) + forbidden_hint(error), **error.to_result())
    for warning in retry_warnings(client) + list(result.pop("warnings", [])):
        module.warn(warning)
    module.exit_json(**result)


def run_resource(module, resource_class):
    """Build the client and the resource, run it and exit: the body of a resource module."""
    client = gcom_client(module)
    resource = resource_class(module, client)

    def work():
        result = resource.run()
        result["warnings"] = resource.warnings
        return result

    # Warnings gathered before an API error (deprecations, adoptions) still reach the user.
    run_module(module, client, work, pending_warnings=lambda: resource.warnings)
