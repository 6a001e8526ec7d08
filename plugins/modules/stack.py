#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: stack
short_description: Create, update and delete Grafana Cloud stacks
version_added: 0.1.0
description:
  - Creates a Grafana Cloud stack, waits until it reports ready, updates its name,
    description, labels, custom domain and delete protection in place, restarts its Grafana and
    deletes it.
  - Writes go to the API's C(/v1/stacks) family, where Terraform's C(grafana_cloud_stack) and
    C(grafana.grafana.cloud_stack) 6.1.0 moved theirs. Before a create, C(POST /v1/stacks/checkUrl)
    asks whether the slug is free (in check mode too); a slug the API refuses (held by another
    organization's stack) fails the task with the API's reason, and nothing is created. The create
    (C(POST /v1/stacks)) names the org of the access policy token (its slug, read once with
    C(GET /orgs/{id})). Updates and deletes go to C(/v1/stacks/{id}), readiness is polled at
    C(/v1/stacks/{id}/readiness).
  - Reads stay on C(GET /instances/{slug}), one request, because the v1 stack object holds ten fields, without
    the status, the databases (their URLs and user ids) and the cluster this module returns. After
    a v1 create, the new stack is read there once. A restart has no v1 route
    (C(POST /instances/{slug}/restart)).
  - When a C(/v1/stacks) call answers 404 (an API that does not serve that family), the module
    uses C(/instances) for every later write of the run, and says so in a warning. So does a create
    with a token that names no org, or whose org it may not read (a policy without C(orgs:read),
    which C(GET /orgs/{id}) needs).
  - A new stack has delete protection on unless O(delete_protection=false) says otherwise,
    as with Terraform's C(grafana_cloud_stack) and C(grafana.grafana.cloud_stack) 6.1.0 (6.0.6
    created its stacks unprotected when the option was left out). Check mode predicts it.
  - The stack is found by O(slug) with one request. A re-run that changes nothing sends that
    one read and reports no change; an update sends only the fields that differ.
  - The returned RV(stack) keeps the field names of the C(/instances) stack object whatever
    surface answered; the v1 object's C(region) is RV(stack.regionSlug).
  - A stack whose status is C(deleted) counts as absent. A slug deleted recently is refused
    by the API for a while (HTTP 409 asking to wait some seconds); the module waits as asked,
    within O(wait_timeout), and creates the stack again. When the refusal names no wait
    (HTTP 409 "Grafana stack with the same slug already exists"), the create is retried with a
    growing interval, within O(wait_timeout).
  - A create that ends without a clear answer (a timeout or a 5xx, including the gateway's
    C(503 Loading) with C(Retry-After)) is resolved by reading the slug. A stack the server did
    create is adopted, never created twice; the create is sent once more only when the read
    shows no stack.
author:
  - grafana_cloud.platform contributors (@grafana-cloud-platform)
