# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Two runs at once, made deterministic: every resource module against the simulator's
``race`` fault ("another client sends the same request just before yours").

Each module runs in this process (its ``main()``, as the controller-side runner runs it)
against the simulator on a free port. A create that loses the race must end with the run
succeeding, exactly one object of the key in the simulator, and ``changed: false`` (the
other run made it; this one adopted it). A delete that loses the race (404) is "already
absent", ``changed: false``. The objects are counted through the API, as a user would.
"""

import json
import re
from pathlib import Path

import pytest
import requests

from tests.simulator.testing import reference_spec, running_simulator

from ansible_collections.grafana_cloud.platform.plugins.plugin_utils._api_module_action import run_module_main

STACK = "racestack"
ONCALL = "/oncall/api/v1/"


@pytest.fixture(scope="module")
def served():
    with running_simulator(contract_spec=reference_spec() or False) as running:
        yield running


@pytest.fixture
def sim(served):
    served.reset()
    # No waiting on readiness or on the plugin operation window: the race is the subject.
    served.configure(stacks_ready_after=0, stacks_deleting_after=0, stack_plugins_operation_window=0)
    return served


def run_module(name, args, capsys):
    """Run plugins/modules/<name>.py's main() with ``args``; its result (exit_json or fail_json).

    Through the runner the in-process action uses, which gives the module what a module
    process would see (its arguments, fresh warning stores, module-side warning handling),
    whatever controller code the test session imported before.
    """
    del capsys  # the runner captures what the module prints
    stdout, stderr, _rc = run_module_main(
        "ansible_collections.grafana_cloud.platform.plugins.modules." + name,
        dict(args, _ansible_remote_tmp="/tmp", _ansible_keep_remote_files=False), {})
    assert stdout, stderr
    return json.loads(stdout)


def warnings_of(result):
    """The warnings' text (plain strings, or the structured summaries of newer ansible-core)."""
    return json.dumps(result.get("warnings") or [])


# -- how each kind is reached, set up and counted ----------------------------------------------

class Api:
    """Reads through the API with the simulator's admin credentials, to count objects."""

    def __init__(self, sim):
        self.sim = sim
        self.oncall_access = sim.oncall()

    def get(self, path, **params):
        response = requests.get(self.sim.url + path, params=params, headers=self.sim.auth(), timeout=10)
        response.raise_for_status()
        return response.json()

    def post(self, path, body, **params):
        headers = dict(self.sim.auth(), **{"X-Request-Id": "test-setup"})
        response = requests.post(self.sim.url + path, params=params, json=body, headers=headers, timeout=10)
        response.raise_for_status()
        return response.json()

    def oncall(self, method, collection, body=None, **params):
        headers = {"Authorization": self.oncall_access["service_account_token"],
                   "X-Grafana-URL": self.oncall_access["grafana_url"]}
        response = requests.request(method, self.oncall_access["url"] + "/api/v1/%s/" % collection,
                                    params=params, json=body, headers=headers, timeout=10)
        response.raise_for_status()
        return response.json() if response.content else None  # a DELETE answers 204, empty

    def oncall_named(self, collection, name):
        return [obj for obj in self.oncall("GET", collection, name=name, perpage=100)["results"]
                if obj["name"] == name]

    def gcom_args(self):
        return dict(cloud_api_url=self.sim.url, cloud_access_policy_token=self.sim.token)

    def oncall_args(self):
        return dict(oncall_api_url=self.oncall_access["url"],
                    oncall_access_token=self.oncall_access["service_account_token"],
                    grafana_url=self.oncall_access["grafana_url"])

    def stack_account(self, name):
        accounts = self.get("/instances/%s/api/serviceaccounts/search" % STACK, query=name)["serviceAccounts"]
        return [account for account in accounts if account["name"] == name]


def setup_stack(api):
    api.sim.add_stack(STACK, ready_after=0)


def setup_policy(api):
    api.post("/v1/accesspolicies", dict(name="race-policy", scopes=["metrics:read"],
                                        realms=[dict(type="org", identifier=str(api.sim.sim.org["id"]))]),
             region="us")


def setup_account(api):
    setup_stack(api)
    api.post("/instances/%s/api/serviceaccounts" % STACK, dict(name="race-account", role="Viewer"))


def setup_chain(api):
    api.oncall("POST", "escalation_chains", dict(name="race-chain"))


def setup_chain_with_a_gap(api):
    """A chain whose steps are stored at 0 and 2: three steps, the one at 1 deleted (fact N2)."""
    chain = api.oncall("POST", "escalation_chains", dict(name="race-chain"))
    steps = [api.oncall("POST", "escalation_policies", dict(escalation_chain_id=chain["id"], type="wait",
                                                            duration=60 * (index + 1)))
             for index in range(3)]
    api.oncall("DELETE", "escalation_policies/%s" % steps[1]["id"])
    assert [step["position"] for step in chain_steps(api)] == [0, 2]


def setup_integration(api):
    api.oncall("POST", "integrations", dict(name="race-integration", type="webhook"))


def chain_steps(api):
    chain = api.oncall_named("escalation_chains", "race-chain")[0]
    return api.oncall("GET", "escalation_policies", escalation_chain_id=chain["id"])["results"]


