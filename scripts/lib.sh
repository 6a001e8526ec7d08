# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# shellcheck shell=bash
# Shared setup for scripts/test.sh and scripts/demo.sh (sourced, not run).
#
#   gcp_pick_python   choose the interpreter and the ansible-core version that goes with it
#   gcp_venv          create or reuse the virtualenv and put it first on PATH
#   gcp_layout        copy the collection to build/collections/ansible_collections/grafana_cloud/platform
#
# Overrides (environment):
#   GCP_PYTHON        interpreter to use (name on PATH or path), skipping the search
#   GCP_VENV          virtualenv directory (default: <repo>/.venv); one outside the checkout
#                     is used as it is, never rebuilt (it may be shared)
#   GCP_ANSIBLE_CORE  pip requirement for ansible-core (default: newest that supports the Python)
#   GCP_OLDEST_VENV, GCP_OLDEST_PYTHON, GCP_OLDEST_CORE  the integration-oldest stage's venv,
#                     interpreter (default: a python3.11) and ansible-core (default: 2.17.x)
#   GCP_IMPORTER_VENV, GCP_IMPORTER_PYTHON, GCP_IMPORTER_PACKAGE  the same for galaxy-importer

# Repo root = the parent of this scripts/ directory, wherever make was started from.
GCP_ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
GCP_BUILD=$GCP_ROOT/build
GCP_LOGS=$GCP_BUILD/logs
GCP_COLLECTIONS=$GCP_BUILD/collections
GCP_COLLECTION_DIR=$GCP_COLLECTIONS/ansible_collections/grafana_cloud/platform
GCP_VENV=${GCP_VENV:-$GCP_ROOT/.venv}
case $GCP_VENV in /*) ;; *) GCP_VENV=$GCP_ROOT/$GCP_VENV ;; esac

# Pythons we look for, newest first. ansible-core 2.20+ needs 3.12+.
GCP_PYTHON_CANDIDATES=(3.13 3.12)

# Bump to force every existing venv to be rebuilt when the install recipe below changes.
GCP_VENV_RECIPE=1

gcp_say() { printf '==> %s\n' "$*"; }
gcp_die() { printf 'ERROR: %s\n' "$*" >&2; exit 1; }

# Print "X.Y.Z" for an interpreter, or nothing if it does not run (pyenv shims for a
# version that is not selected exist on PATH but fail, so "exists" is not enough).
gcp_python_version() {
    "$1" -c 'import sys; print("%d.%d.%d" % sys.version_info[:3])' 2>/dev/null
}

# Candidate interpreters for one X.Y (default: any 3.x): the real binaries pyenv installed
# (newest first), then the pythonX.Y found on PATH.
gcp_python_candidates() {
    local minor=${1:-3} pyenv_root='' name
    if command -v pyenv >/dev/null 2>&1; then
        pyenv_root=$(pyenv root 2>/dev/null || true)
    fi
    pyenv_root=${pyenv_root:-${PYENV_ROOT:-$HOME/.pyenv}}
    if [[ -d $pyenv_root/versions ]]; then
        # Only final releases (3.13.0, not 3.13.0rc1 or 3.13.0t).
        find "$pyenv_root/versions" -mindepth 1 -maxdepth 1 -regex ".*/${minor//./\\.}\.[0-9.]+" -printf '%p/bin/python3\n' |
            sort -V -r
    fi
    compgen -c "python$minor" | grep -E '^python3\.[0-9]+$' | sort -u -V -r | while read -r name; do
        command -v "$name"
    done
}

# A folder of pythonX.Y links to one working interpreter per Python version found here, for
# ansible-test to run its per-version sanity tests (compile, import) on every version it can
# find. Needed because the pyenv shims on PATH fail for versions pyenv has not selected.
gcp_python_links() {
    local dir=$GCP_BUILD/pythons candidate version
    rm -rf "$dir"
    mkdir -p "$dir"
    while IFS= read -r candidate; do
        version=$(gcp_python_version "$candidate") || continue
        [[ -n $version && ! -e $dir/python${version%.*} ]] || continue
        ln -s "$candidate" "$dir/python${version%.*}"
    done < <(gcp_python_candidates)
    echo "$dir"
}

