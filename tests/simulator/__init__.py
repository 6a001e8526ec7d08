# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""A Grafana Cloud API simulator (Flask) for the collection's tests, demo and bench.

``create_app()`` builds the app; ``python -m tests.simulator`` serves it; see ``areas/``
for how API areas plug in and ``testing.py`` for running it inside tests.
"""

from .app import create_app
from .core import Simulator, get_sim
from .errors import ApiError

__all__ = ["ApiError", "Simulator", "create_app", "get_sim"]