def integration_routes(api, regex):
    integration = api.oncall_named("integrations", "race-integration")[0]
    routes = api.oncall("GET", "routes", integration_id=integration["id"])["results"]
    return [route for route in routes if route["routing_regex"] == regex]


def setup_old_stack(api):
    api.sim.add_stack(STACK, ready_after=0, grafana_version="11.2.0")


def hosted_keys_named(api, name):
    from tests.simulator.areas.stack_credentials import hosted_keys  # the API has no read of them

    stack = api.get("/instances/%s" % STACK)
    return sum(1 for key in hosted_keys(api.sim.sim, stack["id"]) if key == name)


def account_tokens_named(api, account, name):
    found = api.stack_account(account)
    if not found:
        return 0
    tokens = api.get("/instances/%s/api/serviceaccounts/%s/tokens" % (STACK, found[0]["id"]))
    return sum(1 for token in tokens if token["name"] == name)


# name: (module, module args, setup, fault path (regex), count of the objects of the key,
#        whether the module returns a secret)
KINDS = {
    "stack": ("stack", dict(slug=STACK, region="us", delete_protection=False), None, r"^/v1/stacks$",
              lambda api: sum(1 for stack in api.get("/orgs/simorg/instances")["items"]
                              if stack["slug"] == STACK and stack["status"] == "active"),
              False),
    "access_policy": ("access_policy", dict(name="race-policy", region="us", scopes=["metrics:read"],
                                            realms=[dict(type="org", identifier="simorg")]),
                      None, r"^/v1/accesspolicies$",
                      lambda api: len(api.get("/v1/accesspolicies", region="us", name="race-policy")["items"]),
                      False),
    "token": ("token", dict(name="race-token", region="us", access_policy="race-policy"), setup_policy,
              r"^/v1/tokens$",
              lambda api: len(api.get("/v1/tokens", region="us", name="race-token")["items"]), True),
    "plugin": ("plugin", dict(stack=STACK, plugin="grafana-clock-panel"), setup_stack,
               r"^/instances/%s/plugins$" % STACK,
               lambda api: sum(1 for plugin in api.get("/instances/%s/plugins" % STACK)["items"]
                               if plugin["pluginSlug"] == "grafana-clock-panel"),
               False),
    "api_key": ("api_key", dict(org="simorg", name="race-key", role="Viewer"), None, r"^/orgs/simorg/api-keys$",
                lambda api: sum(1 for key in api.get("/orgs/simorg/api-keys")["items"] if key["name"] == "race-key"),
                True),
    "stack_service_account": ("stack_service_account", dict(stack=STACK, name="race-account", role="Viewer"),
                              setup_stack, r"^/instances/%s/api/serviceaccounts$" % STACK,
                              lambda api: len(api.stack_account("race-account")), False),
    "stack_service_account_token": (
        "stack_service_account_token", dict(stack=STACK, service_account="race-account", name="race-sa-token"),
        setup_account, r"^/instances/%s/api/serviceaccounts/\d+/tokens$" % STACK,
        lambda api: sum(1 for token in api.get("/instances/%s/api/serviceaccounts/%s/tokens"
                                               % (STACK, api.stack_account("race-account")[0]["id"]))
                        if token["name"] == "race-sa-token"),
        True),
    "hosted_api_key": ("hosted_api_key", dict(stack=STACK, name="race-hosted", role="Viewer"), setup_old_stack,
                       r"^/instances/%s/api/auth/keys$" % STACK,
                       lambda api: hosted_keys_named(api, "race-hosted"), False),
    "hosted_api_key_fallback": ("hosted_api_key", dict(stack=STACK, name="race-hosted", role="Viewer",
                                                       service_account_fallback=True),
                                setup_stack, (r"^/instances/%s/api/serviceaccounts(/\d+/tokens)?$" % STACK, 2),
                                lambda api: account_tokens_named(api, "race-hosted", "race-hosted"), False),
    "org_member": ("org_member", dict(org="simorg", user="alice", role="Viewer"), None, r"^/orgs/simorg/members$",
                   lambda api: sum(1 for member in api.get("/orgs/simorg/members")["items"]
                                   if member["userUsername"] == "alice"),
                   False),
    "org_member_list": ("org_member", dict(org="simorg", members=[dict(user="alice", role="Viewer")]), None,
                        r"^/orgs/simorg/members$",
                        lambda api: sum(1 for member in api.get("/orgs/simorg/members")["items"]
                                        if member["userUsername"] == "alice"),
                        False),
    "oncall_escalation_chain": ("oncall_escalation_chain", dict(name="race-chain"), None,
                                ONCALL + "escalation_chains/",
                                lambda api: len(api.oncall_named("escalation_chains", "race-chain")), False),
    "oncall_escalation_policy": ("oncall_escalation_policy",
                                 dict(escalation_chain="race-chain", position=0, type="wait", duration=300),
                                 setup_chain, ONCALL + "escalation_policies/",
                                 lambda api: len(chain_steps(api)), False),
    # Two steps stored at 0 and 2: the new step's place is 2, its stored number 3 (N2), and the
    # step the other run added first is then found at 4, below this run's.
    "oncall_escalation_policy_after_a_gap": ("oncall_escalation_policy",
                                             dict(escalation_chain="race-chain", position=2, type="wait",
                                                  duration=900),
                                             setup_chain_with_a_gap, ONCALL + "escalation_policies/",
                                             lambda api: sum(1 for step in chain_steps(api)
                                                             if step.get("duration") == 900), False),
    "oncall_integration": ("oncall_integration", dict(name="race-integration", type="webhook"), None,
                           ONCALL + "integrations/",
                           lambda api: len(api.oncall_named("integrations", "race-integration")), False),
    "oncall_route": ("oncall_route", dict(integration="race-integration", routing_regex="severity=critical"),
                     setup_integration, ONCALL + "routes/",
                     lambda api: len(integration_routes(api, "severity=critical")), False),
    "oncall_route_at_a_position": ("oncall_route", dict(integration="race-integration", routing_regex="team=db",
                                                        position=0),
                                   setup_integration, ONCALL + "routes/",
                                   lambda api: len(integration_routes(api, "team=db")), False),
    "oncall_schedule": ("oncall_schedule", dict(name="race-schedule", type="calendar", time_zone="UTC"), None,
                        ONCALL + "schedules/", lambda api: len(api.oncall_named("schedules", "race-schedule")),
                        False),
    "oncall_shift": ("oncall_shift", dict(name="race-shift", type="single_event", start="2026-03-14T20:00:00",
                                          duration="1h", time_zone="UTC", users=["alice"]),
                     None, ONCALL + "on_call_shifts/",
                     lambda api: len(api.oncall_named("on_call_shifts", "race-shift")), False),
    "oncall_outgoing_webhook": ("oncall_outgoing_webhook",
                                dict(name="race-webhook", url="https://example.com/hook", http_method="POST",
                                     trigger_type="resolve"),
                                None, ONCALL + "webhooks/",
                                lambda api: len(api.oncall_named("webhooks", "race-webhook")), False),
}


