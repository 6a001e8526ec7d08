"""Every integration target under ``targets/`` as one test (``setup_*`` roles are helpers)."""

from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent
TARGETS = HERE / "targets"

TARGET_NAMES = sorted(
    path.name for path in TARGETS.iterdir()
    if path.is_dir() and not path.name.startswith("setup_") and (path / "tasks" / "main.yml").is_file()
)


@pytest.mark.parametrize("target", TARGET_NAMES)
def test_target(target, ansible_playbook):
    run = ansible_playbook(HERE / "target.yml", "-e", "target=%s" % target, "--diff")
    if run.returncode != 0:
        pytest.fail("ansible-playbook exited %d:\n%s" % (run.returncode, run.output[-12000:]), pytrace=False)
