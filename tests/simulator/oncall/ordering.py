# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Stored positions of escalation policies and routes, as the engine's ordered model keeps them.

The engine stores an ``order`` number per item and never closes a gap: deleting the step at
1 of 0, 1, 2 leaves 0 and 2 (facts N2, N3). A new item goes after the last one (max + 1), and
``position: p`` then moves it *to the stored number* p, shifting only the items in between
(EP16, EP17; N2: a POST at 1 after the gap gives 0, 1, 3).
"""

from __future__ import annotations


def next_position(siblings: list[dict], key: str = "position") -> int:
    """Where a new item goes: after the last one (max + 1), 0 in an empty list."""
    return max((item[key] for item in siblings), default=-1) + 1


def move_to(item: dict, siblings: list[dict], target: int, key: str = "position") -> None:
    """Move ``item`` to the stored number ``target``; only the items between its old and its
    new number shift by one, so gaps elsewhere stay (N2)."""
    current = item[key]
    for other in siblings:
        if other is item:
            continue
        if target < current and target <= other[key] < current:
            other[key] += 1
        elif current < target and current < other[key] <= target:
            other[key] -= 1
    item[key] = target
