# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every secret the roles and playbooks issue is delivered, and stays true (issue 16).

Proved by using the credentials: a push to the stack's gateways (``sim.push``: basic auth
with the signal's user id of the stack and the token, see tests/simulator/areas/gateways.py
for the facts it follows) and a call of the stack's Grafana API with the service account
token (``sim.grafana_user``).
"""

import json
import os
import re
import stat
import sys
from pathlib import Path

import ansible_runner
import requests
import yaml
from ansible.parsing.vault import VaultLib, VaultSecret

from tests.playbooks.conftest import collections_path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
ROLE_ONLY = HERE / "playbooks" / "stack_bootstrap_role.yml"
TASKS_FILE = HERE / "playbooks" / "tasks" / "secrets_to_file.yml"
FAST = {"stacks_ready_after": 0.2, "stacks_deleting_after": 0.2, "stacks_recent_slug_wait": 0.5,
        "stack_plugins_operation_window": 0.2}
SIGNALS = (("PROMETHEUS", "prometheus"), ("LOKI", "loki"), ("TEMPO", "tempo"), ("PYROSCOPE", "profiles"))


def env_file(path):
    return dict(line.split("=", 1) for line in path.read_text().splitlines() if line and not line.startswith("#"))


def pushes(sim, values, token=None):
    """The status of a push to each signal's gateway with the file's URLs, users and token."""
    return {signal: sim.push(values["GRAFANA_CLOUD_%s_URL" % key], values["GRAFANA_CLOUD_%s_USER" % key],
                             token or values["GRAFANA_CLOUD_TOKEN"], signal) for key, signal in SIGNALS}


ALL_ACCEPTED = {"prometheus": 204, "loki": 204, "tempo": 200, "profiles": 200}
ALL_REFUSED = {"prometheus": 401, "loki": 401, "tempo": 401, "profiles": 401}


def failure_message(run):
    failures = re.findall(r'^fatal: \[localhost\]: FAILED! => (\{.*\})$', run.output, re.M)
    assert failures, run
    return json.loads(failures[-1])["msg"]


def api(sim, method, path, **kwargs):
    params = dict({"region": "eu"}, **kwargs.pop("params", {}))
    return requests.request(method, sim.url + path, headers=dict(sim.auth(), **{"X-Request-Id": "t"}),
                            params=params, timeout=10, **kwargs)


def test_minimal_bootstrap_by_fqcn_delivers_under_the_start_directory_and_every_workflow_keeps_it_true(
        sim, ansible_playbook, tmp_path):
    """The issue's three runs: bootstrap with the minimal variables, rotate_tokens, re-run, teardown."""
    sim.configure(**FAST)
    work = tmp_path / "work"
    work.mkdir()
    minimal = ("-e", "stack_bootstrap_stack_slug=minimal", "-e", "stack_bootstrap_stack_region=eu")

    first = ansible_playbook("grafana_cloud.platform.bootstrap_stack", *minimal, cwd=work)

    assert first.returncode == 0, first
    secrets_file = work / "grafana-cloud-secrets" / "minimal.env"
    assert "delivered to the file %s: minimal-telemetry-writer" % secrets_file in first.output
    assert stat.S_IMODE(os.stat(secrets_file).st_mode) == 0o600
    assert stat.S_IMODE(os.stat(secrets_file.parent).st_mode) == 0o700
    values = env_file(secrets_file)
    assert pushes(sim, values) == ALL_ACCEPTED
    assert values["GRAFANA_CLOUD_TOKEN"] not in first.output

    # rotate_tokens from the same directory rewrites the same file, then deletes the old token.
    rotated = ansible_playbook("grafana_cloud.platform.rotate_tokens", "-e", "rotate_tokens_stack=minimal",
                               "-e", "rotate_tokens_within_days=400", cwd=work)

    assert rotated.returncode == 0, rotated
    assert "New secrets delivered to file %s" % secrets_file in rotated.output
    renewed = env_file(secrets_file)
    assert renewed["GRAFANA_CLOUD_TOKEN"] != values["GRAFANA_CLOUD_TOKEN"]
    assert pushes(sim, renewed) == ALL_ACCEPTED
    assert pushes(sim, values) == ALL_REFUSED
    # Nothing went inside the collection.
    assert not list(Path(os.environ.get("ANSIBLE_COLLECTIONS_PATH", "/nonexistent")).glob("**/grafana-cloud-secrets"))

    # The re-run finds the file true: nothing to change, nothing re-issued.
    again = ansible_playbook("grafana_cloud.platform.bootstrap_stack", *minimal, cwd=work)
    assert again.returncode == 0, again
    assert re.search(r"^localhost\s+:.*changed=0", again.output, re.M), again
    assert "not re-issued: the destination holds its secret" in again.output
    assert env_file(secrets_file) == renewed

    # After teardown, no delivered credential works.
    down = ansible_playbook("grafana_cloud.platform.teardown_stack", *minimal,
                            "-e", "stack_teardown_lift_delete_protection=true", cwd=work)
    assert down.returncode == 0, down
    assert pushes(sim, renewed) == ALL_REFUSED


