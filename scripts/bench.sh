#!/usr/bin/env bash
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# `make bench`: tests/bench/bench_compare.py against the simulator, with the collection laid
# out under build/. It needs grafana.grafana (a bench-only dependency, from PyPI's ansible
# package), so it runs from a venv of its own: GCP_BENCH_VENV (default build/venv-bench),
# created from tests/bench/requirements.txt when it lacks grafana.grafana. Nothing else is
# downloaded. Knobs: BENCH_RUNS (default 5), BENCH_LATENCY (seconds, default 0.1), BENCH_BUDGET
# (seconds, default 540), BENCH_GROUPS (default "bootstrap subset per_task fleet scale").
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

gcp_pick_python
BENCH_VENV=${GCP_BENCH_VENV:-$GCP_ROOT/build/venv-bench}
has_bench_tools() {
    "$BENCH_VENV/bin/python" -c 'import flask, requests, ansible.release' 2>/dev/null \
        && compgen -G "$BENCH_VENV/lib/python*/site-packages/ansible_collections/grafana/grafana/plugins/modules/cloud_stack.py" >/dev/null
}
if ! has_bench_tools; then
    gcp_say "creating $BENCH_VENV (ansible with grafana.grafana, from PyPI)"
    mkdir -p "$GCP_LOGS"
    rm -rf "$BENCH_VENV"
    gcp_quiet "$GCP_LOGS/bench-venv.log" "$GCP_PY" -m venv "$BENCH_VENV"
    gcp_quiet "$GCP_LOGS/bench-pip.log" "$BENCH_VENV/bin/python" -m pip install \
        -r "$GCP_ROOT/tests/bench/requirements.txt"
fi
# gcp_layout leaves GCP_VENV out of the copy.
export GCP_VENV=$BENCH_VENV PATH=$BENCH_VENV/bin:$PATH
gcp_layout
export ANSIBLE_COLLECTIONS_PATH=$GCP_COLLECTIONS
cd "$GCP_ROOT"
gcp_say "benchmark tests.bench.bench_compare"
"$BENCH_VENV/bin/python" -m tests.bench.bench_compare
