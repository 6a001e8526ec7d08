# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""playbooks/audit_tokens.yml and playbooks/rotate_tokens.yml against the simulator."""

import os
import re
import stat
from datetime import datetime, timedelta, timezone
from pathlib import Path

import requests

REPO = Path(__file__).resolve().parent.parent.parent
AUDIT = REPO / "playbooks" / "audit_tokens.yml"
ROTATE = REPO / "playbooks" / "rotate_tokens.yml"


def api(sim, method, path, token=None, **kwargs):
    headers = dict(sim.auth(token), **({"X-Request-Id": "test-tokens"} if method != "GET" else {}))
    params = dict({"region": "us"}, **kwargs.pop("params", {}))
    return requests.request(method, sim.url + path, headers=headers, params=params, timeout=10, **kwargs)


def in_days(days):
    moment = datetime.now(timezone.utc) + timedelta(days=days)
    return moment.strftime("%Y-%m-%dT%H:%M:%S.000Z")


def recap(run):
    match = re.search(r"^localhost\s+:\s+(.*)$", run.output, re.M)
    assert match, run
    return {key: int(value) for key, value in re.findall(r"(\w+)=(\d+)", match.group(1))}


def setup_tokens(sim):
    """A stack's policy with three tokens: expiring in 5 days, in 200 days (used), never."""
    stack = sim.add_stack("rotstack")
    policy = api(sim, "POST", "/v1/accesspolicies", json={
        "name": "rotstack-writer", "scopes": ["metrics:write"],
        "realms": [{"type": "stack", "identifier": str(stack["id"]), "labelPolicies": []}]}).json()
    secrets = {}
    for name, expires in (("soon", in_days(5)), ("later", in_days(200)), ("forever", None)):
        body = {"name": name, "accessPolicyId": policy["id"], **({"expiresAt": expires} if expires else {})}
        answer = api(sim, "POST", "/v1/tokens", json=body)
        assert answer.status_code == 200, answer.text
        secrets[name] = answer.json()["token"]
    # "later" authenticates one request (refused for its scope, but used all the same).
    assert api(sim, "GET", "/v1/accesspolicies", token=secrets["later"]).status_code == 403
    return secrets


def row(output, token):
    """The table row of a token, from the default (JSON) or the YAML result format."""
    match = re.search(r'^\s*(?:- |")(%s\s.*?)"?,?$' % re.escape(token), output, re.M)
    assert match, output
    return match.group(1)


def test_audit_flags_tokens_expiring_soon_and_never_used(sim, ansible_playbook):
    setup_tokens(sim)

    run = ansible_playbook(AUDIT, "-e", "audit_tokens_region=us")

    assert run.returncode == 0, run
    assert recap(run)["changed"] == 0
    soon, later, forever = row(run.output, "soon"), row(run.output, "later"), row(run.output, "forever")
    assert "rotstack-writer" in soon and re.search(r"EXPIRES in [45] days, NEVER USED$", soon)
    assert in_days(200)[:10] in later and datetime.now(timezone.utc).strftime("%Y-%m-%d") in later
    assert "NEVER" not in later and "EXPIRES" not in later
    assert re.search(r"never\s+never\s+NEVER USED$", forever)
    assert "3 token(s), 2 flagged" in run.output


def env_file(path):
    return dict(line.split("=", 1) for line in path.read_text().splitlines() if line and not line.startswith("#"))


