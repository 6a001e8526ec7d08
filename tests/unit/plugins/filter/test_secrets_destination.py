# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""read_secrets_file: what a secrets file written by stack_bootstrap holds, as its re-run reads it."""

import pytest
import yaml
from ansible.errors import AnsibleFilterError
from ansible.parsing.vault import VaultLib, VaultSecret

from ansible_collections.grafana_cloud.platform.plugins.filter.secrets_destination import read_secrets_file

# As roles/stack_bootstrap/templates/credentials.env.j2 writes it (comments, URLs, two tokens,
# the service account's).
ENV_FILE = """\
# Grafana Cloud credentials of stack mystack (us), written by grafana_cloud.platform.
GRAFANA_CLOUD_PROMETHEUS_URL=https://prometheus.example/api/prom
GRAFANA_CLOUD_PROMETHEUS_USER=123
GRAFANA_CLOUD_TOKEN=glc_writer==
GRAFANA_CLOUD_TOKEN_NAME=mystack-writer
# Every access policy token of the stack: GRAFANA_CLOUD_TOKEN_<NAME>, its id and its name.
GRAFANA_CLOUD_TOKEN_MYSTACK_READER=glc_reader=
GRAFANA_CLOUD_TOKEN_MYSTACK_READER_ID=22
GRAFANA_CLOUD_TOKEN_MYSTACK_READER_NAME=mystack-reader
GRAFANA_CLOUD_TOKEN_MYSTACK_WRITER=glc_writer==
GRAFANA_CLOUD_TOKEN_MYSTACK_WRITER_ID=11
GRAFANA_CLOUD_TOKEN_MYSTACK_WRITER_NAME=mystack-writer
GRAFANA_URL=https://mystack.grafana.example
GRAFANA_SA_TOKEN=glsa_automation
GRAFANA_SA_TOKEN_ID=7
"""


def test_an_env_file_holds_each_token_by_name_with_its_id_and_the_service_account_token(tmp_path):
    path = tmp_path / "mystack.env"
    path.write_text(ENV_FILE)
    assert read_secrets_file(str(path)) == {
        "tokens": {"mystack-reader": "glc_reader=", "mystack-writer": "glc_writer=="},
        "token_ids": {"mystack-reader": "22", "mystack-writer": "11"},
        "agents_token": "mystack-writer",
        "service_account_token": {"id": "7", "secret": "glsa_automation"},
    }


def test_a_token_named_without_its_secret_line_is_not_held(tmp_path):
    path = tmp_path / "mystack.env"
    path.write_text("GRAFANA_CLOUD_TOKEN_MYSTACK_READER_NAME=mystack-reader\nGRAFANA_CLOUD_TOKEN_MYSTACK_READER_ID=22\n")
    held = read_secrets_file(str(path))
    assert held["tokens"] == {} and held["token_ids"] == {} and held["service_account_token"] is None


def test_a_missing_file_holds_nothing(tmp_path):
    assert read_secrets_file(str(tmp_path / "missing" / "mystack.env")) == {"tokens": {}, "service_account_token": None}


def test_a_folder_holds_nothing(tmp_path):
    assert read_secrets_file(str(tmp_path)) == {"tokens": {}, "service_account_token": None}


def test_a_vault_file_holds_what_was_written(tmp_path):
    store = {"stack": {"slug": "mystack"}, "tokens": {"mystack-writer": "glc_writer=="},
             "token_ids": {"mystack-writer": 11}, "agents_token": "mystack-writer",
             "service_account_token": {"id": 7, "secret": "glsa_automation"}}
    vault = VaultLib([("prod", VaultSecret(b"s3cret"))])
    path = tmp_path / "mystack.vault.yml"
    path.write_bytes(vault.encrypt(yaml.safe_dump(store), vault_id="prod"))
    assert read_secrets_file(str(path), "s3cret", "prod") == store


def test_a_vault_file_and_a_wrong_secret_say_which_file(tmp_path):
    vault = VaultLib([("default", VaultSecret(b"s3cret"))])
    path = tmp_path / "mystack.vault.yml"
    path.write_bytes(vault.encrypt("tokens: {}\n"))
    with pytest.raises(AnsibleFilterError, match="mystack.vault.yml cannot be decrypted"):
        read_secrets_file(str(path), "wrong")


def test_no_path_is_refused():
    with pytest.raises(AnsibleFilterError, match="read_secrets_file: expected a path"):
        read_secrets_file("")