def module_args(api, module, args):
    connection = api.oncall_args() if module.startswith("oncall_") else api.gcom_args()
    return dict(connection, **args)


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_a_create_that_loses_the_race_adopts_the_one_object(sim, capsys, kind):
    module, args, setup, path, count, secret = KINDS[kind]
    api = Api(sim)
    if setup:
        setup(api)
    path, times = path if isinstance(path, tuple) else (path, 1)
    sim.fault(path, method="POST", race=True, times=times)

    result = run_module(module, module_args(api, module, args), capsys)

    assert not result.get("failed"), result
    assert [fault["remaining"] for fault in sim.faults()] == [0], "the race did not happen"
    assert count(api) == 1
    # The other run created it; this one adopted it and found nothing to change.
    assert result["changed"] is False, result
    if kind == "hosted_api_key":
        # Hosted API keys can't be read: every run creates, and "exists" is all it can say.
        assert "already exists" in result["msg"]
    else:
        assert "concurrently by another run" in warnings_of(result), result
    if secret:
        assert result["secret_issued_elsewhere"] is True
        assert "secret" not in result
        assert "If this run needs the secret" in warnings_of(result)

    again = run_module(module, module_args(api, module, args), capsys)
    assert again["changed"] is False and count(api) == 1


@pytest.mark.parametrize("kind", sorted(kind for kind in KINDS if not kind.startswith("hosted_api_key")))
def test_a_delete_that_loses_the_race_is_already_absent(sim, capsys, kind):
    module, args, setup, path, count, _secret = KINDS[kind]
    api = Api(sim)
    if setup:
        setup(api)
    created = run_module(module, module_args(api, module, args), capsys)
    assert created["changed"] is True and count(api) == 1, created
    # Any DELETE of this API: the object's own path has its id in it.
    sim.fault(r"^(/oncall)?/", method="DELETE", race=True)

    result = run_module(module, module_args(api, module, dict(args, state="absent")), capsys)

    assert not result.get("failed"), result
    assert [fault["remaining"] for fault in sim.faults()] == [0], "the race did not happen"
    assert count(api) == 0
    if kind != "stack":
        # A stack's DELETE answers 200 while it is being deleted: no race shows.
        assert result["changed"] is False, result


@pytest.mark.parametrize("kind", ["token", "stack_service_account_token"])
def test_two_rotations_at_once_leave_one_token_whose_secret_went_to_the_other_run(sim, capsys, kind):
    module, args, setup, path, count, _secret = KINDS[kind]
    api = Api(sim)
    setup(api)
    first = run_module(module, module_args(api, module, args), capsys)
    assert first["changed"] is True and first["secret"]
    # The other run deletes the old token first, then creates the replacement first.
    sim.fault(path.replace("$", "/[^/]+$"), method="DELETE", race=True)
    sim.fault(path, method="POST", race=True)

    result = run_module(module, module_args(api, module, dict(args, force_rotate=True)), capsys)

    assert not result.get("failed"), result
    assert [fault["remaining"] for fault in sim.faults()] == [0, 0], "the races did not happen"
    assert count(api) == 1
    assert result["rotated"] is True and result["secret_issued_elsewhere"] is True and "secret" not in result
    assert result["token"]["id"] != first["token"]["id"]