def test_rotate_tokens_with_the_bootstrap_vars_file_rotates_what_is_due_and_keeps_the_rest_working(
        sim, ansible_playbook, tmp_path):
    """rotate_tokens.yml says: give it the same vars file as bootstrap_stack. The demo's vars
    name the writer (expires in 365 days) as the credentials file's token; only the CI reader
    (7 days) is due. The run must rotate the reader, rewrite the file with every secret still
    working, and leave bootstrap_stack nothing to change."""
    sim.configure(**FAST)
    work = tmp_path / "work"
    work.mkdir()
    vars_file = REPO / "playbooks" / "vars" / "simulator.yml"
    common = ("-e", "@%s" % vars_file, "-e", "demo_output_dir=out")
    assert ansible_playbook("grafana_cloud.platform.bootstrap_stack", *common, cwd=work).returncode == 0
    secrets_file = work / "out" / "grafana-cloud.env"
    before = env_file(secrets_file)

    rotated = ansible_playbook("grafana_cloud.platform.rotate_tokens", *common, "-e", "rotate_tokens_stack=demostack",
                               cwd=work)

    assert rotated.returncode == 0, rotated
    assert "Rotated: demostack-ci-reader" in rotated.output
    after = env_file(secrets_file)
    reader = "GRAFANA_CLOUD_TOKEN_DEMOSTACK_CI_READER"
    assert after[reader] != before[reader]
    assert sim.sim.authenticate(after[reader]) is not None and sim.sim.authenticate(before[reader]) is None
    # The writer and the service account token were not due: the same secrets, still working.
    assert after["GRAFANA_CLOUD_TOKEN"] == before["GRAFANA_CLOUD_TOKEN"]
    assert pushes(sim, after) == ALL_ACCEPTED
    assert after["GRAFANA_SA_TOKEN"] == before["GRAFANA_SA_TOKEN"]
    assert sim.grafana_user(after["GRAFANA_URL"], after["GRAFANA_SA_TOKEN"]) == 200

    again = ansible_playbook("grafana_cloud.platform.bootstrap_stack", *common, cwd=work)
    assert again.returncode == 0, again
    assert re.search(r"^localhost\s+:.*changed=0", again.output, re.M), again
    assert env_file(secrets_file) == after


def test_the_role_without_a_destination_fails_before_any_request(sim, ansible_playbook, tmp_path):
    for check in ([], ["--check"]):
        sim.clear_requests()
        run = ansible_playbook(ROLE_ONLY, "-e", "stack_bootstrap_stack_slug=nodest",
                               "-e", "stack_bootstrap_stack_region=eu", *check, cwd=tmp_path)

        assert run.returncode != 0, run
        message = failure_message(run)
        assert message.startswith("stack_bootstrap_secrets_destination is not set, and this run would issue "
                                  "secrets (nodest-telemetry-writer)."), message
        assert "Nothing was created" in message
        assert sim.requests() == []


def test_the_role_without_its_required_variables_says_so_in_one_line(sim, ansible_playbook, tmp_path):
    """Issue 21: not a dump of the argument specification, not an undefined variable in the defaults."""
    run = ansible_playbook(ROLE_ONLY, cwd=tmp_path)

    assert run.returncode != 0, run
    expected = ("stack_bootstrap needs stack_bootstrap_stack_slug and stack_bootstrap_stack_region: "
                "set them (with -e or in your vars).")
    assert failure_message(run) == expected
    assert "'stack_bootstrap_stack_slug' is undefined" not in run.output
    assert "argument_spec_data" not in run.output and "missing required arguments" not in run.output
    assert sim.requests() == []


