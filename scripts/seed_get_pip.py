# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Put scripts/get_pip_offline.py where ansible-test looks for its cached get-pip.py.

Run with the virtualenv's python (the one ansible-test is installed in). ansible-test (see
ansible_test/_util/target/setup/requirements.py, bootstrap()) uses
~/.ansible/test/cache/get_pip_<pip version with dots as underscores>.py when it exists and
downloads it otherwise; the pip version comes from get_venv_packages() and changes between
ansible-core releases, so it is asked for here rather than written down.

A cached file that is not ours (a real get-pip.py someone downloaded) is left alone.
"""

import os
import pprint
import sys
import types

from ansible_test._internal.python_requirements import get_venv_packages

# pip settings from the environment of `make test`, re-applied inside ansible-test's pip runs.
PASSED_SETTINGS = ('cert', 'client-cert', 'index-url', 'extra-index-url', 'find-links', 'trusted-host',
                   'default-timeout', 'retries', 'proxy')
SYSTEM_CA_BUNDLE = '/etc/ssl/certs/ca-certificates.crt'


def main():
    template_path = os.path.join(os.path.dirname(os.path.abspath(__file__)), 'get_pip_offline.py')
    with open(template_path, encoding='utf-8') as template_file:
        template = template_file.read()

    settings = {}
    for key in PASSED_SETTINGS:
        value = os.environ.get('PIP_' + key.upper().replace('-', '_'))
        if value:
            settings[key] = value
    if 'cert' not in settings and os.path.exists(SYSTEM_CA_BUNDLE):
        settings['cert'] = SYSTEM_CA_BUNDLE

    placeholder = 'PIP_SETTINGS = {}\n'
    if placeholder not in template:
        sys.exit('%s: placeholder %r not found' % (template_path, placeholder))
    script = template.replace(placeholder, 'PIP_SETTINGS = %s\n' % pprint.pformat(settings))

    python_version = '%d.%d' % sys.version_info[:2]
    pip_version = get_venv_packages(types.SimpleNamespace(version=python_version))['pip']
    cache_path = os.path.expanduser('~/.ansible/test/cache/get_pip_%s.py' % pip_version.replace('.', '_'))

    if os.path.exists(cache_path):
        with open(cache_path, encoding='utf-8', errors='replace') as cached:
            if 'grafana_cloud.platform offline get-pip' not in cached.read():
                print('keeping the get-pip.py already cached at %s' % cache_path)
                return

    os.makedirs(os.path.dirname(cache_path), exist_ok=True)
    with open(cache_path + '.tmp', 'w', encoding='utf-8') as out:
        out.write(script)
    os.replace(cache_path + '.tmp', cache_path)
    print('seeded %s (pip %s bootstrap via ensurepip)' % (cache_path, pip_version))


if __name__ == '__main__':
    main()
