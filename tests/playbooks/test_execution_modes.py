# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The API modules run in the controller's worker (the default) exactly as they run as modules.

The same plays run twice, each against a simulator fresh from its seed, once in controller mode and
once with GRAFANA_CLOUD_PLATFORM_EXECUTION=module; a test callback logs every task result
and the two logs are compared field by field (values that differ between any two runs,
such as ids, dates and request ids, are normalised first). The controller-mode run is
also checked for what a user sees: validation messages, masked secrets, warnings,
deprecations, environment fallbacks; and -vvv shows which tasks started a module process.
"""

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from tests.playbooks.conftest import TARGETS, collections_path
from tests.simulator.testing import running_simulator

HERE = Path(__file__).resolve().parent
MODES = HERE / "execution_modes"
BIN = Path(sys.executable).parent
OUR_MODULE_FILE = re.compile(r"Using module file \S+/ansible_collections/grafana_cloud/platform/plugins/modules/(\w+)\.py")
IN_PROCESS = re.compile(r"Running grafana_cloud\.platform\.(\w+) in the controller's worker process")
# The integration targets compared (a resource of each API, a credential with its secret;
# behaviours.yml covers an info module): the others run in controller mode in `make integration`.
COMPARED_TARGETS = ["access_policy", "token", "oncall_escalation_chain", "incident_role"]

VOLATILE = [
    (re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}"), "<uuid>"),
    (re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?(Z|[+-]\d\d:?\d\d)?"), "<time>"),
    (re.compile(r"\w{3}, \d\d \w{3} \d{4} \d\d:\d\d:\d\d GMT"), "<date>"),
    (re.compile(r"\b20\d{12}\b"), "<stamp>"),  # the date in a rotated token's name
    (re.compile(r"\b[A-Z][A-Z0-9]{12}\b"), "<oncall-id>"),  # OnCall public ids, random in the simulator
    (re.compile(r"waited \d+(\.\d+)?s"), "waited <s>"),
    (re.compile(r"/avatar/[0-9a-f]{32}"), "/avatar/<hash>"),  # random per service account in the simulator
    (re.compile(r"\b(glc|glsa)_[A-Za-z0-9+/=_-]{8,}"), r"<\1>"),
    (re.compile(r"\bj\d+\.\d+\b"), "<jid>"),
]


def normalised(value):
    if isinstance(value, dict):
        return {key: normalised(item) for key, item in value.items()}
    if isinstance(value, list):
        return [normalised(item) for item in value]
    if isinstance(value, str):
        for pattern, replacement in VOLATILE:
            value = pattern.sub(replacement, value)
    return value


class ModeRun:
    def __init__(self, completed, log, token):
        self.token = token
        self.returncode = completed.returncode
        self.output = completed.stdout
        self.records = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []

    def __repr__(self):
        return "<ModeRun rc=%s>\n%s" % (self.returncode, self.output[-8000:])

    def module_processes(self):
        """Our modules that ran as module processes, in order."""
        return OUR_MODULE_FILE.findall(self.output)

    def in_process(self):
        return IN_PROCESS.findall(self.output)

    def comparable(self):
        """Each task's result, in a stable order, without the simulator's own controls."""
        records = [normalised(record) for record in self.records
                   if record["action"] not in ("uri", "ansible.builtin.uri")]
        return sorted(records, key=lambda record: (record["task"], record["host"], json.dumps(record, sort_keys=True)))

    def result(self, task):
        found = [record["result"] for record in self.records if record["task"] == task]
        assert len(found) == 1, (task, found)
        return found[0]


def run_in_mode(mode, workdir, playbook, inventory, extra_vars=None, env=None, prepare=None):
    """ansible-playbook -vvv in ``mode`` against a simulator of its own, fresh from its seed.

    (A fresh simulator rather than a reset one: a reset keeps the counters that number new
    objects, and the two runs must see the same ids.) ``extra_vars`` and ``prepare`` are
    called with the simulator; ``prepare`` may add data before the run.
    """
    log = workdir / ("%s-%s.jsonl" % (playbook.stem, mode))
    if log.exists():
        log.unlink()
    with running_simulator() as sim:
        if prepare:
            prepare(sim)
        environment = dict(os.environ)
        environment.pop("GRAFANA_CLOUD_API_URL", None)
        environment.update({
            "ANSIBLE_COLLECTIONS_PATH": collections_path(),
            "ANSIBLE_ROLES_PATH": str(TARGETS),
            "ANSIBLE_PYTHON_INTERPRETER": sys.executable,
            "ANSIBLE_NOCOLOR": "1",
            "ANSIBLE_RETRY_FILES_ENABLED": "0",
            "ANSIBLE_LOCAL_TEMP": str(workdir / "ansible-local"),
            "ANSIBLE_CALLBACK_PLUGINS": str(MODES / "callback_plugins"),
            "ANSIBLE_CALLBACKS_ENABLED": "result_log",
            "GRAFANA_CLOUD_ACCESS_POLICY_TOKEN": sim.token,
            "GRAFANA_CLOUD_PLATFORM_EXECUTION": mode,
            "RESULT_LOG": str(log),
        })
        environment.update(env or {})
        command = [str(BIN / "ansible-playbook"), "-vvv", "-i", str(inventory(sim)), str(playbook)]
        for name, value in (extra_vars(sim) if extra_vars else {}).items():
            command += ["-e", "%s=%s" % (name, value)]
        completed = subprocess.run(command, cwd=str(workdir), env=environment, stdout=subprocess.PIPE,
                                   stderr=subprocess.STDOUT, universal_newlines=True, timeout=900, check=False)
        return ModeRun(completed, log, sim.token)


def assert_same_results(controller, module):
    """Every task's result the same in both runs, field by field."""
    in_controller, as_module = controller.comparable(), module.comparable()
    assert [(record["task"], record["host"]) for record in in_controller] == \
        [(record["task"], record["host"]) for record in as_module]
    for record, other in zip(in_controller, as_module):
        assert record == other


