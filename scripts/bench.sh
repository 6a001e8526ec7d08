#!/usr/bin/env bash
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
