#!/usr/bin/python
# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type

DOCUMENTATION = r"""
module: incident
short_description: Declare, update and resolve a Grafana IRM incident
version_added: 0.1.0
description:
  - Declares an incident in Grafana IRM (Incident) through its RPC API, updates its title,
    severity, labels and drill flag, adds a note to its timeline, and resolves it.
  - Idempotent through a key you give. With O(incident_id) the module works on that
    incident. With O(key) it puts a label of its own, C(ansible-key:<key>), on the incident it
    declares, and looks for an active incident with that label (one query) before declaring;
    a re-run, or the same failure reported by several runs, updates that one incident
    instead of declaring a second.
  - Incidents have no other natural key and cannot be deleted through the API; to close
    one, set O(status=resolved). Once resolved, an incident no longer matches its O(key), and the
    next run with that key declares a new incident.
author:
  - grafana_cloud.platform contributors (@grafana-cloud-platform)
options:
  incident_id:
    description:
      - The id of an existing incident (C(incidentID)) to update or resolve.
      - Mutually exclusive with O(key); one of the two is required.
    type: str
  key:
    description:
      - Your name for the incident, for example V(deploy-web-prod). Stored as the label
        C(ansible-key:<key>); an active incident with that label is the one this task updates.
      - 1 to 90 letters, digits and the characters C(._:/@-), starting with a letter or a digit.
      - When more than one active incident carries the label (someone copied it), the oldest
        is updated and a warning lists the others.
      - Two runs with the same key at the same moment (two pipelines failing together) may
        both find no incident and both declare one. Right after it declares, the module reads
        the key again; when it finds more than one, every run keeps the oldest. The run whose
        incident is not the oldest adds a note to it, resolves it and removes its key label
        (incidents can't be deleted), then updates the oldest as the task asks, and says so in
        a warning and in RV(resolved_duplicate).
    type: str
  title:
    description:
      - The incident's title. Required to declare one; when not set, an existing incident keeps
        its title.
    type: str
  severity:
    description:
      - The severity, one of those configured in the organization (for example V(minor),
        V(major), V(critical); a new incident starts with the org's default, V(Pending) on a
        fresh org).
      - The API's C(CreateIncident) ignores a severity, so a new incident gets it through a
        second call (C(UpdateSeverity)). A severity the org does not know is answered with a
        server error that the module reports naming the severity.
    type: str
  labels:
    description:
      - Label texts the incident carries, for example V(service:checkout).
      - Labels of the incident that are not listed are kept, unless O(purge_labels=true). The
        module's own C(ansible-key:) label is never removed and never shown in this list.
    type: list
    elements: str
  purge_labels:
    description:
      - Remove the labels of the incident that O(labels) does not list (except the module's
        own key label). Has no effect when O(labels) is not set.
    type: bool
    default: false
  is_drill:
    description:
      - Whether the incident is a drill (drills stay out of the dashboards).
      - A new incident is not a drill unless this is V(true).
    type: bool
  status:
    description:
      - V(active) declares the incident, or keeps it open (re-opens it); V(resolved) resolves it.
      - When not set, a declared incident is active and an existing one keeps its status.
      - With O(key) and V(resolved), the active incident with that key is resolved; when there
        is none, nothing happens (C(changed=false), an empty RV(incident)).
    type: str
    choices: [active, resolved]
  note:
    description:
      - A note for the incident's timeline (a C(userNote) activity), for example which host and
        task failed and a link to the job.
      - Added once. When the timeline already holds a note with exactly this text, nothing is
        added (one C(QueryActivity) read tells).
    type: str
notes:
  - The service account needs the C(Editor) role.
  - O(key) is looked up among active incidents with one C(QueryIncidents) request filtered by
    status and label on the server.
seealso:
  - module: grafana_cloud.platform.incident_info
  - module: grafana_cloud.platform.incident_role
extends_documentation_fragment:
  - grafana_cloud.platform.incident
  - grafana_cloud.platform.attributes
  - grafana_cloud.platform.attributes.ACTIONGROUP_INCIDENT
"""