def test_rotate_replaces_only_the_tokens_due_and_hands_on_their_secrets(sim, ansible_playbook, tmp_path):
    secrets = setup_tokens(sim)
    before = {token["name"]: token for token in api(sim, "GET", "/v1/tokens").json()["items"]}
    out = tmp_path / "rotated"

    run = ansible_playbook(ROTATE, "-e", "rotate_tokens_stack=rotstack", "-e", "rotate_tokens_secrets_dir=%s" % out)

    assert run.returncode == 0, run
    assert "Rotated: soon" in run.output
    assert "New secrets delivered to file %s/rotstack.env" % out in run.output
    assert "1 token(s) of the 1 access policies of stack rotstack expired or expire within 30 days" in run.output
    # The stack's secrets file (issue 16): mode 0600 in a 0700 folder, the new secret under the token's name.
    assert sorted(os.listdir(out)) == ["rotstack.env"]
    assert stat.S_IMODE(os.stat(out / "rotstack.env").st_mode) == 0o600
    assert stat.S_IMODE(os.stat(out).st_mode) == 0o700
    values = env_file(out / "rotstack.env")
    new_secret = values["GRAFANA_CLOUD_TOKEN_SOON"]
    assert values["GRAFANA_CLOUD_TOKEN_SOON_NAME"] == "soon"
    assert new_secret not in run.output and secrets["soon"] not in run.output
    # The new token works (it pushes metrics to the stack), the old one is gone; the others are untouched.
    assert sim.sim.authenticate(new_secret) is not None
    assert sim.sim.authenticate(secrets["soon"]) is None
    stack = api(sim, "GET", "/instances/rotstack").json()
    assert sim.push(stack["hmInstancePromUrl"], stack["hmInstancePromId"], new_secret, "prometheus") == 204
    assert sim.push(stack["hmInstancePromUrl"], stack["hmInstancePromId"], secrets["soon"], "prometheus") == 401
    after = {token["name"]: token for token in api(sim, "GET", "/v1/tokens").json()["items"]}
    # The replacement was created before the old token was deleted, so it carries a timestamp suffix.
    (replacement,) = [name for name in after if name.startswith("soon")]
    assert re.match(r"^soon-\d{14}$", replacement) and after[replacement]["id"] == values["GRAFANA_CLOUD_TOKEN_SOON_ID"]
    log = [(entry["method"], entry["path"]) for entry in sim.requests() if entry["method"] in ("POST", "DELETE")]
    creates = [i for i, entry in enumerate(log) if entry == ("POST", "/v1/tokens")]
    deletes = [i for i, entry in enumerate(log) if entry == ("DELETE", "/v1/tokens/" + before["soon"]["id"])]
    assert creates and deletes and creates[-1] < deletes[0]
    assert after[replacement]["expiresAt"][:10] == in_days(5)[:10]
    for name in ("later", "forever"):
        use_times = {key: after[name][key] for key in ("lastUsedAt", "firstUsedAt") if key in after[name]}
        assert after[name] == dict(before[name], **use_times)

    # Nothing expires within 3 days now: nothing to do.
    sim.clear_requests()
    again = ansible_playbook(ROTATE, "-e", "rotate_tokens_stack=rotstack", "-e", "rotate_tokens_secrets_dir=%s" % out,
                             "-e", "rotate_tokens_within_days=3")
    assert again.returncode == 0, again
    assert recap(again)["changed"] == 0
    assert [entry for entry in sim.requests() if entry["method"] != "GET"] == []


def test_rotate_whose_old_token_cannot_be_deleted_shows_no_secret_and_both_work(sim, ansible_playbook, tmp_path):
    """The old token's delete is refused after the delivery: the failed item is printed whole,
    and it must not carry the new secret; the file holds the new one, the old one still works."""
    secrets = setup_tokens(sim)
    before = {token["name"]: token for token in api(sim, "GET", "/v1/tokens").json()["items"]}
    sim.fault("^/v1/tokens/%s$" % before["soon"]["id"], method="DELETE", status=500,
              body={"code": "Internal", "message": "injected", "requestId": "r"})
    out = tmp_path / "rotated"

    run = ansible_playbook(ROTATE, "-e", "rotate_tokens_stack=rotstack", "-e", "rotate_tokens_secrets_dir=%s" % out)

    assert run.returncode != 0, run
    assert "injected" in run.output
    new_secret = env_file(out / "rotstack.env")["GRAFANA_CLOUD_TOKEN_SOON"]
    assert new_secret not in run.output and secrets["soon"] not in run.output
    stack = api(sim, "GET", "/instances/rotstack").json()
    for secret in (new_secret, secrets["soon"]):
        assert sim.push(stack["hmInstancePromUrl"], stack["hmInstancePromId"], secret, "prometheus") == 204
