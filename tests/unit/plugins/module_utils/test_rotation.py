# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The rotation rule and the keep_old naming shared by the token modules."""

import datetime

import pytest

from ansible_collections.grafana_cloud.platform.plugins.module_utils._rotation import (
    ROTATION_SUFFIX_LENGTH,
    in_family,
    replacement_name,
    rotation_reason,
    validate_rotation,
)
from ansible_collections.grafana_cloud.platform.plugins.module_utils._timeutil import UTC

NOW = datetime.datetime(2026, 6, 1, 12, 0, 0, tzinfo=UTC)


@pytest.mark.parametrize("expires_at, rotate_before, rotate", [
    ("2026-06-05T12:00:00Z", "7d", True),  # 4 days left, within 7
    ("2026-06-20T12:00:00Z", "7d", False),  # 19 days left
    ("2026-06-08T12:00:00Z", "7d", True),  # exactly 7 days left: rotate
    ("2026-05-01T00:00:00Z", "1h", True),  # already expired
    (None, "7d", False),  # never expires
    ("2026-06-05T12:00:00Z", None, False),  # no rotate_before: leave it
])
def test_rotation_reason_follows_the_expiry(expires_at, rotate_before, rotate):
    reason = rotation_reason(expires_at, rotate_before, now=NOW)
    assert bool(reason) is rotate
    if rotate:
        assert "rotate_before (%s)" % rotate_before in reason


def test_force_rotate_wins_whatever_the_expiry():
    assert rotation_reason(None, None, force_rotate=True, now=NOW) == "force_rotate is set"
    assert rotation_reason("2099-01-01T00:00:00Z", "1d", force_rotate=True, now=NOW) == "force_rotate is set"


@pytest.mark.parametrize("rotate_before, lifetime, problem", [
    (None, None, None),
    ("7d", 30 * 86400, None),
    ("7d", None, None),  # a token without expiry: allowed, never rotates
    ("7 days", None, "rotate_before: "),
    ("0s", None, "longer than 0"),
    ("30d", 30 * 86400, "every run would replace"),
    ("31d", 30 * 86400, "every run would replace"),
])
def test_validate_rotation(rotate_before, lifetime, problem):
    message = validate_rotation(rotate_before, lifetime)
    if problem is None:
        assert message is None
    else:
        assert problem in message


@pytest.mark.parametrize("name, member", [
    ("ci", True),
    ("ci-20260601120000", True),
    ("ci-2026060112000", False),  # 13 digits: not a creation time
    ("ci-202606011200001", False),
    ("ci-other", False),
    ("ci2-20260601120000", False),  # another family that starts alike
    ("c", False),
    ("", False),
    (None, False),
])
def test_a_family_is_its_name_and_its_timestamped_replacements(name, member):
    assert in_family(name, "ci") is member


def test_a_replacement_takes_the_family_name_unless_the_old_token_holds_it():
    assert replacement_name("ci", ["ci"], keep_old=True, now=NOW) == "ci-20260601120000"
    assert len("ci-20260601120000") - len("ci") == ROTATION_SUFFIX_LENGTH
    # The old token is the suffixed one: the family's own name is free again.
    assert replacement_name("ci", ["ci-20260101000000"], keep_old=True, now=NOW) == "ci"
    # Without keep_old the old token is deleted first: the name is the family's.
    assert replacement_name("ci", ["ci"], keep_old=False, now=NOW) == "ci"
    assert in_family(replacement_name("ci", ["ci"], keep_old=True, now=NOW), "ci")


def test_a_replacement_never_takes_the_name_of_a_generation_made_in_the_same_second():
    taken = ["ci", "ci-20260601120000", "ci-20260601120001"]
    assert replacement_name("ci", taken, keep_old=True, now=NOW) == "ci-20260601120002"
