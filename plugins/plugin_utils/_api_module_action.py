# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""The action behind every API module: run the module's own code in the controller's worker.

Our modules only talk to an HTTP API, so a task that would run on the controller anyway
(connection ``local``, no ``become``, no ``async``) needs no module process: this action
imports the module file and calls its ``main()``, with a real ``AnsibleModule`` fed the very
arguments ``_execute_module`` would send, and hands what the module printed to the parsing
the controller applies to a module's stdout. Validation, aliases, deprecations, ``no_log``
masking and warnings are therefore AnsibleModule's own. Any other task (another host,
``async``, ``become``, ``requests`` missing from the controller, or the switch below) runs
the module as a normal module, through ``_execute_module``, unchanged.

The switch: ``module`` forces module mode, ``controller`` (the default) allows the
in-process run. Read from, last wins: the ``[grafana_cloud_platform] execution`` setting
of ``ansible.cfg``, the ``GRAFANA_CLOUD_PLATFORM_EXECUTION`` environment variable, the
``grafana_cloud_platform_execution`` variable (inventory, group_vars, extra vars).

Each module's action plugin (``plugins/action/<module>.py``) is a subclass of
``ApiModuleAction`` with nothing in it.
"""

from __future__ import annotations

import configparser
import contextlib
import importlib
import inspect
import io
import json
import os
import sys
import traceback

from ansible import constants as C
from ansible.errors import AnsibleError
from ansible.module_utils import basic
from ansible.module_utils.common import warnings as module_warnings
from ansible.plugins.action import ActionBase
from ansible.utils.display import Display
from ansible.utils.vars import merge_hash

display = Display()

# Imported here, in the main ansible-playbook process (its strategy loads each task's action
# class there), so that every worker forked for a task starts with requests and the client
# already imported instead of importing them again per task. The client imports even without
# requests; its HAS_REQUESTS then says so, and such tasks run as module processes.
try:
    from ansible_collections.grafana_cloud.platform.plugins.module_utils._client import HAS_REQUESTS
except ImportError:
    HAS_REQUESTS = False

EXECUTION_ENV = "GRAFANA_CLOUD_PLATFORM_EXECUTION"
EXECUTION_VAR = "grafana_cloud_platform_execution"
EXECUTION_INI = ("grafana_cloud_platform", "execution")
EXECUTION_MODES = ("controller", "module")
COLLECTION = "grafana_cloud.platform"
# Our modules declare no METADATA, so ansible-core 2.19+ talks to them with its default
# serialization profile; the in-process run must use the same one.
SERIALIZATION_PROFILE = "legacy"


def configured_mode(task_vars, environ=None, config_file=None):
    """The execution mode asked for (``controller`` or ``module``), and where it came from."""
    environ = os.environ if environ is None else environ
    mode, source = "controller", "the default"
    ini_value = _ini_setting(C.CONFIG_FILE if config_file is None else config_file)
    if ini_value:
        mode, source = ini_value, "[%s] %s in %s" % (EXECUTION_INI[0], EXECUTION_INI[1], config_file or C.CONFIG_FILE)
    if environ.get(EXECUTION_ENV):
        mode, source = environ[EXECUTION_ENV], "the %s environment variable" % EXECUTION_ENV
    if task_vars.get(EXECUTION_VAR):
        mode, source = task_vars[EXECUTION_VAR], "the %s variable" % EXECUTION_VAR
    mode = str(mode).strip().lower()
    if mode not in EXECUTION_MODES:
        raise AnsibleError("%s must be one of %s, got %r from %s."
                           % (EXECUTION_VAR, ", ".join(EXECUTION_MODES), mode, source))
    return mode


def _ini_setting(path):
    """The ``execution`` setting of our section of ansible.cfg, or None."""
    if not path:
        return None
    parser = configparser.ConfigParser(interpolation=None)
    try:
        parser.read(path)
    except configparser.Error:
        return None  # ansible-core itself reports a broken ansible.cfg
    return parser.get(*EXECUTION_INI, fallback=None)


class ApiModuleAction(ActionBase):
    """Run an API module of the collection in-process when the task runs on the controller."""

    _supports_check_mode = True
    _supports_async = True

    def run(self, tmp=None, task_vars=None):
        result = super(ApiModuleAction, self).run(tmp, task_vars)
        del tmp  # tmp no longer has any effect
        task_vars = task_vars or {}

        if self.runs_in_process(task_vars):
            return merge_hash(result, self._run_in_process(task_vars))

        # What ansible.builtin.normal does, unchanged.
        wrap_async = self._task.async_val and not getattr(self._connection, "has_native_async", False)
        result = merge_hash(result, self._execute_module(task_vars=task_vars, wrap_async=wrap_async))
        if not wrap_async:
            self._remove_tmp_path(self._connection._shell.tmpdir)
        return result

    def runs_in_process(self, task_vars):
        """True when the module may run in this worker: the task would run it on the controller."""
        return (
            configured_mode(task_vars) == "controller"
            and self._connection.transport == "local"
            and not self._task.async_val
            and not self._play_context.become
            and self._module_fqcn() is not None
            and HAS_REQUESTS
        )

    def _module_fqcn(self):
        """The module's import name when it is one of ours, else None."""
        resolved = self._task.resolved_action or ""
        namespace, dot, name = resolved.rpartition(".")
        if not dot or namespace != COLLECTION:
            return None
        return "ansible_collections.%s.plugins.modules.%s" % (COLLECTION, name)

    def _run_in_process(self, task_vars):
        # The arguments exactly as _execute_module would send them.
        module_args = dict(self._task.args)
        self._update_module_args(self._task.action, module_args, task_vars)
        environment = {}
        self._compute_environment_string(raw_environment_out=environment)

        display.vvv("Running %s in the controller's worker process (%s=module runs it as a module)"
                    % (self._task.resolved_action, EXECUTION_ENV), host=self._play_context.remote_addr)
        stdout, stderr, rc = run_module_main(self._module_fqcn(), module_args, environment)
        return self._result_from_output(dict(rc=rc, stdout=stdout, stderr=stderr))

    def _result_from_output(self, res):
        """The module's printed result, through the controller's own parsing, as _execute_module returns it."""
        if "profile" in inspect.signature(self._parse_returned_data).parameters:
            parsed = self._parse_returned_data(res, SERIALIZATION_PROFILE)  # ansible-core 2.19+
        else:
            parsed = self._parse_returned_data(res)
        if hasattr(parsed, "as_result_dict"):  # ansible-core 2.21+: a UnifiedTaskResult
            parsed.remove_internal_keys()
            return parsed.as_result_dict(for_round_trip=True)
        from ansible.vars.clean import remove_internal_keys
        parsed.pop("_ansible_suppress_tmpdir_delete", None)
        remove_internal_keys(parsed)
        if "profile" not in inspect.signature(self._parse_returned_data).parameters:
            # ansible-core 2.17/2.18 mark a module's result unsafe to template, so do we.
            from ansible.utils.unsafe_proxy import wrap_var
            parsed = wrap_var(parsed)
        return parsed


