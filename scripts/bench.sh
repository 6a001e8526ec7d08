#!/usr/bin/env bash
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# `make bench`: the benchmarks in tests/bench/, against the simulator, with the collection
# laid out under build/. Each prints its figures and writes them to tests/bench/results/.
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

gcp_pick_python
gcp_venv
gcp_layout
export ANSIBLE_COLLECTIONS_PATH=$GCP_COLLECTIONS
cd "$GCP_ROOT"
for bench in tests/bench/bench_*.py; do
    module=${bench%.py}
    gcp_say "benchmark ${module//\//.}"
    "$GCP_VENV/bin/python" -m "${module//\//.}"
done