EXAMPLES = r"""
- name: Declare an incident for a failed rollout, or update the one already open
  grafana_cloud.platform.incident:
    grafana_url: https://mystack.grafana.net
    incident_access_token: "{{ incident_token }}"
    key: deploy-checkout-prod
    title: "Deploy of checkout failed on web-3"
    severity: major
    labels:
      - service:checkout
      - env:prod
    note: "Task 'Restart the service' failed on web-3 (job https://awx.example.com/#/jobs/playbook/42)"
  register: declared

- name: Show where to follow it
  ansible.builtin.debug:
    msg: "{{ declared.incident.overviewURL }}"

- name: Resolve it once the rollback is done
  grafana_cloud.platform.incident:
    key: deploy-checkout-prod
    status: resolved
    note: Rolled back to the previous release.

- name: Mark an incident known by id as a drill
  grafana_cloud.platform.incident:
    incident_id: "123"
    is_drill: true
"""

RETURN = r"""
incident:
  description:
    - The incident as the API returns it (after every change of the task).
    - Empty when O(status=resolved) found no active incident with the O(key). In check mode
      the predicted incident (without C(incidentID) and C(overviewURL) when it would be declared).
  returned: always
  type: dict
  contains:
    incidentID:
      description: The incident's id.
      type: str
      sample: "42"
    title:
      description: Title.
      type: str
      sample: Deploy of checkout failed on web-3
    status:
      description: V(active) or V(resolved).
      type: str
      sample: active
    severity:
      description: Severity.
      type: str
      sample: major
    isDrill:
      description: Whether it is a drill.
      type: bool
      sample: false
    labels:
      description: Labels (C({label, description, colorHex}) objects), the module's key label included.
      type: list
      elements: dict
    overviewURL:
      description: The incident's page in Grafana IRM.
      type: str
      sample: https://mystack.grafana.net/a/grafana-irm-app/incidents/42/deploy-of-checkout-failed-on-web-3
note_added:
  description: Whether the task added O(note) to the timeline (or would, in check mode).
  returned: always
  type: bool
  sample: true
resolved_duplicate:
  description:
    - The id of the incident this run declared at the same moment as another run declared one
      with the same O(key), and then resolved as its duplicate, after adding a note that names
      the incident kept (incidents can't be deleted). The task then worked on the oldest of the
      two, RV(incident). C(changed) is V(true), as the duplicate stays in IRM, resolved.
    - Empty when there was no such race.
  returned: always
  type: str
  sample: "43"
"""

from ansible_collections.grafana_cloud.platform.plugins.module_utils._client import GrafanaCloudAPIError, is_not_found
from ansible_collections.grafana_cloud.platform.plugins.module_utils._incident import (
    KEY_LABEL_PREFIX,
    LABEL_MAX_LENGTH,
    QUERY_PAGE_SIZE,
    find_active_by_key,
    incident_module,
    key_label,
    key_problem,
    label_texts,
    refused_by_the_app,
    run_incident_resource,
)
from ansible_collections.grafana_cloud.platform.plugins.module_utils._pagination import iter_rpc_cursor
from ansible_collections.grafana_cloud.platform.plugins.module_utils._resource import (
    SET,
    ChangedConcurrently,
    Field,
    Resource,
)

TITLE_MAX_LENGTH = 500
NOTE_MAX_LENGTH = 10000

# Option -> (RPC method, request field, API field): one update call per changed option.
UPDATES = (
    ("title", "IncidentsService.UpdateTitle", "title"),
    ("severity", "IncidentsService.UpdateSeverity", "severity"),
    ("is_drill", "IncidentsService.UpdateIncidentIsDrill", "isDrill"),
)


def text_problem(option, value, limit, identifier=False):
    """A message when ``value`` is set but blank or too long; an ``identifier`` (an id, a
    severity) must also not start or end with spaces, as it is matched exactly."""
    if value is None:
        return None
    if not value.strip():
        return "%s must not be empty." % option
    if identifier and value != value.strip():
        return "%s %r starts or ends with spaces: it is matched exactly; remove them." % (option, value)
    if len(value) > limit:
        return "%s must be at most %d characters, got %d." % (option, limit, len(value))
    return None


