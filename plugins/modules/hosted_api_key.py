#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: hosted_api_key
short_description: Create an API key for the Grafana of a Grafana Cloud stack (deprecated by Grafana)
version_added: 0.1.0
description:
  - Creates an API key of a stack's Grafana (C(POST /instances/{stack}/api/auth/keys)), for
    the Grafana HTTP API of that stack. This is not a Grafana Cloud API key.
  - B(Grafana is retiring API keys in favour of service accounts.) Prefer
    M(grafana_cloud.platform.stack_service_account) and
    M(grafana_cloud.platform.stack_service_account_token); this module exists for setups that
    still need an API key.
  - The key is returned once, under RV(secret), by the run that creates it.
  - The Grafana Cloud API can create these keys but neither read nor delete them. So the
    module has no O(ignore:state) option, and cannot compare an existing key with the task
    (see RV(msg)).
  - B(Grafana 11.3 removed API key creation, and Grafana 12 the endpoints:) such a stack answers
    HTTP 410. The module then creates (or finds, by name) a service account named O(name) with
    O(role), and a token named O(name) for it, and returns that token under RV(secret) where the
    key would be, with a warning that says so. The token works wherever the key did
    (C(Authorization Bearer <secret>)). Set O(service_account_fallback=false) to fail instead.
author:
  - grafana_cloud.platform contributors (@grafana-cloud-platform)
options:
  stack:
    description:
      - Slug (or numeric id) of the stack.
    type: str
    required: true
  name:
    description:
      - Name of the API key, unique in the stack.
    type: str
    required: true
  role:
    description:
      - The Grafana role of the key.
    type: str
    required: true
    choices: [Viewer, Editor, Admin]
  seconds_to_live:
    description:
      - Lifetime of the key in seconds. V(0) or unset means it never expires (unless the
        stack's Grafana sets a maximum).
      - Also the lifetime of the service account token that stands in for the key on Grafana
        11.3 and later.
    type: int
  service_account_fallback:
    description:
      - What to do when the stack's Grafana no longer creates API keys (HTTP 410, Grafana 11.3
        and later).
      - V(true) creates (or finds, by O(name)) a service account with O(role) and a token for
        it, both named O(name), returns the token as RV(secret) and warns. An existing account
        with another role is left alone and the task fails, naming both roles.
      - V(false) fails with a message that points to
        M(grafana_cloud.platform.stack_service_account) and
        M(grafana_cloud.platform.stack_service_account_token).
    type: bool
    default: true
