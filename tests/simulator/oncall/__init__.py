# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""What every OnCall area of the simulator shares (the areas are ``areas/oncall_*.py``).

The OnCall public API lives under :data:`ONCALL_PREFIX` (``/oncall``): the API URL a client
is given is ``<root>/oncall`` and requests go to ``<root>/oncall/api/v1/<resource>/``, as on
Grafana Cloud (``https://oncall-prod-....grafana.net/oncall``). Behaviour follows
``oncall-engine-facts.md`` (the real engine's answers); the row ids (EC2, R12 ...) are cited
where a rule comes from.

- :mod:`.errors`: DRF-shaped errors (``OnCallError``), HTML pages, the prefix's HTTP errors.
- :mod:`.auth`: ``@oncall_view("read"|"write")``: the bare token, service accounts with
  ``X-Grafana-URL``, the "being synced" 429, permissions, the 300/min throttle.
- :mod:`.store`: the shared state (users, teams, tokens, every collection), ids with the
  engine's prefixes, cascading deletes and alert receivers other areas register.
- :mod:`.paging`: the list envelope with page clamping and absolute links.
- :mod:`.fields`: request bodies and DRF-style field validation.
"""

from __future__ import annotations

ONCALL_PREFIX = "/oncall"
