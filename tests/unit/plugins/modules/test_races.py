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
        return response.json()

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
    "oncall_escalation_chain": ("oncall_escalation_chain", dict(name="race-chain"), None,
                                ONCALL + "escalation_chains/",
                                lambda api: len(api.oncall_named("escalation_chains", "race-chain")), False),
    "oncall_escalation_policy": ("oncall_escalation_policy",
                                 dict(escalation_chain="race-chain", position=0, type="wait", duration=300),
                                 setup_chain, ONCALL + "escalation_policies/",
                                 lambda api: len(chain_steps(api)), False),
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