def test_a_vault_destination_holds_working_secrets_and_a_rotation_elsewhere_is_repaired(
        sim, ansible_playbook, tmp_path):
    sim.configure(**FAST)
    vault_file = tmp_path / "repo" / "vault.yml"
    settings = json.dumps({
        "stack_bootstrap_stack_slug": "vaulted", "stack_bootstrap_stack_region": "eu",
        "stack_bootstrap_secrets_destination": "vault",
        "stack_bootstrap_secrets_vault": {"path": str(vault_file), "vault_secret": "correct horse"},
        "stack_bootstrap_service_account": {"name": "automation", "role": "Editor",
                                            "token": {"name": "automation", "expires_in": "30d"}}})
    vault = VaultLib([("default", VaultSecret(b"correct horse"))])

    def held():
        text = vault_file.read_bytes()
        assert text.startswith(b"$ANSIBLE_VAULT;")
        return yaml.safe_load(vault.decrypt(text))

    first = ansible_playbook(ROLE_ONLY, "-e", settings, cwd=tmp_path)

    assert first.returncode == 0, first
    assert stat.S_IMODE(os.stat(vault_file).st_mode) == 0o600
    store = held()
    stack = store["stack"]
    token = store["tokens"]["vaulted-telemetry-writer"]
    endpoints = stack["endpoints"]
    assert sim.push(endpoints["prometheus"]["url"], endpoints["prometheus"]["user_id"], token, "prometheus") == 204
    assert sim.grafana_user(stack["url"], store["service_account_token"]["secret"]) == 200

    # Rotated elsewhere: someone replaced the token (a successor, then the old one deleted),
    # and the service account token was deleted. The vault file holds credentials that cannot work.
    old_id = store["token_ids"]["vaulted-telemetry-writer"]
    policy_id = api(sim, "GET", "/v1/tokens/" + old_id).json()["accessPolicyId"]
    assert api(sim, "POST", "/v1/tokens", json={"name": "vaulted-telemetry-writer-20990101000000",
                                                "accessPolicyId": policy_id}).status_code == 200
    assert api(sim, "DELETE", "/v1/tokens/" + old_id).status_code in (200, 204)
    sa_base = "/instances/vaulted/api/serviceaccounts"
    account = api(sim, "GET", sa_base + "/search", params={"query": "automation"}).json()["serviceAccounts"][0]
    assert api(sim, "DELETE", "%s/%s/tokens/%s" % (sa_base, account["id"], store["service_account_token"]["id"])
               ).status_code == 200
    assert sim.push(endpoints["prometheus"]["url"], endpoints["prometheus"]["user_id"], token, "prometheus") == 401

    repaired = ansible_playbook(ROLE_ONLY, "-e", settings, cwd=tmp_path)

    assert repaired.returncode == 0, repaired
    assert "repaired: the destination holds token %s, which the API no longer has" % old_id in repaired.output
    store = held()
    assert sim.push(endpoints["loki"]["url"], endpoints["loki"]["user_id"],
                    store["tokens"]["vaulted-telemetry-writer"], "loki") == 204
    assert sim.grafana_user(stack["url"], store["service_account_token"]["secret"]) == 200
    assert store["tokens"]["vaulted-telemetry-writer"] not in repaired.output


def test_a_tasks_destination_gets_each_secret_once_and_a_fact_destination_is_explicit(
        sim, ansible_playbook, tmp_path):
    sim.configure(**FAST)
    store = tmp_path / "store"
    store.mkdir()
    settings = json.dumps({
        "stack_bootstrap_stack_slug": "handed", "stack_bootstrap_stack_region": "eu",
        "stack_bootstrap_secrets_destination": "tasks", "stack_bootstrap_secrets_tasks": str(TASKS_FILE),
        "secrets_store": str(store)})

    run = ansible_playbook(ROLE_ONLY, "-e", settings, "-vvv", cwd=tmp_path)

    assert run.returncode == 0, run
    assert sorted(os.listdir(store)) == ["access_policy_token-handed-telemetry-writer.json"]
    secret = json.loads((store / "access_policy_token-handed-telemetry-writer.json").read_text())
    assert secret["stack"] == "handed" and secret["secret"] not in run.output
    stack = api(sim, "GET", "/instances/handed").json()
    assert sim.push(stack["htInstanceUrl"], stack["htInstanceId"], secret["secret"], "tempo") == 200

    fact_settings = json.dumps({"stack_bootstrap_stack_slug": "factual", "stack_bootstrap_stack_region": "eu",
                                "stack_bootstrap_secrets_destination": "fact"})
    fact_run = ansible_playbook(ROLE_ONLY, "-e", fact_settings, cwd=tmp_path)
    assert fact_run.returncode == 0, fact_run
    assert "delivered to the fact stack_bootstrap only (its only copy)" in fact_run.output


