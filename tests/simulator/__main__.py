# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Serve the simulator: ``python -m tests.simulator [--port 0] ...`` from the repo root.

The first lines on stdout are what a shell or a test needs to point clients at it::

    GRAFANA_CLOUD_API_URL=http://127.0.0.1:<port>/api
    GRAFANA_CLOUD_ACCESS_POLICY_TOKEN=<admin token>
    GRAFANA_ONCALL_API_URL=http://127.0.0.1:<port>/oncall
    GRAFANA_ONCALL_ACCESS_TOKEN=<glsa_ service-account token with every OnCall permission>
    GRAFANA_URL=<the stack URL that token belongs to, for X-Grafana-URL>

(``GET /_sim/oncall`` also gives the legacy OnCall keys.)

Nothing else goes to stdout (access logs go to stderr, or nowhere with ``--quiet``). It
serves until SIGTERM or SIGINT, then shuts down cleanly with exit status 0.
"""

from __future__ import annotations

import argparse
import signal
import sys
import threading

from .app import contract_checker, create_app
from .contract import SPEC_ENV
from .oncall import ONCALL_PREFIX
from .oncall.store import credentials, grafana_url
from .serving import start_server, stop_server


def parse_args(argv=None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m tests.simulator", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=0, help="0 picks a free port")
    parser.add_argument("--admin-token", help="default: a random glc_ token")
    parser.add_argument("--org-slug", default="simorg")
    parser.add_argument("--org-id", type=int, default=1000)
    parser.add_argument("--spec", help=f"OpenAPI spec for contract mode (default: ${SPEC_ENV})")
    parser.add_argument("--quiet", action="store_true", help="no access log on stderr")
    parser.add_argument("--latency", type=float, default=0.0,
                        help="seconds added to every /api request (config key latency)")
    return parser.parse_args(argv)


def main(argv=None) -> int:
    args = parse_args(argv)
    # Before the URL is printed: a client may signal us as soon as it has read it.
    stop = stop_on_signals()
    try:
        app = create_app(admin_token=args.admin_token, org_slug=args.org_slug,
                         org_id=args.org_id, contract_spec=args.spec, latency=args.latency)
    except FileNotFoundError as exc:
        print(f"simulator: {exc}", file=sys.stderr)
        return 2
    server, thread = start_server(app, args.host, args.port, quiet=args.quiet)
    print(f"GRAFANA_CLOUD_API_URL=http://{args.host}:{server.port}/api", flush=True)
    print(f"GRAFANA_CLOUD_ACCESS_POLICY_TOKEN={app.config['SIMULATOR'].admin_token}", flush=True)
    print(f"GRAFANA_ONCALL_API_URL=http://{args.host}:{server.port}{ONCALL_PREFIX}", flush=True)
    print(f"GRAFANA_ONCALL_ACCESS_TOKEN={credentials(app.config['SIMULATOR']).service_account}", flush=True)
    print(f"GRAFANA_URL={grafana_url(app.config['SIMULATOR'])}", flush=True)

    checker = contract_checker(app)
    if checker is not None:
        checker.warm_up()
    stop.wait()
    stop_server(server, thread)
    return 0


def stop_on_signals() -> threading.Event:
    """An event SIGTERM and SIGINT set, instead of killing the process mid-request."""
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    return stop


if __name__ == "__main__":
    raise SystemExit(main())
