# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""What lets a task written for ``grafana.grafana``'s cloud modules run after a rename.

Option names are carried by aliases in each module's argument spec. This file holds the rest:
options of theirs that mean nothing here (accepted, with a deprecation that says why), and
the flat return keys their modules returned, derived from our singular resource key.

What their modules returned is taken from grafana.grafana 6.0.6 and 6.1.0 (the same for
``cloud_api_key`` and ``cloud_plugin`` in both; ``cloud_stack`` moved to ``/api/v1/stacks`` in
6.1.0 and kept its return keys). docs/migrating.md lists them state by state.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

COLLECTION = "grafana_cloud.platform"
#: The release that stops accepting the options below.
REMOVED_IN = "2.0.0"


def deprecate_ignored_options(module, reasons):
    """One deprecation per option of ``reasons`` (option -> why it is ignored) that is set."""
    for option, reason in sorted(reasons.items()):
        if module.params.get(option) is not None:
            module.deprecate(
                "The option %s is accepted only so that tasks written for grafana.grafana run "
                "unchanged; it is ignored: %s Remove it from the task." % (option, reason),
                version=REMOVED_IN, collection_name=COLLECTION)


#: ``output`` of grafana.grafana.cloud_api_key when the key already existed (HTTP 409 to its
#: create; with ``fail_if_already_created: true``, its default, the same text was the failure).
API_KEY_EXISTS = "A Cloud API key with the same name already exists"
#: ``output`` of grafana.grafana.cloud_api_key after a delete.
API_KEY_DELETED = "Cloud API key is deleted"


def legacy_api_key_output(state, changed, key, secret):
    """The ``output`` grafana.grafana.cloud_api_key returned, or None where it returned none.

    On a create, the API's answer: the key's fields and its ``token`` (the secret, shown once);
    on an existing key, and after a delete, a message. A delete of a key that was not there
    failed there (HTTP 404), so it has no ``output`` to match and gets none.
    """
    if state == "absent":
        return API_KEY_DELETED if changed else None
    if not changed:
        return API_KEY_EXISTS
    output = dict(key or {})
    if secret is not None:
        output["token"] = secret
    return output


def legacy_stack_keys(stack):
    """The flat keys grafana.grafana.cloud_stack returned, from a stack object."""
    if not stack:
        return {}
    return dict(
        url=stack.get("url"),
        id=stack.get("id"),
        orgID=stack.get("orgId"),
        cluster_slug=stack.get("clusterName") or stack.get("clusterSlug"),
        prometheus_url=stack.get("hmInstancePromUrl"),
        loki_url=stack.get("hlInstanceUrl"),
        tempo_url=stack.get("htInstanceUrl"),
        alertmanager_url=stack.get("amInstanceUrl"),
        alertmanager_name=stack.get("amInstanceName"),
        delete_protection=stack.get("deleteProtection"),
    )


def legacy_plugin_keys(plugin):
    """The flat keys grafana.grafana.cloud_plugin returned, from an installed plugin."""
    if not plugin:
        return {}
    return dict(
        pluginId=plugin.get("pluginId"),
        pluginName=plugin.get("pluginName"),
        pluginSlug=plugin.get("pluginSlug"),
        current_version=plugin.get("version"),
        latest_version=plugin.get("latestVersion"),
    )