options:
  slug:
    description:
      - The stack's slug, its key. The stack is served at C(https://<slug>.grafana.net).
      - A lowercase letter first, then lowercase letters and digits, 29 characters at most.
      - The alias O(stack_slug) is the option's name in C(grafana.grafana.cloud_stack).
    type: str
    required: true
    aliases: [stack_slug]
  name:
    description:
      - Display name of the stack.
      - When the stack is created without it, the name is the slug. When it is not set, the
        name of an existing stack is left as it is.
    type: str
  region:
    description:
      - Region slug the stack is created in, for example V(us), V(eu) or V(prod-eu-west-2)
        (M(grafana_cloud.platform.region_info) lists them). The API's default is V(us).
      - Checked against the regions of the API before a create, in check mode too; a region that
        does not exist fails the task, with the closest region slugs, and nothing is created.
      - Fixed at creation. A different region for an existing stack fails, naming both; to
        move a stack, delete it and create it again.
    type: str
  description:
    description:
      - A short text describing the stack.
    type: str
  labels:
    description:
      - Labels of the stack, at most 10. Keys and values may hold letters, digits, C(.), C(-),
        C(_) and C(/).
      - See O(purge_labels) for labels of the stack not listed here.
    type: dict
  purge_labels:
    description:
      - Whether labels of the stack that O(labels) does not list are removed.
      - Only applies when O(labels) is set.
    type: bool
    default: true
  url:
    description:
      - A custom domain for the stack, for example V(https://grafana.example.com). Set up a
        CNAME record pointing to C(<slug>.grafana.net) first.
    type: str
  delete_protection:
    description:
      - Whether the stack is protected from deletion.
      - When the stack is created without it, protection is on (V(true)). When it is not set,
        the protection of an existing stack is left as it is.
      - With O(state=absent), V(false) lifts the protection of a protected stack, then
        deletes it; without it, deleting a protected stack fails and says so.
    type: bool
  wait:
    description:
      - With O(state=present), wait until a new stack reports ready (and an existing stack
        whose status is not C(active)).
      - With O(state=restarted), wait until the restarted stack reports ready again.
      - With O(state=absent), wait until the stack is C(deleted).
    type: bool
    default: true
  wait_timeout:
    description:
      - How many seconds all the waits of this task may take together, including the wait the
        API asks for before a slug deleted recently can be used again (or, when it names none,
        the retries of the create).
      - When it runs out, the task fails naming the stack's status.
    type: int
    default: 600
  state:
    description:
      - V(present) creates or updates the stack, V(absent) deletes it.
      - V(restarted) restarts the Grafana of an existing stack and, with O(wait), polls its
        readiness (with a growing interval, within O(wait_timeout)) until it answers ready
        again. It always reports a change; in check mode it only reads the stack. It takes
        only O(slug), O(wait) and O(wait_timeout), and fails when the stack does not exist.
        It suits a handler, for example one notified by a plugin change.
    type: str
    choices: [present, absent, restarted]
    default: present
  org_slug:
    description:
      - Ignored, with a deprecation warning. Accepted so that tasks written for
        C(grafana.grafana.cloud_stack) run unchanged.
      - A stack is created in the org of the access policy token, so the org needs no naming.
    type: str
notes:
  - Stack ids, org ids, and the URL and user id of each of the stack's databases are in the
    returned RV(stack), for example RV(stack.id), RV(stack.orgId) and RV(stack.endpoints)
    (C(stack.endpoints.prometheus.url)).
extends_documentation_fragment:
  - grafana_cloud.platform.gcom
  - grafana_cloud.platform.attributes
  - grafana_cloud.platform.attributes.ACTIONGROUP_CLOUD
"""

EXAMPLES = r"""
- name: Create a stack and wait until it is ready
  grafana_cloud.platform.stack:
    slug: acmeprod
    name: ACME production
    region: prod-eu-west-2
    description: Production observability
    labels:
      team: platform
      env: prod
    delete_protection: true
  register: prod

- name: Use its Prometheus endpoint
  ansible.builtin.debug:
    msg: "remote_write to {{ prod.stack.endpoints.prometheus.url }} as {{ prod.stack.endpoints.prometheus.user_id }}"

- name: Add a label, keeping the others
  grafana_cloud.platform.stack:
    slug: acmeprod
    labels:
      cost-center: "42"
    purge_labels: false

- name: Delete a stack, lifting its delete protection first
  grafana_cloud.platform.stack:
    slug: acmeprod
    delete_protection: false
    state: absent

# Restart the stack's Grafana once, at the end of the play, when a plugin changed.
- name: Keep the clock panel on its newest version
  grafana_cloud.platform.plugin:
    stack: acmeprod
    plugin: grafana-clock-panel
    state: latest
  notify: Restart Grafana

# In the play's handlers:
- name: Restart Grafana
  grafana_cloud.platform.stack:
    slug: acmeprod
    state: restarted
"""

RETURN = r"""
stack:
  description:
    - The stack as the API returns it, plus RV(stack.endpoints).
    - Empty after O(state=absent). In check mode, the predicted stack.
  returned: always
  type: dict
  contains:
    id:
      description: Numeric id of the stack.
      type: int
      sample: 507363
    orgId:
      description: Numeric id of the org the stack belongs to.
      type: int
      sample: 652992
    slug:
      description: The slug.
      type: str
      sample: acmeprod
    name:
      description: Display name.
      type: str
      sample: ACME production
    url:
      description: URL of the stack's Grafana.
      type: str
      sample: https://acmeprod.grafana.net
    status:
      description: Status, for example C(active), C(deleting) or C(deleted).
      type: str
      sample: active
    regionSlug:
      description: The region.
      type: str
      sample: prod-eu-west-2
    labels:
      description: The labels.
      type: dict
      sample: {team: platform}
    description:
      description: The description.
      type: str
      sample: Production observability
    deleteProtection:
      description: Whether delete protection is on.
      type: bool
      sample: true
    endpoints:
      description:
        - The values agents need, under stable names. Each entry has C(url) (as the API gives
          it) and C(user_id) (the numeric instance id, used as the basic-auth user).
        - C(prometheus) comes from C(hmInstancePromUrl)/C(hmInstancePromId), C(loki) from
          C(hlInstance*), C(tempo) from C(htInstance*), C(alertmanager) from C(amInstance*),
          C(graphite) from C(hmInstanceGraphite*), C(profiles) from C(hpInstance*).
      type: dict
      sample:
        prometheus: {url: "https://prometheus-prod-01-eu-west-0.grafana.net", user_id: 715391}
        loki: {url: "https://logs-prod-eu-west-0.grafana.net", user_id: 356665}
        tempo: {url: "https://tempo-eu-west-0.grafana.net", user_id: 353178}
        alertmanager: {url: "https://alertmanager-eu-west-0.grafana.net", user_id: 355647}
        graphite: {url: "https://graphite-prod-01-eu-west-0.grafana.net", user_id: 715392}
        profiles: {url: "https://profiles-prod-001.grafana.net", user_id: 1091120}
url:
  description:
    - Same as RV(stack.url), under the name C(grafana.grafana.cloud_stack) returned it.
    - B(Deprecated), for tasks written for C(grafana.grafana.cloud_stack) (removed in 2.0.0); use RV(stack).
  returned: when the stack exists, or existed before this task deleted it
  type: str
  sample: https://acmeprod.grafana.net
id:
  description:
    - Same as RV(stack.id), for tasks written for C(grafana.grafana.cloud_stack).
    - B(Deprecated), for tasks written for C(grafana.grafana.cloud_stack) (removed in 2.0.0); use RV(stack).
  returned: when the stack exists, or existed before this task deleted it
  type: int
  sample: 507363
orgID:
  description:
    - Same as RV(stack.orgId), for tasks written for C(grafana.grafana.cloud_stack).
    - B(Deprecated), for tasks written for C(grafana.grafana.cloud_stack) (removed in 2.0.0); use RV(stack).
  returned: when the stack exists, or existed before this task deleted it
  type: int
  sample: 652992
cluster_slug:
  description:
    - The stack's cluster (C(clusterName)), for tasks written for C(grafana.grafana.cloud_stack).
    - B(Deprecated), for tasks written for C(grafana.grafana.cloud_stack) (removed in 2.0.0); use RV(stack).
  returned: when the stack exists, or existed before this task deleted it
  type: str
  sample: prod-eu-west-0
prometheus_url:
  description:
    - Same as C(stack.endpoints.prometheus.url), for tasks written for C(grafana.grafana.cloud_stack).
    - B(Deprecated), for tasks written for C(grafana.grafana.cloud_stack) (removed in 2.0.0); use RV(stack).
  returned: when the stack exists, or existed before this task deleted it
  type: str
  sample: https://prometheus-prod-01-eu-west-0.grafana.net
loki_url:
  description:
    - Same as C(stack.endpoints.loki.url), for tasks written for C(grafana.grafana.cloud_stack).
    - B(Deprecated), for tasks written for C(grafana.grafana.cloud_stack) (removed in 2.0.0); use RV(stack).
  returned: when the stack exists, or existed before this task deleted it
  type: str
  sample: https://logs-prod-eu-west-0.grafana.net
tempo_url:
  description:
    - Same as C(stack.endpoints.tempo.url), for tasks written for C(grafana.grafana.cloud_stack).
    - B(Deprecated), for tasks written for C(grafana.grafana.cloud_stack) (removed in 2.0.0); use RV(stack).
  returned: when the stack exists, or existed before this task deleted it
  type: str
  sample: https://tempo-eu-west-0.grafana.net
alertmanager_url:
  description:
    - Same as C(stack.endpoints.alertmanager.url), for tasks written for C(grafana.grafana.cloud_stack).
    - B(Deprecated), for tasks written for C(grafana.grafana.cloud_stack) (removed in 2.0.0); use RV(stack).
  returned: when the stack exists, or existed before this task deleted it
  type: str
  sample: https://alertmanager-eu-west-0.grafana.net
alertmanager_name:
  description:
    - Name of the stack's Alertmanager instance (C(amInstanceName)), for tasks written for C(grafana.grafana.cloud_stack).
    - B(Deprecated), for tasks written for C(grafana.grafana.cloud_stack) (removed in 2.0.0); use RV(stack).
  returned: when the stack exists, or existed before this task deleted it
  type: str
  sample: acmeprod-alerts
delete_protection:
  description:
    - Same as RV(stack.deleteProtection), for tasks written for C(grafana.grafana.cloud_stack).
    - B(Deprecated), for tasks written for C(grafana.grafana.cloud_stack) (removed in 2.0.0); use RV(stack).
  returned: when the stack exists, or existed before this task deleted it
  type: bool
  sample: true
"""

from ansible_collections.grafana_cloud.platform.plugins.module_utils._gcom import fail_on_problems, gcom_module, run_resource
from ansible_collections.grafana_cloud.platform.plugins.module_utils._migration import deprecate_ignored_options, legacy_stack_keys
from ansible_collections.grafana_cloud.platform.plugins.module_utils._resource import MAP, Field, Resource
from ansible_collections.grafana_cloud.platform.plugins.module_utils._stacks import (
    GONE_STATUSES,
    Deadline,
    StacksV1,
    WaitTimeout,
    labels_problem,
    region_problem,
    restart_stack,
    slug_problem,
    stack_path,
    unknown_region_problem,
    wait_until_gone,
    with_endpoints,
)

# Module option -> field of the API's stack object (and of the update body).
API_FIELDS = {
    "name": "name",
    "description": "description",
    "labels": "labels",
    "url": "url",
    "delete_protection": "deleteProtection",
}

# What a new stack gets when the task does not say.
CREATE_DEFAULTS = {"delete_protection": True}

# Options that describe the stack; state=restarted takes none of them.
SETTINGS = ("name", "region", "description", "labels", "url", "delete_protection")


class Stack(Resource):
    resource_key = "stack"
    fields = (
        Field("name"),
        Field("region", immutable=True,
              hint="To move a stack to another region, delete it and create it again."),
        Field("description"),
        Field("labels", kind=MAP, purge_option="purge_labels",
              normalize=lambda labels: dict((str(k), "" if v is None else str(v)) for k, v in labels.items())),
        Field("url"),
        Field("delete_protection"),
    )

    def __init__(self, module, client):
        super(Stack, self).__init__(module, client)
        self.slug = self.params["slug"]
        self.deadline = Deadline(self.params["wait_timeout"])
        # The stack this run deleted (or found being deleted), for the legacy flat keys.
        self.deleted = None
        self.writes = StacksV1(client, self.warnings, token=self.params.get("cloud_access_policy_token"))
        # The org a v1 create names (the token's), and the API's refusal of the slug, if any:
        # read once, before the create (in check mode too, which predicts the same failure).
        self.org = None
        self.delete_answer = None

    def describe(self):
        return "stack %r" % self.slug

    def validate(self):
        problems = [slug_problem(self.slug), labels_problem(self.params["labels"]),
                    region_problem(self.params["region"])]
        if self.params["name"] is not None and not self.params["name"].strip():
            problems.append("name can't be empty.")
        if self.params["wait_timeout"] <= 0:
            problems.append("wait_timeout must be greater than 0, got %s." % self.params["wait_timeout"])
        if self.params["state"] == "restarted":
            settings = [option for option in SETTINGS if self.params[option] is not None]
            if settings:
                problems.append("state=restarted only restarts the stack; it takes none of %s: set "
                                "them in a task with state=present." % ", ".join(settings))
        fail_on_problems(self.module, problems)

    # -- engine hooks ----------------------------------------------------------------------

    def find(self):
        return self.client.get_or_none(stack_path(self.slug))

    def is_gone(self, obj):
        return obj.get("status") in GONE_STATUSES

    def current_values(self, obj):
        return dict(
            name=obj.get("name"),
            region=obj.get("regionSlug"),
            description=obj.get("description") or "",
            labels=dict(obj.get("labels") or {}),
            url=obj.get("url"),
            delete_protection=bool(obj.get("deleteProtection")),
        )

    def desired_values(self, current=None):
        values = super(Stack, self).desired_values(current)
        if current is None:
            # Creating: what the task leaves unsaid gets the safe default.
            for option, default in CREATE_DEFAULTS.items():
                values.setdefault(option, default)
        return values

    def create_body(self, values):
        body = dict(slug=self.slug, name=values.get("name") or self.slug,
                    # The module waits itself, within wait_timeout, rather than holding the
                    # request open (which would end as an ambiguous timeout).
                    waitForReadiness=False)
        if values.get("region"):
            body["region"] = values["region"]
        for option, field in API_FIELDS.items():
            if option != "name" and values.get(option) is not None:
                body[field] = values[option]
        return body

    def create(self, values):
        return self.writes.create(self.create_body(values), self.org, self.deadline)

    def update(self, obj, changes, values):
        body = dict((API_FIELDS[option], value) for option, value in changes.items())
        # The v1 answer has ten fields: the rest of the stack is as it was.
        return dict(obj, **self.writes.update(obj, body))

    def delete(self, obj):
        # The answer says whether the stack is already deleted, which spares a poll.
        self.delete_answer = self.writes.delete(obj)
        return self.delete_answer

    def refuse_a_taken_slug(self):
        """Before a create, ask the API whether the slug is free (``POST /v1/stacks/checkUrl``);
        None when it is. find() saw no stack of ours with this slug, so a taken one belongs to
        another org, or its URL is a custom domain of another stack, or another run of ours
        created it since the lookup (two pipelines at once): one read by slug tells. That
        stack is returned, to be adopted; otherwise the task fails with the API's reason."""
        self.org = self.writes.org_slug() if self.writes.v1 else None
        refusal = self.writes.refusal(self.slug, self.org)
        if refusal is None:
            return None
        again = self.find()
        if again is not None and not self.is_gone(again):
            self.warnings.append(
                "%s was created concurrently by another run between this run's lookup and its create (the slug "
                "check answered: %s); this run adopted it." % (self.describe(), refusal.message))
            return again
        self.fail(msg=("The slug %r can't be used for a new stack: the API answered %s (%s, HTTP %s, "
                       "code %s). Another organization's stack may hold it: pick another slug."
                       % (self.slug, refusal.message, refusal.path, refusal.status, refusal.code)))

    def predict_created(self, values):
        predicted = dict(slug=self.slug, name=values.get("name") or self.slug,
                         regionSlug=values.get("region") or "us", status="active",
                         url="https://%s.grafana.net" % self.slug, description="", labels={})
        for option, field in API_FIELDS.items():
            if option != "name" and values.get(option) is not None:
                predicted[field] = values[option]
        return predicted

    def predict_updated(self, obj, changes, values):
        predicted = dict(obj)
        for option, value in changes.items():
            predicted[API_FIELDS[option]] = value
        return predicted

    def public(self, obj):
        return with_endpoints(obj) if obj else {}

    def result(self, changed, obj, before, after, secret=None):
        result = super(Stack, self).result(changed, obj, before, after, secret)
        # grafana.grafana.cloud_stack returned them after a delete too (the stack as it was).
        result.update(legacy_stack_keys(obj or self.deleted))
        return result

    # -- states ----------------------------------------------------------------------------

    def run(self):
        self.validate()
        found = self.find()
        try:
            if self.params["state"] == "absent":
                return self.ensure_absent(found)
            if self.params["state"] == "restarted":
                return self.ensure_restarted(found)
            if found is not None and self.is_gone(found):
                found = None
            return self.ensure_present(found)
        except WaitTimeout as error:
            self.fail(str(error))

    def ensure_present(self, found):
        result = super(Stack, self).ensure_present(found)
        stack = result["stack"]
        if (found is not None and self.params["wait"] and not self.module.check_mode
                and stack.get("status") != "active"):
            self.writes.wait_until_ready(stack, self.deadline)
        return result

    def ensure_created(self):
        # Before the create, in check mode too: a region that does not exist would fail the
        # create (and a check mode that predicts it would mislead).
        fail_on_problems(self.module, [unknown_region_problem(self.client, self.params["region"])])
        adopted = self.refuse_a_taken_slug()
        if adopted is not None:
            return self.ensure_adopted(adopted)
        result = super(Stack, self).ensure_created()
        if self.module.check_mode:
            return result
        stack = result["stack"]
        if self.params["wait"]:
            self.writes.wait_until_ready(stack, self.deadline)
        if "status" not in stack:
            # The v1 create answers ten fields; the stack's databases, cluster and status are
            # read once, as grafana.grafana 6.1.0 reads them after its v1 create.
            full = self.public(self.client.get(stack_path(stack["id"])))
            result["stack"] = full
            result.update(legacy_stack_keys(full))
        return result

    def ensure_absent(self, found):
        if found is None or found.get("status") == "deleted":
            return self.result(False, None, before={}, after={})
        before = self.current_values(found)
        if found.get("status") == "deleting":
            # Someone else's delete is under way: nothing to change, but wait for it to end.
            if self.params["wait"] and not self.module.check_mode:
                wait_until_gone(self.client, found, self.deadline)
            self.deleted = found
            return self.result(False, None, before=before, after={})
        if found.get("deleteProtection"):
            self.lift_protection(found)
        self.deleted = dict(found, deleteProtection=False)
        if not self.module.check_mode:
            if not self.delete_unless_gone(found):
                self.deleted = None  # another run deleted it: nothing of this run's to report
                return self.result(False, None, before={}, after={})
            answer = self.delete_answer or found
            self.deleted = dict(self.deleted, **answer)
            if self.params["wait"]:
                wait_until_gone(self.client, dict(found, status=answer.get("status", "deleting")), self.deadline)
        return self.result(True, None, before=before, after={})

    def ensure_restarted(self, found):
        if found is None or self.is_gone(found):
            self.fail(msg="Stack %r does not exist (or is being deleted), so it can't be restarted: "
                          "create it first with state: present." % self.slug)
        if not self.module.check_mode:
            restart_stack(self.client, found)
            if self.params["wait"]:
                self.writes.wait_until_ready(found, self.deadline)
        # Diff mode has no field to show: a restart changes no setting.
        return self.result(True, found, before={}, after={})

    def lift_protection(self, found):
        if self.params["delete_protection"] is not False:
            self.fail(msg=(
                "Stack %r has delete protection on, so it was not deleted. To delete it, add "
                "delete_protection: false to this task (it lifts the protection, then deletes), "
                "or first run the task with state: present and delete_protection: false. "
                "Coming from grafana.grafana.cloud_stack: 6.0.6 created stacks unprotected when "
                "delete_protection was left out (it sent deleteProtection: null), so its delete "
                "tasks needed no delete_protection; 6.1.0, like this collection, protects a new "
                "stack unless delete_protection: false." % self.slug))
        if not self.module.check_mode:
            self.writes.update(found, {"deleteProtection": False})


def main():
    module = gcom_module(dict(
        slug=dict(type="str", required=True, aliases=["stack_slug"]),
        name=dict(type="str"),
        region=dict(type="str"),
        description=dict(type="str"),
        labels=dict(type="dict"),
        purge_labels=dict(type="bool", default=True),
        url=dict(type="str"),
        delete_protection=dict(type="bool"),
        wait=dict(type="bool", default=True),
        wait_timeout=dict(type="int", default=600),
        state=dict(type="str", choices=["present", "absent", "restarted"], default="present"),
        org_slug=dict(type="str"),
    ))
    deprecate_ignored_options(module, {
        "org_slug": "a stack is created in the org of the access policy token.",
    })
    run_resource(module, Stack)


if __name__ == "__main__":
    main()