def labels_problem(labels):
    for label in labels or []:
        if not label or not label.strip() or len(label) > LABEL_MAX_LENGTH or label != label.strip():
            return ("every label must be 1 to %d characters, without leading or trailing spaces (labels are "
                    "compared exactly), got %r." % (LABEL_MAX_LENGTH, label))
        if label.startswith(KEY_LABEL_PREFIX):
            return "labels must not start with %r: the module keeps that label for key." % KEY_LABEL_PREFIX
    return None


class Incident(Resource):
    resource_key = "incident"
    fields = (
        Field("title"),
        Field("severity"),
        Field("is_drill"),
        Field("labels", kind=SET),
        Field("status"),
    )

    def __init__(self, module, client):
        super(Incident, self).__init__(module, client)
        self.key = self.params["key"]
        self.note_added = False
        self.created = False
        self.resolved_duplicate = ""

    def describe(self):
        if self.params["incident_id"]:
            return "incident %s" % self.params["incident_id"]
        return "the active incident with key %r" % self.key

    def validate(self):
        problems = [
            key_problem(self.key) if self.key is not None else None,
            text_problem("title", self.params["title"], TITLE_MAX_LENGTH),
            text_problem("severity", self.params["severity"], LABEL_MAX_LENGTH, identifier=True),
            text_problem("note", self.params["note"], NOTE_MAX_LENGTH),
            text_problem("incident_id", self.params["incident_id"], LABEL_MAX_LENGTH, identifier=True),
            labels_problem(self.params["labels"]),
        ]
        problems = [problem for problem in problems if problem]
        if problems:
            self.fail(" ".join(problems))

    # -- finding -----------------------------------------------------------------------------

    def find(self):
        if self.params["incident_id"]:
            return self.find_by_id(self.params["incident_id"])
        matches = find_active_by_key(self.client, self.key)
        if len(matches) > 1:
            self.warnings.append(
                "%d active incidents carry the label %r: this task works on the oldest (%s); the others are %s."
                % (len(matches), key_label(self.key), matches[0].get("incidentID"),
                   ", ".join(str(match.get("incidentID")) for match in matches[1:])))
        return matches[0] if matches else None

    def find_by_id(self, incident_id):
        try:
            answer = self.client.call("IncidentsService.GetIncident", {"incidentID": incident_id})
        except GrafanaCloudAPIError as error:
            if is_not_found(error):
                self.fail("There is no incident %s (GetIncident answered 404). To declare a new "
                          "incident, give key instead of incident_id." % incident_id)
            raise
        return (answer or {}).get("incident")

    # -- comparing ---------------------------------------------------------------------------

    def current_values(self, obj):
        return dict(
            title=obj.get("title"),
            severity=obj.get("severity"),
            is_drill=obj.get("isDrill"),
            labels=sorted(label for label in label_texts(obj) if not label.startswith(KEY_LABEL_PREFIX)),
            status=obj.get("status"),
        )

    def desired_values(self, current=None):
        values = super(Incident, self).desired_values(current)
        if "labels" in values:
            wanted = sorted(set(values["labels"]))
            if current is not None and not self.params["purge_labels"]:
                wanted = sorted(set(wanted) | set(current.get("labels") or []))
            values["labels"] = wanted
        return values

    # -- the work ----------------------------------------------------------------------------

    def ensure_present(self, found):
        if found is None and self.params["status"] == "resolved":
            # Nothing active under this key: nothing to resolve, and no reason to declare.
            result = self.result(False, None, before={}, after={})
            result["msg"] = "No active incident has the key %r: nothing to resolve." % self.key
            return result
        if found is None and not self.params["title"]:
            self.fail("No active incident has the key %r, and declaring one needs a title." % self.key)
        return super(Incident, self).ensure_present(found)

    def create(self, values):
        labels = [{"label": text} for text in values.get("labels") or []] + [{"label": key_label(self.key)}]
        body = dict(title=values["title"], labels=labels, isDrill=bool(values.get("is_drill")),
                    status=values.get("status") or "active")
        if values.get("severity"):
            body["severity"] = values["severity"]
        return self.client.call("IncidentsService.CreateIncident", body)["incident"]

    def create_or_adopt(self, desired):
        # After the create, or after adopting what an unclear create committed (found again
        # by its key label): CreateIncident ignores the severity, UpdateSeverity sets it.
        created = super(Incident, self).create_or_adopt(desired)
        if desired.get("severity") and created.get("severity") != desired["severity"]:
            created = self.set_severity(created, desired["severity"])
        return created

    # -- two runs declaring under one key at once -----------------------------------------------

    @property
    def unique_key(self):
        # The API keeps no label unique: two runs that both found no incident under the key
        # both declare one. With incident_id nothing is declared.
        return self.key is None

    def object_id(self, obj):
        return obj.get("incidentID")

    def twins(self, created):
        return find_active_by_key(self.client, self.key)

    def discard_duplicate(self, created, kept):
        """Close this run's incident as a duplicate of ``kept``: a note that names ``kept``, then
        resolved, then without the key label, so that nothing takes it for the key's again."""
        own_id = created["incidentID"]
        try:
            self.client.call("ActivityService.AddActivity", {
                "incidentID": own_id, "activityKind": "userNote",
                "body": "Declared at the same moment as incident %s by another run with the key %r; resolved as its "
                        "duplicate. Follow incident %s: %s" % (kept["incidentID"], self.key, kept["incidentID"],
                                                               kept.get("overviewURL") or "")})
            self.client.call("IncidentsService.UpdateStatus", {"incidentID": own_id, "status": "resolved"})
            self.remove_label(own_id, key_label(self.key))
        except GrafanaCloudAPIError as error:
            self.fail("This run declared incident %s at the same moment as another run declared incident %s with "
                      "the key %r. Closing %s as the duplicate failed: %s. Resolve incident %s by hand (or run "
                      "this module with incident_id: %s and status: resolved), then run the task again."
                      % (own_id, kept["incidentID"], self.key, own_id, error, own_id, own_id),
                      changed=True, **error.to_result())
        self.resolved_duplicate = own_id
        return "resolved as a duplicate (incidents can't be deleted) and took its key label off"

    def read_again(self, obj):
        return self.find_by_id(obj["incidentID"]) or obj

    def ensure_adopted(self, adopted):
        # The note goes to the kept incident unless the other run already added it.
        self.created = False
        result = super(Incident, self).ensure_adopted(adopted)
        if self.resolved_duplicate:
            result["changed"] = True  # this run's own incident stays in IRM, resolved
        return result

    def set_severity(self, incident, severity):
        try:
            return self.client.call("IncidentsService.UpdateSeverity",
                                    {"incidentID": incident["incidentID"], "severity": severity})["incident"]
        except GrafanaCloudAPIError as error:
            if error.status is not None and error.status >= 500:
                self.fail("Setting severity %r on incident %s failed (%s): is %r one of the severities "
                          "configured in the organization?" % (severity, incident["incidentID"], error, severity),
                          **error.to_result())
            raise

    def update(self, obj, changes, values):
        incident = obj
        incident_id = obj["incidentID"]
        for option, method, field in UPDATES:
            if option not in changes:
                continue
            if option == "severity":
                incident = self.set_severity(incident, changes[option])
            else:
                incident = self.client.call(method, {"incidentID": incident_id, field: changes[option]})["incident"]
        if "labels" in changes:
            incident = self.update_labels(incident, changes["labels"])
        if "status" in changes:
            incident = self.set_status(incident, changes["status"])
        return incident

    def set_status(self, incident, status):
        """UpdateStatus; when the API refuses it and the incident already has that status (another
        run resolved it a moment earlier), this run's update was made for it: compare again."""
        try:
            return self.client.call("IncidentsService.UpdateStatus",
                                    {"incidentID": incident["incidentID"], "status": status})["incident"]
        except GrafanaCloudAPIError as error:
            if not refused_by_the_app(error):
                raise
            now = self.find_by_id(incident["incidentID"])
            if not now or now.get("status") != status:
                raise
            self.warnings.append("Incident %s was set %s by another run a moment before this run asked (the API "
                                 "answered: %s); nothing left to do for it." % (incident["incidentID"], status, error))
            raise ChangedConcurrently(now)

    def update_labels(self, incident, wanted):
        current = set(self.current_values(incident)["labels"])
        for text in sorted(set(wanted) - current):
            incident = self.client.call("IncidentsService.AddLabel",
                                        {"incidentID": incident["incidentID"], "label": {"label": text}})["incident"]
        for text in sorted(current - set(wanted)):
            incident = self.remove_label(incident["incidentID"], text)
        return incident

    def remove_label(self, incident_id, text):
        # RemoveLabel takes the label's text, where AddLabel takes an object (grafana/incident-go
        # v1.92.2: RemoveLabelRequest.Label is a string, AddLabelRequest.Label an IncidentLabel).
        return self.client.call("IncidentsService.RemoveLabel", {"incidentID": incident_id, "label": text})["incident"]

    def predict_created(self, values):
        labels = [{"label": text} for text in values.get("labels") or []] + [{"label": key_label(self.key)}]
        return dict(title=values["title"], severity=values.get("severity"), labels=labels,
                    isDrill=bool(values.get("is_drill")), status=values.get("status") or "active")

    def predict_updated(self, obj, changes, values):
        predicted = dict(obj)
        for option, _method, field in UPDATES:
            if option in changes:
                predicted[field] = changes[option]
        if "labels" in changes:
            own = [label for label in obj.get("labels") or [] if label.get("label", "").startswith(KEY_LABEL_PREFIX)]
            predicted["labels"] = [{"label": text} for text in changes["labels"]] + own
        if "status" in changes:
            predicted["status"] = changes["status"]
        return predicted

    # -- the note ------------------------------------------------------------------------------

    def run(self):
        result = super(Incident, self).run()
        note = self.params["note"]
        incident = result.get("incident")
        if note and incident:
            # A new incident has no notes yet; an existing one is asked (one read).
            self.note_added = self.created or not self.has_note(incident, note)
        if self.note_added:
            result["changed"] = True
            if not self.module.check_mode:
                self.client.call("ActivityService.AddActivity", {
                    "incidentID": incident["incidentID"], "activityKind": "userNote", "body": note})
            if "diff" in result:
                result["diff"]["after"] = dict(result["diff"]["after"], note=note)
        result["note_added"] = self.note_added
        result["resolved_duplicate"] = self.resolved_duplicate
        return result

    def ensure_created(self):
        self.created = True
        return super(Incident, self).ensure_created()

    def has_note(self, incident, note):
        """Whether the timeline holds a user note with exactly this text (lazy: stops at it)."""
        query = dict(incidentID=incident["incidentID"], limit=QUERY_PAGE_SIZE, activityKind=["userNote"],
                     orderDirection="DESC")
        items = iter_rpc_cursor(self.client.call, "ActivityService.QueryActivity", query, "activityItems")
        return any(item.get("body") == note for item in items)


def main():
    module = incident_module(
        dict(
            incident_id=dict(type="str"),
            key=dict(type="str", no_log=False),
            title=dict(type="str"),
            severity=dict(type="str"),
            labels=dict(type="list", elements="str"),
            purge_labels=dict(type="bool", default=False),
            is_drill=dict(type="bool"),
            status=dict(type="str", choices=["active", "resolved"]),
            note=dict(type="str"),
        ),
        mutually_exclusive=[("incident_id", "key")],
        required_one_of=[("incident_id", "key")],
    )
    run_incident_resource(module, Incident)


if __name__ == "__main__":
    main()