MARKER = "glc_marker-of-a-no-log-value-1"


@pytest.fixture(scope="module")
def behaviours(tmp_path_factory):
    """behaviours.yml run once in each mode, for the tests below."""
    workdir = tmp_path_factory.mktemp("behaviours")

    def extra_vars(sim):
        return dict(sim_root=sim.root, sim_url=sim.url, sim_token=sim.token, marker=MARKER)

    runs = {mode: run_in_mode(mode, workdir, MODES / "behaviours.yml", lambda sim: MODES / "hosts.ini", extra_vars)
            for mode in ("controller", "module")}
    for run in runs.values():
        assert run.returncode == 0, run
    return runs


def test_every_task_returns_the_same_in_both_modes(behaviours):
    controller, module = behaviours["controller"], behaviours["module"]
    assert len(controller.records) > 30
    assert_same_results(controller, module)


def test_only_async_starts_a_module_process_in_controller_mode(behaviours):
    controller, module = behaviours["controller"], behaviours["module"]
    assert controller.module_processes() == ["region_info"]  # the async task
    assert module.in_process() == []
    # In controller mode, every other task of ours ran in the worker, delegated ones included.
    assert len(controller.in_process()) == len(module.module_processes()) - 1
    assert "Delegated to the other inventory host" in controller.output


def test_validation_messages_are_ansible_modules(behaviours):
    run = behaviours["controller"]
    # The wording is ansible-core's and changes between its versions; the comparison with
    # module mode (test_every_task_returns_the_same_in_both_modes) holds it exactly.
    assert run.result("A wrong type")["msg"].startswith("argument 'request_timeout' is of type")
    assert run.result("Not one of the choices")["msg"].startswith("value of role must be one of: Viewer, Editor, Admin")
    assert run.result("A required option missing")["msg"] == "missing required arguments: region"
    assert run.result("Mutually exclusive options")["msg"] == "parameters are mutually exclusive: slug|id|org"
    assert run.result("An option the module does not know")["msg"].startswith(
        "Unsupported parameters for (grafana_cloud.platform.region_info) module: region.")


def test_warnings_and_deprecations_reach_the_result_and_the_screen(behaviours):
    run = behaviours["controller"]
    assert "[WARNING]: Both option cloud_access_policy_token and its alias cloud_api_key are set." in run.output
    assert "[DEPRECATION WARNING]: The option fail_if_already_created is accepted only" in run.output
    # A retry that ended well asks nothing of the user: a note under retries (-v), no warning.
    retried = run.result("The request answered after one retry")
    assert not retried.get("warnings")
    assert re.match(r"/stack-regions\S*: HTTP 503, waited ", retried["retries"][0])


