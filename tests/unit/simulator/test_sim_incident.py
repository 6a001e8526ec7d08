# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The Incident area: the requests of incident-api.md, and the simulator's answers to them."""

import pytest
import requests

IRM = "/api/plugins/grafana-irm-app/resources/api/v1"
OLD = "/api/plugins/grafana-incident-app/resources/api/v1"


class Stack:
    """A stack with an Editor and a Viewer service account, each with a token."""

    def __init__(self, simulator, slug="irm"):
        self.simulator = simulator
        self.slug = slug
        self.grafana_url = "%s/grafana/%s" % (simulator.root, slug)
        simulator.add_stack(slug, url=self.grafana_url)
        self.editor = self.token("editor", "Editor")
        self.viewer = self.token("viewer", "Viewer")

    def token(self, name, role, disabled=False):
        headers = dict(self.simulator.auth(), **{"X-Request-Id": "test"})
        base = "%s/instances/%s/api/serviceaccounts" % (self.simulator.url, self.slug)
        account = requests.post(base, json={"name": name, "role": role, "isDisabled": disabled},
                                headers=headers, timeout=5).json()
        return requests.post("%s/%s/tokens" % (base, account["id"]), json={"name": name},
                             headers=headers, timeout=5).json()["key"]

    def rpc(self, method, body=None, token=None, path=IRM, raw=None):
        headers = {"Authorization": "Bearer %s" % (token or self.editor)}
        url = self.grafana_url + path + "/" + method
        if raw is not None:
            return requests.post(url, data=raw, headers=headers, timeout=5)
        return requests.post(url, json={} if body is None else body, headers=headers, timeout=5)

    def declare(self, title="disk full", **fields):
        answer = self.rpc("IncidentsService.CreateIncident", dict(title=title, **fields))
        assert answer.status_code == 200, answer.text
        return answer.json()["incident"]


@pytest.fixture
def stack(simulator):
    return Stack(simulator)


def test_create_get_and_the_shape_of_an_incident(stack):
    incident = stack.declare("db1 disk full", severity="critical", isDrill=True, status="active",
                             labels=[{"key": "", "label": "service:db", "description": "", "colorHex": ""}])
    for field in ("incidentID", "refs", "severity", "labels", "isDrill", "incidentType", "createdTime",
                  "modifiedTime", "createdByUser", "closedTime", "durationSeconds", "status", "title",
                  "overviewURL", "incidentMembership", "taskList", "summary", "incidentStart",
                  "incidentEnd", "incidentChannels"):
        assert field in incident
    assert incident["title"] == "db1 disk full" and incident["isDrill"] is True
    # CreateIncident ignores the severity: the org's default it is.
    assert incident["severity"] == "Pending"
    assert [label["label"] for label in incident["labels"]] == ["service:db"]
    assert incident["overviewURL"].startswith(stack.grafana_url + "/a/grafana-irm-app/incidents/%s/" % incident["incidentID"])
    got = stack.rpc("IncidentsService.GetIncident", {"incidentID": incident["incidentID"]}, token=stack.viewer)
    assert got.status_code == 200 and got.json()["incident"] == incident


def test_updates_each_change_one_field(stack):
    incident_id = stack.declare()["incidentID"]
    assert stack.rpc("IncidentsService.UpdateTitle", {"incidentID": incident_id, "title": "t2"}).json()["incident"]["title"] == "t2"
    assert stack.rpc("IncidentsService.UpdateSeverity", {"incidentID": incident_id, "severity": "major"}).json()["incident"]["severity"] == "major"
    assert stack.rpc("IncidentsService.UpdateIncidentIsDrill", {"incidentID": incident_id, "isDrill": True}).json()["incident"]["isDrill"] is True
    added = stack.rpc("IncidentsService.AddLabel", {"incidentID": incident_id, "label": {"label": "env:prod"}}).json()
    assert [label["label"] for label in added["incident"]["labels"]] == ["env:prod"]
    # RemoveLabel takes the text, not AddLabel's object (incident-go v1.92.2, RemoveLabelRequest).
    as_object = stack.rpc("IncidentsService.RemoveLabel", {"incidentID": incident_id, "label": {"label": "env:prod"}})
    assert as_object.status_code == 400
    removed = stack.rpc("IncidentsService.RemoveLabel", {"incidentID": incident_id, "label": "env:prod"}).json()
    assert removed["incident"]["labels"] == []
    resolved = stack.rpc("IncidentsService.UpdateStatus", {"incidentID": incident_id, "status": "resolved"}).json()["incident"]
    assert resolved["status"] == "resolved" and resolved["closedTime"] and resolved["incidentEnd"]


