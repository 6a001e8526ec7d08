# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""When an existing expiring credential must be replaced, and what its replacement is named:
the rules every token module shares.

Generic on purpose: it knows an expiry timestamp, ``rotate_before``, ``force_rotate`` and the
names of a ``keep_old`` family, nothing about a particular API.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

import datetime
import re

from ansible_collections.grafana_cloud.platform.plugins.module_utils._timeutil import (
    expires_within,
    parse_duration,
    utcnow,
)

#: What a ``keep_old`` replacement adds to its family's name: a dash and its creation time.
ROTATION_SUFFIX = re.compile(r"^-\d{14}$")
ROTATION_SUFFIX_LENGTH = 15


def rotation_reason(expires_at, rotate_before=None, force_rotate=False, now=None):
    """Why the credential must be replaced now, or None when it may stay.

    :param expires_at: the credential's expiry (ISO 8601 text), or None if it never expires.
    :param rotate_before: a duration (``7d``) or seconds; replace when the credential expires
        within it. A credential that never expires is never rotated by this rule.
    :param force_rotate: replace whatever the expiry.
    """
    if force_rotate:
        return "force_rotate is set"
    if rotate_before is None or not expires_at:
        return None
    seconds = parse_duration(rotate_before)
    if expires_within(expires_at, seconds, now=now):
        return "it expires at %s, within rotate_before (%s)" % (expires_at, rotate_before)
    return None


def validate_rotation(rotate_before, lifetime_seconds=None):
    """A message saying what is wrong with ``rotate_before`` for this lifetime, or None.

    A rotate_before as long as the credential's lifetime would replace it on every run.
    """
    if rotate_before is None:
        return None
    try:
        seconds = parse_duration(rotate_before)
    except ValueError as error:
        return "rotate_before: %s" % error
    if seconds <= 0:
        return "rotate_before must be longer than 0 seconds, got %r" % (rotate_before,)
    if lifetime_seconds and seconds >= lifetime_seconds:
        return ("rotate_before (%s) is not shorter than the token's lifetime (%d seconds): every run "
                "would replace the token" % (rotate_before, lifetime_seconds))
    return None


# -- keep_old: the old credential lives on next to its replacement ------------------------

def in_family(name, family_name):
    """Whether ``name`` is ``family_name`` or a ``keep_old`` replacement of it (``<name>-YYYYmmddHHMMSS``)."""
    name = name or ""
    if name == family_name:
        return True
    return name.startswith(family_name) and bool(ROTATION_SUFFIX.match(name[len(family_name):]))


def replacement_name(family_name, taken, keep_old, now=None):
    """The name of a rotation's replacement.

    APIs that keep token names unique (and can't rename one) refuse a second token of the
    family's name while the old one lives: with ``keep_old`` and that name taken, the
    replacement carries its creation time. Otherwise (the old one deleted first, or already
    holding a suffixed name) it takes the family's own name.

    :param taken: the names the family holds now. A suffixed name already taken (a generation
        made within the same second) moves on to the next free second.
    """
    taken = set(taken)
    if not keep_old or family_name not in taken:
        return family_name
    when = now or utcnow()
    while True:
        name = "%s-%s" % (family_name, when.strftime("%Y%m%d%H%M%S"))
        if name not in taken:
            return name
        when += datetime.timedelta(seconds=1)
