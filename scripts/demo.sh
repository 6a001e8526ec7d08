#!/usr/bin/env bash
# `make demo`: the main playbook against the Grafana Cloud simulator, on this machine only.
#
# Starts the simulator (tests/simulator) on a free loopback port, points the collection at it
# through GRAFANA_CLOUD_API_URL / GRAFANA_CLOUD_ACCESS_POLICY_TOKEN, runs the demo steps, and
# always stops the simulator. The admin token is never printed.
#
# Environment: see scripts/lib.sh (GCP_PYTHON, GCP_VENV, GCP_ANSIBLE_CORE), and
#   DEMO_PLAYBOOK   the playbook to run (default: playbooks/demo.yml)
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

PLAYBOOK=${DEMO_PLAYBOOK:-playbooks/demo.yml}

# Only the implicit localhost is used: its "no inventory" warnings say nothing useful here.
export ANSIBLE_LOCALHOST_WARNING=False ANSIBLE_INVENTORY_UNPARSED_WARNING=False

# The demo, in order: "title|playbook|expect". expect is "unchanged" when the run must report
# changed=0 on every host (the proof of idempotence), or empty. Add steps here as the
# playbooks arrive (bootstrap -> rerun -> audit -> teardown).
STEPS=(
    "first run: create what the playbook describes|$PLAYBOOK|"
    "second run: nothing left to do|$PLAYBOOK|unchanged"
)

gcp_pick_python
gcp_venv
gcp_layout
cd "$GCP_ROOT"

SIM_LOG=$GCP_LOGS/simulator.log
SIMULATOR_PID=

stop_simulator() {
    [[ -n $SIMULATOR_PID ]] || return 0
    # SIGTERM lets it shut down cleanly; SIGKILL if it has not gone after 5 s.
    kill -TERM "$SIMULATOR_PID" 2>/dev/null || true
    for _ in {1..50}; do
        kill -0 "$SIMULATOR_PID" 2>/dev/null || break
        sleep 0.1
    done
    kill -KILL "$SIMULATOR_PID" 2>/dev/null || true
    wait "$SIMULATOR_PID" 2>/dev/null || true
    SIMULATOR_PID=
    gcp_say "simulator stopped (its log: ${SIM_LOG#"$GCP_ROOT"/})"
}
trap stop_simulator EXIT

# Contract mode, as in `make test`: every request and response checked against the spec.
SPEC=$GCP_ROOT/../shared/reference/gcom-openapi.json
if [[ -f $SPEC ]]; then
    GCOM_OPENAPI_SPEC=$(cd "$(dirname "$SPEC")" && pwd)/$(basename "$SPEC")
    export GCOM_OPENAPI_SPEC
fi

# A coprocess: its stdout comes to us through a pipe, so the token is read, never shown.
# Its stderr (access log) goes to a file rather than into the playbook output.
coproc SIM { exec "$GCP_VENV_PY" -m tests.simulator --host 127.0.0.1 --port 0 2>"$SIM_LOG"; }
# Copied: bash unsets SIM and SIM_PID by itself once the coprocess has ended.
SIMULATOR_PID=$SIM_PID
SIM_OUT=${SIM[0]}

# Its first two lines are KEY=VALUE for the API URL and the admin token.
for _ in 1 2; do
    if ! IFS= read -r -t 30 -u "$SIM_OUT" line; then
        tail -n 20 "$SIM_LOG" >&2 || true
        gcp_die "the simulator did not print its URL and token within 30 s"
    fi
    case $line in
        GRAFANA_CLOUD_API_URL=* | GRAFANA_CLOUD_ACCESS_POLICY_TOKEN=*) export "${line?}" ;;
        *) gcp_die "unexpected line from the simulator: ${line%%=*}=..." ;;
    esac
done
[[ -n ${GRAFANA_CLOUD_API_URL:-} && -n ${GRAFANA_CLOUD_ACCESS_POLICY_TOKEN:-} ]] ||
    gcp_die "the simulator did not give both GRAFANA_CLOUD_API_URL and GRAFANA_CLOUD_ACCESS_POLICY_TOKEN"
gcp_say "simulator up at $GRAFANA_CLOUD_API_URL (pid $SIMULATOR_PID)"

n=0
for step in "${STEPS[@]}"; do
    IFS='|' read -r title playbook expect <<<"$step"
    n=$((n + 1))
    printf '\n==> step %d/%d: %s (ansible-playbook %s)\n' "$n" "${#STEPS[@]}" "$title" "$playbook"
    out=$GCP_LOGS/demo-step-$n.log
    # tee: the user watches the run; the copy lets us read the recap afterwards.
    ansible-playbook "$playbook" 2>&1 | tee "$out"
    if [[ $expect == unchanged ]]; then
        # Every "changed=N" in the PLAY RECAP must be 0.
        if grep -E '^\S.*\bok=[0-9]+ +changed=[0-9]+' "$out" | grep -qvE '\bchanged=0\b'; then
            gcp_die "step $n was expected to change nothing, but the recap says otherwise"
        fi
        gcp_say "step $n changed nothing, as expected"
    fi
done
gcp_say "demo finished"
