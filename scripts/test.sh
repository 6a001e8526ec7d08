#!/usr/bin/env bash
# The test pipeline: `make test` (all stages) or `scripts/test.sh STAGE...`.
#
# Stages: sanity unit integration ansible-lint docs changelog. Each runs even when an earlier
# one failed. pytest stages count their tests; every other stage counts as one test. The last
# line printed is "N passed, M failed"; the exit code is non-zero when anything failed.
#
# Environment: see scripts/lib.sh (GCP_PYTHON, GCP_VENV, GCP_ANSIBLE_CORE), and
#   GCP_STAGE_TIMEOUT  seconds one stage command may take before it is stopped (default 1200)
#   GCP_SANITY_PYTHON  X.Y: run ansible-test's per-version sanity tests on that version only
set -euo pipefail

# shellcheck source=scripts/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

ALL_STAGES=(sanity unit integration ansible-lint docs changelog)
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
# OpenAPI spec when the shared reference folder sits next to the repo.
SPEC=$GCP_ROOT/../shared/reference/gcom-openapi.json
if [[ -f $SPEC ]]; then
    GCOM_OPENAPI_SPEC=$(cd "$(dirname "$SPEC")" && pwd)/$(basename "$SPEC")
    export GCOM_OPENAPI_SPEC
    gcp_say "contract mode: GCOM_OPENAPI_SPEC=$GCOM_OPENAPI_SPEC"
    # The org API keys left the current spec: the simulator checks them against the older one,
    # found beside it (or at $GCOM_OPENAPI_LEGACY_SPEC).
    [[ -f $(dirname "$GCOM_OPENAPI_SPEC")/gcom-openapi-2025-12-03.json || -n ${GCOM_OPENAPI_LEGACY_SPEC:-} ]] ||
        gcp_say "contract mode: the older spec is missing: org API-key operations are not validated"
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
    # No --python: all versions above (GCP_SANITY_PYTHON=X.Y limits the run to one).
    # No --requirements: the venv already holds what ansible-test itself needs; each sanity
    # test installs its own tools (pylint, yamllint, voluptuous, ...) into a virtualenv of its
    # own, through the get-pip seeded above.
    with_timeout ansible-test sanity --color "$COLOR" ${GCP_SANITY_PYTHON:+--python "$GCP_SANITY_PYTHON"}
}

run_pytest() {
    local name=$1 dir=$2
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
        --junitxml="$JUNIT_DIR/$name.xml" -q -rfE --color="$COLOR"
}

stage_unit() { run_pytest unit tests/unit; }
stage_integration() { run_pytest integration tests/integration; }

stage_ansible_lint() {
    cd "$GCP_COLLECTION_DIR"
    local dirs=() d
    for d in roles playbooks; do
        # Until there is something to lint the stage is a note, not a failure.
        if [[ -d $d ]] && find "$d" -type f \( -name '*.yml' -o -name '*.yaml' \) | grep -q .; then
            dirs+=("$d")
        else
            echo "note: $d/ holds no YAML yet, not linted"
        fi
    done
    [[ ${#dirs[@]} -gt 0 ]] || return 0
    # Offline: never fetch schemas or install requirements.yml from the network.
    local color=--force-color
    [[ $COLOR == yes ]] || color=--nocolor
    ANSIBLE_LINT_SKIP_SCHEMA_UPDATE=1 with_timeout ansible-lint --offline --profile production "$color" "${dirs[@]}"
}

stage_docs() {
    cd "$GCP_COLLECTION_DIR"
    with_timeout antsibull-docs lint-collection-docs --plugin-docs .
}

stage_changelog() {
    cd "$GCP_COLLECTION_DIR"
    with_timeout antsibull-changelog lint
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
TOTAL_PASSED=0
TOTAL_FAILED=0
SUMMARY=()

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
    if [[ $stage == unit || $stage == integration ]]; then
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
    [[ $rc -eq 124 ]] && echo "stopped after ${GCP_STAGE_TIMEOUT:-1200}s (GCP_STAGE_TIMEOUT)"
    result=PASS
    [[ $failed -eq 0 ]] || result=FAIL
    printf -- '-- %s: %s (%d passed, %d failed, exit %d) in %s\n' "$stage" "$result" "$passed" "$failed" "$rc" "$(fmt_time "$elapsed")"
    TOTAL_PASSED=$((TOTAL_PASSED + passed))
    TOTAL_FAILED=$((TOTAL_FAILED + failed))
    SUMMARY+=("$(printf '%-14s %-6s %7d %7d %9s' "$stage" "$result" "$passed" "$failed" "$(fmt_time "$elapsed")")")
}

for stage in "${STAGES[@]}"; do
    run_stage "$stage"
done

printf '\n%-14s %-6s %7s %7s %9s\n' stage result passed failed time
printf '%s\n' "${SUMMARY[@]}"
printf '%-14s %-6s %7s %7s %9s\n' "(total)" "" "" "" "$(fmt_time $((SECONDS - STARTED)))"
echo "$TOTAL_PASSED passed, $TOTAL_FAILED failed"
[[ $TOTAL_FAILED -eq 0 ]]
