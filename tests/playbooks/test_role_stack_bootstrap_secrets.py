# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""stack_bootstrap never loses a secret silently.

The API shows a token's secret once. So the credentials file's destination is checked before
anything is created, and a failure after secrets were issued says which ones, where they are,
and how to get fresh ones.
"""

import json
import os
import re
import stat
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
REPO = HERE.parent.parent
BOOTSTRAP = REPO / "playbooks" / "bootstrap_stack.yml"
EXAMPLE_VARS = REPO / "playbooks" / "vars" / "simulator.yml"

WRITER = "demostack-telemetry-writer"
READER = "demostack-ci-reader"
FAST = {"stacks_ready_after": 0.2, "stacks_deleting_after": 0.2, "stacks_recent_slug_wait": 0.5,
        "stack_plugins_operation_window": 0.2}


def installed_collection():
    """The collection as ansible-playbook finds it (the build layout is an installed collection)."""
    paths = os.environ.get("ANSIBLE_COLLECTIONS_PATH") or str(REPO / "build" / "collections")
    for path in paths.split(os.pathsep):
        candidate = Path(path) / "ansible_collections" / "grafana_cloud" / "platform"
        if candidate.is_dir():
            return candidate
    pytest.fail("grafana_cloud.platform is not installed: run `make integration`")


def credentials(path, token=WRITER):
    return json.dumps({"stack_bootstrap_credentials_file": {"path": str(path), "token": token}})


def env_file(path):
    return dict(line.split("=", 1) for line in path.read_text().splitlines()
                if line and not line.startswith("#"))


def failure_message(run):
    """The msg of the task that failed the play (the last failure: a rescue may follow the first)."""
    failures = re.findall(r'^fatal: \[localhost\]: FAILED! => (\{.*\})$', run.output, re.M)
    assert failures, run
    return json.loads(failures[-1])["msg"]


def writes(sim):
    return ["%s %s" % (entry["method"], entry["path"]) for entry in sim.requests() if entry["method"] != "GET"]


@pytest.mark.parametrize("check_mode", [False, True], ids=["run", "check"])
def test_a_destination_that_cannot_be_created_fails_before_any_request(sim, ansible_playbook, tmp_path, check_mode):
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("a file where a folder is needed\n")
    sim.clear_requests()

    run = ansible_playbook(BOOTSTRAP, "-e", "@%s" % EXAMPLE_VARS,
                           "-e", credentials(blocker / "sub" / "grafana-cloud.env"),
                           *(["--check"] if check_mode else []))

    assert run.returncode != 0, run
    message = failure_message(run)
    assert message.startswith("stack_bootstrap_credentials_file.path: "), message
    assert "%s is not a folder" % blocker in message and "Nothing was created" in message
    # Not one request: nothing was created, so no secret was issued that could be lost.
    assert sim.requests() == []


def test_a_destination_that_is_a_folder_fails_before_any_request(sim, ansible_playbook, tmp_path):
    sim.clear_requests()

    run = ansible_playbook(BOOTSTRAP, "-e", "@%s" % EXAMPLE_VARS, "-e", credentials(tmp_path))

    assert run.returncode != 0, run
    message = failure_message(run)
    assert message.startswith("stack_bootstrap_credentials_file.path: ") and "it is a folder" in message
    assert sim.requests() == []


def test_missing_folders_of_the_destination_are_created(sim, ansible_playbook, tmp_path):
    sim.configure(**FAST)
    destination = tmp_path / "new" / "deeper" / "grafana-cloud.env"

    checked = ansible_playbook(BOOTSTRAP, "-e", "@%s" % EXAMPLE_VARS, "-e", credentials(destination), "--check")
    assert checked.returncode == 0, checked
    assert not (tmp_path / "new").exists()

    run = ansible_playbook(BOOTSTRAP, "-e", "@%s" % EXAMPLE_VARS, "-e", credentials(destination))

    assert run.returncode == 0, run
    assert stat.S_IMODE(os.stat(destination).st_mode) == 0o600
    assert env_file(destination)["GRAFANA_CLOUD_TOKEN"].startswith("glc_")


def test_the_example_vars_work_by_fqcn_from_the_installed_collection(sim, ansible_playbook, tmp_path):
    """playbook_dir is then inside the collection: the file goes under the current directory."""
    sim.configure(**FAST)
    collection = installed_collection()
    workdir = tmp_path / "work"
    workdir.mkdir()

    # As from a shell: started in workdir, which the shell exports as PWD.
    run = ansible_playbook("grafana_cloud.platform.bootstrap_stack",
                           "-e", "@%s" % (collection / "playbooks" / "vars" / "simulator.yml"),
                           cwd=workdir, env={"PWD": str(workdir)})

    assert run.returncode == 0, run
    written = workdir / "build" / "demo" / "grafana-cloud.env"
    assert stat.S_IMODE(os.stat(written).st_mode) == 0o600
    token = env_file(written)["GRAFANA_CLOUD_TOKEN"]
    credential = sim.sim.authenticate(token)
    assert credential is not None and "metrics:write" in credential.scopes
    # Nothing went inside the collection (other stages may keep a build/ folder of their own there).
    assert not list(collection.glob("**/demo/grafana-cloud.env"))
    assert token not in run.output


def test_a_failure_after_secrets_were_issued_names_them_and_keeps_what_it_can(sim, ansible_playbook, tmp_path):
    """The service account token's create is refused: the two tokens issued before are not lost."""
    sim.configure(**FAST)
    sim.fault("/api/serviceaccounts/[0-9]+/tokens$", method="POST", status=400,
              body={"message": "injected refusal", "messageId": "serviceaccounts.ErrInjected", "statusCode": 400})
    destination = tmp_path / "grafana-cloud.env"

    run = ansible_playbook(BOOTSTRAP, "-e", "@%s" % EXAMPLE_VARS, "-e", credentials(destination))

    assert run.returncode != 0, run
    message = failure_message(run)
    assert "stack_bootstrap failed at Create the service account's token" in message
    assert "injected refusal" in message
    assert ("Secrets issued in this run before the failure (the API shows each one only once): "
            "access policy token %s, access policy token %s." % (WRITER, READER)) in message
    assert "service account token" not in message.split("Secrets issued")[1].split(".")[0]
    assert "The file destination %s holds the new ones: %s = token id " % (destination, WRITER) in message
    assert "A re-run of the role repairs a destination that holds no working secret." in message
    # Where the writer's secret went: the file, with a secret that works.
    token = env_file(destination)["GRAFANA_CLOUD_TOKEN"]
    assert sim.sim.authenticate(token) is not None
    assert stat.S_IMODE(os.stat(destination).st_mode) == 0o600
    assert token not in run.output
    assert "glc_" not in message

    # As the message says, a re-run completes the destination: every secret in it works.
    again = ansible_playbook(BOOTSTRAP, "-e", "@%s" % EXAMPLE_VARS, "-e", credentials(destination))
    assert again.returncode == 0, again
    values = env_file(destination)
    names = [name for key, name in values.items() if re.match(r"^GRAFANA_CLOUD_TOKEN_.+_NAME$", key)]
    assert sorted(names) == sorted([WRITER, READER])
    for key in [key[:-len("_NAME")] for key in values if re.match(r"^GRAFANA_CLOUD_TOKEN_.+_NAME$", key)]:
        assert sim.sim.authenticate(values[key]) is not None, key
    assert values["GRAFANA_CLOUD_TOKEN"] == token
    assert sim.grafana_user(values["GRAFANA_URL"], values["GRAFANA_SA_TOKEN"]) == 200
    assert values["GRAFANA_SA_TOKEN"] not in again.output


