# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Filters for the secrets destinations of the roles, answered on the controller.

A role checks where its secrets go before it issues any: with these filters that check is
a few file-system calls in the controller's process, not a module process per path (the
``stat`` tasks it replaces started 2 + N of them).
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import os
import re

import yaml

from ansible.errors import AnsibleError, AnsibleFilterError
from ansible.module_utils.common.text.converters import to_bytes, to_text
from ansible.parsing.vault import VaultLib, VaultSecret


def _check_path(path, filter_name):
    if not isinstance(path, str) or not path.strip():
        raise AnsibleFilterError("%s: expected a path, got %r" % (filter_name, path))


def resolve_path(path):
    """``path`` with ``~`` expanded, absolute: a relative path is taken from the directory
    ``ansible-playbook`` was started from (the controller's working directory), never from a
    folder of the playbook or of the collection."""
    _check_path(path, "resolve_path")
    return os.path.abspath(os.path.expanduser(path))


def write_problem(path):
    """Why the file ``path`` could not be written by this user, or ``''`` when it can.

    The file may exist (a file, not a folder, writable) or not; then its folder, or the
    nearest existing folder above it (missing folders are created), must be a writable folder.
    """
    _check_path(path, "write_problem")
    path = resolve_path(path)
    if os.path.isdir(path):
        return "it is a folder"
    if os.path.exists(path):
        return "" if os.access(path, os.W_OK) else "the file is not writable by this user"
    folder = os.path.dirname(path)
    while not os.path.lexists(folder):
        folder = os.path.dirname(folder)
    if not os.path.isdir(folder):
        return "%s is not a folder" % folder
    if not os.access(folder, os.W_OK | os.X_OK):
        return "the folder %s is not writable by this user" % folder
    return ""


def read_vault_file(path, vault_secret, vault_id="default"):
    """The decrypted text of the vault-encrypted file ``path`` (the ``file`` lookup would
    want the secret among the play's vault secrets; the roles take it as a variable)."""
    _check_path(path, "read_vault_file")
    with open(resolve_path(path), "rb") as handle:
        data = handle.read()
    vault = VaultLib([(vault_id or "default", VaultSecret(to_bytes(vault_secret)))])
    try:
        return to_text(vault.decrypt(data))
    except AnsibleError as error:
        raise AnsibleFilterError("read_vault_file: %s cannot be decrypted with the vault secret given: %s"
                                 % (path, to_text(error)))


# The lines of a secrets env file (credentials.env.j2 of stack_bootstrap): KEY=VALUE.
_ENV_LINE = re.compile(r"^([A-Z0-9_]+)=(.*)$")
_TOKEN_NAME_KEY = re.compile(r"^(GRAFANA_CLOUD_TOKEN_.+)_NAME$")


def _held_in_env(text):
    """What an env file written by stack_bootstrap holds: every access policy token as
    GRAFANA_CLOUD_TOKEN_<KEY> (its secret), <KEY>_ID and <KEY>_NAME (its name); the agents'
    token name as GRAFANA_CLOUD_TOKEN_NAME; the service account token as GRAFANA_SA_TOKEN(_ID)."""
    env = {}
    for line in text.splitlines():
        match = _ENV_LINE.match(line)
        if match:
            env[match.group(1)] = match.group(2)
    tokens, token_ids = {}, {}
    for key, name in env.items():
        prefix = _TOKEN_NAME_KEY.match(key)
        # A token without its secret line holds nothing usable: it is not held (a repair follows).
        if prefix and prefix.group(1) in env:
            tokens[name] = env[prefix.group(1)]
            if prefix.group(1) + "_ID" in env:
                token_ids[name] = env[prefix.group(1) + "_ID"]
    service_account_token = None
    if "GRAFANA_SA_TOKEN" in env:
        service_account_token = {"id": env.get("GRAFANA_SA_TOKEN_ID", ""), "secret": env["GRAFANA_SA_TOKEN"]}
    return {"tokens": tokens, "token_ids": token_ids, "agents_token": env.get("GRAFANA_CLOUD_TOKEN_NAME", ""),
            "service_account_token": service_account_token}


def read_secrets_file(path, vault_secret=None, vault_id="default"):
    """What the secrets file ``path`` of a role holds, read in one call on the controller:
    an env file, or with ``vault_secret`` a vault-encrypted YAML file (as written). A file
    that does not exist holds nothing: ``{tokens: {}, service_account_token: None}``."""
    _check_path(path, "read_secrets_file")
    if not os.path.isfile(resolve_path(path)):
        return {"tokens": {}, "service_account_token": None}
    if vault_secret:
        held = yaml.safe_load(read_vault_file(path, vault_secret, vault_id)) or {}
        if not isinstance(held, dict):
            raise AnsibleFilterError("read_secrets_file: %s does not hold a YAML mapping" % path)
        return held
    with open(resolve_path(path), "rb") as handle:
        return _held_in_env(to_text(handle.read(), errors="surrogate_or_strict"))


class FilterModule(object):
    def filters(self):
        return {"resolve_path": resolve_path, "write_problem": write_problem, "read_vault_file": read_vault_file,
                "read_secrets_file": read_secrets_file}
