# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Stand-in for get-pip.py that needs no download of its own.

ansible-test bootstraps pip into each sanity-test virtualenv by running a get-pip.py script it
downloads from a host this project's machines cannot reach, unless the script is already in
its cache (~/.ansible/test/cache/get_pip_<version>.py). scripts/seed_get_pip.py writes this
file there. It takes the same arguments as the real get-pip.py (pip install arguments, plus
--no-setuptools / --no-wheel), installs the pip that ships inside Python (ensurepip, offline),
then uses it to install the requested pip from the package index.

ansible-test runs it with a stripped environment (no PIP_CERT, PIP_INDEX_URL, ...), so the pip
settings seen by `make test` are baked in below, and written to the virtualenv's own pip.conf
so the later `pip install` runs of ansible-test in that virtualenv use them too.
"""

import os
import subprocess
import sys

MARKER = 'grafana_cloud.platform offline get-pip'  # seed_get_pip.py only replaces files with this

# Filled in by scripts/seed_get_pip.py: pip.conf [global] keys and values.
PIP_SETTINGS = {}


def main():
    args = sys.argv[1:]
    with_setuptools = '--no-setuptools' not in args and not os.environ.get('PIP_NO_SETUPTOOLS')
    with_wheel = '--no-wheel' not in args and not os.environ.get('PIP_NO_WHEEL')
    args = [arg for arg in args if arg not in ('--no-setuptools', '--no-wheel')]

    # quiet = 2: pip reports errors only (ansible-test already says what it installs).
    settings = dict(PIP_SETTINGS, quiet='2')
    env = dict(os.environ)
    for key, value in settings.items():
        env['PIP_' + key.upper().replace('-', '_')] = value

    if sys.prefix != sys.base_prefix:
        # In a virtualenv, <prefix>/pip.conf is pip's "site" configuration.
        with open(os.path.join(sys.prefix, 'pip.conf'), 'w', encoding='utf-8') as conf:
            conf.write('[global]\n')
            for key, value in sorted(settings.items()):
                conf.write('%s = %s\n' % (key, value))

    subprocess.check_call([sys.executable, '-m', 'ensurepip', '--upgrade', '--default-pip'], env=env,
                          stdout=subprocess.DEVNULL)

    # Like get-pip.py: pip itself (the version the caller pinned, if it did), and setuptools and
    # wheel on the Pythons that used to get them unless told not to.
    packages = []
    if not any(arg.split('=')[0].split('<')[0].split('>')[0].strip().lower() == 'pip' for arg in args):
        packages.append('pip')
    if with_setuptools and sys.version_info < (3, 12):
        packages.append('setuptools')
    if with_wheel and sys.version_info < (3, 12):
        packages.append('wheel')

    command = [sys.executable, '-m', 'pip', 'install', '--upgrade', '--force-reinstall'] + args + packages
    sys.exit(subprocess.call(command, env=env))


if __name__ == '__main__':
    main()