def family_names(api, kind, name):
    """The names of ``name``'s tokens and their keep_old replacements (``name-YYYYmmddHHMMSS``)."""
    if kind == "token":
        names = [token["name"] for token in api.get("/v1/tokens", region="us")["items"]]
    else:
        account = api.stack_account("race-account")[0]
        names = [token["name"] for token in api.get("/instances/%s/api/serviceaccounts/%s/tokens"
                                                    % (STACK, account["id"]))]
    return sorted(found for found in names if re.match(r"^%s(-\d{14})?$" % re.escape(name), found))


@pytest.mark.parametrize("kind", ["token", "stack_service_account_token"])
def test_two_keep_old_rotations_at_once_leave_the_old_token_and_one_replacement(sim, capsys, kind):
    module, args, setup, path, _count, _secret = KINDS[kind]
    args = dict(args, keep_old=True)
    api = Api(sim)
    setup(api)
    first = run_module(module, module_args(api, module, args), capsys)
    assert first["changed"] is True and first["secret"]
    # The other run creates the same replacement (same name, same second) just before this one.
    sim.fault(path, method="POST", race=True)

    result = run_module(module, module_args(api, module, dict(args, force_rotate=True)), capsys)

    assert not result.get("failed"), result
    assert [fault["remaining"] for fault in sim.faults()] == [0], "the race did not happen"
    assert result["rotated"] is True and result["secret_issued_elsewhere"] is True and "secret" not in result
    assert result["replaced_token"]["id"] == first["token"]["id"]
    # Nothing deleted: the old token (whose secret is delivered) and the one replacement both live.
    assert family_names(api, kind, args["name"]) == sorted([args["name"], result["token"]["name"]])
    assert result["token"]["name"] != args["name"]


# -- Incident (IRM): incidents under one key, roles -----------------------------------------------

IRM_STACK = "raceirm"
IRM_RPC = "/api/plugins/grafana-irm-app/resources/api/v1/"
INCIDENT_KEY = "deploy-web-prod"


class Irm:
    """A stack whose Grafana serves the Incident API, and an Editor service-account token of it
    (Incident wants Editor to act), made through the API as a user would."""

    def __init__(self, sim):
        self.sim = sim
        self.grafana_url = "%s/grafana/%s" % (sim.root, IRM_STACK)
        sim.add_stack(IRM_STACK, ready_after=0, url=self.grafana_url)
        api = Api(sim)
        account = api.post("/instances/%s/api/serviceaccounts" % IRM_STACK, dict(name="irm-editor", role="Editor"))
        self.token = api.post("/instances/%s/api/serviceaccounts/%s/tokens" % (IRM_STACK, account["id"]),
                              dict(name="irm"))["key"]

    def args(self, **args):
        return dict(args, grafana_url=self.grafana_url, incident_access_token=self.token)

    def call(self, method, body):
        response = requests.post(self.grafana_url + IRM_RPC + method, json=body,
                                 headers={"Authorization": "Bearer " + self.token}, timeout=10)
        response.raise_for_status()
        return response.json()

    def incidents(self):
        query = dict(limit=50, orderDirection="ASC")
        return self.call("IncidentsService.QueryIncidents", dict(query=query))["incidents"]

    def active_with_key(self):
        return [incident for incident in self.incidents() if incident["status"] == "active"
                and "ansible-key:" + INCIDENT_KEY in [label["label"] for label in incident["labels"]]]

    def notes(self, incident_id):
        query = dict(incidentID=incident_id, limit=50, activityKind=["userNote"])
        return [item["body"] for item in self.call("ActivityService.QueryActivity", dict(query=query))["activityItems"]]

    def roles_named(self, name):
        return [role for role in self.call("RolesService.GetRoles", {})["roles"] if role["name"] == name]


def test_two_runs_declaring_under_one_key_at_once_leave_one_active_incident(sim, capsys):
    """Incidents have no unique key and no delete (incident-api.md, "Idempotence"): the other run's
    CreateIncident lands first, both runs' incidents carry the key. This run keeps the oldest
    (the other's), closes its own as the duplicate and updates the oldest as the task asks."""
    irm = Irm(sim)
    args = irm.args(key=INCIDENT_KEY, title="Deploy of web failed", labels=["service:web"], severity="major",
                    note="failed at task 'migrate'")
    sim.fault(r"IncidentsService\.CreateIncident$", method="POST", race=True)

    result = run_module("incident", args, None)

    assert not result.get("failed"), result
    assert [fault["remaining"] for fault in sim.faults()] == [0], "the race did not happen"
    (kept,) = irm.active_with_key()
    # Both runs declared one: the other run's, declared first, is the one kept.
    (own,) = [incident for incident in irm.incidents() if incident["incidentID"] != kept["incidentID"]]
    assert int(kept["incidentID"]) < int(own["incidentID"])
    assert result["incident"]["incidentID"] == kept["incidentID"]
    assert result["resolved_duplicate"] == own["incidentID"]
    # This run's declaration stays in IRM, resolved: that is a change, and said so.
    assert result["changed"] is True
    assert own["status"] == "resolved"
    assert "ansible-key:" + INCIDENT_KEY not in [label["label"] for label in own["labels"]]
    assert any("incident %s" % kept["incidentID"] in note and "duplicate" in note for note in irm.notes(own["incidentID"]))
    # The kept one is as the task asks: the severity the other run's create could not set
    # (CreateIncident ignores it), the labels, and the note once.
    assert kept["severity"] == "major" and "service:web" in [label["label"] for label in kept["labels"]]
    assert irm.notes(kept["incidentID"]).count("failed at task 'migrate'") == 1
    assert "concurrently by another run" in warnings_of(result), result

    again = run_module("incident", args, None)
    assert again["changed"] is False and again["resolved_duplicate"] == ""
    assert [incident["incidentID"] for incident in irm.active_with_key()] == [kept["incidentID"]]


