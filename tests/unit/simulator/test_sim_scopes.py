# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Every /api route declares its auth, and (with the spec at hand) declares what the spec's
``x-permissions``/``x-auth-required`` say. Runs over all areas, so later ones are checked too."""

import json
import re

import pytest

from tests.simulator import create_app

IGNORED_METHODS = {"HEAD", "OPTIONS"}


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