def run_module_main(module_name, module_args, environment):
    """Run ``module_name``'s ``main()`` with ``module_args``; return (stdout, stderr, rc).

    What a module process would see is set up here and put back afterwards: the arguments
    in ``ansible.module_utils.basic``, the task's environment in ``os.environ``, the working
    directory, stdout, the module-side warning and deprecation stores, and (2.19+) the
    flag that makes ``module_utils`` act as controller code.
    """
    payload = json.dumps({"ANSIBLE_MODULE_ARGS": module_args}, cls=_args_encoder())
    stdout = io.StringIO()
    stderr = ""
    with _module_process_state(payload.encode("utf-8"), environment):
        try:
            with contextlib.redirect_stdout(stdout):
                try:
                    module = importlib.import_module(module_name)
                    module.main()
                except SystemExit:
                    raise
                except Exception as error:  # pylint: disable=broad-exception-caught
                    stderr = _report_exception(error)
                    raise SystemExit(1)
            rc, stderr = 1, "The module %s did not exit through exit_json or fail_json.\n" % module_name
        except SystemExit as exit_:
            rc = _exit_code(exit_.code)
    return stdout.getvalue(), stderr, rc


def _report_exception(error):
    """What a module process reports of an uncaught exception; returns its stderr.

    ansible-core 2.19+: the AnsiballZ wrapper's handler prints the error as the result;
    before: the traceback goes to stderr (the controller then says "MODULE FAILURE").
    """
    try:
        from ansible.module_utils._internal._ansiballz._loader import _handle_exception
    except ImportError:
        return traceback.format_exc()
    try:
        _handle_exception(error, SERIALIZATION_PROFILE)
    except SystemExit:
        pass
    return ""


def _exit_code(code):
    if code is None:
        return 0
    return code if isinstance(code, int) else 1


def _args_encoder():
    """The JSON encoder the controller sends module arguments with (2.19+ profiles, else plain)."""
    try:
        from ansible.module_utils.common.json import Direction, get_module_encoder
    except ImportError:  # ansible-core 2.17/2.18
        from ansible.module_utils.common.json import AnsibleJSONEncoder
        return AnsibleJSONEncoder
    return get_module_encoder(SERIALIZATION_PROFILE, Direction.CONTROLLER_TO_MODULE)


@contextlib.contextmanager
def _module_process_state(payload, environment):
    try:
        from ansible.module_utils import _internal  # ansible-core 2.19+
    except ImportError:
        _internal = None

    saved_basic = {name: getattr(basic, name) for name in ("_ANSIBLE_ARGS", "_ANSIBLE_PROFILE", "_PARSED_MODULE_ARGS")
                   if hasattr(basic, name)}
    saved_warnings = (module_warnings._global_warnings, module_warnings._global_deprecations)
    saved_controller = getattr(_internal, "is_controller", None) if _internal else None
    saved_environ = dict(os.environ)
    saved_cwd = os.getcwd()
    try:
        basic._ANSIBLE_ARGS = payload
        if "_ANSIBLE_PROFILE" in saved_basic:
            basic._ANSIBLE_PROFILE = SERIALIZATION_PROFILE
        # Fresh stores of the same type (a list up to 2.18, a dict since 2.19), like a new process.
        module_warnings._global_warnings = type(saved_warnings[0])()
        module_warnings._global_deprecations = type(saved_warnings[1])()
        if saved_controller is not None:
            # Warnings and deprecations then go into the result, as a module process returns them,
            # instead of straight to the display.
            _internal.is_controller = False
        os.environ.update({str(key): str(value) for key, value in environment.items()})
        yield
    finally:
        os.environ.clear()
        os.environ.update(saved_environ)
        os.chdir(saved_cwd)
        if saved_controller is not None:
            _internal.is_controller = saved_controller
        module_warnings._global_warnings, module_warnings._global_deprecations = saved_warnings
        for name, value in saved_basic.items():
            setattr(basic, name, value)
        sys.stdout.flush()
