# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Serving an app on a background thread: shared by the CLI and ``testing.py``."""

from __future__ import annotations

import threading

from flask import Flask
from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server


class QuietRequestHandler(WSGIRequestHandler):
    """No access log lines (werkzeug writes them to stderr)."""

    def log_request(self, *args, **kwargs):
        pass


def start_server(app: Flask, host: str = "127.0.0.1", port: int = 0, *,
                 quiet: bool = False) -> tuple[BaseWSGIServer, threading.Thread]:
    """A threaded werkzeug server for ``app``, already serving; port 0 picks a free port
    (read it back from ``server.port``)."""
    handler = QuietRequestHandler if quiet else WSGIRequestHandler
    server = make_server(host, port, app, threaded=True, request_handler=handler)
    # A short poll interval: shutdown waits for the next poll, and tests stop servers often.
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05},
                              name="simulator-server", daemon=True)
    thread.start()
    return server, thread


def stop_server(server: BaseWSGIServer, thread: threading.Thread) -> None:
    server.shutdown()
    thread.join()
    server.server_close()
