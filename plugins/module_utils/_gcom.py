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
    token_source,
    transport_argument_spec,
)

DEFAULT_API_URL = "https://grafana.com/api"
TOKEN_ENV = "GRAFANA_CLOUD_ACCESS_POLICY_TOKEN"
URL_ENV = "GRAFANA_CLOUD_API_URL"
URL_HELP = ("cloud_api_url (or the %s environment variable) must be the Grafana Cloud API's base URL, "
            "ending in /api: %s" % (URL_ENV, DEFAULT_API_URL))


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
        token_origin=token_source(params, "cloud_access_policy_token", TOKEN_ENV),
        url_help=URL_HELP,
    )


def retry_notes(client, extra=()):
    """One line per retried request, for the result's ``retries`` (shown with ``-v``).

    A retry that ended well asks nothing of the user, so it is no warning; one that did not
    end well is in the failure's message ("gave up after N retries").
    """
    notes = ["%s: %s, waited %ss" % (r["path"], r["reason"], r["waited"]) for r in (client.retries if client else [])]
    return notes + list(extra or [])


def exit_with(module, client, result=None, error_result=None):
    """Exit (``result``) or fail (``error_result``, with ``msg``) with the warnings the work
    gathered as warnings and the retries under ``retries``."""
    outcome = dict(error_result if error_result is not None else result)
    for warning in outcome.pop("warnings", []) or []:
        module.warn(warning)
    retries = retry_notes(client, outcome.pop("retries", []))
    if retries:
        outcome["retries"] = retries
    if error_result is not None:
        module.fail_json(**outcome)
    module.exit_json(**outcome)


def forbidden_hint(error):
    """What a 403 from the Grafana Cloud API means, in the user's terms ('' for other errors)."""
    if error.status != 403 or error.message_id:
        return ""
    return (" The access policy token may not do this: its policy lacks the scope the request needs, "
            "or its realms do not cover this stack (a policy with stack realms acts only on those "
            "stacks, and on nothing at the org level). Check the policy's scopes and realms "
            "(grafana_cloud.platform.access_policy_info).")


def run_module(module, client, work, pending_warnings=None, pending_retries=None, explain=forbidden_hint):
    """Run ``work()`` (which returns the result dict) and exit the module with it.

    API errors become ``fail_json`` with method, path, status, code, message and requestId,
    and what ``explain(error)`` adds (by default what a 403 means for an access policy token;
    None for an API whose tokens are no access policy tokens, such as Incident's).
    The work's ``warnings`` are warnings; its ``retries`` and the client's go under
    ``retries``. ``pending_warnings()`` and ``pending_retries()`` give what was gathered when
    an error cut the work short.
    """
    try:
        result = work()
    except GrafanaCloudAPIError as error:
        exit_with(module, client, error_result=dict(
            msg=str(error) + (explain(error) if explain else ""),
            warnings=list(pending_warnings() if pending_warnings else []),
            retries=list(pending_retries() if pending_retries else []),
            **error.to_result()))
    exit_with(module, client, result)


def run_resource(module, resource_class):
    """Build the client and the resource, run it and exit: the body of a resource module."""
    client = gcom_client(module)
    resource = resource_class(module, client)

    def work():
        result = resource.run()
        result["warnings"] = resource.warnings
        result["retries"] = resource.retries
        return result

    # Warnings gathered before an API error (deprecations, adoptions) still reach the user.
    run_module(module, client, work, pending_warnings=lambda: resource.warnings,
               pending_retries=lambda: resource.retries)