def test_a_failure_between_rotation_and_deletion_leaves_the_old_token_working(sim, ansible_playbook, tmp_path):
    """A repair rotates; the old token's delete is refused: the file holds the new one, the old still works."""
    sim.configure(**FAST)
    minimal = ("-e", "stack_bootstrap_stack_slug=halfway", "-e", "stack_bootstrap_stack_region=eu")
    assert ansible_playbook("grafana_cloud.platform.bootstrap_stack", *minimal, cwd=tmp_path).returncode == 0
    secrets_file = tmp_path / "grafana-cloud-secrets" / "halfway.env"
    before = env_file(secrets_file)
    # The file lost the token (an operator's edit): the re-run repairs it with a rotation.
    secrets_file.write_text("\n".join(line for line in secrets_file.read_text().splitlines()
                                      if "TELEMETRY_WRITER" not in line) + "\n")
    sim.fault("^/v1/tokens/%s$" % before["GRAFANA_CLOUD_TOKEN_HALFWAY_TELEMETRY_WRITER_ID"], method="DELETE",
              status=500, body={"code": "Internal", "message": "injected", "requestId": "r"})

    run = ansible_playbook("grafana_cloud.platform.bootstrap_stack", *minimal, cwd=tmp_path)

    assert run.returncode != 0, run
    message = failure_message(run)
    after = env_file(secrets_file)
    assert ("The file destination %s holds the new ones: halfway-telemetry-writer = token id %s"
            % (secrets_file, after["GRAFANA_CLOUD_TOKEN_HALFWAY_TELEMETRY_WRITER_ID"])) in message
    # The old token keeps working until it expires (keep_old), and later runs manage only its
    # successor: the user is told to delete it.
    assert ("Not deleted although their successors are delivered, still working until they expire: "
            "old token halfway-telemetry-writer. Delete them once nothing uses them") in message, message
    assert pushes(sim, after) == ALL_ACCEPTED
    assert pushes(sim, before) == ALL_ACCEPTED
    # The failed deletion's item is printed on failure: it must not carry the new secret.
    assert after["GRAFANA_CLOUD_TOKEN_HALFWAY_TELEMETRY_WRITER"] not in run.output


def test_a_bad_slug_is_named_once_with_one_period(sim, ansible_playbook, tmp_path):
    """Issue 21: the module's message ends with a period; the role's sentence adds none."""
    run = ansible_playbook("grafana_cloud.platform.bootstrap_stack", "-e", "stack_bootstrap_stack_slug=Bad-Slug",
                           "-e", "stack_bootstrap_stack_region=eu", cwd=tmp_path)

    assert run.returncode != 0, run
    message = failure_message(run)
    assert "29 characters at most. No secret was issued" in message, message
    assert ".." not in message


def test_teardown_without_its_required_variables_says_so_in_one_line(sim, ansible_playbook, tmp_path):
    run = ansible_playbook("grafana_cloud.platform.teardown_stack", cwd=tmp_path)

    assert run.returncode != 0, run
    assert failure_message(run) == ("stack_teardown needs stack_teardown_stack_slug and stack_teardown_stack_region: "
                                    "set them (with -e or in your vars).")
    assert sim.requests() == []