def test_the_run_whose_incident_is_the_oldest_keeps_it(sim):
    """The other side of the same race: this run's CreateIncident lands first, then another run's
    (sent as the other client right after, with a later id). The other run closes its own; this
    one keeps its incident and says that another run declared one too."""
    irm = Irm(sim)
    first = run_module("incident", irm.args(key=INCIDENT_KEY, title="Deploy of web failed"), None)
    assert first["changed"] is True
    # Another run that found nothing before this one's create declares under the same key now.
    late = irm.call("IncidentsService.CreateIncident",
                    dict(title="Deploy of web failed", labels=[dict(label="ansible-key:" + INCIDENT_KEY)]))
    keeper = run_module("incident", irm.args(key=INCIDENT_KEY, title="Deploy of web failed"), None)

    assert keeper["incident"]["incidentID"] == first["incident"]["incidentID"]
    assert late["incident"]["incidentID"] in warnings_of(keeper)


# The Incident app answers errors as {"error"} with the status, {"error"} with 200 (older
# servers), or RFC 7807 problem details with a code (incident-api.md, "Errors"; incident-go).
ERROR_STYLES = ("field", "field-200", "problem")


@pytest.mark.parametrize("style", ERROR_STYLES)
def test_a_resolve_that_loses_the_race_is_already_resolved(sim, style):
    """Two runs resolve the incident of one key: the other run's UpdateStatus lands first, and
    this one's is refused as ``incidents.already_closed`` (the simulator's stricter reading)."""
    sim.configure(incident_error_style=style)
    irm = Irm(sim)
    declared = run_module("incident", irm.args(key=INCIDENT_KEY, title="Deploy of web failed"), None)
    sim.fault(r"IncidentsService\.UpdateStatus$", method="POST", race=True)

    result = run_module("incident", irm.args(key=INCIDENT_KEY, status="resolved"), None)

    assert not result.get("failed"), result
    assert [fault["remaining"] for fault in sim.faults()] == [0], "the race did not happen"
    assert irm.active_with_key() == []
    (incident,) = irm.incidents()
    assert incident["incidentID"] == declared["incident"]["incidentID"] and incident["status"] == "resolved"
    assert result["changed"] is False, result
    assert "another run" in warnings_of(result), result


@pytest.mark.parametrize("style", ERROR_STYLES)
def test_two_runs_creating_one_incident_role_at_once_leave_one(sim, style):
    """The other run's CreateRole lands first; this one's is refused: ``roles.name_conflict``
    (incident-go ``errorcodes.gen.go``) in problem details, a bare ``error`` text otherwise,
    which the module confirms with its one read by name."""
    sim.configure(incident_error_style=style)
    irm = Irm(sim)
    args = irm.args(name="scribe", description="Keeps the timeline.", important=False)
    sim.fault(r"RolesService\.CreateRole$", method="POST", race=True)

    result = run_module("incident_role", args, None)

    assert not result.get("failed"), result
    assert [fault["remaining"] for fault in sim.faults()] == [0], "the race did not happen"
    assert len(irm.roles_named("scribe")) == 1
    assert result["changed"] is False, result
    assert "concurrently by another run" in warnings_of(result), result
    assert run_module("incident_role", args, None)["changed"] is False


def test_a_refused_role_create_that_is_no_race_fails_with_the_api_answer(sim):
    """With the older error style any refusal is checked by a read; when the read finds no role
    the API's own answer stands, not a message about a conflict that nobody reported."""
    irm = Irm(sim)
    sim.fault(r"RolesService\.CreateRole$", method="POST", status=400, body={"error": "name is not allowed"})

    result = run_module("incident_role", irm.args(name="scribe"), None)

    assert result["failed"] is True and "name is not allowed" in result["msg"], result
    assert "conflict" not in result["msg"], result
    assert irm.roles_named("scribe") == []


def test_an_incident_role_delete_that_loses_the_race_is_already_absent(sim):
    irm = Irm(sim)
    assert run_module("incident_role", irm.args(name="scribe"), None)["changed"] is True
    sim.fault(r"RolesService\.DeleteRole$", method="POST", race=True)

    result = run_module("incident_role", irm.args(name="scribe", state="absent"), None)

    assert not result.get("failed"), result
    assert [fault["remaining"] for fault in sim.faults()] == [0], "the race did not happen"
    assert irm.roles_named("scribe") == []
    assert result["changed"] is False, result


