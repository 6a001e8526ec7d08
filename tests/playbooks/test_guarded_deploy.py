# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""playbooks/guarded_deploy.yml (role irm_deploy_guard) over the simulator.

Success: the integration was in maintenance during the deployment, no incident, maintenance
ended. Failure: one incident however often the failing run is repeated (and however many
hosts fail together), title and note naming host and task, the AWX job linked, maintenance
ended every time.
"""

import json
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
import requests

from tests.simulator.areas.incident import incidents_of

HERE = Path(__file__).resolve().parent
PLAYBOOK = HERE.parent.parent / "playbooks" / "guarded_deploy.yml"
SLUG = "guardstack"
FAILED_TASK = "Check the release can be deployed"


def sa_token(sim, role):
    headers = dict(sim.auth(), **{"X-Request-Id": "test-guard"})
    base = "%s/instances/%s/api/serviceaccounts" % (sim.url, SLUG)
    account = requests.post(base, json={"name": "guard-" + role.lower(), "role": role}, headers=headers, timeout=10).json()
    return requests.post("%s/%s/tokens" % (base, account["id"]), json={"name": "t"}, headers=headers, timeout=10).json()["key"]


@pytest.fixture
def guard(sim):
    grafana_url = "%s/grafana/%s" % (sim.root, SLUG)
    sim.add_stack(SLUG, url=grafana_url)
    # The same Grafana URL names the stack for OnCall's service-account auth.
    sim.configure(oncall_grafana_url=grafana_url)
    access = sim.oncall()
    created = requests.post(access["url"] + "/api/v1/integrations/", json={"name": "guard-int", "type": "webhook"},
                            headers={"Authorization": access["legacy_key"]}, timeout=10)
    assert created.status_code == 201, created.text
    variables = {
        "grafana_url": grafana_url,
        "oncall_api_url": access["url"],
        # A legacy key: the engine can't start maintenance with a service-account token (N4).
        "grafana_oncall_access_token": access["legacy_key"],
        "grafana_incident_access_token": sa_token(sim, "Editor"),
        "guarded_deploy_integrations": ["guard-int"],
    }
    return dict(sim=sim, access=access, integration=created.json(), variables=variables)


def run(ansible_playbook, guard, *args, **extra):
    variables = dict(guard["variables"], **extra)
    return ansible_playbook(PLAYBOOK, "-e", json.dumps(variables), *args)


def maintenance_calls(sim):
    return [entry["path"].rsplit("/", 2)[-2] for entry in sim.requests()
            if entry["method"] == "POST" and "/maintenance_" in entry["path"]]


def integration_now(guard):
    access = guard["access"]
    return requests.get("%s/api/v1/integrations/%s/" % (access["url"], guard["integration"]["id"]),
                        headers={"Authorization": access["legacy_key"]}, timeout=10).json()


def notes(guard, incident_id):
    sim = guard["sim"]
    token = guard["variables"]["grafana_incident_access_token"]
    answer = requests.post("%s/grafana/%s/api/plugins/grafana-irm-app/resources/api/v1/ActivityService.QueryActivity"
                           % (sim.root, SLUG), json={"query": {"incidentID": incident_id, "activityKind": ["userNote"]}},
                           headers={"Authorization": "Bearer " + token}, timeout=10)
    return [item["body"] for item in answer.json()["activityItems"]]


def test_success_no_incident_and_the_maintenance_ended(guard, ansible_playbook):
    sim = guard["sim"]
    sim.clear_requests()
    result = run(ansible_playbook, guard)
    assert result.returncode == 0, result
    assert maintenance_calls(sim) == ["maintenance_start", "maintenance_stop"]
    assert incidents_of(sim.sim, SLUG) == []
    assert integration_now(guard)["maintenance_mode"] is None


def test_failure_one_incident_however_often_and_the_maintenance_ended(guard, ansible_playbook):
    sim = guard["sim"]
    for attempt in range(2):
        sim.clear_requests()
        result = run(ansible_playbook, guard, guarded_deploy_fail=True)
        assert result.returncode != 0, result
        assert "failed on localhost at task '%s'" % FAILED_TASK in result.output
        assert maintenance_calls(sim) == ["maintenance_start", "maintenance_stop"], attempt
        assert integration_now(guard)["maintenance_mode"] is None
    incidents = incidents_of(sim.sim, SLUG)
    assert len(incidents) == 1
    incident = incidents[0]
    assert incident["status"] == "active" and incident["severity"] == "major"
    assert incident["title"] == "Deploy of the example app failed on localhost at task '%s'" % FAILED_TASK
    assert {label["label"] for label in incident["labels"]} == {"service:example", "ansible-key:deploy-deploy-of-the-example-app"}
    # The same failure twice: one note.
    [note] = notes(guard, incident["incidentID"])
    assert "Task '%s'" % FAILED_TASK in note and "on localhost" in note
    assert "did not pass its health check" in note

    # Run in AWX: the note links the job; still the same incident.
    result = run(ansible_playbook, guard, guarded_deploy_fail=True, awx_job_id=42,
                 irm_deploy_guard_awx_base_url="https://awx.example.com/")
    assert result.returncode != 0, result
    assert len(incidents_of(sim.sim, SLUG)) == 1
    assert notes(guard, incident["incidentID"])[-1].endswith("(job: https://awx.example.com/#/jobs/playbook/42/output)")


def test_hosts_failing_together_share_one_incident(guard, ansible_playbook):
    sim = guard["sim"]
    sim.clear_requests()
    result = run(ansible_playbook, guard, "-i", "web1,web2,", guarded_deploy_fail=True, guarded_deploy_hosts="web1:web2")
    assert result.returncode != 0, result
    incidents = incidents_of(sim.sim, SLUG)
    assert len(incidents) == 1, incidents
    assert incidents[0]["title"].startswith("Deploy of the example app failed on web")
    assert len(notes(guard, incidents[0]["incidentID"])) == 2
    assert maintenance_calls(sim) == ["maintenance_start", "maintenance_stop"]


def test_two_pipelines_failing_together_point_to_one_incident(guard, ansible_playbook, tmp_path):
    """Two jobs of one guarded deployment fail at the same moment (issue 22): both may find no
    incident under the key and both declare one. Both runs must still end as a failed
    deployment does (not with an error of the guard), name the same incident, and leave one
    active incident for the key; a duplicate is resolved. Rounds with a deployment name each,
    so each round races for a key of its own: two as the timing falls (the second run usually
    finds the first one's incident), then with the simulator's ``race`` fault on the first
    CreateIncident, so that two incidents are declared for certain."""
    sim = guard["sim"]
    for attempt, race in enumerate((False, False, True)):
        name = "Deploy round %d" % attempt
        if race:
            sim.fault(r"IncidentsService\.CreateIncident$", method="POST", race=True)
        folders = [tmp_path / ("round-%d-%s" % (attempt, side)) for side in "ab"]

        def one(folder):
            folder.mkdir()
            variables = dict(guard["variables"], guarded_deploy_fail=True, guarded_deploy_name=name)
            return ansible_playbook(PLAYBOOK, "-e", json.dumps(variables),
                                    env={"ANSIBLE_LOCAL_TEMP": str(folder / "ansible-local")})

        with ThreadPoolExecutor(max_workers=2) as pool:
            runs = list(pool.map(one, folders))

        key = "ansible-key:deploy-" + name.lower().replace(" ", "-")
        keyed = [incident for incident in incidents_of(sim.sim, SLUG)
                 if incident["title"].startswith(name)]
        active = [incident for incident in keyed if key in {label["label"] for label in incident["labels"]}
                  and incident["status"] == "active"]
        assert len(active) == 1, keyed
        if race:
            assert [fault["remaining"] for fault in sim.faults()] == [0] and len(keyed) == 2, keyed
        url = active[0]["overviewURL"]
        for run_result in runs:
            assert run_result.returncode != 0, run_result
            assert "%s failed on localhost at task '%s'; incident %s." % (name, FAILED_TASK, url) in \
                " ".join(run_result.output.split()), run_result
        # A duplicate one of the runs declared is resolved and names the one kept.
        for duplicate in (incident for incident in keyed if incident is not active[0]):
            assert duplicate["status"] == "resolved"
            assert any("incident %s" % active[0]["incidentID"] in note for note in notes(guard, duplicate["incidentID"]))
        assert integration_now(guard)["maintenance_mode"] is None


def test_a_window_someone_else_opened_is_left_open(guard, ansible_playbook):
    sim, access = guard["sim"], guard["access"]
    started = requests.post("%s/api/v1/integrations/%s/maintenance_start/" % (access["url"], guard["integration"]["id"]),
                            json={"mode": "maintenance", "duration": 7200}, headers={"Authorization": access["legacy_key"]},
                            timeout=10)
    assert started.status_code == 200
    sim.clear_requests()
    result = run(ansible_playbook, guard)
    assert result.returncode == 0, result
    assert maintenance_calls(sim) == []
    assert integration_now(guard)["maintenance_mode"] == "maintenance"


def test_an_unknown_integration_stops_the_play_before_the_deployment(guard, ansible_playbook):
    result = run(ansible_playbook, guard, guarded_deploy_integrations=["no-such-integration"])
    assert result.returncode != 0, result
    assert "'no-such-integration'" in result.output and "not found" in result.output
    assert "Deployed 1.0.0" not in result.output
    assert incidents_of(guard["sim"].sim, SLUG) == []


def test_the_readme_command_line_list_of_integrations_works(guard, ansible_playbook):
    """README: -e guarded_deploy_integrations='["my-integration"]' (text, not a list), and
    the comma-separated form."""
    sim = guard["sim"]
    variables = dict(guard["variables"])
    del variables["guarded_deploy_integrations"]
    for text in ('["guard-int"]', "guard-int"):
        sim.clear_requests()
        result = ansible_playbook(PLAYBOOK, "-e", json.dumps(variables), "-e", "guarded_deploy_integrations=" + text)
        assert result.returncode == 0, result
        assert maintenance_calls(sim) == ["maintenance_start", "maintenance_stop"], text


def test_a_service_account_token_is_refused_before_the_deployment(guard, ansible_playbook):
    sim = guard["sim"]
    sim.clear_requests()
    result = run(ansible_playbook, guard, grafana_oncall_access_token=guard["access"]["service_account_token"])
    assert result.returncode != 0, result
    # N4: refused by the module before any request, naming the token and the way out.
    assert "oncall_access_token is a service-account token" in result.output
    assert "legacy OnCall API key" in result.output
    assert "Deployed 1.0.0" not in result.output
    assert maintenance_calls(sim) == []


def test_without_the_deployment_the_role_fails_first_with_one_line(guard, ansible_playbook, tmp_path):
    playbook = tmp_path / "no_deployment.yml"
    playbook.write_text("- name: Guard without a deployment\n  hosts: localhost\n  gather_facts: false\n"
                        "  roles:\n    - role: grafana_cloud.platform.irm_deploy_guard\n")
    result = ansible_playbook(playbook)
    assert result.returncode != 0, result
    failed = [line for line in result.output.splitlines() if "FAILED!" in line]
    assert len(failed) == 1, result
    assert "needs the variable(s): irm_deploy_guard_deployment." in failed[0]
    assert "argument_spec_data" not in result.output and "missing required arguments" not in result.output