def test_no_secret_in_ansible_runner_job_events_nor_the_fact_cache(sim, tmp_path):
    """As AWX runs a job: ansible-runner's artifacts (job events, stdout) at -vvv, with a fact
    cache, hold none of the delivered secrets."""
    sim.configure(**FAST)
    private = tmp_path / "runner"
    (private / "project").mkdir(parents=True)
    work = tmp_path / "work"
    work.mkdir()
    cache = tmp_path / "fact-cache"
    settings = {"stack_bootstrap_stack_slug": "runner", "stack_bootstrap_stack_region": "eu",
                "stack_bootstrap_secrets_dir": str(work / "secrets"),
                "stack_bootstrap_service_account": {"name": "automation", "token": {"name": "automation"}}}
    result = ansible_runner.run(
        private_data_dir=str(private), playbook=str(HERE.parent.parent / "playbooks" / "bootstrap_stack.yml"),
        inventory="localhost ansible_connection=local ansible_python_interpreter=%s" % sys.executable,
        extravars=settings, verbosity=3, quiet=True,
        envvars={"ANSIBLE_COLLECTIONS_PATH": collections_path(), "GRAFANA_CLOUD_API_URL": sim.url,
                 "GRAFANA_CLOUD_ACCESS_POLICY_TOKEN": sim.token, "ANSIBLE_CACHE_PLUGIN": "jsonfile",
                 "ANSIBLE_CACHE_PLUGIN_CONNECTION": str(cache), "ANSIBLE_LOCAL_TEMP": str(tmp_path / "tmp")})

    assert result.rc == 0, result.stdout.read()
    values = env_file(work / "secrets" / "runner.env")
    secrets = [values["GRAFANA_CLOUD_TOKEN"], values["GRAFANA_SA_TOKEN"]]
    assert pushes(sim, values) == ALL_ACCEPTED
    assert sim.grafana_user(values["GRAFANA_URL"], values["GRAFANA_SA_TOKEN"]) == 200
    events = list(result.events)
    assert len(events) > 50
    texts = [json.dumps(event) for event in events]
    texts += [path.read_text(errors="replace") for path in private.rglob("*") if path.is_file()]
    texts += [path.read_text(errors="replace") for path in cache.rglob("*") if path.is_file()] if cache.exists() else []
    leaked = [secret[:8] + "..." for secret in secrets if any(secret in text for text in texts)]
    assert not leaked, "secrets in ansible-runner's artifacts or the fact cache: %s" % leaked


def service_account_settings(tmp_path, slug, policies=True, **token):
    """The role on its own with a service account token (and the default access policy and its
    token, or none): a file destination."""
    settings = {
        "stack_bootstrap_stack_slug": slug, "stack_bootstrap_stack_region": "eu",
        "stack_bootstrap_credentials_file": {"path": str(tmp_path / "secrets" / (slug + ".env"))},
        "stack_bootstrap_service_account": {"name": "automation", "role": "Editor",
                                            "token": dict({"name": "automation", "expires_in": "30d"}, **token)}}
    if not policies:
        settings["stack_bootstrap_access_policies"] = []
    return json.dumps(settings)


def account_tokens(sim, slug):
    base = "/instances/%s/api/serviceaccounts" % slug
    account = api(sim, "GET", base + "/search", params={"query": "automation"}).json()["serviceAccounts"][0]
    return api(sim, "GET", "%s/%s/tokens" % (base, account["id"])).json()


def sa_token_writes(sim):
    """The writes to service account tokens, in order: ('POST', None) or ('DELETE', token id)."""
    writes = []
    for entry in sim.requests():
        match = re.search(r"/api/serviceaccounts/\d+/tokens(?:/(\d+))?$", entry["path"])
        if match and entry["method"] != "GET":
            writes.append((entry["method"], match.group(1)))
    return writes


def test_a_service_account_token_is_rotated_next_to_the_old_one_which_goes_after_the_delivery(
        sim, ansible_playbook, tmp_path):
    """rotate_before and a repair: the new secret is created and delivered while the old one works,
    then the old token is deleted; the file always holds a working secret."""
    sim.configure(**FAST)
    settings = service_account_settings(tmp_path, "sarotate", policies=False, rotate_before="7d")
    secrets_file = tmp_path / "secrets" / "sarotate.env"
    assert ansible_playbook(ROLE_ONLY, "-e", settings, cwd=tmp_path).returncode == 0
    first = env_file(secrets_file)
    assert sim.grafana_user(first["GRAFANA_URL"], first["GRAFANA_SA_TOKEN"]) == 200
    # 24 of its 30 days later the token expires within rotate_before.
    sim.advance_clock(24 * 86400)
    sim.clear_requests()

    rotated = ansible_playbook(ROLE_ONLY, "-e", settings, cwd=tmp_path)

    assert rotated.returncode == 0, rotated
    second = env_file(secrets_file)
    assert second["GRAFANA_SA_TOKEN"] != first["GRAFANA_SA_TOKEN"]
    assert sim.grafana_user(second["GRAFANA_URL"], second["GRAFANA_SA_TOKEN"]) == 200
    # The replacement was created first, and the old token deleted only after.
    assert sa_token_writes(sim) == [("POST", None), ("DELETE", first["GRAFANA_SA_TOKEN_ID"])]
    assert sim.grafana_user(first["GRAFANA_URL"], first["GRAFANA_SA_TOKEN"]) == 401
    names = [token["name"] for token in account_tokens(sim, "sarotate")]
    assert len(names) == 1 and re.match(r"^automation-\d{14}$", names[0]), names
    assert second["GRAFANA_SA_TOKEN"] not in rotated.output

    # A re-run finds the newest of the family, and the file holding its secret: nothing to do.
    sim.clear_requests()
    again = ansible_playbook(ROLE_ONLY, "-e", settings, cwd=tmp_path)
    assert again.returncode == 0, again
    assert re.search(r"^localhost\s+:.*changed=0", again.output, re.M), again
    assert "not re-issued: the destination holds its secret" in again.output
    assert sa_token_writes(sim) == [] and env_file(secrets_file) == second

    # The file lost the token (an operator's edit): the repair rotates the same way, and the
    # family's own name is free again.
    secrets_file.write_text("\n".join(line for line in secrets_file.read_text().splitlines()
                                      if "GRAFANA_SA_TOKEN" not in line) + "\n")
    sim.clear_requests()
    repaired = ansible_playbook(ROLE_ONLY, "-e", settings, cwd=tmp_path)
    assert repaired.returncode == 0, repaired
    assert "repaired: the destination holds no secret of it" in repaired.output
    third = env_file(secrets_file)
    assert sim.grafana_user(third["GRAFANA_URL"], third["GRAFANA_SA_TOKEN"]) == 200
    assert sa_token_writes(sim) == [("POST", None), ("DELETE", second["GRAFANA_SA_TOKEN_ID"])]
    assert sim.grafana_user(second["GRAFANA_URL"], second["GRAFANA_SA_TOKEN"]) == 401
    assert [token["name"] for token in account_tokens(sim, "sarotate")] == ["automation"]