# -- actions that two runs send at once (oncall_maintenance, oncall_alert_group) ---------------
#
# These modules act rather than create: the engine refuses the second of two identical actions
# (400) instead of answering "already exists". The rule (plugins/module_utils/_oncall.py,
# ``is_refused_repeat``): such a refusal is a candidate lost race; one read of the object
# decides whether the other run did what this one asked.

def legacy_oncall_args(api):
    """Starting a mode and every alert-group action need a legacy key (facts N4, A8)."""
    return dict(oncall_api_url=api.oncall_access["url"], oncall_access_token=api.oncall_access["legacy_key"])


def oncall_as_admin(api, method, path, body=None):
    """An OnCall request with the admin's legacy key, as a user acting by hand."""
    response = requests.request(method, api.oncall_access["url"] + "/api/v1/" + path, json=body,
                                headers={"Authorization": api.oncall_access["legacy_key"]}, timeout=10)
    response.raise_for_status()
    return response.json() if response.content else None


def race_integration(api):
    return api.oncall("POST", "integrations", dict(name="race-integration", type="webhook"))


def race_integration_in(api, mode):
    """The race integration, put in ``mode`` by hand for an hour."""
    integration = race_integration(api)
    oncall_as_admin(api, "POST", "integrations/%s/maintenance_start/" % integration["id"],
                    dict(mode=mode, duration=3600))
    return integration


def maintenance_mode(api, integration):
    return api.oncall("GET", "integrations/%s" % integration["id"])["maintenance_mode"]


MAINTENANCE_PATH = r"^/oncall/api/v1/integrations/[^/]+/maintenance_%s/$"


def test_two_runs_starting_maintenance_at_once_both_succeed(sim, capsys):
    """Both runs find the integration in no mode and start it; the engine answers the second
    start 400 "Already on maintenance" (its MaintainableObjectMixin, as the simulator's
    oncall_maintenance area cites). That run finds the mode it asked for and changes nothing."""
    api = Api(sim)
    integration = race_integration(api)
    sim.fault(MAINTENANCE_PATH % "start", method="POST", race=True)
    args = dict(legacy_oncall_args(api), integration="race-integration", duration="1h")

    result = run_module("oncall_maintenance", args, capsys)

    assert not result.get("failed"), result
    assert [fault["remaining"] for fault in sim.faults()] == [0], "the race did not happen"
    read = api.oncall("GET", "integrations/%s" % integration["id"])
    assert read["maintenance_mode"] == "maintenance"
    assert result["changed"] is False, result
    assert result["mode"] == "maintenance" and result["ends_at"] == read["maintenance_end_at"]
    assert "Another run started maintenance mode on integration 'race-integration'" in warnings_of(result), result
    assert read["maintenance_end_at"] in warnings_of(result)

    again = run_module("oncall_maintenance", args, capsys)
    assert again["changed"] is False and again["ends_at"] == read["maintenance_end_at"]
    assert maintenance_mode(api, integration) == "maintenance"


def test_two_runs_stopping_maintenance_at_once_both_succeed(sim, capsys):
    """The second stop ends nothing, and the engine does not refuse it ("nothing to end is no
    error": force_disable_maintenance, as the simulator's oncall_maintenance area cites)."""
    api = Api(sim)
    integration = race_integration_in(api, "maintenance")
    sim.fault(MAINTENANCE_PATH % "stop", method="POST", race=True)
    args = dict(legacy_oncall_args(api), integration="race-integration", state="absent")

    result = run_module("oncall_maintenance", args, capsys)

    assert not result.get("failed"), result
    assert [fault["remaining"] for fault in sim.faults()] == [0], "the race did not happen"
    assert maintenance_mode(api, integration) is None and result["mode"] is None
    # The stop's answer can't tell whose stop ended the mode: both runs report the change.
    assert result["changed"] is True, result

    again = run_module("oncall_maintenance", args, capsys)
    assert again["changed"] is False and maintenance_mode(api, integration) is None


def test_two_mode_switches_at_once_end_in_the_asked_mode(sim, capsys):
    """Both runs find debug mode and switch to maintenance (stop, then start); the other run is
    first each time: this run's stop ends nothing, its start is refused "Already on
    maintenance". The integration ends in maintenance mode and the run does not fail."""
    api = Api(sim)
    integration = race_integration_in(api, "debug")
    sim.fault(MAINTENANCE_PATH % "stop", method="POST", race=True)
    sim.fault(MAINTENANCE_PATH % "start", method="POST", race=True)
    args = dict(legacy_oncall_args(api), integration="race-integration", mode="maintenance", duration="30m")

    result = run_module("oncall_maintenance", args, capsys)

    assert not result.get("failed"), result
    assert [fault["remaining"] for fault in sim.faults()] == [0, 0], "the races did not happen"
    assert maintenance_mode(api, integration) == "maintenance" and result["mode"] == "maintenance"
    # The integration left the debug mode this run found, with this run's stop taking part.
    assert result["changed"] is True, result
    assert "Another run started maintenance mode" in warnings_of(result), result

    again = run_module("oncall_maintenance", args, capsys)
    assert again["changed"] is False and maintenance_mode(api, integration) == "maintenance"


