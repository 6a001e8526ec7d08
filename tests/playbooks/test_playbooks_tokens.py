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


def test_rotate_replaces_only_the_tokens_due_and_hands_on_their_secrets(sim, ansible_playbook, tmp_path):
    secrets = setup_tokens(sim)
    before = {token["name"]: token for token in api(sim, "GET", "/v1/tokens").json()["items"]}
    out = tmp_path / "rotated"

    run = ansible_playbook(ROTATE, "-e", "rotate_tokens_stack=rotstack", "-e", "rotate_tokens_secrets_dir=%s" % out)

    assert run.returncode == 0, run
    assert "Rotated (new secret in %s/<name>.token): soon" % out in run.output
    assert "1 token(s) of the 1 access policies of stack rotstack expired or expire within 30 days" in run.output
    assert sorted(os.listdir(out)) == ["soon.token"]
    new_secret = (out / "soon.token").read_text().strip()
    assert stat.S_IMODE(os.stat(out / "soon.token").st_mode) == 0o600
    assert new_secret not in run.output and secrets["soon"] not in run.output
    # The new token works, the old one is gone; the others are untouched.
    assert sim.sim.authenticate(new_secret) is not None
    assert sim.sim.authenticate(secrets["soon"]) is None
    after = {token["name"]: token for token in api(sim, "GET", "/v1/tokens").json()["items"]}
    assert after["soon"]["id"] != before["soon"]["id"]
    assert after["soon"]["expiresAt"][:10] == in_days(5)[:10]
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