def test_a_failure_deleting_the_replaced_service_account_token_leaves_both_working(sim, ansible_playbook, tmp_path):
    """The repairs' old service account token can't be deleted: the file holds the new secrets, the old
    service account token still works; the old access policy token, deleted before the failure, is not
    said to be kept."""
    sim.configure(**FAST)
    settings = service_account_settings(tmp_path, "sahalf")
    secrets_file = tmp_path / "secrets" / "sahalf.env"
    assert ansible_playbook(ROLE_ONLY, "-e", settings, cwd=tmp_path).returncode == 0
    before = env_file(secrets_file)
    secrets_file.write_text("\n".join(line for line in secrets_file.read_text().splitlines()
                                      if "GRAFANA_SA_TOKEN" not in line and "TELEMETRY_WRITER" not in line) + "\n")
    sim.fault(r"/api/serviceaccounts/\d+/tokens/%s$" % before["GRAFANA_SA_TOKEN_ID"], method="DELETE", status=500,
              body={"message": "injected", "messageId": "serviceaccounts.ErrInjected", "statusCode": 500})

    run = ansible_playbook(ROLE_ONLY, "-e", settings, cwd=tmp_path)

    assert run.returncode != 0, run
    message = failure_message(run)
    after = env_file(secrets_file)
    assert ("The file destination %s holds the new ones: sahalf-telemetry-writer = token id %s, automation = token id %s"
            % (secrets_file, after["GRAFANA_CLOUD_TOKEN_SAHALF_TELEMETRY_WRITER_ID"], after["GRAFANA_SA_TOKEN_ID"])
            ) in message, message
    assert ("Not deleted although their successors are delivered, still working until they expire: "
            "old service account token automation. Delete them once nothing uses them") in message, message
    assert pushes(sim, after) == ALL_ACCEPTED
    assert pushes(sim, before) == ALL_REFUSED
    assert after["GRAFANA_SA_TOKEN_ID"] != before["GRAFANA_SA_TOKEN_ID"]
    assert sim.grafana_user(after["GRAFANA_URL"], after["GRAFANA_SA_TOKEN"]) == 200
    assert sim.grafana_user(before["GRAFANA_URL"], before["GRAFANA_SA_TOKEN"]) == 200
    assert after["GRAFANA_SA_TOKEN"] not in run.output

    # A re-run keeps the delivered secret: the newest of the family is the one the file holds.
    again = ansible_playbook(ROLE_ONLY, "-e", settings, cwd=tmp_path)
    assert again.returncode == 0, again
    assert "not re-issued: the destination holds its secret" in again.output
    assert env_file(secrets_file) == after
    assert sim.grafana_user(after["GRAFANA_URL"], after["GRAFANA_SA_TOKEN"]) == 200
    # ... and leaves the old token as it is, working: why the failure said to delete it.
    assert sim.grafana_user(before["GRAFANA_URL"], before["GRAFANA_SA_TOKEN"]) == 200