def test_a_start_refused_while_the_integration_is_in_no_mode_fails_as_the_engine_answered(sim, capsys):
    """The refusal only makes the read; the read decides. An integration read back in no mode
    is no race this run lost: the task fails with the engine's answer, as before."""
    api = Api(sim)
    integration = race_integration(api)
    sim.fault(MAINTENANCE_PATH % "start", method="POST", status=400, body={"detail": "Already on maintenance"})

    result = run_module("oncall_maintenance", dict(legacy_oncall_args(api), integration="race-integration",
                                                   duration="1h"), capsys)

    assert result.get("failed") is True, result
    assert "Already on maintenance" in result["msg"] and result["status"] == 400
    assert maintenance_mode(api, integration) is None


class RefusingStartClient:
    """A client whose start is refused "Already on maintenance" while another run has put the
    integration in ``mode_elsewhere`` (no fault of the simulator can start another mode than
    the request's: its race repeats the very same request)."""

    def __init__(self, mode_elsewhere):
        self.mode_elsewhere = mode_elsewhere
        self.reads = []

    def post(self, path, json=None):
        from ansible_collections.grafana_cloud.platform.plugins.module_utils._client import GrafanaCloudAPIError

        raise GrafanaCloudAPIError("POST", path, status=400, message="Already on maintenance")

    def get(self, path, params=None):
        self.reads.append(path)
        return dict(id="CI1", name="race-integration", maintenance_mode=self.mode_elsewhere,
                    maintenance_end_at="2026-12-07T10:00:00.000000Z")


class ActingModule:
    def __init__(self, params):
        self.params = params
        self.check_mode = False
        self.warnings = []

    def warn(self, message):
        self.warnings.append(message)


def test_a_start_that_meets_the_other_mode_fails_saying_two_runs_disagree():
    """Another run put the integration in debug mode at the moment this run started
    maintenance mode: that is no lost race but two runs asking for different modes. One read,
    then a clear failure that names both modes."""
    from ansible_collections.grafana_cloud.platform.plugins.module_utils._oncall import OnCallError
    from ansible_collections.grafana_cloud.platform.plugins.modules import oncall_maintenance

    client = RefusingStartClient("debug")
    module = ActingModule(dict(integration="race-integration", mode="maintenance", state="present", duration="1h"))
    with pytest.raises(OnCallError) as failed:
        oncall_maintenance.apply(module, client, dict(id="CI1", maintenance_mode=None), 3600)

    message = str(failed.value)
    assert "is in debug mode, not maintenance mode" in message and "another run" in message
    assert "Already on maintenance" in message
    assert client.reads == ["/api/v1/integrations/CI1/"] and module.warnings == []


def alert_group(api, integration, uid):
    """A firing alert group of ``integration``: an alert POSTed to its link (fact A2)."""
    requests.post(integration["link"], json=dict(alert_uid=uid, title="race %s" % uid, state="alerting"),
                  timeout=10).raise_for_status()
    groups = api.oncall("GET", "alert_groups", integration_id=integration["id"])["results"]
    return [group for group in groups if group["last_alert"]["payload"].get("alert_uid") == uid][0]


def group_state(api, group):
    return api.oncall("GET", "alert_groups/%s" % group["id"])["state"]


ALERT_GROUP_PATH = r"^/oncall/api/v1/alert_groups/[^/]+/%s/$"


# action: (state it leads to, what to do by hand first so that the action applies)
GROUP_ACTIONS = {
    "acknowledge": ("acknowledged", None),  # the repeat: fact A7
    "resolve": ("resolved", None),
    "unsilence": ("firing", "silence"),
}


@pytest.mark.parametrize("action", sorted(GROUP_ACTIONS))
def test_two_runs_acting_on_one_alert_group_at_once_both_succeed(sim, capsys, action):
    """Both runs read the group before either acts; the engine refuses the second action as a
    repeat: 400 {"detail": "Can't acknowledge an acknowledged alert group"} (fact A7), and for
    resolve and unsilence the same words (the engine's public alert-group view, which the
    simulator's oncall_alert_groups area follows). The run that lost counts the group as done."""
    target, before = GROUP_ACTIONS[action]
    api = Api(sim)
    group = alert_group(api, race_integration(api), "one")
    if before:
        oncall_as_admin(api, "POST", "alert_groups/%s/%s/" % (group["id"], before), dict(delay=3600))
    sim.fault(ALERT_GROUP_PATH % action, method="POST", race=True)
    args = dict(legacy_oncall_args(api), alert_group_id=group["id"], action=action)

    result = run_module("oncall_alert_group", args, capsys)

    assert not result.get("failed"), result
    assert [fault["remaining"] for fault in sim.faults()] == [0], "the race did not happen"
    assert group_state(api, group) == target
    assert result["changed"] is False and result["changed_ids"] == [], result
    assert [item["state"] for item in result["alert_groups"]] == [target]
    warnings = warnings_of(result)
    assert "Alert group %s was already %s" % (group["id"], target) in warnings and "another run" in warnings, result

    again = run_module("oncall_alert_group", args, capsys)
    assert again["changed"] is False and again["changed_ids"] == [] and group_state(api, group) == target


