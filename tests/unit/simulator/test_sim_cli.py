# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""``python -m tests.simulator``: six ``export`` lines on stdout, serves, exits cleanly on SIGTERM."""

import subprocess
import sys
import threading

import requests

from tests.simulator.testing import REPO_ROOT


def read_two_lines(process, timeout=20):
    """The first two stdout lines, without hanging the suite if they never come."""
    lines = []
    reader = threading.Thread(target=lambda: lines.extend(
        [process.stdout.readline(), process.stdout.readline()]), daemon=True)
    reader.start()
    reader.join(timeout)
    assert len(lines) == 2, "the simulator did not print its URL and token in time"
    return [line.rstrip("\n") for line in lines]


def start(*args):
    return subprocess.Popen([sys.executable, "-m", "tests.simulator", *args], cwd=REPO_ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def test_cli_prints_url_and_token_serves_and_stops_on_sigterm():
    process = start("--port", "0", "--admin-token", "glc_cli_test", "--org-slug", "cliorg")
    try:
        url_line, token_line = read_two_lines(process)
        assert url_line.startswith("export GRAFANA_CLOUD_API_URL=http://127.0.0.1:")
        assert url_line.endswith("/api")
        assert token_line == "export GRAFANA_CLOUD_ACCESS_POLICY_TOKEN=glc_cli_test"
        url = url_line.partition("=")[2]

        regions = requests.get(f"{url}/stack-regions", timeout=10,
                               headers={"Authorization": "Bearer glc_cli_test"})
        org = requests.get(f"{url}/orgs/cliorg", timeout=10,
                           headers={"Authorization": "Bearer glc_cli_test"})

        assert regions.status_code == 200 and regions.json()["items"]
        assert org.json()["slug"] == "cliorg"
        irm_lines = [process.stdout.readline().rstrip("\n") for _index in range(4)]
        assert [line.partition("=")[0] for line in irm_lines] == [
            "export GRAFANA_ONCALL_API_URL", "export GRAFANA_ONCALL_ACCESS_TOKEN", "export GRAFANA_URL",
            "export GRAFANA_INCIDENT_ACCESS_TOKEN"]
        env = dict(line[len("export "):].split("=", 1) for line in irm_lines)
        assert env["GRAFANA_ONCALL_API_URL"] == url[:-4] + "/oncall"
        # What a newcomer pastes works: OnCall with its token, Incident at GRAFANA_URL.
        teams = requests.get(env["GRAFANA_ONCALL_API_URL"] + "/api/v1/teams/", timeout=10,
                             headers={"Authorization": env["GRAFANA_ONCALL_ACCESS_TOKEN"]})
        assert teams.status_code == 200 and teams.json()["count"] > 0
        assert env["GRAFANA_URL"] == url[:-4] + "/grafana/simstack"
        incidents = requests.post(env["GRAFANA_URL"] + "/api/plugins/grafana-irm-app/resources/api/v1/"
                                  "IncidentsService.QueryIncidents", json={"query": {"limit": 1}}, timeout=10,
                                  headers={"Authorization": "Bearer " + env["GRAFANA_INCIDENT_ACCESS_TOKEN"]})
        assert incidents.status_code == 200 and incidents.json()["incidents"] == []
        # The same GRAFANA_URL names the stack for OnCall's service-account tokens.
        access = requests.get(url[:-4] + "/_sim/oncall", timeout=10).json()
        assert access["grafana_url"] == env["GRAFANA_URL"]
        process.terminate()
        assert process.wait(timeout=10) == 0
        assert process.stdout.read() == ""  # nothing but the six lines on stdout
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()
        process.stderr.close()


def test_cli_default_token_looks_real():
    process = start("--quiet")
    try:
        token = read_two_lines(process)[1].partition("=")[2]
        assert token.startswith("glc_") and len(token) > 40
        process.terminate()
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        process.stdout.close()
        process.stderr.close()


def test_cli_refuses_a_missing_spec():
    completed = subprocess.run([sys.executable, "-m", "tests.simulator", "--spec", "/no/spec.json"],
                               cwd=REPO_ROOT, capture_output=True, text=True, timeout=20,
                               check=False)
    assert completed.returncode == 2
    assert "spec not found" in completed.stderr
    assert completed.stdout == ""
