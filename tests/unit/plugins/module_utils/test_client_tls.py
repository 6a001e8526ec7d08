# -*- coding: utf-8 -*-
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later

"""validate_certs against a real HTTPS server on 127.0.0.1 with a self-signed certificate.

``requests`` lets REQUESTS_CA_BUNDLE and CURL_CA_BUNDLE override a session-level ``verify``;
CI machines often set them. ``validate_certs: false`` must still mean "do not verify", and
verification must stay on by default.
"""

import datetime
import http.server
import ipaddress
import json
import shutil
import ssl
import subprocess
import threading

import pytest

from ansible_collections.grafana_cloud.platform.plugins.module_utils._client import (
    GrafanaCloudAPIError,
    GrafanaCloudClient,
)

try:
    from cryptography import x509
    from cryptography.hazmat.primitives import hashes, serialization
    from cryptography.hazmat.primitives.asymmetric import ec
    from cryptography.x509.oid import NameOID

    HAS_CRYPTOGRAPHY = True
except ImportError:
    HAS_CRYPTOGRAPHY = False

TOKEN = "glc_dGxzLXRlc3QtdG9rZW4"
CA_BUNDLE_VARIABLES = ("REQUESTS_CA_BUNDLE", "CURL_CA_BUNDLE")

pytestmark = pytest.mark.filterwarnings("ignore:Unverified HTTPS request")


def self_signed(folder, stem, common_name):
    """Write ``<stem>.key`` and a self-signed ``<stem>.pem`` valid for 127.0.0.1; return their paths."""
    key_path, cert_path = folder / (stem + ".key"), folder / (stem + ".pem")
    if HAS_CRYPTOGRAPHY:
        key_pem, cert_pem = self_signed_with_cryptography(common_name)
        key_path.write_bytes(key_pem)
        cert_path.write_bytes(cert_pem)
    elif shutil.which("openssl"):
        subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
                        "-nodes", "-days", "1", "-subj", "/CN=" + common_name,
                        "-addext", "subjectAltName=IP:127.0.0.1",
                        "-keyout", str(key_path), "-out", str(cert_path)],
                       check=True, capture_output=True)
    else:
        pytest.fail("making a test certificate needs the cryptography package or the openssl binary")
    return key_path, cert_path


def self_signed_with_cryptography(common_name):
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, common_name)])
    now = datetime.datetime.now(datetime.timezone.utc)
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name).issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    key_pem = key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption())
    return key_pem, certificate.public_bytes(serialization.Encoding.PEM)


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        body = json.dumps({"items": [{"slug": "us"}]}).encode()
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def https_server(tmp_path_factory):
    """(base URL, path of the server's certificate, path of an unrelated CA bundle)."""
    folder = tmp_path_factory.mktemp("tls")
    key_path, cert_path = self_signed(folder, "server", "grafana-cloud-test-server")
    other_ca = self_signed(folder, "other-ca", "some-other-ca")[1]
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(str(cert_path), str(key_path))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield "https://127.0.0.1:%d/api" % server.server_address[1], cert_path, other_ca
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture
def no_ca_variables(monkeypatch):
    for variable in CA_BUNDLE_VARIABLES:
        monkeypatch.delenv(variable, raising=False)
    return monkeypatch


@pytest.mark.parametrize("variable", CA_BUNDLE_VARIABLES)
def test_validate_certs_false_wins_over_a_ca_bundle_variable(https_server, no_ca_variables, sleeper, variable):
    url, _server_cert, other_ca = https_server
    no_ca_variables.setenv(variable, str(other_ca))
    client = GrafanaCloudClient(url, TOKEN, validate_certs=False, sleep=sleeper)

    assert client.get("/stack-regions") == {"items": [{"slug": "us"}]}


def test_certificates_are_verified_by_default(https_server, no_ca_variables, sleeper):
    url = https_server[0]
    client = GrafanaCloudClient(url, TOKEN, sleep=sleeper)

    with pytest.raises(GrafanaCloudAPIError) as raised:
        client.get("/stack-regions")

    assert "TLS error" in str(raised.value) and "CERTIFICATE_VERIFY_FAILED" in str(raised.value)
    # A certificate problem is not transient: never retried.
    assert client.retries == [] and sleeper.waits == []


def test_a_ca_bundle_variable_still_serves_verification(https_server, no_ca_variables, sleeper):
    """With validate_certs on, REQUESTS_CA_BUNDLE keeps its meaning: trust that bundle."""
    url, server_cert, _other_ca = https_server
    no_ca_variables.setenv("REQUESTS_CA_BUNDLE", str(server_cert))
    client = GrafanaCloudClient(url, TOKEN, sleep=sleeper)

    assert client.get("/stack-regions") == {"items": [{"slug": "us"}]}


def test_verification_fails_with_an_unrelated_ca_bundle(https_server, no_ca_variables, sleeper):
    url, _server_cert, other_ca = https_server
    no_ca_variables.setenv("CURL_CA_BUNDLE", str(other_ca))
    client = GrafanaCloudClient(url, TOKEN, validate_certs=True, sleep=sleeper)

    with pytest.raises(GrafanaCloudAPIError, match="CERTIFICATE_VERIFY_FAILED"):
        client.get("/stack-regions")
