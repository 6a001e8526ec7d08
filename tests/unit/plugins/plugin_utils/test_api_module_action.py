# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The in-process runner: the mode switch, and a module's main() run as a module process would run it.

The playbook-level behaviour (both modes compared task by task) is in
tests/playbooks/test_execution_modes.py.
"""

import importlib
import json
import os
import sys
import types
from pathlib import Path

import pytest
from ansible.errors import AnsibleError
from ansible.module_utils import basic
from ansible.module_utils.basic import AnsibleModule, env_fallback
from ansible.module_utils.common import warnings as module_warnings

from ansible_collections.grafana_cloud.platform.plugins.plugin_utils import _api_module_action as runner

COLLECTION = Path(runner.__file__).resolve().parents[2]


def test_the_default_is_controller_mode(tmp_path):
    assert runner.configured_mode({}, environ={}, config_file=str(tmp_path / "missing.cfg")) == "controller"


def test_ansible_cfg_then_environment_then_variable(tmp_path):
    cfg = tmp_path / "ansible.cfg"
    cfg.write_text("[defaults]\nforks = 5\n\n[grafana_cloud_platform]\nexecution = module\n")
    assert runner.configured_mode({}, environ={}, config_file=str(cfg)) == "module"
    environ = {runner.EXECUTION_ENV: "controller"}
    assert runner.configured_mode({}, environ=environ, config_file=str(cfg)) == "controller"
    assert runner.configured_mode({runner.EXECUTION_VAR: "Module"}, environ=environ, config_file=str(cfg)) == "module"


def test_an_unknown_mode_names_where_it_came_from(tmp_path):
    with pytest.raises(AnsibleError) as error:
        runner.configured_mode({}, environ={runner.EXECUTION_ENV: "turbo"}, config_file=str(tmp_path / "none.cfg"))
    assert "must be one of controller, module, got 'turbo' from the %s environment variable" % runner.EXECUTION_ENV \
        in str(error.value)


def fake_module(monkeypatch, main):
    module = types.ModuleType("fake_grafana_module")
    module.main = main
    monkeypatch.setitem(sys.modules, module.__name__, module)
    return module.__name__


def module_args(**params):
    params.update(_ansible_check_mode=False, _ansible_no_log=False, _ansible_diff=False, _ansible_verbosity=0)
    return params


def test_main_runs_with_the_tasks_environment_and_everything_is_put_back(monkeypatch, tmp_path):
    monkeypatch.setenv("FAKE_TOKEN", "from-the-controller")
    monkeypatch.chdir(tmp_path)
    seen = {}

    def main():
        module = AnsibleModule(argument_spec=dict(
            token=dict(type="str", no_log=True, fallback=(env_fallback, ["FAKE_TOKEN"])),
            name=dict(type="str", required=True),
        ))
        seen["token"] = module.params["token"]
        os.chdir("/")
        module.warn("a warning")
        module.exit_json(changed=True, echoed="%s %s" % (module.params["name"], module.params["token"]))

    saved_args = basic._ANSIBLE_ARGS
    saved_warnings = module_warnings._global_warnings
    stdout, stderr, rc = runner.run_module_main(fake_module(monkeypatch, main), module_args(name="web"),
                                                {"FAKE_TOKEN": "from-the-task"})
    assert (rc, stderr) == (0, "")
    assert seen["token"] == "from-the-task"
    result = json.loads(stdout)
    assert result["changed"] is True
    assert result["echoed"] == "web ********"  # AnsibleModule's own no_log masking
    assert len(result["warnings"]) == 1
    assert os.environ["FAKE_TOKEN"] == "from-the-controller"
    assert Path.cwd() == tmp_path
    assert basic._ANSIBLE_ARGS is saved_args
    assert module_warnings._global_warnings is saved_warnings


def test_a_second_run_starts_without_the_first_runs_warnings(monkeypatch):
    def main():
        module = AnsibleModule(argument_spec={})
        module.warn("once")
        module.exit_json(changed=False)

    name = fake_module(monkeypatch, main)
    first = json.loads(runner.run_module_main(name, module_args(), {})[0])
    second = json.loads(runner.run_module_main(name, module_args(), {})[0])
    assert len(first["warnings"]) == len(second["warnings"]) == 1


def test_a_failure_is_rc_1_with_the_modules_message(monkeypatch):
    def main():
        AnsibleModule(argument_spec=dict(name=dict(type="str", required=True)))

    stdout, _stderr, rc = runner.run_module_main(fake_module(monkeypatch, main), module_args(), {})
    assert rc == 1
    assert json.loads(stdout)["msg"] == "missing required arguments: name"


def test_an_exception_is_reported_as_a_module_process_reports_it(monkeypatch):
    def main():
        raise KeyError("boom")

    stdout, stderr, rc = runner.run_module_main(fake_module(monkeypatch, main), module_args(), {})
    assert rc == 1
    if stdout:  # ansible-core 2.19+: the AnsiballZ wrapper's handler prints a failed result
        result = json.loads(stdout)
        assert result["failed"] is True
        assert "boom" in json.dumps(result)
    else:  # before: a traceback on stderr
        assert stderr.startswith("Traceback") and "KeyError: 'boom'" in stderr


def test_a_main_that_returns_without_exiting_is_a_failure(monkeypatch):
    _stdout, stderr, rc = runner.run_module_main(fake_module(monkeypatch, lambda: None), module_args(), {})
    assert rc == 1
    assert "did not exit through exit_json or fail_json" in stderr


def test_every_module_has_the_in_process_action():
    modules = sorted(path.stem for path in (COLLECTION / "plugins" / "modules").glob("*.py") if path.stem != "__init__")
    actions = sorted(path.stem for path in (COLLECTION / "plugins" / "action").glob("*.py") if path.stem != "__init__")
    assert actions == modules
    for name in modules:
        action = importlib.import_module("ansible_collections.grafana_cloud.platform.plugins.action.%s" % name)
        assert issubclass(action.ActionModule, runner.ApiModuleAction)


def action_on(transport="local", become=False, async_val=0,
              resolved_action="grafana_cloud.platform.stack_info"):
    """An ApiModuleAction with only what runs_in_process reads."""
    action = object.__new__(runner.ApiModuleAction)
    action._task = types.SimpleNamespace(async_val=async_val, resolved_action=resolved_action)
    action._connection = types.SimpleNamespace(transport=transport)
    action._play_context = types.SimpleNamespace(become=become)
    return action


def test_only_a_task_the_controller_would_run_runs_in_process(monkeypatch):
    monkeypatch.setenv(runner.EXECUTION_ENV, "controller")
    assert action_on().runs_in_process({}) is True
    assert action_on(transport="ssh").runs_in_process({}) is False
    assert action_on(become=True).runs_in_process({}) is False
    assert action_on(async_val=30).runs_in_process({}) is False
    assert action_on(resolved_action="ansible.builtin.uri").runs_in_process({}) is False
    assert action_on().runs_in_process({runner.EXECUTION_VAR: "module"}) is False


def test_without_requests_on_the_controller_the_module_runs_as_a_process(monkeypatch):
    monkeypatch.setenv(runner.EXECUTION_ENV, "controller")
    monkeypatch.setattr(runner, "HAS_REQUESTS", False)
    assert action_on().runs_in_process({}) is False