def test_resolving_a_resolved_incident_is_refused_as_already_closed(stack, simulator):
    """incident-go's ErrIncidentAlreadyClosed (``incidents.already_closed``); when the server
    answers it is not stated, so the simulator takes the stricter reading: a repeated resolve."""
    simulator.configure(incident_error_style="problem")
    incident_id = stack.declare()["incidentID"]
    assert stack.rpc("IncidentsService.UpdateStatus", {"incidentID": incident_id, "status": "resolved"}).status_code == 200
    again = stack.rpc("IncidentsService.UpdateStatus", {"incidentID": incident_id, "status": "resolved"})
    assert again.status_code == 400 and again.json()["code"] == "incidents.already_closed"
    reopened = stack.rpc("IncidentsService.UpdateStatus", {"incidentID": incident_id, "status": "active"})
    assert reopened.json()["incident"]["status"] == "active"


def test_an_unknown_severity_is_a_500(stack):
    incident_id = stack.declare()["incidentID"]
    answer = stack.rpc("IncidentsService.UpdateSeverity", {"incidentID": incident_id, "severity": "apocalyptic"})
    assert answer.status_code == 500 and "severity" in answer.json()["error"]


def test_query_filters_by_status_label_severity_and_pages_with_a_cursor(stack, simulator):
    simulator.configure(incident_max_page_size=2)
    for number in range(5):
        stack.declare("incident %d" % number, labels=[{"label": "ansible-key:k"}] if number % 2 == 0 else [])
    first = stack.rpc("IncidentsService.UpdateStatus", {"incidentID": "1", "status": "resolved"})
    assert first.status_code == 200
    query = {"limit": 10, "includeStatuses": ["active"], "incidentLabels": ["ansible-key:k"], "orderDirection": "DESC"}
    page = stack.rpc("IncidentsService.QueryIncidents", {"query": query}, token=stack.viewer).json()
    assert [incident["incidentID"] for incident in page["incidents"]] == ["5", "3"]
    assert page["cursor"] == {"nextValue": "", "hasMore": False}
    assert page["query"] == query

    seen, cursor = [], None
    while True:
        body = {"query": {"limit": 2, "orderDirection": "ASC"}}
        if cursor:
            body["cursor"] = cursor
        page = stack.rpc("IncidentsService.QueryIncidents", body).json()
        seen += [incident["incidentID"] for incident in page["incidents"]]
        assert len(page["incidents"]) <= 2
        cursor = page["cursor"]
        if not cursor["hasMore"]:
            break
        assert cursor["nextValue"]
    assert seen == ["1", "2", "3", "4", "5"]


def test_query_string_overrides_the_other_filters(stack):
    stack.declare("checkout down")
    stack.declare("search slow")
    body = {"query": {"queryString": "status:active title:'checkout'", "includeStatuses": ["resolved"]}}
    found = stack.rpc("IncidentsService.QueryIncidents", body).json()["incidents"]
    assert [incident["title"] for incident in found] == ["checkout down"]
    bad = stack.rpc("IncidentsService.QueryIncidents", {"query": {"queryString": "colour:red"}})
    assert bad.status_code == 400


def test_activity_notes_and_their_query(stack):
    incident_id = stack.declare()["incidentID"]
    note = stack.rpc("ActivityService.AddActivity", {"incidentID": incident_id, "activityKind": "userNote",
                                                     "body": "web-3 failed"}).json()["activityItem"]
    assert note["activityKind"] == "userNote" and note["body"] == "web-3 failed" and note["activityItemID"]
    query = {"query": {"incidentID": incident_id, "limit": 10, "activityKind": ["userNote"]}}
    items = stack.rpc("ActivityService.QueryActivity", query, token=stack.viewer).json()["activityItems"]
    assert [item["body"] for item in items] == ["web-3 failed"]
    everything = stack.rpc("ActivityService.QueryActivity", {"query": {"incidentID": incident_id}}).json()
    assert [item["activityKind"] for item in everything["activityItems"]] == ["incidentCreated", "userNote"]


