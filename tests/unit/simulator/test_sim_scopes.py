# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every /api route declares its auth, and (with the spec at hand) declares what the spec's
``x-permissions``/``x-auth-required`` say. Runs over all areas, so later ones are checked too."""

import json
import re

import pytest

from tests.simulator import create_app
from tests.simulator.areas import org_members, stacks
from tests.simulator.contract import legacy_spec_path_for

IGNORED_METHODS = {"HEAD", "OPTIONS"}
# operationId -> the scopes the simulator asks instead of the spec's x-permissions (each
# area's docstring says why): the v1 stacks (the spec names none), the member update (the
# spec lets org-members:read write).
STRICTER_SCOPES = {**stacks.V1_SCOPES, **org_members.STRICTER_SCOPES}


def spec_template(path):
    """``/orgs/{slugOrId}`` and ``/orgs/<slug_or_id>`` both become ``/orgs/{}``."""
    path = re.sub(r"<(?:[^:<>]+:)?[^<>]+>", "{}", path)
    return re.sub(r"\{[^}]+\}", "{}", path)


def api_routes():
    """(method, path after /api, view function) of every /api route of the full app."""
    app = create_app(contract_spec=False)
    for rule in app.url_map.iter_rules():
        if rule.rule.startswith("/api/"):
            for method in sorted(rule.methods - IGNORED_METHODS):
                yield method, rule.rule[len("/api"):], app.view_functions[rule.endpoint]


def test_every_api_route_declares_its_auth():
    undeclared = [f"{method} {path}" for method, path, view in api_routes()
                  if not hasattr(view, "required_scopes") or not hasattr(view, "auth_required")]
    assert undeclared == [], "decorate these with auth.requires(...) or auth.public"


def test_route_scopes_match_the_spec(spec_path):
    spec = json.loads(spec_path.read_text())
    operations = {(method.upper(), spec_template(path)): operation
                  for path, item in spec["paths"].items()
                  for method, operation in item.items() if method != "parameters"}
    checked, mismatches = 0, []
    for method, path, view in api_routes():
        operation = operations.get((method, spec_template(path)))
        if operation is None:
            continue  # not in the spec (e.g. inside a stack): nothing to compare with
        checked += 1
        wanted_scopes = set(operation.get("x-permissions") or ())
        stricter = STRICTER_SCOPES.get(operation["operationId"])
        if stricter is not None:
            # Stricter than the spec: fewer alternatives than it lists, or some where it lists none.
            assert set(stricter) < wanted_scopes or (stricter and not wanted_scopes), operation["operationId"]
            wanted_scopes = set(stricter)
        wanted_auth = bool(operation.get("x-auth-required") or wanted_scopes)
        if set(view.required_scopes) != wanted_scopes or view.auth_required != wanted_auth:
            mismatches.append(f"{method} {path}: declares {sorted(view.required_scopes)} "
                              f"auth={view.auth_required}, spec says {sorted(wanted_scopes)} "
                              f"auth={wanted_auth}")
    assert mismatches == []
    assert checked >= 2  # at least GET /stack-regions and GET /orgs/{slugOrId}


@pytest.mark.parametrize("flask_rule, spec_path_", [
    ("/orgs/<slug_or_id>", "/orgs/{slugOrId}"),
    ("/instances/<int:stack_id>/plugins/<path:slug>", "/instances/{id}/plugins/{pluginSlug}"),
])
def test_spec_template(flask_rule, spec_path_):
    assert spec_template(flask_rule) == spec_template(spec_path_)


def test_views_answer_the_error_shape_their_spec_operation_names(spec_path):
    """Operations whose spec errors are ``ErrorPayload`` carry ``statusCode``: their views are
    marked ``payload_errors``, and only theirs."""
    spec = json.loads(spec_path.read_text())
    payload_operations = {(method.upper(), spec_template(path))
                          for path, item in spec["paths"].items()
                          for method, operation in item.items()
                          if method != "parameters" and "ErrorPayload" in json.dumps(operation.get("responses"))}
    wrong = [f"{method} {path}" for method, path, view in api_routes()
             if bool(getattr(view, "error_payload", False)) != ((method, spec_template(path)) in payload_operations)]
    assert wrong == []


def test_routes_only_the_older_spec_lists_declare_its_auth(spec_path):
    """The org API keys left the current spec; the older one lists them under its global
    ``BearerAuth`` security and names no ``x-permissions``. So they need a token, and a scope
    only where that spec names one (it names none: the simulator asks the stricter orgs:read /
    orgs:write, see areas/org_api_keys.py)."""
    legacy_path = legacy_spec_path_for(spec_path.resolve())
    if legacy_path is None:
        pytest.skip("the older OpenAPI spec is not available")
    current = json.loads(spec_path.read_text())
    legacy = json.loads(legacy_path.read_text())
    assert legacy.get("security") == [{"BearerAuth": []}]

    def operations(spec):
        return {(method.upper(), spec_template(path)): operation for path, item in spec["paths"].items()
                for method, operation in item.items() if method != "parameters"}

    current_ops, legacy_ops = operations(current), operations(legacy)
    checked, wrong = 0, []
    for method, path, view in api_routes():
        key = (method, spec_template(path))
        if key in current_ops or key not in legacy_ops:
            continue
        checked += 1
        named = set(legacy_ops[key].get("x-permissions") or ())
        if not view.auth_required or (named and set(view.required_scopes) != named):
            wrong.append(f"{method} {path}: declares {sorted(view.required_scopes)}, older spec names {sorted(named)}")
    assert wrong == []
    assert checked == 4  # the org API keys: list, create, read, delete
