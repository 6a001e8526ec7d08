# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Fixtures for the simulator's own tests.

``simulator``: one real app (all areas) served for the whole session, reset before each
test; in contract mode when ``$GCOM_OPENAPI_SPEC`` is set. ``spec_path``: the official
spec, or the test is skipped.
"""

import pytest

from tests.simulator.testing import reference_spec, running_simulator


@pytest.fixture(scope="session")
def simulator_server():
    with running_simulator() as running:
        yield running


@pytest.fixture
def simulator(simulator_server):
    simulator_server.reset()
    return simulator_server


@pytest.fixture(scope="session")
def spec_path():
    path = reference_spec()
    if path is None:
        pytest.skip("the official OpenAPI spec (../shared/reference/) is not available")
    return path
