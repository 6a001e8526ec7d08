#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: token
short_description: Manage Grafana Cloud access policy tokens, and rotate them
version_added: 0.1.0
description:
  - Creates, updates, rotates and deletes a token of a Grafana Cloud access policy
    (C(/v1/tokens)).
  - A token is identified by O(region) and O(name); token names are unique in a region.
    Finding it is one request (the API's C(name) and access policy filters). Creating it
    takes one more (the C(POST)) when O(access_policy) is an id, two when it is a name
    (the policy's id is looked up by name).
  - The token's secret is shown by the API only once, when the token is created. This
    module returns it then, and only then, as RV(secret). Later runs return the token's
    metadata without a secret. Run the task with C(no_log) and hand the secret on in the
    same play (see the examples).
  - O(display_name) and the expiry are updated in place. The access policy of a token
    cannot change, so a token of the same name under another policy fails the task.
author:
  - grafana_cloud.platform contributors (@grafana-cloud-platform)
options:
  name:
    description:
      - Name of the token, unique in its region.
      - 1-255 characters of lowercase letters (a-z), numbers (0-9), hyphens and underscores
        (at most 240 with O(keep_old), which adds a suffix to replacements).
    type: str
    required: true
  region:
    description:
      - Region of the token and its access policy, for example V(us) or V(prod-eu-west-2).
    type: str
    required: true
  access_policy:
    description:
      - The access policy the token belongs to, by name or by id (a UUID).
      - An id saves a request on a create (the C(id) that M(grafana_cloud.platform.access_policy)
        returns, for example).
      - Required with O(state=present) and with O(keep_old=true). With O(state=absent) and
        no O(access_policy), the token named O(name) is deleted whatever its policy.
    type: str
  display_name:
    description:
      - Name shown in the Grafana Cloud UI. The API sets it to O(name) when not given.
    type: str
  expires_at:
    description:
      - When the token expires, in ISO 8601 (V(2026-12-31T23:59:59Z), V(2026-12-31)).
      - Must be in the future. Differences under a second are ignored.
      - Without O(expires_at) and O(expires_in) a new token does not expire, and the expiry
        of an existing one is left as it is.
    type: str
  expires_in:
    description:
      - How long the token is valid, counted from its creation, for example V(30d), V(12h)
        or V(1w2d). The wanted expiry of an existing token is its creation time plus
        O(expires_in), so re-runs change nothing.
      - Differences under a minute are ignored (they come from the clocks of this host and
        of Grafana Cloud).
    type: str
  rotate_before:
    description:
      - Replace the token when it expires within this duration (for example V(7d)); a new
        token is created and its secret returned as RV(secret), with RV(rotated=true) and the
        old token in RV(replaced_token).
      - The replacement gets a fresh expiry from O(expires_in), which O(rotate_before) needs.
        An already expired token is replaced too.
    type: str
  force_rotate:
    description:
      - Replace the token on this run whatever its expiry. Every run with V(true) rotates, so
        set it for one run (for example C(-e force_rotate=true)) when a secret leaked.
    type: bool
    default: false
  keep_old:
    description:
      - On rotation, keep the old token until it expires instead of deleting it, so its
        consumers keep working until they got the new secret.
      - Token names are unique in a region and cannot change, so while the old token lives
        the replacement is named O(name) plus a dash and its creation time (C(-20260131120000)).
        The module then looks at all the tokens of O(access_policy) named O(name) or
        O(name)C(-<timestamp>) and manages the newest; O(state=absent) deletes them all.
        Keep O(keep_old) the same on every run of a task.
      - Without it, the old token is deleted first and the replacement takes its name.
    type: bool
    default: false
  state:
    description:
      - V(present) creates or updates the token (and rotates it when asked); V(absent)
        deletes it.
    type: str
    choices: [present, absent]
    default: present
notes:
  - To hand a new secret on, note that the secret exists only in the result of the task that created
    the token. Register the result, and in the next tasks (guarded by
    C(when) C(result.secret is defined)) write it where its consumers read it, for example a
    vault, a Kubernetes secret or a CI variable, all with C(no_log).
  - An expired token is not replaced unless O(rotate_before) or O(force_rotate) is set; the
    module warns about it.
  - If the answer to a create (or a rotation's create) is lost after Grafana Cloud committed it
    (a timeout, a gateway error), the token exists but its secret is gone. The module does not
    create it twice; it fails, with the token in RV(token), and says how to get a new secret
    (O(force_rotate=true) for one run); after a rotation without O(keep_old) it also says that the
    old token was already deleted.
extends_documentation_fragment:
  - grafana_cloud.platform.gcom
  - grafana_cloud.platform.attributes
  - grafana_cloud.platform.attributes.ACTIONGROUP_CLOUD
seealso:
  - module: grafana_cloud.platform.access_policy
  - module: grafana_cloud.platform.token_info
"""

EXAMPLES = r"""
- name: A token for the metrics shipper, valid 90 days
  grafana_cloud.platform.token:
    name: shipper-prod
    region: us
    access_policy: metrics-writers
    expires_in: 90d
  register: shipper_token
  no_log: true

- name: Hand the new secret on, only when it was created in this run
  kubernetes.core.k8s:
    state: present
    definition:
      apiVersion: v1
      kind: Secret
      metadata:
        name: grafana-cloud-token
        namespace: monitoring
      stringData:
        token: "{{ shipper_token.secret }}"
  when: shipper_token.secret is defined
  no_log: true

- name: Rotate the token when it expires within 14 days; keep the old one until it expires
  grafana_cloud.platform.token:
    name: shipper-prod
    region: us
    access_policy: metrics-writers
    expires_in: 90d
    rotate_before: 14d
    keep_old: true
  register: rotation
  no_log: true

- name: Store the replacement in a vault
  community.hashi_vault.vault_write:
    path: secret/data/grafana-cloud/shipper
    data:
      data:
        token: "{{ rotation.secret }}"
  when: rotation is changed and rotation.rotated
  no_log: true

- name: Change the display name and set a fixed expiry
  grafana_cloud.platform.token:
    name: shipper-prod
    region: us
    access_policy: metrics-writers
    display_name: Metrics shipper (prod)
    expires_at: "2027-01-31T00:00:00Z"

- name: Delete the token
  grafana_cloud.platform.token:
    name: shipper-prod
    region: us
    state: absent
"""

RETURN = r"""
token:
  description:
    - The token's metadata as the API returns it, never its secret. Empty after a delete.
    - In check mode, the predicted token.
  returned: always
  type: dict
  contains:
    id:
      description: Id of the token.
      type: str
      sample: 7d3c1e9a-58f3-4c5b-9a3f-0f2e4b1a6c77
    accessPolicyId:
      description: Id of its access policy.
      type: str
      sample: c45485b6-8321-4cf2-bcec-12006df755ff
    name:
      description: Name of the token (with a timestamp suffix after a rotation with O(keep_old)).
      type: str
      sample: shipper-prod
    displayName:
      description: Display name.
      type: str
      sample: Metrics shipper (prod)
    expiresAt:
      description: Expiry time; missing when the token does not expire.
      type: str
      sample: "2026-12-31T23:59:59.000Z"
    createdAt:
      description: Creation time.
      type: str
      sample: "2026-10-02T08:00:00.000Z"
    updatedAt:
      description: Last update time.
      type: str
      sample: "2026-10-02T08:00:00.000Z"
secret:
  description:
    - The token's secret, to authenticate as C(Authorization Bearer <secret>).
    - Returned only by the run that created the token (or its replacement); the API never
      shows it again. Use C(no_log) on the task.
  returned: when a token was created in this run (not in check mode)
  type: str
  sample: glc_eyJvIjoiMTAwMCIsIm4iOiJzaGlwcGVyLXByb2QiLCJrIjoiLi4uIn0
secret_issued_elsewhere:
  description:
    - C(true) when this run lost a race to create the token. Another run (a second pipeline, a
      retried job) created it between this run's lookup and its create, and the API returned the
      secret to that run only, which delivered it to its own destination. This run has no
      RV(secret). The task succeeds with C(changed) false (true in a rotation, or when the token needed an update), and a warning says so and how
      to get a secret if this run needs one (O(force_rotate=true) replaces the token and returns the new secret).
    - C(false) otherwise, also on a run that found the token already there.
  returned: always
  type: bool
  sample: false
rotated:
  description: Whether the token was replaced (or would be, in check mode).
  returned: always
  type: bool
  sample: false
replaced_token:
  description: The metadata of the token that was replaced (deleted, or kept with O(keep_old)).
  returned: when RV(rotated) is true
  type: dict
  sample:
    id: 7d3c1e9a-58f3-4c5b-9a3f-0f2e4b1a6c77
    name: shipper-prod
    expiresAt: "2026-10-10T08:00:00.000Z"
"""

import datetime

from ansible_collections.grafana_cloud.platform.plugins.module_utils._accesspolicies import (
    TOKENS_PATH,
    find_policy_by_name_or_id,
    get_policy,
    looks_like_id,
    name_problem,
    policy_filter,
)
from ansible_collections.grafana_cloud.platform.plugins.module_utils._client import GrafanaCloudAPIError
from ansible_collections.grafana_cloud.platform.plugins.module_utils._gcom import fail_on_problems, gcom_module, run_resource
from ansible_collections.grafana_cloud.platform.plugins.module_utils._pagination import iter_cursor
from ansible_collections.grafana_cloud.platform.plugins.module_utils._resource import CreatedConcurrently, Field, Resource
from ansible_collections.grafana_cloud.platform.plugins.module_utils._rotation import (
    ROTATION_SUFFIX_LENGTH,
    in_family,
    replacement_name,
    rotation_reason,
    validate_rotation,
)
from ansible_collections.grafana_cloud.platform.plugins.module_utils._timeutil import (
    expires_within,
    format_datetime,
    parse_datetime,
    parse_duration,
    utcnow,
)

MAX_FAMILY_NAME = 255 - ROTATION_SUFFIX_LENGTH
EXPIRES_AT_TOLERANCE = 1
EXPIRES_IN_TOLERANCE = 60


class ExpiryField(Field):
    """An expiry time, equal within ``tolerance`` seconds (the API answers milliseconds)."""

    def __init__(self, option, tolerance):
        super(ExpiryField, self).__init__(option)
        self.tolerance = tolerance

    def same(self, current, desired):
        if not current or not desired:
            return current == desired
        gap = parse_datetime(current) - parse_datetime(desired)
        return abs(gap.total_seconds()) <= self.tolerance


class Token(Resource):
    resource_key = "token"
    secret_response_keys = ("token",)

    def __init__(self, module, client):
        super(Token, self).__init__(module, client)
        self.region = self.params["region"]
        self.name = self.params["name"]
        self.access_policy = self.params["access_policy"]
        tolerance = EXPIRES_IN_TOLERANCE if self.params["expires_in"] else EXPIRES_AT_TOLERANCE
        self.fields = (Field("display_name"), ExpiryField("expires_at", tolerance))
        self.family = []
        self.policy_id = None
        self.policy_unverified = False
        self.create_name = self.name

    def describe(self):
        return "token %r in region %r" % (self.name, self.region)

    # -- input -------------------------------------------------------------------------

    def validate(self):
        params = self.params
        problems = [name_problem(self.name, "Token")]
        if params["keep_old"] and len(self.name) > MAX_FAMILY_NAME:
            problems.append("name: with keep_old, it must be at most %d characters: replacements "
                            "get a %d-character suffix." % (MAX_FAMILY_NAME, ROTATION_SUFFIX_LENGTH))
        lifetime = None
        try:
            if params["expires_in"] is not None:
                lifetime = parse_duration(params["expires_in"])
                if lifetime <= 0:
                    problems.append("expires_in must be longer than 0.")
        except ValueError as error:
            problems.append("expires_in: %s." % error)
        problems.append(validate_rotation(params["rotate_before"], lifetime))
        if params["expires_at"] is not None:
            try:
                if parse_datetime(params["expires_at"]) <= utcnow():
                    problems.append("expires_at %s is in the past: give a future time." % params["expires_at"])
            except ValueError as error:
                problems.append("expires_at: %s." % error)
        if params["rotate_before"] and not params["expires_in"]:
            problems.append("rotate_before needs expires_in, so that a replacement gets a fresh expiry.")
        fail_on_problems(self.module, problems)

    def seconds(self, option):
        return parse_duration(self.params[option])

    # -- finding -------------------------------------------------------------------------

    def query(self, **extra):
        # Expired tokens keep their names: they must be seen to be managed.
        return dict(region=self.region, includeExpired="true", **extra)

    def in_family(self, token):
        if self.params["keep_old"]:
            return in_family(token.get("name"), self.name)
        return token.get("name") == self.name

    def find(self):
        if self.access_policy is None:
            self.family = self.list_tokens(name=self.name)
        elif self.params["keep_old"]:
            # Rotated generations have other names: list the policy's tokens (one request
            # for up to 500 of them) and keep this token's family.
            self.family = self.list_tokens(**policy_filter(self.access_policy))
        else:
            self.family = self.list_tokens(name=self.name, **policy_filter(self.access_policy))
        if self.family:
            self.policy_id = self.family[-1].get("accessPolicyId")
            return self.family[-1]
        if self.access_policy is not None and (self.module.check_mode or self.params["state"] == "absent"):
            # A real create learns the same from the POST's 409 (names are unique in a
            # region): see create(). Check mode and state=absent send no POST, so they ask.
            self.fail_if_under_another_policy()
        return None

    def list_tokens(self, **filters):
        tokens = [token for token in iter_cursor(self.client, TOKENS_PATH, self.query(**filters))
                  if self.in_family(token)]
        return sorted(tokens, key=lambda token: token.get("createdAt") or "")

    def fail_if_under_another_policy(self):
        """Only when the policy-filtered lookup found nothing: is the name taken elsewhere?"""
        other = next(iter(self.list_tokens(name=self.name)), None)
        if other is None or (self.policy_id and other.get("accessPolicyId") == self.policy_id):
            # Nothing elsewhere (or a token of this policy, made since the lookup): the API's
            # own answer says more than this check could.
            return
        other_policy = get_policy(self.client, self.region, other["accessPolicyId"]) or {}
        self.fail(msg=(
            "%s belongs to access policy %r (id %s), not to %r. A token cannot move to another "
            "policy: delete it (state: absent, without access_policy) or use another name."
            % (self.describe(), other_policy.get("name", other["accessPolicyId"]),
               other["accessPolicyId"], self.access_policy)))

    def resolve_policy_id(self):
        """The id of ``access_policy`` for a create: one request for a name, none for an id.

        A real run sends an id as it is: the create's answer says if no such policy exists
        (see create()). Check mode has no create to ask, so it reads the policy.
        """
        if self.policy_id:
            return self.policy_id
        if looks_like_id(self.access_policy) and not self.module.check_mode:
            self.policy_id = self.access_policy
            self.policy_unverified = True
            return self.policy_id
        policy = find_policy_by_name_or_id(self.client, self.region, self.access_policy)
        if policy is None:
            message = "Access policy %r not found in region %r." % (self.access_policy, self.region)
            if not self.module.check_mode:
                self.fail(msg=message + " Create it first (grafana_cloud.platform.access_policy).")
            self.warnings.append(message + " A real run fails unless it is created first.")
            return None
        self.policy_id = policy["id"]
        return self.policy_id

    # -- comparing -----------------------------------------------------------------------

    def current_values(self, obj):
        return dict(display_name=obj.get("displayName"), expires_at=obj.get("expiresAt"))

    def desired_values(self, current=None):
        values = super(Token, self).desired_values(current)
        expires_at = self.desired_expiry(self.found)
        if expires_at is not None:
            values["expires_at"] = expires_at
        return values

    def desired_expiry(self, token):
        """The wanted ``expiresAt`` of ``token`` (None: a new one), or None when not managed."""
        if self.params["expires_at"]:
            return format_datetime(parse_datetime(self.params["expires_at"]))
        if self.params["expires_in"]:
            created = parse_datetime(token["createdAt"]) if token and token.get("createdAt") else utcnow()
            return format_datetime(created + datetime.timedelta(seconds=self.seconds("expires_in")))
        return None

    def changes_between(self, current, desired):
        changes = super(Token, self).changes_between(current, desired)
        expiry = changes.get("expires_at")
        if expiry and parse_datetime(expiry) <= utcnow():
            self.fail(msg=(
                "%s: expires_in %s counted from its creation (%s) is %s, in the past. Replace the "
                "token (force_rotate: true) or give expires_at." % (
                    self.describe(), self.params["expires_in"], self.found.get("createdAt"), expiry)))
        return changes

    # -- states ------------------------------------------------------------------------

    def ensure_present(self, found):
        if found is not None and self.wants_rotation(found):
            return self.rotate(found)
        if found is None:
            self.resolve_policy_id()
        elif found.get("expiresAt") and expires_within(found["expiresAt"], 0):
            self.warnings.append("%s expired at %s; set rotate_before or force_rotate to replace it."
                                 % (self.describe(), found["expiresAt"]))
        return super(Token, self).ensure_present(found)

    def generations(self, found):
        return self.family or [found]

    def wants_rotation(self, token):
        return rotation_reason(token.get("expiresAt"), self.params["rotate_before"],
                               self.params["force_rotate"]) is not None

    def rotate(self, old):
        """Create the replacement (secret returned) and delete the old token, or keep it."""
        values = dict(display_name=self.params["display_name"] or old.get("displayName"),
                      expires_at=self.replacement_expiry(old))
        values = dict((key, value) for key, value in values.items() if value is not None)
        self.policy_id = old["accessPolicyId"]
        keep_old = self.params["keep_old"]
        issued_elsewhere = False
        if self.module.check_mode:
            created, secret = self.predict_created(values, self.replacement_name(keep_old)), None
        else:
            if not keep_old:
                # Names are unique in a region: the old token must go before its name is free.
                # A 404 means another run rotating it at the same moment deleted it first.
                self.delete_unless_gone(old)
                self.family = [token for token in self.family if token["id"] != old["id"]]
            try:
                created = self.create_or_adopt(values, name=self.replacement_name(keep_old),
                                               replaced=None if keep_old else old)
            except CreatedConcurrently as race:
                # That other run created the replacement too: its secret went there.
                created, issued_elsewhere = race.adopted, True
            secret = self.secret_of(created)
        result = self.result(True, created, before=self.current_values(old),
                             after=self.current_values(created), secret=secret)
        result.update(rotated=True, replaced_token=self.public(old), secret_issued_elsewhere=issued_elsewhere)
        return result

    def replacement_expiry(self, old):
        if self.params["expires_at"] or self.params["expires_in"]:
            return self.desired_expiry(None)
        if old.get("expiresAt") and old.get("createdAt"):
            # Same lifetime as the token it replaces.
            lifetime = parse_datetime(old["expiresAt"]) - parse_datetime(old["createdAt"])
            return format_datetime(utcnow() + lifetime)
        return None

    def replacement_name(self, keep_old):
        return replacement_name(self.name, [token.get("name") for token in self.family], keep_old)

    # -- writes ------------------------------------------------------------------------

    def create_or_adopt(self, desired, replaced=None, name=None):
        self.create_name = name or self.name
        return super(Token, self).create_or_adopt(desired, replaced=replaced)

    def lost_secret_way_out(self):
        return ("run the task once with force_rotate: true, which replaces the token and returns the new "
                "secret (or run the grafana_cloud.platform.rotate_tokens playbook with "
                "rotate_tokens_within_days longer than the token's lifetime).")

    def find_created(self, values):
        # During a keep_old rotation find() answers the newest token of the family, which is
        # the old one if the create never reached the server: look up the new name only.
        return next(iter(self.list_tokens(name=self.create_name)), None)

    def create(self, values):
        body = dict(name=self.create_name, accessPolicyId=self.resolve_policy_id())
        if values.get("display_name") is not None:
            body["displayName"] = values["display_name"]
        if values.get("expires_at") is not None:
            body["expiresAt"] = values["expires_at"]
        try:
            return self.client.post(TOKENS_PATH, json=body, params=dict(region=self.region))
        except GrafanaCloudAPIError as error:
            self.explain_refused_create(error)
            raise

    def explain_refused_create(self, error):
        """Fail with the reason a create was refused, read only now that it was.

        A 409 ``Conflict``: the name is taken in the region, under another policy (the lookup
        by policy found nothing). Any other 4xx for a policy id sent unread: the policy may
        not exist. Returns when the reads explain nothing (the API error is raised then).
        """
        if error.status is None or not 400 <= error.status < 500 or error.status == 429:
            return
        if error.status == 409 and error.code == "Conflict":
            self.fail_if_under_another_policy()
        elif self.policy_unverified and get_policy(self.client, self.region, self.policy_id) is None:
            self.fail(msg="Access policy %r not found in region %r. Create it first "
                          "(grafana_cloud.platform.access_policy)." % (self.access_policy, self.region))

    def update(self, obj, changes, values):
        body = {}
        if "display_name" in changes:
            body["displayName"] = changes["display_name"]
        if "expires_at" in changes:
            body["expiresAt"] = changes["expires_at"]
        return self.client.post(self.token_path(obj), json=body, params=dict(region=self.region))

    def delete(self, obj):
        self.client.delete(self.token_path(obj), params=dict(region=self.region))

    @staticmethod
    def token_path(obj):
        return "%s/%s" % (TOKENS_PATH, obj["id"])

    # -- check mode and results ----------------------------------------------------------

    def predict_created(self, values, name=None):
        predicted = dict(name=name or self.name, displayName=values.get("display_name") or name or self.name)
        if self.policy_id:
            predicted["accessPolicyId"] = self.policy_id
        if values.get("expires_at"):
            predicted["expiresAt"] = values["expires_at"]
        return predicted

    def predict_updated(self, obj, changes, values):
        predicted = dict(obj)
        if "display_name" in changes:
            predicted["displayName"] = changes["display_name"]
        if "expires_at" in changes:
            predicted["expiresAt"] = changes["expires_at"]
        return predicted

    def result(self, changed, obj, before, after, secret=None):
        result = super(Token, self).result(changed, obj, before, after, secret=secret)
        result.setdefault("rotated", False)
        return result


def main():
    module = gcom_module(
        dict(
            name=dict(type="str", required=True),
            region=dict(type="str", required=True),
            access_policy=dict(type="str"),
            display_name=dict(type="str"),
            expires_at=dict(type="str"),
            expires_in=dict(type="str"),
            rotate_before=dict(type="str", no_log=False),
            force_rotate=dict(type="bool", default=False),
            keep_old=dict(type="bool", default=False),
            state=dict(type="str", default="present", choices=["present", "absent"]),
        ),
        mutually_exclusive=[("expires_at", "expires_in")],
        required_if=[("state", "present", ("access_policy",)), ("keep_old", True, ("access_policy",))],
    )
    run_resource(module, Token)


if __name__ == "__main__":
    main()