def test_roles_create_update_archive(stack):
    roles = stack.rpc("RolesService.GetRoles", {}, token=stack.viewer).json()["roles"]
    assert [role["name"] for role in roles] == ["commander", "investigator", "observer"]
    created = stack.rpc("RolesService.CreateRole", {"role": {"name": "scribe", "description": "notes",
                                                             "important": False, "mandatory": False}}).json()["role"]
    assert created["roleID"] == 4 and created["archived"] is False
    duplicate = stack.rpc("RolesService.CreateRole", {"role": {"name": "Scribe"}})
    assert duplicate.status_code == 400 and "already exists" in duplicate.json()["error"]
    updated = stack.rpc("RolesService.UpdateRole", {"role": dict(created, description="minutes")}).json()["role"]
    assert updated["description"] == "minutes"
    archived = stack.rpc("RolesService.ArchiveRole", {"roleID": 4}).json()["role"]
    assert archived["archived"] is True
    assert stack.rpc("RolesService.ArchiveRole", {"roleID": 4}).status_code == 400
    assert stack.rpc("RolesService.UpdateRole", {"role": archived}).status_code == 400


def test_viewers_read_only_and_bad_tokens_are_refused(stack):
    refused = stack.rpc("IncidentsService.CreateIncident", {"title": "x"}, token=stack.viewer)
    assert refused.status_code == 403 and "Viewer" in refused.json()["error"]
    nobody = stack.rpc("RolesService.GetRoles", {}, token=stack.token("none", "None"))
    assert nobody.status_code == 403
    disabled = stack.rpc("RolesService.GetRoles", {}, token=stack.token("off", "Editor", disabled=True))
    assert disabled.status_code == 401
    unknown = stack.rpc("RolesService.GetRoles", {}, token="glsa_" + "A" * 32 + "_00000000")
    assert unknown.status_code == 401 and unknown.json()["message"] == "Invalid API key"
    raw = requests.post(stack.grafana_url + IRM + "/RolesService.GetRoles", json={},
                        headers={"Authorization": stack.editor}, timeout=5)
    assert raw.status_code == 401


def test_a_token_of_another_stack_is_refused(stack, simulator):
    other = Stack(simulator, "other")
    assert stack.rpc("RolesService.GetRoles", {}, token=other.editor).status_code == 401


def test_error_styles_are_switchable(stack, simulator):
    simulator.configure(incident_error_style="field-200")
    answer = stack.rpc("IncidentsService.GetIncident", {"incidentID": "999"})
    assert answer.status_code == 200 and "not found" in answer.json()["error"]
    simulator.configure(incident_error_style="problem")
    answer = stack.rpc("IncidentsService.GetIncident", {"incidentID": "999"})
    problem = answer.json()
    assert answer.status_code == 404 and answer.headers["Content-Type"].startswith("application/problem+json")
    assert problem["status"] == 404 and problem["title"] == "Not Found" and "999" in problem["detail"]
    assert problem["code"] == "incidents.not_found" and problem["trace_id"]


def test_an_empty_body_is_a_500_and_an_unknown_method_a_404(stack):
    assert stack.rpc("IncidentsService.QueryIncidents", raw=b"").status_code == 500
    assert stack.rpc("IncidentsService.Explode", {}).status_code == 404


def test_only_the_configured_plugin_answers(stack, simulator):
    missing = stack.rpc("RolesService.GetRoles", {}, path=OLD)
    assert missing.status_code == 404
    assert missing.json()["message"] == "Plugin not found" and missing.json()["messageId"] == "plugins.notFound"
    simulator.configure(incident_plugin="grafana-incident-app")
    assert stack.rpc("RolesService.GetRoles", {}, path=IRM).status_code == 404
    assert stack.rpc("RolesService.GetRoles", {}, path=OLD).status_code == 200
    created = stack.rpc("IncidentsService.CreateIncident", {"title": "old app"}, path=OLD).json()["incident"]
    assert "/a/grafana-incident-app/incidents/" in created["overviewURL"]


def test_requests_are_logged_with_their_full_path(stack, simulator):
    simulator.clear_requests()
    stack.rpc("RolesService.GetRoles", {})
    entry = simulator.requests()[-1]
    assert entry["method"] == "POST" and entry["status"] == 200
    assert entry["path"] == "/grafana/irm" + IRM + "/RolesService.GetRoles"
    assert entry["body"] == {}


def test_unknown_stack_is_a_grafana_404(simulator):
    answer = requests.post(simulator.root + "/grafana/nope" + IRM + "/RolesService.GetRoles", json={},
                           headers={"Authorization": "Bearer x"}, timeout=5)
    assert answer.status_code == 404


def test_the_org_severities_are_configurable(stack, simulator):
    simulator.configure(incident_severities=["SEV3", "SEV2", "SEV1"])
    incident = stack.declare()
    assert incident["severity"] == "SEV3"
    assert stack.rpc("IncidentsService.UpdateSeverity", {"incidentID": incident["incidentID"], "severity": "SEV1"}).status_code == 200
    assert stack.rpc("IncidentsService.UpdateSeverity", {"incidentID": incident["incidentID"], "severity": "major"}).status_code == 500
