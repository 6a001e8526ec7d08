# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""When an existing expiring credential must be replaced: the rule every token module shares.

Generic on purpose: it knows an expiry timestamp, ``rotate_before`` and ``force_rotate``,
nothing about a particular API.
"""

from __future__ import absolute_import, division, print_function

__metaclass__ = type

from ansible_collections.grafana_cloud.platform.plugins.module_utils._timeutil import (
    expires_within,
    parse_duration,
)


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
