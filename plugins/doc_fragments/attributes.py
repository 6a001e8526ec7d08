# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

from __future__ import absolute_import, division, print_function

__metaclass__ = type


class ModuleDocFragment(object):
    # Attributes of a module that changes things.
    DOCUMENTATION = r"""
attributes:
  check_mode:
    description: Can run in C(check_mode) and return changed status prediction without modifying target.
    support: full
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in C(check_mode)), when in diff mode.
    support: full
"""

    # Attributes of an _info module: reads only.
    INFO_MODULE = r"""
attributes:
  check_mode:
    description: Can run in C(check_mode) and return changed status prediction without modifying target.
    support: full
    details: This module only reads, so it runs the same in check mode.
  diff_mode:
    description: Will return details on what has changed (or possibly needs changing in C(check_mode)), when in diff mode.
    support: none
    details: This module never changes anything.
"""

    # Membership of the action group that carries the shared options.
    ACTIONGROUP_CLOUD = r"""
attributes:
  action_group:
    description: Use C(group/grafana_cloud.platform.cloud) in C(module_defaults) to set defaults for this module.
    support: full
    membership:
      - grafana_cloud.platform.cloud
"""

    # Membership of the action group that carries the shared OnCall options.
    ACTIONGROUP_ONCALL = r"""
attributes:
  action_group:
    description: Use C(group/grafana_cloud.platform.oncall) in C(module_defaults) to set defaults for this module.
    support: full
    membership:
      - grafana_cloud.platform.oncall
"""

    # Membership of the action group of the Incident (IRM) modules.
    ACTIONGROUP_INCIDENT = r"""
attributes:
  action_group:
    description: Use C(group/grafana_cloud.platform.incident) in C(module_defaults) to set defaults for this module.
    support: full
    membership:
      - grafana_cloud.platform.incident
"""