def test_a_group_another_run_acknowledged_is_done_while_the_others_change(sim, capsys):
    """Of two groups of one integration, the other run acknowledged the first at the same
    moment (A7 for this run's acknowledge): this run changes only the second."""
    api = Api(sim)
    integration = race_integration(api)
    first, second = alert_group(api, integration, "one"), alert_group(api, integration, "two")
    sim.fault(ALERT_GROUP_PATH % "acknowledge", method="POST", race=True)
    args = dict(legacy_oncall_args(api), integration="race-integration", action="acknowledge")

    result = run_module("oncall_alert_group", args, capsys)

    assert not result.get("failed"), result
    assert [fault["remaining"] for fault in sim.faults()] == [0], "the race did not happen"
    assert group_state(api, first) == group_state(api, second) == "acknowledged"
    raced = [entry["path"].split("/")[-3] for entry in sim.requests()
             if entry["method"] == "POST" and entry["other_client"]]
    assert len(raced) == 1 and raced[0] in (first["id"], second["id"])
    untouched = second["id"] if raced[0] == first["id"] else first["id"]
    assert result["changed"] is True and result["changed_ids"] == [untouched], result
    assert "Alert group %s was already acknowledged" % raced[0] in warnings_of(result)
    assert untouched not in warnings_of(result)

    again = run_module("oncall_alert_group", args, capsys)
    assert again["changed"] is False and again["changed_ids"] == []


def test_two_runs_silencing_one_alert_group_at_once_both_succeed(sim, capsys):
    """The engine's public view does not refuse silencing a silenced group (it checks resolved,
    acknowledged and attached only): the second run silences it again, for its own delay, and
    reports the change."""
    api = Api(sim)
    group = alert_group(api, race_integration(api), "one")
    sim.fault(ALERT_GROUP_PATH % "silence", method="POST", race=True)
    args = dict(legacy_oncall_args(api), alert_group_id=group["id"], action="silence", silence_for="1h")

    result = run_module("oncall_alert_group", args, capsys)

    assert not result.get("failed"), result
    assert [fault["remaining"] for fault in sim.faults()] == [0], "the race did not happen"
    assert group_state(api, group) == "silenced"
    assert result["changed"] is True and result["changed_ids"] == [group["id"]], result

    again = run_module("oncall_alert_group", args, capsys)
    assert again["changed"] is False and group_state(api, group) == "silenced"


def test_a_refused_action_the_read_does_not_explain_fails_as_the_engine_answered(sim, capsys):
    """The refusal's text only makes the read; the read decides. A group read back still
    firing after "Can't acknowledge an acknowledged alert group" (A7's text) is no race this
    run lost: the task fails with the engine's answer, as before."""
    api = Api(sim)
    group = alert_group(api, race_integration(api), "one")
    sim.fault(ALERT_GROUP_PATH % "acknowledge", method="POST", status=400,
              body={"detail": "Can't acknowledge an acknowledged alert group"})

    result = run_module("oncall_alert_group", dict(legacy_oncall_args(api), alert_group_id=group["id"],
                                                   action="acknowledge"), capsys)

    assert result.get("failed") is True, result
    assert "Can't acknowledge an acknowledged alert group" in result["msg"] and result["status"] == 400
    assert group_state(api, group) == "firing"


# -- every module that writes meets the race -------------------------------------------------------

#: Modules whose races have test functions of their own above (not KINDS rows): named here, so
#: that renaming or removing one breaks this file.
RACED_ELSEWHERE = {
    "incident": [test_two_runs_declaring_under_one_key_at_once_leave_one_active_incident,
                 test_a_resolve_that_loses_the_race_is_already_resolved],
    "incident_role": [test_two_runs_creating_one_incident_role_at_once_leave_one,
                      test_an_incident_role_delete_that_loses_the_race_is_already_absent],
    "oncall_maintenance": [test_two_runs_starting_maintenance_at_once_both_succeed,
                           test_two_runs_stopping_maintenance_at_once_both_succeed],
    "oncall_alert_group": [test_two_runs_acting_on_one_alert_group_at_once_both_succeed],
}
#: Modules that write but create and delete nothing, with the reason no race can hurt them.
NOTHING_TO_RACE = {
    "org_settings": "one update of the org's own fields: two runs send the same values, the API keeps the last",
}


def test_every_module_that_writes_meets_the_race():
    modules = Path(__file__).resolve().parents[4] / "plugins" / "modules"
    writing = sorted(path.stem for path in modules.glob("*.py")
                     if path.stem != "__init__" and not path.stem.endswith("_info"))
    covered = {module for module, *_rest in KINDS.values()} | set(RACED_ELSEWHERE) | set(NOTHING_TO_RACE)
    assert [module for module in writing if module not in covered] == []
    assert sorted(covered) == writing, "a name above that is not a module"