def test_no_log_values_are_masked_in_errors_results_and_diffs(behaviours):
    run = behaviours["controller"]
    assert run.token not in run.output and MARKER not in run.output
    error = run.result("A no_log value in an error message is masked")["msg"]
    assert error.startswith("slug '********' is not a valid stack slug")
    masked = run.result("A no_log value in the result and the diff is masked (check mode, diff mode)")
    assert masked["changed"] is True
    assert masked["diff"]["after"]["display_name"] == "******** policy"
    assert masked["access_policy"]["displayName"] == "******** policy"


def test_environment_fallbacks_read_the_tasks_environment(behaviours):
    run = behaviours["controller"]
    assert run.result("The token from the task's environment (env fallback)")["status"] == 401
    assert run.result("The URL from the task's environment")["regions"][0]["slug"] == "us"
    # The worker's environment is put back: the next task has the controller's token again.
    assert run.result("The controller's environment again after a task's environment")["regions"][0]["slug"] == "us"


def test_module_defaults_of_the_action_group_apply(behaviours):
    run = behaviours["controller"]
    # The run has no GRAFANA_CLOUD_API_URL: the simulator's URL comes from the play's
    # module_defaults for group/grafana_cloud.platform.cloud (else https://grafana.com/api).
    assert run.result("The request answered after one retry")["regions"][0]["slug"] == "us"
    assert run.result("A real change, in diff mode")["changed"] is True


def test_forks_over_the_stacks_inventory_without_interpreter_discovery(tmp_path):
    slugs = ["fleeta", "fleetb", "fleetc", "fleetd", "fleete", "fleetf"]
    playbook = tmp_path / "fleet.yml"
    playbook.write_text(json.dumps([{
        "name": "Each stack reads itself", "hosts": "all", "connection": "local", "gather_facts": False,
        "tasks": [{"name": "Read the stack", "grafana_cloud.platform.stack_info": {
            "slug": "{{ stack_slug }}", "cloud_api_url": "{{ sim_url }}"}}],
    }]))

    def inventory(sim):
        path = tmp_path / "grafana_cloud.stacks.yml"
        path.write_text(json.dumps({"plugin": "grafana_cloud.platform.stacks", "org": "simorg",
                                    "cloud_api_url": sim.url}))
        return path

    def add_stacks(sim):
        for slug in slugs:
            sim.add_stack(slug, region="us")

    runs = {}
    for mode in ("controller", "module"):
        # Controller mode with the interpreter left to discovery, as on a user's controller:
        # the worker needs none. (Module mode gets the test's Python: discovery on the build
        # machine finds a pyenv shim that cannot run.)
        interpreter = "auto_silent" if mode == "controller" else sys.executable
        runs[mode] = run_in_mode(mode, tmp_path, playbook, inventory, lambda sim: dict(sim_url=sim.url),
                                 env={"ANSIBLE_FORKS": "5", "ANSIBLE_PYTHON_INTERPRETER": interpreter},
                                 prepare=add_stacks)
    for run in runs.values():
        assert run.returncode == 0, run
    controller, module = runs["controller"], runs["module"]
    assert set(slugs) <= {record["host"] for record in controller.records if record["status"] == "ok"}
    assert controller.module_processes() == []
    assert "interpreter discovery" not in controller.output
    assert not any("ansible_facts" in record["result"] for record in controller.records)
    assert_same_results(controller, module)


@pytest.mark.parametrize("target", COMPARED_TARGETS)
def test_integration_target_in_both_modes(tmp_path, target):
    def extra_vars(sim):
        return dict(target=target, sim_root=sim.root, grafana_cloud_api_url=sim.url,
                    grafana_cloud_access_policy_token=sim.token)

    runs = {mode: run_in_mode(mode, tmp_path, MODES / "run_target.yml", lambda sim: MODES / "testhost.ini",
                              extra_vars)
            for mode in ("controller", "module")}
    for run in runs.values():
        assert run.returncode == 0, run
    controller, module = runs["controller"], runs["module"]
    assert controller.module_processes() == []
    assert module.module_processes()
    assert_same_results(controller, module)
