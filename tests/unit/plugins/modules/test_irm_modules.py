# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The IRM modules' own logic: queries, idempotence by state, labels, the job of each call."""

import pytest

from ansible_collections.grafana_cloud.platform.plugins.module_utils._incident import creation_order
from ansible_collections.grafana_cloud.platform.plugins.modules import incident_info, oncall_alert_group
from ansible_collections.grafana_cloud.platform.plugins.modules.incident import Incident


class Failed(Exception):
    pass


class FakeModule:
    def __init__(self, params, check_mode=False):
        self.params = params
        self.check_mode = check_mode
        self._diff = True

    def fail_json(self, msg, **kwargs):
        raise Failed(msg)

    def warn(self, message):
        pass


def info_params(**overrides):
    params = dict(status=None, severity=None, labels=None, only_drills=False, declared_after=None,
                  declared_before=None, query=None, order="desc", limit=100)
    params.update(overrides)
    return params


def test_info_query_maps_every_filter():
    query, problems = incident_info.build_query(info_params(status=["resolved", "active", "active"], severity="major",
                                                            labels=["a"], only_drills=True,
                                                            declared_after="2026-12-01T00:00:00Z", limit=10))
    assert problems == []
    assert query == {"limit": 10, "orderDirection": "DESC", "includeStatuses": ["active", "resolved"],
                     "severity": "major", "incidentLabels": ["a"], "onlyDrills": True,
                     "dateFrom": "2026-12-01T00:00:00.000Z"}


def test_info_page_size_is_capped_and_zero_means_every_incident():
    assert incident_info.build_query(info_params(limit=0))[0]["limit"] == 50
    assert incident_info.build_query(info_params(limit=1000))[0]["limit"] == 50


def test_info_refuses_a_query_string_with_other_filters():
    _query, problems = incident_info.build_query(info_params(query="status:active", labels=["x"], only_drills=True))
    assert len(problems) == 1 and "labels, only_drills" in problems[0]


def test_info_names_a_bad_time():
    _query, problems = incident_info.build_query(info_params(declared_before="last tuesday"))
    assert "declared_before" in problems[0]


def group(group_id, state):
    return {"id": group_id, "state": state}


class Recorder:
    def __init__(self):
        self.posts = []

    def post(self, path, json=None, params=None):
        self.posts.append((path, json))


@pytest.mark.parametrize("action, states, acted, skipped", [
    ("acknowledge", ["firing", "silenced", "acknowledged", "resolved"], ["1", "2"], ["4"]),
    ("resolve", ["firing", "silenced", "acknowledged", "resolved"], ["1", "2", "3"], []),
    ("silence", ["firing", "silenced", "acknowledged", "resolved"], ["1"], ["3", "4"]),
    ("unsilence", ["firing", "silenced", "acknowledged", "resolved"], ["2"], []),
])
def test_alert_group_actions_are_idempotent_by_state(action, states, acted, skipped):
    module = FakeModule(dict(action=action))
    client = Recorder()
    groups = [group(str(index), state) for index, state in enumerate(states, start=1)]
    changed, skipped_groups, after = oncall_alert_group.act(module, client, groups, 60 if action == "silence" else None)
    assert changed == acted
    assert [entry["id"] for entry in skipped_groups] == skipped
    assert [path for path, _body in client.posts] == ["/api/v1/alert_groups/%s/%s/" % (gid, action) for gid in acted]
    target = oncall_alert_group.ACTIONS[action][0]
    assert all(item["state"] == target for item in after if item["id"] in acted)


def test_silence_sends_its_delay_and_check_mode_sends_nothing():
    client = Recorder()
    oncall_alert_group.act(FakeModule(dict(action="silence")), client, [group("1", "firing")], 7200)
    assert client.posts == [("/api/v1/alert_groups/1/silence/", {"delay": 7200})]
    client = Recorder()
    changed, _skipped, _after = oncall_alert_group.act(FakeModule(dict(action="silence"), check_mode=True), client,
                                                       [group("1", "firing")], 7200)
    assert changed == ["1"] and client.posts == []


def test_a_service_account_token_is_refused_before_any_request():
    params = dict(oncall_access_token="glsa_" + "a" * 32 + "_01234567", alert_group_id="I1", integration=None,
                  alert_state=None, action="resolve", silence_for=None)
    with pytest.raises(Failed) as failed:
        oncall_alert_group.validate(FakeModule(params))
    assert "legacy OnCall API key" in str(failed.value)


def incident_params(**overrides):
    params = dict(incident_id=None, key="k", title=None, severity=None, labels=None, purge_labels=False,
                  is_drill=None, status=None, note=None)
    params.update(overrides)
    return params


def existing(labels):
    return {"incidentID": "7", "title": "t", "severity": "minor", "isDrill": False, "status": "active",
            "labels": [{"label": text} for text in labels]}


def test_labels_are_added_to_the_existing_ones_unless_purged():
    kept = Incident(FakeModule(incident_params(labels=["b"])), client=None)
    current = kept.current_values(existing(["a", "ansible-key:k"]))
    assert current["labels"] == ["a"]
    assert kept.desired_values(current)["labels"] == ["a", "b"]
    purged = Incident(FakeModule(incident_params(labels=["b"], purge_labels=True)), client=None)
    assert purged.desired_values(current)["labels"] == ["b"]


def test_the_key_label_stays_when_labels_are_purged_in_check_mode():
    resource = Incident(FakeModule(incident_params(labels=[], purge_labels=True), check_mode=True), client=None)
    predicted = resource.predict_updated(existing(["a", "ansible-key:k"]), {"labels": []}, {})
    assert predicted["labels"] == [{"label": "ansible-key:k"}]


class QueryClient:
    """Answers QueryIncidents with ``incidents``, recording the bodies."""

    def __init__(self, incidents):
        self.incidents = incidents
        self.bodies = []

    def call(self, method, body):
        self.bodies.append((method, body))
        return {"incidents": self.incidents, "cursor": {"nextValue": "", "hasMore": False}}


def test_the_key_is_one_query_and_a_duplicate_is_reported():
    # Declared first, though its id sorts last as text: the creation time decides.
    oldest = dict(existing(["ansible-key:k"]), incidentID="10", createdTime="2026-03-01T10:00:00Z")
    newer = dict(existing(["ansible-key:k"]), incidentID="3", createdTime="2026-03-01T10:00:00.250Z")
    lookalike = dict(existing(["ansible-key:k2"]), incidentID="5", createdTime="2026-03-01T09:00:00Z")
    client = QueryClient([newer, lookalike, oldest])
    resource = Incident(FakeModule(incident_params()), client)
    assert resource.find()["incidentID"] == "10"
    assert len(client.bodies) == 1
    method, body = client.bodies[0]
    assert method == "IncidentsService.QueryIncidents"
    assert body["query"]["includeStatuses"] == ["active"] and body["query"]["incidentLabels"] == ["ansible-key:k"]
    assert len(resource.warnings) == 1 and "oldest (10)" in resource.warnings[0] and "3" in resource.warnings[0]


def test_incidents_declared_in_the_same_instant_are_ordered_by_id_as_a_number():
    same_time = "2026-03-01T10:00:00Z"
    incidents = [dict(existing(["ansible-key:k"]), incidentID=incident_id, createdTime=same_time)
                 for incident_id in ("10", "9", "11")]
    assert [incident["incidentID"] for incident in sorted(incidents, key=creation_order)] == ["9", "10", "11"]