# Sets GCP_PY (interpreter path), GCP_PY_VERSION (X.Y.Z), GCP_PY_MINOR (X.Y), GCP_ANSIBLE_CORE.
gcp_pick_python() {
    local minor candidate version
    GCP_PY=
    if [[ -n ${GCP_PYTHON:-} ]]; then
        GCP_PY=$(command -v "$GCP_PYTHON" || true)
        GCP_PY_VERSION=$([[ -n $GCP_PY ]] && gcp_python_version "$GCP_PY" || true)
        [[ -n $GCP_PY_VERSION ]] || gcp_die "GCP_PYTHON=$GCP_PYTHON does not run"
    else
        for minor in "${GCP_PYTHON_CANDIDATES[@]}"; do
            while IFS= read -r candidate; do
                [[ -x $candidate ]] || continue
                version=$(gcp_python_version "$candidate") || continue
                if [[ $version == "$minor".* ]]; then
                    GCP_PY=$candidate GCP_PY_VERSION=$version
                    break 2
                fi
            done < <(gcp_python_candidates "$minor")
        done
        if [[ -z $GCP_PY ]]; then
            # No 3.12+: the system python3, with the last ansible-core that supports it.
            GCP_PY=$(command -v python3 || true)
            GCP_PY_VERSION=$([[ -n $GCP_PY ]] && gcp_python_version "$GCP_PY" || true)
            [[ -n $GCP_PY_VERSION ]] || gcp_die "no working python3.13, python3.12 or python3 found"
        fi
    fi
    # The interpreter itself, not a pyenv shim whose answer depends on the selected version.
    GCP_PY=$("$GCP_PY" -c 'import sys; print(sys.executable)')
    GCP_PY_MINOR=${GCP_PY_VERSION%.*}
    if [[ -z ${GCP_ANSIBLE_CORE:-} ]]; then
        if (( ${GCP_PY_MINOR#3.} >= 12 )); then
            GCP_ANSIBLE_CORE=ansible-core
        else
            GCP_ANSIBLE_CORE='ansible-core<2.20'   # 2.19 is the last release for Python 3.11
        fi
    fi
}

# Run a noisy command with its output in a log file; show the log only when it fails.
gcp_quiet() {
    local log=$1
    shift
    if ! "$@" >"$log" 2>&1; then
        # The machine's pip.conf names local index folders that may not exist: drop that noise.
        grep -v "^WARNING: Location 'file://.*' is ignored" "$log" >&2 || true
        gcp_die "failed: $* (full log: $log)"
    fi
}

gcp_core_version() {
    "$GCP_VENV/bin/python" -c 'from ansible.release import __version__; print(__version__)'
}

# Create the venv, or reuse it when its stamp says it was built from the same requirements
# files, the same interpreter and the same ansible-core requirement. Puts it first on PATH.
gcp_venv() {
    [[ -n ${GCP_PY:-} ]] || gcp_pick_python
    mkdir -p "$GCP_LOGS"
    local stamp
    stamp=$(
        {
            echo "recipe=$GCP_VENV_RECIPE python=$GCP_PY python_version=$GCP_PY_VERSION core=$GCP_ANSIBLE_CORE"
            cat "$GCP_ROOT/requirements.txt" "$GCP_ROOT/tests/requirements.txt"
        } | sha256sum | cut -d' ' -f1
    )
    if [[ -x $GCP_VENV/bin/python && -f $GCP_VENV/.gcp-stamp && $(<"$GCP_VENV/.gcp-stamp") == "$stamp" ]]; then
        gcp_say "reusing ${GCP_VENV#"$GCP_ROOT"/} (Python $GCP_PY_VERSION, ansible-core $(gcp_core_version))"
    elif [[ -x $GCP_VENV/bin/python && $GCP_VENV != "$GCP_ROOT"/* ]]; then
        # A venv outside this checkout belongs to someone else (another worktree, a shared
        # machine venv): never delete or reinstall it, even when its stamp is stale. Several
        # runs rebuilding one shared venv at the same time destroy each other's installs.
        gcp_say "using $GCP_VENV as it is (outside this checkout: never rebuilt here; ansible-core $(gcp_core_version))"
    else
        gcp_say "creating $GCP_VENV with Python $GCP_PY_VERSION ($GCP_PY) and $GCP_ANSIBLE_CORE"
        rm -rf "$GCP_VENV"
        gcp_quiet "$GCP_LOGS/venv.log" "$GCP_PY" -m venv "$GCP_VENV"
        # A current pip resolves the test tools faster and more reliably than the bundled one.
        gcp_quiet "$GCP_LOGS/pip-upgrade.log" "$GCP_VENV/bin/python" -m pip install --upgrade pip
        gcp_quiet "$GCP_LOGS/pip-install.log" "$GCP_VENV/bin/python" -m pip install \
            "$GCP_ANSIBLE_CORE" -r "$GCP_ROOT/requirements.txt" -r "$GCP_ROOT/tests/requirements.txt"
        # Written last: an install that failed half way leaves no stamp and is redone next time.
        echo "$stamp" >"$GCP_VENV/.gcp-stamp"
        gcp_say "installed ansible-core $(gcp_core_version)"
    fi
    export VIRTUAL_ENV=$GCP_VENV
    export PATH=$GCP_VENV/bin:$PATH
    export GCP_VENV_PY=$GCP_VENV/bin/python
}

# gcp_side_venv NAME DIR PYTHON PIP_ARGS...: a venv of a stage's own (NAME for messages and
# logs), at DIR, with PYTHON (a path or name; "3.11" means a python3.11 found here), holding
# PIP_ARGS from PyPI. Rebuilt when its recipe changes, unless it lies outside the checkout
# (then used as it is, like GCP_VENV). Prints nothing on stdout; sets GCP_SIDE_VENV.
gcp_side_venv() {
    local name=$1 dir=$2 python=$3 candidate version stamp
    shift 3
    case $dir in /*) ;; *) dir=$GCP_ROOT/$dir ;; esac
    if [[ $python =~ ^3\.[0-9]+$ ]]; then
        local minor=$python
        python=
        while IFS= read -r candidate; do
            version=$(gcp_python_version "$candidate") || continue
            if [[ $version == "$minor".* ]]; then python=$candidate; break; fi
        done < <(gcp_python_candidates "$minor")
        [[ -n $python ]] || gcp_die "no python$minor found for $name"
    fi
    python=$(command -v "$python" || true)
    version=$([[ -n $python ]] && gcp_python_version "$python" || true)
    [[ -n $version ]] || gcp_die "the interpreter for $name does not run"
    python=$("$python" -c 'import sys; print(sys.executable)')
    stamp=$({ echo "recipe=$GCP_VENV_RECIPE python=$python python_version=$version $*"; cat "$GCP_ROOT/requirements.txt"; } |
        sha256sum | cut -d' ' -f1)
    mkdir -p "$GCP_LOGS"
    if [[ -x $dir/bin/python && -f $dir/.gcp-stamp && $(<"$dir/.gcp-stamp") == "$stamp" ]]; then
        gcp_say "reusing ${dir#"$GCP_ROOT"/} for $name (Python $version)"
    elif [[ -x $dir/bin/python && $dir != "$GCP_ROOT"/* ]]; then
        gcp_say "using $dir for $name as it is (outside this checkout: never rebuilt here)"
    else
        gcp_say "creating ${dir#"$GCP_ROOT"/} for $name: Python $version, $*"
        rm -rf "$dir"
        gcp_quiet "$GCP_LOGS/venv-$name.log" "$python" -m venv "$dir"
        gcp_quiet "$GCP_LOGS/pip-install-$name.log" "$dir/bin/python" -m pip install "$@"
        echo "$stamp" >"$dir/.gcp-stamp"
    fi
    GCP_SIDE_VENV=$dir
}

# The oldest supported ansible-core, for the integration-oldest stage: GCP_OLDEST_CORE
# (default 2.17.x) on GCP_OLDEST_PYTHON (default: a python3.11 found here) with the
# collection's runtime requirements, in GCP_OLDEST_VENV (default build/venv-core2.17).
# The simulator keeps running from GCP_VENV. Sets GCP_OLDEST_VENV.
gcp_oldest_venv() {
    gcp_side_venv oldest "${GCP_OLDEST_VENV:-$GCP_BUILD/venv-core2.17}" "${GCP_OLDEST_PYTHON:-3.11}" \
        "${GCP_OLDEST_CORE:-ansible-core>=2.17,<2.18}" -r "$GCP_ROOT/requirements.txt"
    GCP_OLDEST_VENV=$GCP_SIDE_VENV
}

# Galaxy's importer (galaxy-importer, with the ansible-core and ansible-lint it pins), for the
# galaxy-importer stage, in GCP_IMPORTER_VENV (default build/venv-importer). Sets GCP_IMPORTER_VENV.
gcp_importer_venv() {
    gcp_side_venv importer "${GCP_IMPORTER_VENV:-$GCP_BUILD/venv-importer}" "${GCP_IMPORTER_PYTHON:-3.11}" \
        "${GCP_IMPORTER_PACKAGE:-galaxy-importer}"
    GCP_IMPORTER_VENV=$GCP_SIDE_VENV
}

# A fresh copy of the collection where Ansible expects it: <path>/ansible_collections/<ns>/<name>.
# Only files git would commit (tracked + untracked-not-ignored), so no venv, build output,
# caches or editor files end up in what sanity, the docs linter and the playbooks see.
gcp_layout() {
    # The venv may live elsewhere in the repo (GCP_VENV=...): never copy it.
    local venv_rel=${GCP_VENV#"$GCP_ROOT"/}
    rm -rf "$GCP_COLLECTION_DIR"
    mkdir -p "$GCP_COLLECTION_DIR"
    if git -C "$GCP_ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        # -c also lists tracked files deleted from the work tree: keep only what exists.
        (cd "$GCP_ROOT" && git ls-files -z -co --exclude-standard --deduplicate) |
            while IFS= read -r -d '' f; do
                case $f in .venv/* | build/* | .git/* | "$venv_rel"/*) continue ;; esac
                if [[ -e $f || -L $f ]]; then printf '%s\0' "$f"; fi
            done |
            tar -C "$GCP_ROOT" --null --no-recursion -T - -cf - |
            tar -C "$GCP_COLLECTION_DIR" -xf -
    else
        tar -C "$GCP_ROOT" --exclude=./.git --exclude=./.venv --exclude=./build --exclude="./$venv_rel" -cf - . |
            tar -C "$GCP_COLLECTION_DIR" -xf -
    fi
    # The copy sits inside the repo's work tree, where build/ is git-ignored. ansible-test and
    # ansible-lint list files with git from the nearest .git upwards, and would see nothing:
    # an empty repository of its own makes the copy its own root (all files untracked, listed).
    if command -v git >/dev/null 2>&1; then
        git -c init.defaultBranch=main init -q "$GCP_COLLECTION_DIR"
    fi
    export ANSIBLE_COLLECTIONS_PATH=$GCP_COLLECTIONS
    gcp_say "collection laid out at ${GCP_COLLECTION_DIR#"$GCP_ROOT"/}"
}
