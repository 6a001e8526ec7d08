#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: stack_service_account_token
short_description: Manage a token of a service account inside a Grafana Cloud stack
version_added: 0.1.0
description:
  - Creates, rotates or deletes a token of a service account of a stack's Grafana, through the
    Grafana Cloud API (C(/instances/{stack}/api/serviceaccounts/{id}/tokens)).
  - The token's secret (C(glsa_...)) is returned once, under RV(secret), by the run that
    creates the token. Grafana never shows it again; a later run returns the token's metadata
    with C(changed=false) and no secret. Register the result with C(no_log=true) and store the
    secret where its consumer reads it (a vault, a CI secret) in the same play.
  - The token is identified by O(stack), O(service_account) (or O(service_account_id)) and
    O(name). Two requests find it, one search for the service account and one listing of its
    tokens; with O(service_account_id), one (the listing).
  - A token can't be changed after creation. Its lifetime (O(seconds_to_live) or O(expires_in))
    applies when it is created; to get a new one, rotate the token.
author:
  - grafana_cloud.platform contributors (@grafana-cloud-platform)
options:
  stack:
    description:
      - Slug (or numeric id) of the stack.
    type: str
    required: true
  service_account:
    description:
      - Name of the service account that owns the token (see
        M(grafana_cloud.platform.stack_service_account)).
      - One of O(service_account) and O(service_account_id) is required.
    type: str
  service_account_id:
    description:
      - Id of the service account that owns the token, for example the C(id) that
        M(grafana_cloud.platform.stack_service_account) returned earlier in the play.
      - Saves the search for the service account by name on every run.
    type: int
  name:
    description:
      - Name of the token. Grafana keeps token names unique across all service accounts of the
        stack's Grafana.
      - At most 190 characters (175 with O(keep_old), which adds a suffix to replacements).
    type: str
    required: true
  seconds_to_live:
    description:
      - Lifetime of a new token in seconds, counted from its creation. V(0) or unset means the
        token never expires (unless the stack's Grafana sets a maximum).
      - Mutually exclusive with O(expires_in).
    type: int
  expires_in:
    description:
      - Lifetime of a new token as a duration, for example V(30d), V(12h) or V(1w2d).
      - Mutually exclusive with O(seconds_to_live).
    type: str
  rotate_before:
    description:
      - A duration such as V(7d). When the existing token expires within it (or has
        expired), the token is rotated; a token that never expires is never rotated by this rule.
      - Must be shorter than the token's lifetime, or every run would rotate it.
    type: str
  force_rotate:
    description:
      - Rotate the existing token whatever its expiry.
    type: bool
    default: false
  keep_old:
    description:
      - On rotation, keep the old token instead of deleting it first, so its consumers keep
        working until they got the new secret. The old token is in RV(replaced_token); delete
        it once the new secret is delivered (O(state=absent) with O(name) set to its name, see
        the examples), or leave it until it expires.
      - Grafana refuses two tokens of one name and cannot rename one, so while the old token
        lives the replacement is named O(name) plus a dash and its creation time
        (C(-20260131120000)). The module then looks at all the tokens of the service account
        named O(name) or O(name)C(-<timestamp>) and manages the newest; O(state=absent) deletes
        them all. Keep O(keep_old) the same on every run of a task.
      - Without it, the old token is deleted first and the replacement takes its name.
    type: bool
    default: false
  state:
    description:
      - V(present) creates the token if it does not exist (and rotates it when O(rotate_before)
        or O(force_rotate) say so); V(absent) deletes it.
    type: str
    choices: [present, absent]
    default: present
notes:
  - Without O(keep_old), rotation deletes the old token first and then creates a new one with the
    same name and a new secret (Grafana refuses two tokens with one name). Consumers of the old
    secret lose access until they get the new one. With O(keep_old), the replacement is created
    first and the old token keeps working until it is deleted.
  - If the answer to a create is lost after Grafana committed it (a timeout, a gateway error), the
    token exists but its secret is gone. The module does not create it twice; it fails, with the
    token in RV(token), and says how to get a new secret (O(force_rotate=true) for one run), and,
    after a rotation without O(keep_old), that the old token was already deleted.
  - The access policy token needs the C(stack-service-accounts:write) scope.
  - While a new stack is still starting, the Grafana Cloud API answers HTTP 503 with
    C(Retry-After); the module waits it out within the retry budget and reports it as a warning.
seealso:
  - module: grafana_cloud.platform.stack_service_account
extends_documentation_fragment:
  - grafana_cloud.platform.gcom
  - grafana_cloud.platform.attributes
  - grafana_cloud.platform.attributes.ACTIONGROUP_CLOUD
"""

EXAMPLES = r"""
- name: A token that lives 30 days, rotated when a week is left (the old one kept until delivered)
  grafana_cloud.platform.stack_service_account_token:
    stack: mystack
    service_account: dashboards-ci
    name: ci-token
    expires_in: 30d
    rotate_before: 7d
    keep_old: true
  register: sa_token
  no_log: true

- name: Hand a new secret on to the consumer (only when this run created one)
  ansible.builtin.copy:
    content: "{{ sa_token.secret }}"
    dest: /etc/dashboards-ci/grafana-token
    mode: "0600"
  when: sa_token.secret is defined
  no_log: true

- name: Delete the token it replaced, now that its successor is delivered
  grafana_cloud.platform.stack_service_account_token:
    stack: mystack
    service_account: dashboards-ci
    name: "{{ sa_token.replaced_token.name }}"
    state: absent
  when: sa_token.rotated and sa_token.secret is defined

- name: The service account, created or found
  grafana_cloud.platform.stack_service_account:
    stack: mystack
    name: dashboards-ci
    role: Editor
  register: account

- name: A token of it, the account named by id (one request fewer on every run)
  grafana_cloud.platform.stack_service_account_token:
    stack: mystack
    service_account_id: "{{ account.service_account.id }}"
    name: deploy-token
    expires_in: 30d
  register: deploy_token
  no_log: true

- name: Rotate now, whatever the expiry (without keep_old, the old token is deleted first)
  grafana_cloud.platform.stack_service_account_token:
    stack: mystack
    service_account_id: "{{ account.service_account.id }}"
    name: deploy-token
    expires_in: 30d
    force_rotate: true
  register: deploy_token
  no_log: true

- name: Delete the token
  grafana_cloud.platform.stack_service_account_token:
    stack: mystack
    service_account: dashboards-ci
    name: deploy-token
    state: absent
"""

RETURN = r"""
token:
  description:
    - The token's metadata, never its secret. Empty after O(state=absent).
    - When the token was found, the fields of the API's token listing. When this run created
      it, C(id) and C(name) from the API, with C(expiration) computed from the lifetime.
  returned: always
  type: dict
  contains:
    id:
      description: Id of the token.
      type: int
      sample: 7
    name:
      description: Name of the token (with a timestamp suffix after a rotation with O(keep_old)).
      type: str
      sample: ci-token
    expiration:
      description: When the token expires (ISO 8601). Absent when it never expires.
      type: str
      sample: "2026-12-31T12:00:00.000Z"
    hasExpired:
      description: Whether the token has expired.
      type: bool
      sample: false
    created:
      description: When the token was created (only for a token found, not created, by this run).
      type: str
      sample: "2026-12-01T12:00:00.000Z"
  sample:
    id: 7
    name: ci-token
    created: "2026-12-01T12:00:00.000Z"
    expiration: "2026-12-31T12:00:00.000Z"
    hasExpired: false
    secondsUntilExpiration: 2592000
    isRevoked: false
secret:
  description:
    - The token's secret, to use as C(Authorization Bearer <secret>) against the stack's
      Grafana HTTP API.
    - Only in the result of the run that created (or rotated) the token; never again.
  returned: when the token was created or rotated by this run (not in check mode)
  type: str
  sample: glsa_yscW25imSKJIuav8zF37RZmnbiDvB05G_fcaaf58a
secret_issued_elsewhere:
  description:
    - C(true) when this run lost a race to create the token. Another run (a second pipeline, a
      retried job) created it between this run's lookup and its create, and the API returned the
      secret to that run only, which delivered it to its own destination. This run has no
      RV(secret). The task succeeds with C(changed) false (true in a rotation), and a warning says so and how
      to get a secret if this run needs one (O(force_rotate=true) replaces the token and returns a new secret).
    - C(false) otherwise, also on a run that found the token already there.
  returned: always
  type: bool
  sample: false
rotated:
  description: Whether this run replaced an existing token (or would, in check mode).
  returned: when O(state=present)
  type: bool
  sample: false
replaced_token:
  description:
    - The metadata of the token that was replaced, never its secret.
    - Without O(keep_old) it was deleted before its replacement was created. With O(keep_old) it
      still exists and works; delete it by its C(name) once the new secret is delivered.
  returned: when RV(rotated) is true
  type: dict
  sample:
    id: 7
    name: ci-token
    expiration: "2026-12-31T12:00:00.000Z"
"""

import datetime

from ansible_collections.grafana_cloud.platform.plugins.module_utils._gcom import gcom_module, run_resource
from ansible_collections.grafana_cloud.platform.plugins.module_utils._resource import CreatedConcurrently, Resource
from ansible_collections.grafana_cloud.platform.plugins.module_utils._rotation import (
    ROTATION_SUFFIX_LENGTH,
    in_family,
    replacement_name,
    rotation_reason,
    validate_rotation,
)
from ansible_collections.grafana_cloud.platform.plugins.module_utils._stack_api import (
    NAME_MAX_LENGTH,
    StackNotFound,
    check_name,
    token_name_taken,
    check_stack,
    find_service_account,
    stack_error,
    stack_api_path,
)
from ansible_collections.grafana_cloud.platform.plugins.module_utils._timeutil import (
    UTC,
    format_datetime,
    parse_datetime,
    parse_duration,
    utcnow,
)

EPOCH = datetime.datetime(1970, 1, 1, tzinfo=UTC)


def server_now(token):
    """The stack's "now", from a listed token's expiry and seconds until it (None if unknown).

    Deciding with the server's clock keeps a skewed local clock from rotating too early or late.
    """
    remaining = token.get("secondsUntilExpiration")
    if not token.get("expiration") or remaining is None or token.get("hasExpired"):
        return None
    return parse_datetime(token["expiration"]) - datetime.timedelta(seconds=float(remaining))


def creation_order(token):
    """Sort key, oldest first: the creation time, then the id (Grafana counts ids up)."""
    created = token.get("created")
    return (parse_datetime(created) if created else EPOCH, token.get("id") or 0)


class StackServiceAccountToken(Resource):
    resource_key = "token"
    secret_response_keys = ("key",)

    def __init__(self, module, client):
        super(StackServiceAccountToken, self).__init__(module, client)
        self.stack = self.params["stack"]
        self.account_name = self.params["service_account"]
        self.account_id = self.params["service_account_id"]
        self.name = self.params["name"]
        self.account = None
        self.stack_missing = False
        self.rotated = False
        self.lifetime = None
        # The token and its keep_old replacements, oldest first; the name a create sends.
        self.family = []
        self.create_name = self.name

    def describe(self):
        return "token %r of %s in stack %r" % (self.name, self.account_label(), self.stack)

    def account_label(self):
        if self.account_name is None:
            return "service account id %s" % self.account_id
        return "service account %r" % self.account_name

    # -- input ---------------------------------------------------------------------------

    def validate(self):
        problems = [check_stack(self.stack), check_name("name", self.name)]
        if self.params["keep_old"] and len(self.name) > NAME_MAX_LENGTH - ROTATION_SUFFIX_LENGTH:
            problems.append("name: with keep_old, it must be at most %d characters: replacements get a "
                            "%d-character suffix." % (NAME_MAX_LENGTH - ROTATION_SUFFIX_LENGTH, ROTATION_SUFFIX_LENGTH))
        if self.account_name is not None:
            problems.append(check_name("service_account", self.account_name))
        elif self.account_id <= 0:
            problems.append("service_account_id must be a positive number, got %d" % self.account_id)
        problems.append(self.check_lifetime())
        problems.append(validate_rotation(self.params["rotate_before"], self.lifetime))
        for problem in problems:
            if problem:
                self.fail(msg=problem)

    def check_lifetime(self):
        """Sets ``self.lifetime`` (seconds, or None); a message when the input is wrong."""
        seconds, duration = self.params["seconds_to_live"], self.params["expires_in"]
        if seconds is not None:
            if seconds < 0:
                return "seconds_to_live must be 0 or more, got %d" % seconds
            self.lifetime = seconds or None
        elif duration is not None:
            try:
                self.lifetime = parse_duration(duration) or None
            except ValueError as error:
                return "expires_in: %s" % error
        return None

    # -- lookups -------------------------------------------------------------------------

    def find(self):
        if self.account_name is None:
            return self.find_by_account_id()
        try:
            self.account = find_service_account(self.client, self.stack, self.account_name)
        except StackNotFound:
            self.stack_missing = True
            return None
        if self.account is None:
            return None
        tokens = self.client.get(self.tokens_path()) or []
        return self.token_named(tokens)

    def find_by_account_id(self):
        """One request: the account's tokens. A 404 means the account or the stack is missing."""
        self.account = dict(id=self.account_id)
        tokens = self.client.get_or_none(self.tokens_path())
        if tokens is None:
            self.account = None
            return None
        return self.token_named(tokens)

    def token_named(self, tokens):
        """The newest token of the family (with keep_old, the token and its replacements)."""
        self.family = sorted((token for token in tokens or [] if self.in_family(token)), key=creation_order)
        return self.family[-1] if self.family else None

    def in_family(self, token):
        if self.params["keep_old"]:
            return in_family(token.get("name"), self.name)
        return token.get("name") == self.name

    def tokens_path(self, *parts):
        return stack_api_path(self.stack, "serviceaccounts", self.account["id"], "tokens", *parts)

    def current_values(self, obj):
        return dict(name=obj.get("name"), expiration=obj.get("expiration"))

    def desired_values(self, current=None):
        return dict(name=self.create_name, expiration=self.predicted_expiration())

    def predicted_expiration(self):
        if not self.lifetime:
            return None
        return format_datetime(utcnow() + datetime.timedelta(seconds=self.lifetime))

    # -- writes --------------------------------------------------------------------------

    def create(self, values):
        body = dict(name=self.create_name)
        if self.lifetime:
            body["secondsToLive"] = self.lifetime
        created = self.client.post(self.tokens_path(), json=body) or {}
        return self.with_expiry(created)

    def refused_but_absent_message(self, error):
        # Refused as taken (the engine read this account's tokens again): another account has it.
        return token_name_taken(self.stack, self.create_name)

    def find_created(self, values):
        # During a keep_old rotation find() answers the newest of the family, which is the old
        # token if the create never reached Grafana: look for the name this create sent.
        tokens = self.client.get(self.tokens_path()) or []
        return next((token for token in tokens if token.get("name") == self.create_name), None)

    def with_expiry(self, token):
        """The create answer has no expiry: add the one the lifetime gives."""
        token = dict(token, hasExpired=False)
        expiration = self.predicted_expiration()
        if expiration:
            token["expiration"] = expiration
        return token

    def delete(self, obj):
        self.client.delete(self.tokens_path(obj["id"]))

    def predict_created(self, values):
        return self.with_expiry(dict(name=self.create_name))

    # -- states --------------------------------------------------------------------------

    def ensure_present(self, found):
        if self.account is None:
            return self.without_account()
        if found is None:
            return self.ensure_created()
        reason = rotation_reason(found.get("expiration"), self.params["rotate_before"],
                                 self.params["force_rotate"], now=server_now(found))
        if reason:
            return self.rotate(found, reason)
        if found.get("hasExpired"):
            self.warnings.append("%s has expired; set rotate_before or force_rotate to replace it."
                                 % self.describe())
        current = self.current_values(found)
        return self.result(False, found, before=current, after=current)

    def generations(self, found):
        return self.family or [found]

    def without_account(self):
        if self.stack_missing:
            message = stack_error(self.stack)
        elif self.account_name is None:
            message = ("Service account id %s or stack %r does not exist: create them first "
                       "(grafana_cloud.platform.stack_service_account, grafana_cloud.platform.stack)."
                       % (self.account_id, self.stack))
        else:
            message = ("Service account %r does not exist in stack %r: create it first with "
                       "grafana_cloud.platform.stack_service_account." % (self.account_name, self.stack))
        if not self.module.check_mode:
            self.fail(msg=message)
        # In check mode the stack or account may come from an earlier task that did not run for real.
        self.warnings.append(message + " Check mode predicts the token would be created with it.")
        return self.result(True, self.predict_created({}), before={}, after=self.desired_values())

    def rotate(self, found, reason):
        self.rotated = True
        keep_old = self.params["keep_old"]
        # Grafana refuses two tokens of one name: while the old one lives, the replacement's
        # name carries its creation time (keep_old); otherwise the old one goes first.
        self.create_name = replacement_name(self.name, [token.get("name") for token in self.family], keep_old)
        before, after = self.current_values(found), self.desired_values()
        if self.module.check_mode:
            return self.replaced(found, self.result(True, self.predict_created({}), before=before, after=after))
        if not keep_old:
            # A 404 means another run rotating it at the same moment deleted it first.
            self.delete_unless_gone(found)
        try:
            created = self.create_or_adopt(after, replaced=None if keep_old else found)
        except CreatedConcurrently as race:
            # That other run created the replacement too: its secret went there.
            result = self.result(True, race.adopted, before=before, after=after)
            result["secret_issued_elsewhere"] = True
            return self.replaced(found, result)
        then = (", then delete the old token %r (id %s), which still works" % (found.get("name"), found.get("id"))
                if keep_old else "")
        self.warnings.append("Rotated %s because %s; hand the new secret on%s." % (self.describe(), reason, then))
        result = self.result(True, created, before=before, after=after, secret=self.secret_of(created))
        return self.replaced(found, result)

    def replaced(self, old, result):
        """A rotation's result names the token it replaced (deleted, or kept with keep_old)."""
        result["replaced_token"] = self.public(old)
        return result

    def lost_secret_way_out(self):
        if self.params["keep_old"]:
            return ("run the task once with force_rotate: true, which creates a replacement with a new "
                    "secret next to the token (keep_old).")
        return ("run the task once with force_rotate: true, which deletes the token and creates it "
                "again with a new secret.")

    def result(self, changed, obj, before, after, secret=None):
        result = super(StackServiceAccountToken, self).result(changed, obj, before, after, secret=secret)
        if self.params["state"] == "present":
            result["rotated"] = self.rotated
        return result


def main():
    module = gcom_module(
        dict(
            stack=dict(type="str", required=True),
            service_account=dict(type="str"),
            service_account_id=dict(type="int"),
            name=dict(type="str", required=True),
            seconds_to_live=dict(type="int"),
            expires_in=dict(type="str"),
            rotate_before=dict(type="str", no_log=False),
            force_rotate=dict(type="bool", default=False, no_log=False),
            keep_old=dict(type="bool", default=False, no_log=False),
            state=dict(type="str", choices=["present", "absent"], default="present"),
        ),
        mutually_exclusive=[("seconds_to_live", "expires_in"), ("service_account", "service_account_id")],
        required_one_of=[("service_account", "service_account_id")],
    )
    run_resource(module, StackServiceAccountToken)


if __name__ == "__main__":
    main()
