#!/usr/bin/env bash
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# `make demo`: the stack playbooks against the Grafana Cloud simulator, on this machine only.
#
# Starts the simulator (tests/simulator) on a free loopback port, points the collection at it
# through GRAFANA_CLOUD_API_URL / GRAFANA_CLOUD_ACCESS_POLICY_TOKEN, runs the demo steps
# (bootstrap a stack from playbooks/vars/simulator.yml, bootstrap it again, push metrics to its
# gateway with the delivered credentials, audit the tokens,
# tear the stack down; then OnCall as code from playbooks/vars/oncall_simulator.yml, twice,
# with who is on call now), and always stops the simulator. No token or secret is printed.
#
# Environment: see scripts/lib.sh (GCP_PYTHON, GCP_VENV, GCP_ANSIBLE_CORE), and
#   DEMO_VARS   the vars file describing the stack (default: playbooks/vars/simulator.yml)
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

VARS=${DEMO_VARS:-playbooks/vars/simulator.yml}
ONCALL_VARS=${DEMO_ONCALL_VARS:-playbooks/vars/oncall_simulator.yml}

# Only the implicit localhost is used: its "no inventory" warnings say nothing useful here.
export ANSIBLE_LOCALHOST_WARNING=False ANSIBLE_INVENTORY_UNPARSED_WARNING=False
# Results as YAML, lines unbroken: the tables and summaries the playbooks print read as text.
export ANSIBLE_CALLBACK_RESULT_FORMAT=yaml ANSIBLE_CALLBACK_YAML_LINE_WIDTH=no-break
# Steps that do not apply (check-mode predictions, a file left as it is) are noise here.
export ANSIBLE_DISPLAY_SKIPPED_HOSTS=false

# The demo, in order: "title|playbook|expect|arguments". expect is "unchanged" when the run
# must report changed=0 on every host (the proof of idempotence), or empty.
STEPS=(
    "bootstrap the stack: stack, plugins, policies, tokens, service account, credentials file|playbooks/bootstrap_stack.yml||-e @$VARS"
    "bootstrap again: nothing left to do, secrets not re-issued|playbooks/bootstrap_stack.yml|unchanged|-e @$VARS"
    "push metrics with the delivered credentials (build/demo/grafana-cloud.env)|@push||build/demo/grafana-cloud.env"
    "audit the tokens of the region|playbooks/audit_tokens.yml||-e audit_tokens_region=us"
    "tear the stack down, lifting its delete protection|playbooks/teardown_stack.yml||-e @$VARS -e stack_teardown_lift_delete_protection=true"
    "OnCall as code: shifts, schedules, escalation chains, integrations, routes, webhooks; who is on call now|playbooks/bootstrap_oncall.yml||-e @$ONCALL_VARS"
    "OnCall again: nothing left to do, who is on call now|playbooks/bootstrap_oncall.yml|unchanged|-e @$ONCALL_VARS"
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

# Its first six lines are "export KEY=VALUE": the Grafana Cloud API URL and admin token, the
# OnCall API URL and token, the Grafana URL of the stack simstack and its Incident token.
for _ in 1 2 3 4 5 6; do
    if ! IFS= read -r -t 30 -u "$SIM_OUT" line; then
        tail -n 20 "$SIM_LOG" >&2 || true
        gcp_die "the simulator did not print its URL and token within 30 s"
    fi
    line=${line#export }
    case $line in
        GRAFANA_CLOUD_API_URL=* | GRAFANA_CLOUD_ACCESS_POLICY_TOKEN=*) export "${line?}" ;;
        GRAFANA_ONCALL_API_URL=* | GRAFANA_ONCALL_ACCESS_TOKEN=* | GRAFANA_URL=*) export "${line?}" ;;
        GRAFANA_INCIDENT_ACCESS_TOKEN=*) export "${line?}" ;;
        *) gcp_die "unexpected line from the simulator: ${line%%=*}=..." ;;
    esac
done
[[ -n ${GRAFANA_CLOUD_API_URL:-} && -n ${GRAFANA_CLOUD_ACCESS_POLICY_TOKEN:-} ]] ||
    gcp_die "the simulator did not give both GRAFANA_CLOUD_API_URL and GRAFANA_CLOUD_ACCESS_POLICY_TOKEN"
[[ -n ${GRAFANA_ONCALL_API_URL:-} && -n ${GRAFANA_ONCALL_ACCESS_TOKEN:-} && -n ${GRAFANA_URL:-} ]] ||
    gcp_die "the simulator did not give GRAFANA_ONCALL_API_URL, GRAFANA_ONCALL_ACCESS_TOKEN and GRAFANA_URL"
gcp_say "simulator up at $GRAFANA_CLOUD_API_URL (pid $SIMULATOR_PID)"

# The credentials file of the example vars goes here (build/demo under the current directory).
mkdir -p "$GCP_BUILD/demo"
rm -f "$GCP_BUILD/demo/grafana-cloud.env"

# A remote-write push to the stack's Prometheus gateway (served by the simulator under
# /gateways/<host>), authenticated as an agent would be: the user id and token of the file.
# Prints the status, never the token; fails unless the gateway accepts the push.
push_with_delivered_credentials() {
    "$GCP_VENV_PY" - "$1" "${GRAFANA_CLOUD_API_URL%/api}" <<'PY'
import sys
import requests
sys.path.insert(0, ".")
from tests.simulator.testing import gateway_url
values = dict(line.split("=", 1) for line in open(sys.argv[1]).read().splitlines() if line and not line.startswith("#"))
url = values["GRAFANA_CLOUD_PROMETHEUS_URL"] + "/api/prom/push"
answer = requests.post(gateway_url(sys.argv[2], url), data=b"demo", timeout=10,
                       auth=(values["GRAFANA_CLOUD_PROMETHEUS_USER"], values["GRAFANA_CLOUD_TOKEN"]))
print("    POST %s as user %s: HTTP %d" % (url, values["GRAFANA_CLOUD_PROMETHEUS_USER"], answer.status_code))
sys.exit(0 if answer.status_code == 204 else 1)
PY
}

n=0
for step in "${STEPS[@]}"; do
    IFS='|' read -r title playbook expect arguments <<<"$step"
    n=$((n + 1))
    printf '\n==> step %d/%d: %s\n' "$n" "${#STEPS[@]}" "$title"
    out=$GCP_LOGS/demo-step-$n.log
    if [[ $playbook == @push ]]; then
        push_with_delivered_credentials "$arguments" || gcp_die "step $n: the gateway refused the delivered credentials"
        gcp_say "step $n: the push with the delivered credentials was accepted"
        continue
    fi
    printf '    ansible-playbook %s %s\n' "$playbook" "$arguments"
    # tee: the user watches the run; the copy lets us read the recap afterwards.
    # shellcheck disable=SC2086 # the arguments are words, split on purpose
    ansible-playbook "$playbook" $arguments 2>&1 | tee "$out"
    if [[ $expect == unchanged ]]; then
        # Every "changed=N" in the PLAY RECAP must be 0.
        if grep -E '^\S.*\bok=[0-9]+ +changed=[0-9]+' "$out" | grep -qvE '\bchanged=0\b'; then
            gcp_die "step $n was expected to change nothing, but the recap says otherwise"
        fi
        gcp_say "step $n changed nothing, as expected"
    fi
done
gcp_say "demo finished"
