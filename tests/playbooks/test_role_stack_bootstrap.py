# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The stack_bootstrap role, through playbooks/bootstrap_stack.yml and its example vars.

What a platform team relies on: the first run creates everything, a re-run changes nothing
and only reads, check mode on an empty org predicts and writes nothing, the credentials
file is private and works, and no secret ever reaches the output, even at -vvv.
"""

import json
import os
import re
import stat
from pathlib import Path

import requests

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
FACT_PLAYBOOK = HERE / "playbooks" / "stack_bootstrap_fact.yml"
EXAMPLE_VARS = REPO / "playbooks" / "vars" / "simulator.yml"

SLUG = "demostack"
WRITER = "demostack-telemetry-writer"
READER = "demostack-ci-reader"
TELEMETRY_SCOPES = {"metrics:write", "logs:write", "traces:write", "profiles:write"}
# Small simulator delays: the role must still wait for readiness, just not for long.
FAST = {"stacks_ready_after": 0.5, "stacks_deleting_after": 0.2, "stacks_recent_slug_wait": 0.5,
        "stack_plugins_operation_window": 0.2}


def recap(run):
    """The PLAY RECAP counters of localhost, as ints."""
    match = re.search(r"^localhost\s+:\s+(.*)$", run.output, re.M)
    assert match, run
    return {key: int(value) for key, value in re.findall(r"(\w+)=(\d+)", match.group(1))}


def bootstrap(ansible_playbook, tmp_path, *args, fact_name="fact.json"):
    """Run the example bootstrap with the credentials file in tmp_path; returns (run, fact)."""
    fact_file = tmp_path / fact_name
    credentials = {"stack_bootstrap_credentials_file": {
        "path": str(tmp_path / "grafana-cloud.env"), "token": WRITER}}
    run = ansible_playbook(FACT_PLAYBOOK, "-e", "@%s" % EXAMPLE_VARS, "-e", json.dumps(credentials),
                           "-e", "fact_file=%s" % fact_file, *args)
    assert run.returncode == 0, run
    return run, json.loads(fact_file.read_text())


def env_file(path):
    return dict(line.split("=", 1) for line in path.read_text().splitlines()
                if line and not line.startswith("#"))


def api_get(sim, path, token, **params):
    return requests.get(sim.url + path, params=params, headers=sim.auth(token), timeout=10)


def writes(log):
    return ["%s %s" % (entry["method"], entry["path"]) for entry in log if entry["method"] != "GET"]


def violations(log):
    """Requests the contract check (GCOM_OPENAPI_SPEC) refused; a module may have recovered."""
    return ["%s %s: %s" % (entry["method"], entry["path"], entry["contract_violation"])
            for entry in log if entry.get("contract_violation")]


def test_first_run_creates_everything_and_a_rerun_only_reads(sim, ansible_playbook, tmp_path):
    sim.configure(**FAST)

    first, fact = bootstrap(ansible_playbook, tmp_path, "-vvv")
    assert violations(sim.requests()) == []

    # Everything exists, as the API shows it.
    stack = api_get(sim, "/instances/%s" % SLUG, sim.token).json()
    assert stack["status"] == "active" and stack["deleteProtection"] is True
    assert stack["labels"] == {"team": "platform", "environment": "demo"}
    plugins = api_get(sim, "/instances/%s/plugins" % SLUG, sim.token).json()["items"]
    assert {plugin["pluginSlug"]: plugin["version"] for plugin in plugins} == {
        "grafana-clock-panel": "2.1.5", "grafana-polystat-panel": "2.1.13"}
    policies = api_get(sim, "/v1/accesspolicies", sim.token, region="us").json()["items"]
    by_name = {policy["name"]: policy for policy in policies}
    assert set(by_name) == {WRITER, READER}
    assert set(by_name[WRITER]["scopes"]) == TELEMETRY_SCOPES
    assert [(realm["type"], str(realm["identifier"])) for realm in by_name[WRITER]["realms"]] == [
        ("stack", str(stack["id"]))]
    tokens = api_get(sim, "/v1/tokens", sim.token, region="us").json()["items"]
    assert sorted(token["name"] for token in tokens) == [READER, WRITER]
    assert all(token.get("expiresAt") for token in tokens)
    accounts = api_get(sim, "/instances/%s/api/serviceaccounts/search" % SLUG, sim.token).json()
    assert [account["name"] for account in accounts["serviceAccounts"]] == ["automation"]

    # The fact: URLs, ids, and the secrets issued in this run.
    assert recap(first)["changed"] >= 7 and recap(first)["failed"] == 0
    assert fact["stack"]["id"] == stack["id"] and fact["stack"]["url"] == stack["url"]
    assert fact["endpoints"]["prometheus"]["url"] == stack["hmInstancePromUrl"]
    assert fact["access_policies"] == {name: policy["id"] for name, policy in by_name.items()}
    for name in (WRITER, READER):
        assert fact["tokens"][name]["secret_issued"] is True
        assert fact["tokens"][name]["secret"].startswith("glc_")
    sa_token = fact["service_account"]["token"]
    assert sa_token["secret_issued"] is True and sa_token["secret"]

    # The credentials file: private, in the env-file form, and its token works with the
    # telemetry scopes and nothing more.
    credentials_path = tmp_path / "grafana-cloud.env"
    assert stat.S_IMODE(os.stat(credentials_path).st_mode) == 0o600
    values = env_file(credentials_path)
    assert values["GRAFANA_CLOUD_PROMETHEUS_URL"] == stack["hmInstancePromUrl"]
    assert values["GRAFANA_CLOUD_PROMETHEUS_USER"] == str(stack["hmInstancePromId"])
    assert values["GRAFANA_CLOUD_LOKI_USER"] == str(stack["hlInstanceId"])
    assert values["GRAFANA_CLOUD_TEMPO_USER"] == str(stack["htInstanceId"])
    assert values["GRAFANA_CLOUD_PYROSCOPE_USER"] == str(stack["hpInstanceId"])
    assert values["GRAFANA_CLOUD_TOKEN"] == fact["tokens"][WRITER]["secret"]
    credential = sim.sim.authenticate(values["GRAFANA_CLOUD_TOKEN"])
    assert credential is not None and set(credential.scopes) == TELEMETRY_SCOPES
    # Over HTTP: the token is accepted (403, not 401) but may not read access policies.
    refused = api_get(sim, "/v1/accesspolicies", values["GRAFANA_CLOUD_TOKEN"], region="us")
    assert (refused.status_code, refused.json()["code"]) == (403, "Forbidden")
    unknown = api_get(sim, "/v1/accesspolicies", "glc_not-a-token", region="us")
    assert unknown.status_code == 401

    # -vvv printed none of the secrets, nor the admin token.
    secrets = [fact["tokens"][WRITER]["secret"], fact["tokens"][READER]["secret"], sa_token["secret"], sim.token]
    leaked = [secret[:8] + "..." for secret in secrets if secret in first.output]
    assert not leaked, "secrets in the -vvv output: %s" % leaked
    assert len(first.output.splitlines()) > 500, "not a -vvv run?"

    # The re-run: nothing changes, only reads; the fact says why there are no secrets; the
    # credentials file is left as it is.
    written = credentials_path.read_bytes()
    mtime = os.stat(credentials_path).st_mtime_ns
    sim.clear_requests()

    second, refact = bootstrap(ansible_playbook, tmp_path, fact_name="fact2.json")

    assert recap(second)["changed"] == 0, second
    log = sim.requests()
    assert log and writes(log) == [] and violations(log) == []
    for name in (WRITER, READER):
        entry = refact["tokens"][name]
        assert entry["secret_issued"] is False and "secret" not in entry
        assert entry["reason"] == "not re-issued: the destination holds its secret"
        assert entry["id"] == fact["tokens"][name]["id"]
    assert refact["service_account"]["token"]["secret_issued"] is False
    assert refact["service_account"]["token"]["reason"] == "not re-issued: the destination holds its secret"
    assert refact["delivered"]["written"] is False and refact["delivered"]["secrets"] == []
    assert credentials_path.read_bytes() == written and os.stat(credentials_path).st_mtime_ns == mtime
    # And what it holds still works.
    assert sim.push(values["GRAFANA_CLOUD_PROMETHEUS_URL"], values["GRAFANA_CLOUD_PROMETHEUS_USER"],
                    values["GRAFANA_CLOUD_TOKEN"], "prometheus") == 204


def test_check_mode_on_an_empty_org_predicts_and_writes_nothing(sim, ansible_playbook, tmp_path):
    sim.configure(**FAST)
    sim.clear_requests()

    run, fact = bootstrap(ansible_playbook, tmp_path, "--check")

    # Predicted: the stack, the plugins/policies/tokens/account in it, the credentials file.
    assert recap(run)["changed"] == 3, run
    assert set(fact["tokens"]) == {WRITER, READER}
    assert all(token["secret_issued"] is False for token in fact["tokens"].values())
    assert fact["stack"]["id"] is None and fact["stack"]["slug"] == SLUG
    assert fact["access_policies"] == {WRITER: None, READER: None}
    assert fact["tokens"][WRITER]["secret_issued"] is False
    assert fact["tokens"][WRITER]["reason"].startswith("check mode")
    assert fact["delivered"]["written"] is False
    # Nothing written, anywhere. The one POST is checkStackSlugV1 (POST /v1/stacks/checkUrl),
    # which asks whether the slug is free and writes nothing: check mode predicts a refusal too.
    log = sim.requests()
    assert log and writes(log) == ["POST /v1/stacks/checkUrl"]
    assert api_get(sim, "/instances/%s" % SLUG, sim.token).status_code == 404
    assert api_get(sim, "/v1/accesspolicies", sim.token, region="us").json()["items"] == []
    assert not (tmp_path / "grafana-cloud.env").exists()


def test_a_missing_secrets_file_is_repaired_with_new_tokens(sim, ansible_playbook, tmp_path):
    """A re-run never leaves a destination without working credentials (issue 16)."""
    sim.configure(**FAST)
    first = bootstrap(ansible_playbook, tmp_path)[1]
    credentials_path = tmp_path / "grafana-cloud.env"
    credentials_path.unlink()

    run, fact = bootstrap(ansible_playbook, tmp_path, fact_name="fact2.json")

    assert "repaired: the destination holds no secret of it" in run.output
    values = env_file(credentials_path)
    assert values["GRAFANA_CLOUD_TOKEN"] == fact["tokens"][WRITER]["secret"]
    assert sim.push(values["GRAFANA_CLOUD_LOKI_URL"], values["GRAFANA_CLOUD_LOKI_USER"],
                    values["GRAFANA_CLOUD_TOKEN"], "loki") == 204
    assert sim.grafana_user(values["GRAFANA_URL"], values["GRAFANA_SA_TOKEN"]) == 200
    # The old tokens, whose secrets nobody holds any more, are gone.
    names = sorted(token["name"] for token in api_get(sim, "/v1/tokens", sim.token, region="us").json()["items"])
    assert len(names) == 2 and first["tokens"][WRITER]["id"] != fact["tokens"][WRITER]["id"]
    assert sim.sim.authenticate(first["tokens"][WRITER]["secret"]) is None
