#!/usr/bin/env bash
# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
#
# The test pipeline: `make test` (all stages) or `scripts/test.sh STAGE...`.
#
# Stages:
#   sanity              ansible-test sanity (every test on every local Python; no ignore file)
#   unit                pytest tests/unit
#   integration         ansible-test integration: every target against the simulator, newest core
#   integration-oldest  the same on the oldest supported ansible-core (2.17, Python 3.11)
#   playbooks           pytest tests/playbooks: roles and playbooks against the simulator
#   ansible-lint        ansible-lint over the whole collection (production profile, .ansible-lint)
#   galaxy-importer     the built collection through Galaxy's importer: no warning allowed
#   docs                antsibull-docs lint-collection-docs
#   changelog           antsibull-changelog lint
# Each runs even when an earlier one failed. Every sanity test, unit test, integration target
# and playbook test counts as one test (junit files under build/junit); the other stages count
# as one each. The last line printed is "N passed, M failed"; the exit code is non-zero when
# anything failed.
#
# Environment: see scripts/lib.sh (GCP_PYTHON, GCP_VENV, GCP_ANSIBLE_CORE, GCP_OLDEST_*), and
#   GCP_STAGE_TIMEOUT  seconds one stage command may take before it is stopped (default 1200;
#                      2400 for the integration and playbooks stages, whose runs grow with every test)
#   GCP_SANITY_PYTHON  X.Y: run ansible-test's per-version sanity tests on that version only
#   GCP_TARGETS        integration targets to run (space-separated; default: all)
#   GCP_JOBS           how many stages run side by side (default 2 on 2 cores or more, else 1);
#                      each lane works in a collection copy of its own
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ALL_STAGES=(sanity unit integration integration-oldest playbooks ansible-lint galaxy-importer docs changelog)
STAGES=("$@")
[[ ${#STAGES[@]} -gt 0 ]] || STAGES=("${ALL_STAGES[@]}")
for stage in "${STAGES[@]}"; do
    [[ " ${ALL_STAGES[*]} " == *" $stage "* ]] || gcp_die "unknown stage '$stage' (stages: ${ALL_STAGES[*]})"
done

STARTED=$SECONDS
gcp_pick_python
gcp_venv
gcp_layout
JUNIT_DIR=$GCP_BUILD/junit
rm -rf "$JUNIT_DIR"
mkdir -p "$JUNIT_DIR"

# Contract mode: the simulator validates every request and response against the official
# OpenAPI spec of the Grafana Cloud API. GCOM_OPENAPI_SPEC names a copy of it; otherwise the
# shared reference folder next to the repo is used when it is there. Without either, it is off.
SPEC=${GCOM_OPENAPI_SPEC:-$GCP_ROOT/../shared/reference/gcom-openapi.json}
if [[ -f $SPEC ]]; then
    GCOM_OPENAPI_SPEC=$(cd "$(dirname "$SPEC")" && pwd)/$(basename "$SPEC")
    export GCOM_OPENAPI_SPEC
    gcp_say "contract mode: on, GCOM_OPENAPI_SPEC=$GCOM_OPENAPI_SPEC"
    # The org API keys left the current spec: the simulator checks them against the older one,
    # found beside it (or at $GCOM_OPENAPI_LEGACY_SPEC).
    [[ -f $(dirname "$GCOM_OPENAPI_SPEC")/gcom-openapi-2025-12-03.json || -n ${GCOM_OPENAPI_LEGACY_SPEC:-} ]] ||
        gcp_say "contract mode: the older spec is missing: org API-key operations are not validated"
elif [[ -n ${GCOM_OPENAPI_SPEC:-} ]]; then
    gcp_die "GCOM_OPENAPI_SPEC=$GCOM_OPENAPI_SPEC: no such file"
else
    unset GCOM_OPENAPI_SPEC
    gcp_say "contract mode: off (set GCOM_OPENAPI_SPEC to a copy of the Grafana Cloud API's OpenAPI spec to turn it on)"
fi

COLOR=no
[[ -t 1 && -z ${CI:-} ]] && COLOR=yes

# A hung stage must not eat the CI budget. --foreground keeps Ctrl-C working interactively.
with_timeout() { timeout --foreground --kill-after=30 "${GCP_STAGE_TIMEOUT:-1200}" "$@"; }

fmt_time() { printf '%dm%02ds' $(($1 / 60)) $(($1 % 60)); }

# ---------------------------------------------------------------------------------------------
# Stages. Each is a function run in a subshell (so `cd` and `set -e` stay local). A plain stage
# passes when it returns 0. A pytest stage writes $JUNIT_DIR/<stage>.xml, which is counted.

stage_sanity() {
    # No ignore files: every finding is fixed in the code, not waived.
    local ignores
    ignores=$(cd "$GCP_COLLECTION_DIR" && ls tests/sanity/ignore-*.txt 2>/dev/null || true)
    if [[ -n $ignores ]]; then
        echo "sanity ignore files are not allowed here: $ignores"
        return 1
    fi
    # ansible-test bootstraps pip into its per-test virtualenvs with a get-pip.py that it
    # would download from a host we cannot reach; give it an offline one in its cache.
    "$GCP_VENV_PY" "$GCP_ROOT/scripts/seed_get_pip.py"
    # Every Python version installed here, so compile and import run on each version the
    # modules may meet on a target; versions not found are skipped with a warning.
    # The venv comes first: its python is the controller ansible-test runs under.
    PATH=$GCP_VENV/bin:$(gcp_python_links):$PATH
    cd "$GCP_COLLECTION_DIR"
    rm -rf tests/output/junit
    # No --python: all versions above (GCP_SANITY_PYTHON=X.Y limits the run to one).
    # No --requirements: the venv already holds what ansible-test itself needs; each sanity
    # test installs its own tools (pylint, yamllint, voluptuous, ...) into a virtualenv of its
    # own, through the get-pip seeded above.
    # --junit: one result file per test (passed, skipped or failed), counted by run_stage.
    local rc
    set +e
    with_timeout ansible-test sanity --color "$COLOR" --junit ${GCP_SANITY_PYTHON:+--python "$GCP_SANITY_PYTHON"} 2>&1 |
        "$GCP_VENV_PY" "$GCP_ROOT/scripts/ansible_test_progress.py" sanity "$GCP_LOGS/sanity.log" /dev/null
    rc=${PIPESTATUS[0]}
    set -e
    echo "full output: ${GCP_LOGS#"$GCP_ROOT"/}/sanity.log"
    merge_junit "$JUNIT_DIR/sanity.xml" tests/output/junit/*.xml
    return "$rc"
}

run_pytest() {
    local name=$1 dir=$2
    shift 2
    cd "$GCP_COLLECTION_DIR"
    if [[ ! -d $dir ]]; then
        echo "no $dir directory"
        return 5
    fi
    # From the collection copy: `tests.simulator` imports from the current directory, the
    # plugins import as ansible_collections.grafana_cloud.platform.* from the build path.
    # No cache provider: nothing written into the copy that a later stage would see.
    PYTHONPATH=$GCP_COLLECTIONS${PYTHONPATH:+:$PYTHONPATH} \
        with_timeout "$GCP_VENV_PY" -m pytest "$dir" -p no:cacheprovider -o junit_family=xunit2 -o verbosity_assertions=2 \
        --junitxml="$JUNIT_DIR/$name.xml" -rfE --color="$COLOR" "$@"
}

stage_unit() { run_pytest unit tests/unit -q; }
# The roles and playbooks: few tests, each a few playbook runs, so each is shown with its time.
# 40 minutes before it is stopped, like the integration stages: beside another lane on a loaded
# machine it may take more than the default 20.
stage_playbooks() { GCP_STAGE_TIMEOUT=${GCP_STAGE_TIMEOUT:-2400} run_pytest playbooks tests/playbooks -v --durations=0 --durations-min=1; }

# ---------------------------------------------------------------------------------------------
# Integration targets, the standard way: `ansible-test integration` in the laid-out collection,
# against a simulator started here, named in tests/integration/integration_config.yml (see
# docs/development.md, "Integration targets").

SIMULATOR_PID=

start_simulator() {
    local log=$1 line key
    # A coprocess: its stdout comes to us through a pipe, so the token is read, never shown.
    coproc SIM { exec "$GCP_VENV_PY" -m tests.simulator --host 127.0.0.1 --port 0 2>"$log"; }
    SIMULATOR_PID=$SIM_PID
    local out=${SIM[0]}
    SIM_API_URL='' SIM_TOKEN=''
    # Its first two lines are the API URL and the admin token ([export ]KEY=VALUE).
    for _ in 1 2; do
        if ! IFS= read -r -t 30 -u "$out" line; then
            tail -n 20 "$log" >&2 || true
            echo "the simulator did not print its URL and token within 30 s"
            return 1
        fi
        line=${line#export }
        key=${line%%=*}
        case $key in
            GRAFANA_CLOUD_API_URL) SIM_API_URL=${line#*=} ;;
            GRAFANA_CLOUD_ACCESS_POLICY_TOKEN) SIM_TOKEN=${line#*=} ;;
            *) echo "unexpected line from the simulator: $key=..."; return 1 ;;
        esac
    done
    echo "simulator at ${SIM_API_URL%/api} (pid $SIMULATOR_PID, log ${log#"$GCP_ROOT"/})"
}

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
}

# The variables every target gets (ansible-test passes this file as extra vars; it passes no
# environment variable through). Mode 0600: it holds the simulator's admin token.
write_integration_config() {
    local path=tests/integration/integration_config.yml
    (
        umask 077
        cat >"$path" <<YAML
---
# Written by scripts/test.sh for this run (git-ignored): the simulator the targets talk to.
sim_root: "${SIM_API_URL%/api}"
grafana_cloud_api_url: "$SIM_API_URL"
grafana_cloud_access_policy_token: "$SIM_TOKEN"
YAML
    )
}

# The targets ansible-test must run: every folder under targets/ except the helpers
# (setup_*, prepare_*, or aliased hidden/disabled/unsupported), or those of GCP_TARGETS.
integration_targets() {
    local dir name
    if [[ -n ${GCP_TARGETS:-} ]]; then
        local names
        read -r -a names <<<"$GCP_TARGETS"
        printf '%s\n' "${names[@]}"
        return
    fi
    for dir in tests/integration/targets/*/; do
        name=$(basename "$dir")
        case $name in setup_* | prepare_*) continue ;; esac
        if [[ -f $dir/aliases ]] && grep -qE '^(hidden|disabled|unsupported)([[:space:]]|$)' "$dir/aliases"; then
            continue
        fi
        echo "$name"
    done
}

# run_integration STAGE VENV: ansible-test integration from VENV, one line per target.
run_integration() {
    local stage=$1 venv=$2 rc targets
    cd "$GCP_COLLECTION_DIR"
    trap stop_simulator EXIT
    start_simulator "$GCP_LOGS/simulator-$stage.log"
    write_integration_config
    mapfile -t targets < <(integration_targets)
    echo "ansible-core $("$venv/bin/python" -c 'from ansible.release import __version__; print(__version__)')" \
        "on Python $("$venv/bin/python" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])'):" \
        "${#targets[@]} target(s)"
    rm -rf tests/output
    set +e
    # --continue-on-error: every target runs and is reported, not only those before a failure.
    PATH=$venv/bin:$PATH GCP_STAGE_TIMEOUT=${GCP_STAGE_TIMEOUT:-2400} with_timeout "$venv/bin/ansible-test" integration --color "$COLOR" --continue-on-error "${targets[@]}" 2>&1 |
        "$GCP_VENV_PY" "$GCP_ROOT/scripts/ansible_test_progress.py" integration "$GCP_LOGS/$stage.log" "$JUNIT_DIR/$stage.xml" "${targets[@]}"
    rc=${PIPESTATUS[0]}
    set -e
    echo "full output: ${GCP_LOGS#"$GCP_ROOT"/}/$stage.log"
    return "$rc"
}

stage_integration() { run_integration integration "$GCP_VENV"; }

stage_integration_oldest() {
    gcp_oldest_venv
    run_integration integration-oldest "$GCP_OLDEST_VENV"
}

# ---------------------------------------------------------------------------------------------

stage_ansible_lint() {
    cd "$GCP_COLLECTION_DIR"
    # The whole collection, as Galaxy's importer lints it; .ansible-lint says what is left out
    # and why. Offline: never fetch schemas or install requirements.yml from the network.
    local color=--force-color
    [[ $COLOR == yes ]] || color=--nocolor
    ANSIBLE_LINT_SKIP_SCHEMA_UPDATE=1 with_timeout ansible-lint --offline --profile production "$color"
}

# The collection as Galaxy and Automation Hub import it: built with ansible-galaxy, then run
# through galaxy-importer (its ansible-doc, ansible-lint and changelog checks; not its
# ansible-test, which needs a container). Any WARNING or ERROR line of the importer fails.
stage_galaxy_importer() {
    gcp_importer_venv
    cd "$GCP_COLLECTION_DIR"
    local dist=$GCP_BUILD/dist config=$GCP_BUILD/galaxy-importer.cfg log=$GCP_LOGS/galaxy-importer.log tarball rc
    rm -rf "$dist"
    mkdir -p "$dist"
    with_timeout ansible-galaxy collection build --output-path "$dist" .
    tarball=$(ls "$dist"/grafana_cloud-platform-*.tar.gz)
    printf '[galaxy-importer]\nRUN_ANSIBLE_TEST = False\nRUN_ANSIBLE_LINT = True\nRUN_ANSIBLE_DOC = True\nCHECK_CHANGELOG = True\n' >"$config"
    set +e
    (cd "$dist" && GALAXY_IMPORTER_CONFIG=$config PATH=$GCP_IMPORTER_VENV/bin:$PATH \
        with_timeout "$GCP_IMPORTER_VENV/bin/python" -m galaxy_importer.main "$tarball") >"$log" 2>&1
    rc=$?
    set -e
    grep -vE '^(Loading|Finding|Getting|Linting|\.\.\.)' "$log" || true
    echo "full output: ${log#"$GCP_ROOT"/}"
    if grep -qE '^(WARNING|ERROR|CRITICAL):' "$log"; then
        echo "galaxy-importer reported the warnings or errors above"
        return 1
    fi
    return "$rc"
}

stage_docs() {
    cd "$GCP_COLLECTION_DIR"
    with_timeout antsibull-docs lint-collection-docs --plugin-docs .
}

stage_changelog() {
    cd "$GCP_COLLECTION_DIR"
    with_timeout antsibull-changelog lint
}

# merge_junit OUT FILE...: one junit file holding the test cases of all FILEs (none: no OUT).
merge_junit() {
    local out=$1
    shift
    [[ -e ${1:-} ]] || return 0
    "$GCP_VENV_PY" - "$out" "$@" <<'PY'
import sys
import xml.etree.ElementTree as ET

suite = ET.Element("testsuite", name="merged")
for path in sys.argv[2:]:
    for case in ET.parse(path).iter("testcase"):
        suite.append(case)
root = ET.Element("testsuites")
root.append(suite)
ET.ElementTree(root).write(sys.argv[1], encoding="utf-8", xml_declaration=True)
PY
}

# Count a pytest junit file: prints "passed failed" (errors count as failures, skips ignored).
count_junit() {
    "$GCP_VENV_PY" - "$1" <<'EOF'
import sys
import xml.etree.ElementTree as ET

passed = failed = 0
for case in ET.parse(sys.argv[1]).iter('testcase'):
    tags = {child.tag for child in case}
    if tags & {'failure', 'error'}:
        failed += 1
    elif 'skipped' not in tags:
        passed += 1
print(passed, failed)
EOF
}

# ---------------------------------------------------------------------------------------------
# Running the stages: GCP_JOBS lanes at once (default: 2 when the machine has 2 cores or more).
# Each lane has a collection copy of its own (build/collections for lane 1,
# build/collections-lane<N> for the others): ansible-test writes tests/output/ and
# integration_config.yml inside the copy it runs in, so two stages must never share one.
# A lane takes the next stage from a queue, longest first, so the two integration runs
# (the critical path) start at once and the short stages fill the gaps.
# With more than one lane, a stage's lines are printed together when it ends (its live output
# is in build/stages/<stage>.out meanwhile); with one lane they are printed as they come.

STAGE_DIR=$GCP_BUILD/stages
rm -rf "$STAGE_DIR"
mkdir -p "$STAGE_DIR"

# Longest first (minutes on a quiet 2-core machine, measured per stage; see docs/development.md).
STAGE_WEIGHTS="integration:11 integration-oldest:8 sanity:5 playbooks:4 galaxy-importer:2 ansible-lint:2 unit:1 docs:1 changelog:0"

stage_weight() {
    local entry
    for entry in $STAGE_WEIGHTS; do
        [[ ${entry%%:*} == "$1" ]] && { echo "${entry#*:}"; return; }
    done
    echo 0
}

# run_stage STAGE: runs it; writes build/stages/STAGE.result ("result passed failed rc seconds").
run_stage() {
    local stage=$1 func=stage_${1//-/_} start rc passed failed result elapsed xml
    xml=$JUNIT_DIR/$stage.xml
    printf '\n%s\n== stage %s\n%s\n' "$(printf '=%.0s' {1..78})" "$stage" "$(printf '=%.0s' {1..78})"
    start=$SECONDS
    set +e
    (set -e; "$func")
    rc=$?
    set -e
    elapsed=$((SECONDS - start))
    if [[ $stage == unit || $stage == playbooks || $stage == sanity || $stage == integration* ]]; then
        if [[ $rc -eq 5 ]]; then
            passed=0 failed=1   # pytest collected no tests: that is not a pass
            echo "no tests were collected: counted as a failure"
        elif [[ -s $xml ]] && read -r passed failed < <(count_junit "$xml"); then
            # A non-zero exit with no failed test (internal error, usage error, timeout)
            # still fails the stage.
            if [[ $rc -ne 0 && $failed -eq 0 ]]; then failed=1; fi
        else
            passed=0 failed=1
        fi
    elif [[ $rc -eq 0 ]]; then
        passed=1 failed=0
    else
        passed=0 failed=1
    fi
    [[ $rc -eq 124 ]] && echo "stopped: the stage took longer than its time limit (GCP_STAGE_TIMEOUT)"
    result=PASS
    [[ $failed -eq 0 ]] || result=FAIL
    printf -- '-- %s: %s (%d passed, %d failed, exit %d) in %s\n' "$stage" "$result" "$passed" "$failed" "$rc" "$(fmt_time "$elapsed")"
    echo "$result $passed $failed $rc $elapsed" >"$STAGE_DIR/$stage.result"
}

# pop_stage: the next stage of the queue (nothing when it is empty); lanes share the queue.
pop_stage() {
    (
        flock 9
        local next
        next=$(head -n 1 "$STAGE_DIR/queue")
        tail -n +2 "$STAGE_DIR/queue" >"$STAGE_DIR/queue.rest"
        mv "$STAGE_DIR/queue.rest" "$STAGE_DIR/queue"
        echo "$next"
    ) 9>"$STAGE_DIR/queue.lock"
}

# run_lane N: stages from the queue until it is empty, each in lane N's own collection copy.
run_lane() {
    local lane=$1 stage
    if [[ $lane -gt 1 ]]; then
        GCP_COLLECTIONS=$GCP_BUILD/collections-lane$lane
        GCP_COLLECTION_DIR=$GCP_COLLECTIONS/ansible_collections/grafana_cloud/platform
        gcp_layout >/dev/null
    fi
    while stage=$(pop_stage) && [[ -n $stage ]]; do
        if [[ $JOBS -eq 1 ]]; then
            run_stage "$stage"
        else
            run_stage "$stage" >"$STAGE_DIR/$stage.out" 2>&1
            # One stage's lines at a time, whichever lane finishes first.
            flock "$STAGE_DIR/print.lock" cat "$STAGE_DIR/$stage.out"
        fi
    done
}

JOBS=${GCP_JOBS:-$(($(nproc 2>/dev/null || echo 1) >= 2 ? 2 : 1))}
[[ $JOBS =~ ^[1-9][0-9]*$ ]] || gcp_die "GCP_JOBS must be a number of lanes, 1 or more"
for stage in "${STAGES[@]}"; do
    printf '%s %s\n' "$(stage_weight "$stage")" "$stage"
done | sort -s -k1,1nr | cut -d' ' -f2 >"$STAGE_DIR/queue"
[[ $JOBS -le ${#STAGES[@]} ]] || JOBS=${#STAGES[@]}

if [[ ${#STAGES[@]} -eq ${#ALL_STAGES[@]} ]]; then
    usual="about 16 minutes on a quiet 2-core machine (2 lanes), longer on a loaded one"
    if [[ -f $GCP_BUILD/last-full-run ]]; then
        usual+="; the last full run here took $(<"$GCP_BUILD/last-full-run")"
    fi
    gcp_say "all ${#STAGES[@]} stages; this usually takes $usual"
fi
if [[ $JOBS -gt 1 ]]; then
    gcp_say "$JOBS lanes: stages run side by side, longest first; each stage's lines appear when it ends (live: build/stages/<stage>.out)"
fi

LANES=()
for ((lane = 1; lane <= JOBS; lane++)); do
    if [[ $JOBS -eq 1 ]]; then
        run_lane "$lane"
    else
        run_lane "$lane" &
        LANES+=($!)
    fi
done
# Ctrl-C or a kill of make stops the lanes too.
trap '[[ ${#LANES[@]} -eq 0 ]] || kill -TERM "${LANES[@]}" 2>/dev/null || true' INT TERM
for pid in "${LANES[@]}"; do wait "$pid" || true; done
trap - INT TERM

TOTAL_PASSED=0
TOTAL_FAILED=0
printf '\n%-18s %-6s %7s %7s %9s\n' stage result passed failed time
for stage in "${STAGES[@]}"; do
    if [[ -f $STAGE_DIR/$stage.result ]]; then
        read -r result passed failed _rc elapsed <"$STAGE_DIR/$stage.result"
    else
        result=FAIL passed=0 failed=1 elapsed=0   # the lane died before finishing it
    fi
    TOTAL_PASSED=$((TOTAL_PASSED + passed))
    TOTAL_FAILED=$((TOTAL_FAILED + failed))
    printf '%-18s %-6s %7d %7d %9s\n' "$stage" "$result" "$passed" "$failed" "$(fmt_time "$elapsed")"
done
total_time=$(fmt_time $((SECONDS - STARTED)))
printf '%-18s %-6s %7s %7s %9s\n' "(total)" "" "" "" "$total_time"
if [[ ${#STAGES[@]} -eq ${#ALL_STAGES[@]} && $TOTAL_FAILED -eq 0 ]]; then
    echo "$total_time with $JOBS lane(s), $(date -u +%Y-%m-%d)" >"$GCP_BUILD/last-full-run"
fi
echo "$TOTAL_PASSED passed, $TOTAL_FAILED failed"
[[ $TOTAL_FAILED -eq 0 ]]
