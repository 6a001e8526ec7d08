# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""OnCall maintenance and alert-group actions: the requests of the facts file (A1-A12) and of
the engine's MaintainableObjectMixin, and the simulator's answers."""

import pytest
import requests


class OnCall:
    def __init__(self, simulator):
        self.simulator = simulator
        self.access = simulator.oncall()
        self.url = self.access["url"]

    def headers(self, kind="legacy"):
        if kind == "legacy":
            return {"Authorization": self.access["legacy_key"]}
        if kind == "viewer":
            return {"Authorization": self.access["viewer_legacy_key"]}
        return {"Authorization": self.access["service_account_token"], "X-Grafana-URL": self.access["grafana_url"]}

    def call(self, method, path, kind="legacy", **kwargs):
        return requests.request(method, self.url + "/api/v1/" + path, headers=self.headers(kind), timeout=5, **kwargs)

    def integration(self, name="int-alerts"):
        answer = self.call("POST", "integrations/", json={"name": name, "type": "webhook"})
        assert answer.status_code == 201, answer.text
        return answer.json()

    def alert(self, integration, **payload):
        link = integration["link"].replace("http://localhost:", "http://127.0.0.1:")
        answer = requests.post(link, json=payload or {"title": "disk full", "message": "db1", "state": "alerting"}, timeout=5)
        assert answer.status_code == 200 and answer.json() == "Ok."

    def groups(self, **params):
        answer = self.call("GET", "alert_groups/", params=params)
        assert answer.status_code == 200, answer.text
        return answer.json()["results"]


@pytest.fixture
def oncall(simulator):
    return OnCall(simulator)


def test_a_new_integration_is_not_in_maintenance(oncall):
    integration = oncall.integration()
    assert (integration["maintenance_mode"], integration["maintenance_started_at"], integration["maintenance_end_at"]) == (None, None, None)


def test_maintenance_start_answers_the_integration_in_that_mode(oncall, simulator):
    integration = oncall.integration()
    started = oncall.call("POST", "integrations/%s/maintenance_start/" % integration["id"],
                          json={"mode": "Maintenance", "duration": 3600})  # a legacy key (N4)
    assert started.status_code == 200
    body = started.json()
    assert body["id"] == integration["id"] and body["maintenance_mode"] == "maintenance"
    assert body["maintenance_started_at"] < body["maintenance_end_at"]
    again = oncall.call("POST", "integrations/%s/maintenance_start/" % integration["id"], json={"mode": "debug", "duration": 60})
    assert again.status_code == 400 and again.json() == {"detail": "Already on maintenance"}
    read = oncall.call("GET", "integrations/%s/" % integration["id"]).json()
    assert read["maintenance_mode"] == "maintenance" and read["maintenance_end_at"] == body["maintenance_end_at"]
    # The window ends by itself.
    simulator.advance_clock(3601)
    assert oncall.call("GET", "integrations/%s/" % integration["id"]).json()["maintenance_mode"] is None


def test_maintenance_stop_ends_it_and_is_no_error_when_there_is_none(oncall):
    integration = oncall.integration()
    oncall.call("POST", "integrations/%s/maintenance_start/" % integration["id"], json={"mode": "debug", "duration": "600"})
    stopped = oncall.call("POST", "integrations/%s/maintenance_stop/" % integration["id"])
    assert stopped.status_code == 200 and stopped.json()["maintenance_mode"] is None
    assert oncall.call("POST", "integrations/%s/maintenance_stop/" % integration["id"]).status_code == 200


@pytest.mark.parametrize("body, error", [
    ({"mode": "nap", "duration": 60}, {"mode": ["Unknown mode"]}),
    ({"duration": 60}, {"mode": ["Unknown mode"]}),
    ({"mode": "debug", "duration": "an hour"}, {"duration": ["Invalid duration"]}),
    ({"mode": "debug"}, {"duration": ["Invalid duration"]}),
])
def test_maintenance_start_validation(oncall, body, error):
    integration = oncall.integration()
    answer = oncall.call("POST", "integrations/%s/maintenance_start/" % integration["id"], json=body)
    assert answer.status_code == 400 and answer.json() == error


def test_maintenance_needs_write_permission_and_an_existing_integration(oncall):
    integration = oncall.integration()
    viewer = oncall.call("POST", "integrations/%s/maintenance_start/" % integration["id"],
                         json={"mode": "debug", "duration": 60}, kind="viewer")
    assert viewer.status_code == 403
    missing = oncall.call("POST", "integrations/CNOPE/maintenance_start/", json={"mode": "debug", "duration": 60})
    assert missing.status_code == 404 and missing.json() == {"detail": "Not found."}


@pytest.mark.parametrize("mode", ["maintenance", "debug"])
def test_n4_service_accounts_can_stop_but_not_start_a_mode(oncall, mode):
    integration = oncall.integration()
    path = "integrations/%s/" % integration["id"]
    # N4: an HTML 500 page for a service-account token, whatever the mode.
    refused = oncall.call("POST", path + "maintenance_start/", json={"mode": mode, "duration": 7200}, kind="sa")
    assert refused.status_code == 500 and "<title>Server Error (500)</title>" in refused.text
    assert oncall.call("GET", path).json()["maintenance_mode"] is None
    # N4: with a legacy key 200; stopping with the service-account token 200.
    started = oncall.call("POST", path + "maintenance_start/", json={"mode": mode, "duration": 7200})
    assert started.status_code == 200 and started.json()["maintenance_mode"] == mode
    stopped = oncall.call("POST", path + "maintenance_stop/", kind="sa")
    assert stopped.status_code == 200 and stopped.json()["maintenance_mode"] is None


def test_alerts_become_a_firing_group_filtered_as_new(oncall, simulator):
    integration = oncall.integration()
    oncall.alert(integration)
    groups = oncall.groups(integration_id=integration["id"])
    assert len(groups) == 1
    group = groups[0]
    assert group["state"] == "firing" and group["alerts_count"] == 1 and group["title"] == "Incident"
    assert group["permalinks"]["web"] == "%s/a/grafana-oncall-app/alert-groups/%s" % (
        oncall.access["grafana_url"].rstrip("/"), group["id"])
    assert group["last_alert"]["payload"]["title"] == "disk full"
    assert [g["id"] for g in oncall.groups(state="new", integration_id=integration["id"])] == [group["id"]]
    firing = oncall.call("GET", "alert_groups/", params={"state": "firing"})
    assert firing.status_code == 400
    assert firing.json() == {"state": "Must be one of the following: new, acknowledged, resolved, silenced"}


def test_actions_answer_an_empty_200_and_a_repeat_is_a_400(oncall):
    integration = oncall.integration()
    oncall.alert(integration)
    group_id = oncall.groups()[0]["id"]
    acknowledged = oncall.call("POST", "alert_groups/%s/acknowledge/" % group_id)
    assert acknowledged.status_code == 200 and acknowledged.content == b""
    repeated = oncall.call("POST", "alert_groups/%s/acknowledge/" % group_id)
    assert repeated.status_code == 400
    assert repeated.json() == {"detail": "Can't acknowledge an acknowledged alert group"}
    by_sa = oncall.call("POST", "alert_groups/%s/resolve/" % group_id, kind="sa")
    assert by_sa.status_code == 403
    assert by_sa.json() == {"detail": "Service accounts are not allowed to resolve alert groups"}
    resolved = oncall.call("POST", "alert_groups/%s/resolve/" % group_id)
    assert resolved.status_code == 200 and resolved.content == b""
    group = oncall.call("GET", "alert_groups/%s/" % group_id).json()
    assert group["state"] == "resolved" and group["resolved_by"] and group["acknowledged_by"]
    assert oncall.call("POST", "alert_groups/%s/resolve/" % group_id).json() == {"detail": "Can't resolve a resolved alert group"}


def test_silence_for_a_while_then_it_ends(oncall, simulator):
    integration = oncall.integration()
    oncall.alert(integration)
    group_id = oncall.groups()[0]["id"]
    missing_delay = oncall.call("POST", "alert_groups/%s/silence/" % group_id, json={})
    assert missing_delay.status_code == 400 and "delay" in missing_delay.json()
    assert oncall.call("POST", "alert_groups/%s/silence/" % group_id, json={"delay": 600}).status_code == 200
    assert oncall.groups(state="silenced")[0]["id"] == group_id
    assert oncall.call("POST", "alert_groups/%s/silence/" % group_id, json={"delay": 600}).status_code == 200
    simulator.advance_clock(601)
    assert oncall.call("GET", "alert_groups/%s/" % group_id).json()["state"] == "firing"
    unsilence = oncall.call("POST", "alert_groups/%s/unsilence/" % group_id)
    assert unsilence.status_code == 400 and unsilence.json() == {"detail": "Can't unsilence an unsilenced alert group"}


def test_alerts_with_another_uid_open_another_group_and_groups_go_with_the_integration(oncall):
    integration = oncall.integration()
    oncall.alert(integration, alert_uid="a", title="one")
    oncall.alert(integration, alert_uid="a", title="one again")
    oncall.alert(integration, alert_uid="b", title="two")
    groups = oncall.groups(integration_id=integration["id"])
    assert sorted(group["alerts_count"] for group in groups) == [1, 2]
    assert oncall.call("DELETE", "integrations/%s/" % integration["id"]).status_code == 204
    assert oncall.groups(integration_id=integration["id"]) == []
