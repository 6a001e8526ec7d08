# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""docs/api-coverage.md against the official spec and the collection.

The table must name every operation of the spec, each with its method and path; every
module, role and inventory plugin it names must exist; a row with no user must say why.
The spec is read from ``../shared/reference/gcom-openapi.json`` (or ``$GCOM_OPENAPI_SPEC``);
without it the spec tests are skipped, as the simulator's spec tests are.
"""

import json
import re
from pathlib import Path

import pytest

from tests.simulator.testing import reference_spec

COLLECTION = Path(__file__).resolve().parents[2]
TABLE = COLLECTION / "docs" / "api-coverage.md"
METHODS = ("get", "post", "put", "patch", "delete")
ROW = re.compile(r"^\| `(?P<operation>[^`]+)` \| `(?P<request>[^`]+)` \| (?P<used>[^|]*) \| (?P<why>[^|]*) \|$")
USER = re.compile(r"^`(?:(?P<kind>role|inventory):)?(?P<name>[a-z0-9_]+)`$")


def table_rows():
    """operationId -> (request, [(kind, name)], why) of every row of the table."""
    rows = {}
    for line in TABLE.read_text(encoding="utf-8").splitlines():
        match = ROW.match(line)
        if not match or match.group("operation") == "Operation":
            continue
        operation = match.group("operation")
        assert operation not in rows, "%s has two rows" % operation
        used = match.group("used").strip()
        users = []
        if used != "none":
            for item in used.split(","):
                user = USER.match(item.strip())
                assert user, "%s: %r is not `module`, `role:name` or `inventory:name`" % (operation, item)
                users.append((user.group("kind") or "module", user.group("name")))
        rows[operation] = (match.group("request"), users, match.group("why").strip())
    return rows


@pytest.fixture(scope="module")
def spec_operations():
    path = reference_spec()
    if path is None:
        pytest.skip("the official OpenAPI spec (../shared/reference/gcom-openapi.json) is not available")
    spec = json.loads(path.read_text(encoding="utf-8"))
    return dict((operation["operationId"], "%s %s" % (method.upper(), route))
                for route, item in spec["paths"].items()
                for method, operation in item.items() if method in METHODS)


def test_every_operation_of_the_spec_has_a_row(spec_operations):
    missing = sorted(set(spec_operations) - set(table_rows()))
    assert missing == [], "docs/api-coverage.md does not name these operations of the spec"


def test_every_row_is_an_operation_of_the_spec_with_its_request(spec_operations):
    rows = table_rows()
    unknown = sorted(set(rows) - set(spec_operations))
    assert unknown == [], "docs/api-coverage.md names operations the spec does not have"
    wrong = ["%s: the table says %s, the spec %s" % (operation, request, spec_operations[operation])
             for operation, (request, _users, _why) in sorted(rows.items())
             if request != spec_operations[operation]]
    assert wrong == []


def exists(kind, name):
    if kind == "role":
        return (COLLECTION / "roles" / name / "tasks" / "main.yml").is_file()
    if kind == "inventory":
        return (COLLECTION / "plugins" / "inventory" / ("%s.py" % name)).is_file()
    return (COLLECTION / "plugins" / "modules" / ("%s.py" % name)).is_file()


def test_every_module_role_and_inventory_named_exists():
    absent = sorted("%s (%s %s)" % (operation, kind, name)
                    for operation, (_request, users, _why) in table_rows().items()
                    for kind, name in users if not exists(kind, name))
    assert absent == [], "docs/api-coverage.md names what the collection does not have"


def test_a_row_without_a_user_says_why():
    unexplained = sorted(operation for operation, (_request, users, why) in table_rows().items()
                         if not users and not why)
    assert unexplained == []


def test_the_table_has_rows():
    # A table the row pattern no longer matches would pass every test above but the first.
    assert len(table_rows()) >= 50