notes:
  - When a key of that name already exists, the API answers HTTP 409 and the module reports
    C(changed=false) without a secret. It cannot read the key, so it can tell neither its role
    nor its expiry, and a different O(role) is not detected. To get a new key, create it under
    a new name and remove the old one in the stack's Grafana.
  - If the answer to the create is lost (a timeout or a gateway error, including the gateway's
    C(503 Loading) with C(Retry-After), which it also answers to requests the stack went on to
    process), the module fails and the key may exist. The API can't read hosted keys, so the
    create is never resent. A re-run then reports it as existing, without its secret. Create a
    key under a new name in that case.
  - In check mode the module reads the stack (C(GET /instances/{stack})). When its
    C(runningVersion) is 11.3 or later it predicts the service account fallback exactly (or fails
    when O(service_account_fallback=false)), reading the service account and its tokens.
    Otherwise it cannot know whether the key exists; it predicts a create and says so in a
    warning.
  - With the fallback, the token also needs the C(stack-service-accounts:write) scope.
  - The access policy token needs the C(stacks:write) scope (the API reference says the
    Admin role).
  - While a new stack is still starting, the Grafana Cloud API answers HTTP 503 with
    C(Retry-After). That answer can't be told from the gateway's after a processed create, so
    the module fails (see above); create the stack with M(grafana_cloud.platform.stack) and
    O(grafana_cloud.platform.stack#module:wait=true) first. The service account fallback waits
    it out, as it can read back what it creates.
seealso:
  - module: grafana_cloud.platform.stack_service_account
  - module: grafana_cloud.platform.stack_service_account_token
extends_documentation_fragment:
  - grafana_cloud.platform.gcom
  - grafana_cloud.platform.attributes
  - grafana_cloud.platform.attributes.ACTIONGROUP_CLOUD
"""

EXAMPLES = r"""
- name: Create an Editor API key that lives one day
  grafana_cloud.platform.hosted_api_key:
    stack: mystack
    name: migration-job
    role: Editor
    seconds_to_live: 86400
  register: hosted_key
  no_log: true

- name: Use the key right away (it is only returned by the run that created it)
  ansible.builtin.uri:
    url: https://mystack.grafana.net/api/dashboards/db
    method: POST
    headers:
      Authorization: "Bearer {{ hosted_key.secret }}"
    body_format: json
    body: "{{ dashboard }}"
  when: hosted_key.secret is defined
  no_log: true
"""

RETURN = r"""
api_key:
  description:
    - The key's metadata, never its secret.
    - C(id), C(name) and C(role) when this run created it; only C(name) when it already existed
      (the API cannot read it); C(name) and C(role) in check mode.
    - With the service account fallback, C(id) is the id of the token.
  returned: always
  type: dict
  contains:
    id:
      description: Id of the key in the stack's Grafana.
      type: int
      sample: 1
    name:
      description: Name of the key.
      type: str
      sample: migration-job
    role:
      description: The role it was created with.
      type: str
      sample: Editor
  sample:
    id: 1
    name: migration-job
    role: Editor
secret:
  description: The API key, for C(Authorization Bearer <secret>) against the stack's Grafana.
  returned: when this run created the key (not in check mode)
  type: str
  sample: eyJrIjoiMWpSRVhRUVJHZlc3NW1laklzV3htQUt0cUxtS3RuWFUiLCJuIjoidGVzdGtleSIsImlkIjoxfQ
service_account:
  description:
    - The service account that stands in for the key, when the stack's Grafana no longer
      creates API keys (see O(service_account_fallback)).
  returned: when the fallback was used (or would be, in check mode)
  type: dict
  sample:
    id: 12
    name: migration-job
    login: sa-migration-job
    role: Editor
    isDisabled: false
msg:
  description: Why nothing changed, when a key (or the token standing in for it) of that name already existed.
  returned: when the key already existed
  type: str
  sample: API key 'migration-job' already exists in stack 'mystack' ...
"""

import re

from ansible_collections.grafana_cloud.platform.plugins.module_utils._client import (
    AmbiguousWriteError,
    GrafanaCloudAPIError,
    is_already_exists,
    is_not_found,
)
from ansible_collections.grafana_cloud.platform.plugins.module_utils._gcom import (
    gcom_client,
    gcom_module,
    run_module,
)
from ansible_collections.grafana_cloud.platform.plugins.module_utils._resource import secret_lost_message
from ansible_collections.grafana_cloud.platform.plugins.module_utils._stack_api import (
    ACCOUNT_EXISTS,
    StackNotFound,
    account_name_taken,
    check_name,
    check_stack,
    find_service_account,
    is_grafana_error,
    stack_error,
    stack_api_path,
    token_name_taken,
)
from ansible_collections.grafana_cloud.platform.plugins.module_utils._stacks import stack_path

# Grafana removed API key creation in 11.3 (and the endpoints in 12): it answers 410 Gone.
API_KEYS_REMOVED_IN = (11, 3)
MOVE_ON = ("grafana_cloud.platform.stack_service_account and grafana_cloud.platform.stack_service_account_token "
           "are the way forward")


def grafana_version(stack):
    """The stack's Grafana version (``runningVersion``) as a tuple, or None when unknown."""
    numbers = re.findall(r"\d+", (stack or {}).get("runningVersion") or "")
    return tuple(int(number) for number in numbers[:3]) or None


class HostedAPIKey:
    def __init__(self, module, client):
        self.module = module
        self.client = client
        self.stack = module.params["stack"]
        self.name = module.params["name"]
        self.role = module.params["role"]
        self.seconds_to_live = module.params["seconds_to_live"]
        self.fallback = module.params["service_account_fallback"]
        self.warnings = []

    def validate(self):
        problems = [check_stack(self.stack), check_name("name", self.name)]
        if self.seconds_to_live is not None and self.seconds_to_live < 0:
            problems.append("seconds_to_live must be 0 or more, got %d" % self.seconds_to_live)
        for problem in problems:
            if problem:
                self.module.fail_json(msg=problem)

    def body(self):
        body = dict(name=self.name, role=self.role)
        if self.seconds_to_live:
            body["secondsToLive"] = self.seconds_to_live
        return body

    def diff(self, changed):
        after = dict(name=self.name, role=self.role, seconds_to_live=self.seconds_to_live or 0)
        return dict(before={}, after=after if changed else {})

    def run(self):
        self.validate()
        if self.module.check_mode:
            return self.predict()
        try:
            created = self.client.post(stack_api_path(self.stack, "auth", "keys"), json=self.body()) or {}
        except AmbiguousWriteError as error:
            self.fail_key_lost(error)
        except GrafanaCloudAPIError as error:
            if is_not_found(error):
                self.module.fail_json(msg=stack_error(self.stack), **error.to_result())
            if error.status == 410:
                return self.keys_gone(error)
            if is_already_exists(error):
                return self.already_exists()
            raise
        public = dict((key, value) for key, value in created.items() if key != "key")
        public.setdefault("role", self.role)
        return self.result(True, public, secret=created.get("key"))

    def fail_key_lost(self, error):
        """The create may have been committed, and the key was in the lost answer.

        Hosted API keys cannot be read back, so the module cannot tell: it says so, and how to
        get a key that works.
        """
        for warning in self.warnings:
            self.module.warn(warning)
        way_out = ("create a key under a new name (a re-run with this name reports the key as existing "
                   "if it was created, without its secret), and delete this one in the stack's Grafana.")
        self.module.fail_json(msg=secret_lost_message("API key %r in stack %r" % (self.name, self.stack), error,
                                                      way_out, certain=False),
                              changed=True, api_key=dict(name=self.name, role=self.role), **error.to_result())

    def already_exists(self):
        result = self.result(False, dict(name=self.name))
        result["msg"] = (
            "API key %r already exists in stack %r. The Grafana Cloud API cannot read hosted API keys, "
            "so its role and expiry were not compared and its secret is not available; create a key "
            "under a new name to get a new secret, or move to service accounts." % (self.name, self.stack))
        return result

    # -- Grafana 11.3 and later: a service account and its token in the key's place --------

    def gone_message(self):
        return ("The Grafana of stack %r no longer creates API keys (HTTP 410: Grafana removed them in "
                "11.3 and their endpoints in 12); %s." % (self.stack, MOVE_ON))

    def keys_gone(self, error):
        if not self.fallback:
            self.module.fail_json(
                msg=self.gone_message() + " Set service_account_fallback: true to have this module create "
                "a service account and a token in the key's place.", **error.to_result())
        account, account_created = self.ensure_account()
        token = self.find_token(account)
        if token is None:
            created = self.create_token(account)
            if created.get("key") is None:
                # Created concurrently by another run: it got the secret, this run found the token.
                token = created
        if token is not None:
            self.fallback_warning(account, account_created, created=False)
            result = self.result(account_created, dict(id=token.get("id"), name=self.name, role=account.get("role")))
            result["service_account"] = self.public_account(account)
            result["msg"] = (
                "Service account %r in stack %r already has its token %r, whose secret Grafana shows only "
                "once. To get a new secret, rotate it with grafana_cloud.platform.stack_service_account_token "
                "(force_rotate: true)." % (self.name, self.stack, self.name))
            return result
        self.fallback_warning(account, account_created, created=True)
        result = self.result(True, dict(id=created.get("id"), name=self.name, role=account.get("role")),
                             secret=created.get("key"))
        result["service_account"] = self.public_account(account)
        return result

    def fallback_warning(self, account, account_created, created):
        what = "created" if account_created else "found"
        token = "created its token %r, returned as secret where the key would be" % self.name
        if not created:
            token = "found its token %r (its secret can't be read again)" % self.name
        self.warnings.append(
            "%s So this run %s service account %r (role %s, id %s) and %s. Update the playbook: %s."
            % (self.gone_message(), what, self.name, account.get("role"), account.get("id"), token, MOVE_ON))

    @staticmethod
    def public_account(account):
        keys = ("id", "name", "login", "role", "isDisabled")
        return dict((key, account.get(key)) for key in keys if key in account)

    def find_account(self):
        try:
            return find_service_account(self.client, self.stack, self.name)
        except StackNotFound:
            self.module.fail_json(msg=stack_error(self.stack))

    def ensure_account(self):
        """The service account named like the key, with its role: (account, created by this run)."""
        account = self.find_account()
        if account is not None:
            if account.get("role") != self.role:
                self.module.fail_json(msg=(
                    "%s Service account %r, which stands in for the key, exists with role %s, not %s; "
                    "it was left as it is. Set its role with grafana_cloud.platform.stack_service_account "
                    "(replace: true) or pick another name." % (self.gone_message(), self.name,
                                                               account.get("role"), self.role)))
            return account, False
        account = self.create_adopting(self.post_account, self.find_account)
        return account, not account.get("adopted")

    def post_account(self):
        body = dict(name=self.name, role=self.role, isDisabled=False)
        try:
            return self.client.post(stack_api_path(self.stack, "serviceaccounts"), json=body)
        except GrafanaCloudAPIError as error:
            if not is_grafana_error(error, ACCOUNT_EXISTS):
                raise
        existing = self.find_account()
        if existing is None:
            self.module.fail_json(msg=account_name_taken(self.stack, self.name))
        self.warnings.append("Service account %r was created concurrently by another run; this run adopted it."
                             % self.name)
        return dict(existing, adopted=True)

    def tokens_path(self, account):
        return stack_api_path(self.stack, "serviceaccounts", account["id"], "tokens")

    def find_token(self, account):
        tokens = self.client.get(self.tokens_path(account)) or []
        return next((token for token in tokens if token.get("name") == self.name), None)

    def create_token(self, account):
        body = dict(name=self.name)
        if self.seconds_to_live:
            body["secondsToLive"] = self.seconds_to_live

        def post():
            try:
                return self.client.post(self.tokens_path(account), json=body) or {}
            except GrafanaCloudAPIError as error:
                if not is_already_exists(error):
                    raise
                # Taken: by another run creating the same token at this moment (adopted, without
                # its secret), or by another account (unique in the org: refused).
                existing = self.find_token(account)
                if existing is None:
                    self.module.fail_json(msg=token_name_taken(self.stack, self.name), **error.to_result())
                self.warnings.append(
                    "The token %r of service account %r was created concurrently by another run, which got "
                    "its secret; this run adopted it." % (self.name, self.name))
                return existing

        def lost():
            if self.find_token(account) is None:
                return None
            self.module.fail_json(msg=(
                "The token %r of service account %r in stack %r was created, but the answer that held "
                "its secret was lost in transit. Delete the token (grafana_cloud.platform."
                "stack_service_account_token with state: absent) and run again to get a new secret."
                % (self.name, self.name, self.stack)))

        return self.create_adopting(post, lost)

    def create_adopting(self, create, find):
        """``create()``; after an unclear answer, ``find()`` first and send again only if it's not there."""
        try:
            return create()
        except AmbiguousWriteError:
            found = find()
            if found is not None:
                return found
            return create()

    def predict(self):
        """Check mode: the stack's Grafana version tells whether a key or a service account is made."""
        try:
            stack = self.client.get_or_none(stack_path(self.stack))
            if stack is None or stack.get("status") in ("deleting", "deleted"):
                # It may come from an earlier task that did not run for real.
                self.warnings.append(stack_error(self.stack) + " Check mode predicts the key would be created in it.")
        except GrafanaCloudAPIError:
            stack = None  # e.g. a token without stacks:read: fall back to the old prediction
        version = grafana_version(stack)
        if stack is None or version is None or version < API_KEYS_REMOVED_IN:
            self.warnings.append(
                "Check mode cannot know whether API key %r exists in stack %r: the Grafana Cloud API "
                "has no way to read hosted API keys. It predicts a create." % (self.name, self.stack))
            return self.result(True, dict(name=self.name, role=self.role))
        if not self.fallback:
            self.module.fail_json(msg=self.gone_message() + " Set service_account_fallback: true to have "
                                  "this module create a service account and a token in the key's place.")
        account = self.find_account()
        if account is not None and account.get("role") != self.role:
            return self.ensure_account()  # fails, naming the difference
        token = self.find_token(account) if account is not None else None
        self.warnings.append(
            "%s A real run would %s service account %r (role %s) and %s." % (
                self.gone_message(), "use the existing" if account else "create", self.name, self.role,
                "find its token %r" % self.name if token else "create its token %r" % self.name))
        result = self.result(token is None, dict(name=self.name, role=self.role))
        result["service_account"] = self.public_account(account or dict(name=self.name, role=self.role))
        return result

    def result(self, changed, api_key, secret=None):
        result = dict(changed=changed, api_key=api_key, warnings=self.warnings)
        if secret:
            result["secret"] = secret
        if self.module._diff:
            result["diff"] = self.diff(changed)
        return result


def main():
    module = gcom_module(dict(
        stack=dict(type="str", required=True),
        name=dict(type="str", required=True),
        role=dict(type="str", required=True, choices=["Viewer", "Editor", "Admin"]),
        seconds_to_live=dict(type="int"),
        service_account_fallback=dict(type="bool", default=True),
    ))
    client = gcom_client(module)
    run_module(module, client, HostedAPIKey(module, client).run)


if __name__ == "__main__":
    main()
