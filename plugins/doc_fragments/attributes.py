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

    # The action group fragments also say that the module runs in the controller's worker
    # process (plugins/plugin_utils/_api_module_action.py): every module takes exactly one of
    # them. (Literal strings: ansible-doc and the sanity tests read fragments without running them.)

    # Membership of the action group that carries the shared options.
    ACTIONGROUP_CLOUD = r"""
attributes:
  action_group:
    description: Use C(group/grafana_cloud.platform.cloud) in C(module_defaults) to set defaults for this module.
    support: full
    membership:
      - grafana_cloud.platform.cloud

  action:
    description: Indicates this has a corresponding action plugin so some parts of the options can be executed on the controller.
    support: full
    details:
      - When the task runs on the controller (a C(local) connection, delegation to C(localhost) included), without
        C(async) or C(become), the module runs inside the controller's worker process instead of a
        module process of its own, with the same code, arguments, validation and results. Otherwise it
        runs as a normal module.
      - Set the environment variable E(GRAFANA_CLOUD_PLATFORM_EXECUTION), the variable
        C(grafana_cloud_platform_execution), or C(execution) in the C([grafana_cloud_platform]) section
        of C(ansible.cfg) to V(module) to always run a module process.
"""

    # Membership of the action group that carries the shared OnCall options.
    ACTIONGROUP_ONCALL = r"""
attributes:
  action_group:
    description: Use C(group/grafana_cloud.platform.oncall) in C(module_defaults) to set defaults for this module.
    support: full
    membership:
      - grafana_cloud.platform.oncall

  action:
    description: Indicates this has a corresponding action plugin so some parts of the options can be executed on the controller.
    support: full
    details:
      - When the task runs on the controller (a C(local) connection, delegation to C(localhost) included), without
        C(async) or C(become), the module runs inside the controller's worker process instead of a
        module process of its own, with the same code, arguments, validation and results. Otherwise it
        runs as a normal module.
      - Set the environment variable E(GRAFANA_CLOUD_PLATFORM_EXECUTION), the variable
        C(grafana_cloud_platform_execution), or C(execution) in the C([grafana_cloud_platform]) section
        of C(ansible.cfg) to V(module) to always run a module process.
"""

    # Membership of the action group of the Incident (IRM) modules.
    ACTIONGROUP_INCIDENT = r"""
attributes:
  action_group:
    description: Use C(group/grafana_cloud.platform.incident) in C(module_defaults) to set defaults for this module.
    support: full
    membership:
      - grafana_cloud.platform.incident

  action:
    description: Indicates this has a corresponding action plugin so some parts of the options can be executed on the controller.
    support: full
    details:
      - When the task runs on the controller (a C(local) connection, delegation to C(localhost) included), without
        C(async) or C(become), the module runs inside the controller's worker process instead of a
        module process of its own, with the same code, arguments, validation and results. Otherwise it
        runs as a normal module.
      - Set the environment variable E(GRAFANA_CLOUD_PLATFORM_EXECUTION), the variable
        C(grafana_cloud_platform_execution), or C(execution) in the C([grafana_cloud_platform]) section
        of C(ansible.cfg) to V(module) to always run a module process.
"""
