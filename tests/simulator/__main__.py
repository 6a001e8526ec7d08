# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""Serve the simulator: ``python -m tests.simulator [--port 0] ...`` from the repo root.

The first lines on stdout are what a shell or a test needs to point clients at it, ready to
paste into a shell (``export KEY=VALUE``)::

    export GRAFANA_CLOUD_API_URL=http://127.0.0.1:<port>/api
    export GRAFANA_CLOUD_ACCESS_POLICY_TOKEN=<admin token>
    export GRAFANA_ONCALL_API_URL=http://127.0.0.1:<port>/oncall
    export GRAFANA_ONCALL_ACCESS_TOKEN=<legacy OnCall API key of the admin>
    export GRAFANA_URL=http://127.0.0.1:<port>/grafana/simstack
    export GRAFANA_INCIDENT_ACCESS_TOKEN=<glsa_ token of an Editor service account of simstack>

With these, every playbook of the README runs against the simulator. ``GRAFANA_URL`` is the
stand-in Grafana of the stack ``simstack``, created at start: it serves the Incident API and
names the stack for OnCall's service-account tokens too. The OnCall token is the legacy key
because a service-account token can't start maintenance mode on the engine (fact N4), which
``guarded_deploy`` does; ``GET /_sim/oncall`` gives the service-account tokens. A
``/_sim/reset`` goes back to the seed, without ``simstack``.

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

#: The stack created at start for the README's IRM playbooks (see the module docstring).
NEWCOMER_STACK = "simstack"


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
    root = f"http://{args.host}:{server.port}"
    sim = app.config["SIMULATOR"]
    incident_token = newcomer_stack(app, f"{root}/grafana/{NEWCOMER_STACK}")
    for key, value in (("GRAFANA_CLOUD_API_URL", f"{root}/api"),
                       ("GRAFANA_CLOUD_ACCESS_POLICY_TOKEN", sim.admin_token),
                       ("GRAFANA_ONCALL_API_URL", f"{root}{ONCALL_PREFIX}"),
                       ("GRAFANA_ONCALL_ACCESS_TOKEN", credentials(sim).admin_key),
                       ("GRAFANA_URL", grafana_url(sim)),
                       ("GRAFANA_INCIDENT_ACCESS_TOKEN", incident_token)):
        print(f"export {key}={value}", flush=True)

    checker = contract_checker(app)
    if checker is not None:
        checker.warm_up()
    stop.wait()
    stop_server(server, thread)
    return 0


def newcomer_stack(app, url: str) -> str:
    """Create the stack ``simstack`` whose stand-in Grafana at ``url`` serves Incident and
    names the stack for OnCall (``GRAFANA_URL``); return the token of an Editor service
    account of it (Incident wants Editor to act). Through the app's own endpoints, as a user
    would, so the state is what the API would hold."""
    client = app.test_client()
    admin = {"Authorization": f"Bearer {app.config['SIMULATOR'].admin_token}", "X-Request-Id": "simulator-start"}

    def call(path: str, body: dict) -> dict:
        response = client.post(path, json=body, headers=admin)
        if response.status_code >= 300:
            raise RuntimeError(f"setting up {NEWCOMER_STACK}: POST {path} answered {response.status_code}")
        return response.get_json()

    call("/_sim/stacks", {"slug": NEWCOMER_STACK, "url": url})
    call("/_sim/config", {"oncall_grafana_url": url})
    accounts = f"/api/instances/{NEWCOMER_STACK}/api/serviceaccounts"
    account = call(accounts, {"name": "incident-editor", "role": "Editor"})
    return call(f"{accounts}/{account['id']}/tokens", {"name": "incident"})["key"]


def stop_on_signals() -> threading.Event:
    """An event SIGTERM and SIGINT set, instead of killing the process mid-request."""
    stop = threading.Event()
    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: stop.set())
    return stop


if __name__ == "__main__":
    raise SystemExit(main())
