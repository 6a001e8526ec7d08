# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The shared stack model: records created through /_sim/stacks, readiness, Loading answers."""

import requests


def test_sim_stack_is_created_shaped_like_the_api(simulator):
    stack = simulator.add_stack("teststack", region="eu", labels={"team": "a"})
    assert stack["slug"] == "teststack" and stack["regionSlug"] == "eu"
    assert stack["orgSlug"] == "simorg" and stack["status"] == "active"
    assert stack["url"] == "https://teststack.grafana.net"
    assert stack["hmInstancePromUrl"].startswith("https://prometheus-")
    assert not any(key.startswith("_") for key in stack)


def test_require_ready_stack_answers_loading_until_ready(simulator):
    from tests.simulator.areas._stackdata import find_stack, require_ready_stack
    from tests.simulator.errors import ApiError

    simulator.add_stack("warming", ready_after=30)
    sim = simulator.sim
    with sim.lock:
        try:
            require_ready_stack(sim, "warming")
            raise AssertionError("a warming stack must answer 503")
        except ApiError as error:
            assert error.status == 503 and error.code == "Loading"
            assert 1 <= int(error.headers["Retry-After"]) <= 30
    simulator.advance_clock(31)
    with sim.lock:
        assert require_ready_stack(sim, "warming")["slug"] == "warming"
        assert find_stack(sim, "nope") is None


def test_sim_stacks_refuses_unknown_fields(simulator):
    answer = requests.post(simulator.root + "/_sim/stacks", json={"slug": "x", "colour": "red"}, timeout=5)
    assert answer.status_code == 400 and "colour" in answer.text