def test_a_later_loop_item_failing_does_not_lose_the_earlier_secret(sim, ansible_playbook, tmp_path):
    sim.configure(**FAST)
    policies = [
        {"name": WRITER, "scopes": ["metrics:write"], "tokens": [{"name": WRITER, "expires_in": "30d"}]},
        {"name": READER, "scopes": ["metrics:read"], "tokens": [{"name": READER, "expires_at": "2020-01-01"}]},
    ]
    destination = tmp_path / "grafana-cloud.env"

    run = ansible_playbook(BOOTSTRAP, "-e", "@%s" % EXAMPLE_VARS, "-e", credentials(destination),
                           "-e", json.dumps({"stack_bootstrap_access_policies": policies}))

    assert run.returncode != 0, run
    message = failure_message(run)
    assert "stack_bootstrap failed at Create the access policy tokens" in message
    assert "expires_at 2020-01-01 is in the past" in message
    assert "before the failure (the API shows each one only once): access policy token %s." % WRITER in message
    assert "The file destination %s holds the new ones: %s = token id " % (destination, WRITER) in message
    assert sim.sim.authenticate(env_file(destination)["GRAFANA_CLOUD_TOKEN"]) is not None
    assert [entry for entry in writes(sim) if entry == "POST /v1/tokens"] == ["POST /v1/tokens"]


def test_a_failure_before_any_secret_says_none_was_issued(sim, ansible_playbook, tmp_path):
    sim.fault("^/v1/stacks$", method="POST", status=400,
              body={"code": "InvalidArgument", "message": "injected refusal", "requestId": "r-1"})

    run = ansible_playbook(BOOTSTRAP, "-e", "@%s" % EXAMPLE_VARS, "-e", credentials(tmp_path / "c.env"))

    assert run.returncode != 0, run
    message = failure_message(run)
    assert "stack_bootstrap failed at Create or update the stack demostack" in message
    assert "No secret was issued in this run before the failure" in message
    assert not (tmp_path / "c.env").exists()
