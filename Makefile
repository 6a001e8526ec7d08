# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
# Everything installs itself into .venv (from PyPI) and lays the collection out under build/.
# `make test` is what CI runs (.ci/run); the other test targets run one part of it.
# Pick another interpreter or venv with e.g. `make test GCP_PYTHON=python3 GCP_VENV=build/venv-py311`
# (the Python 3.11 fallback: ansible-core 2.19). `make test` runs its stages in two lanes side by
# side; `make test GCP_JOBS=1` runs them one after the other. More knobs: scripts/lib.sh, scripts/test.sh.

SHELL := /bin/bash

.PHONY: help test demo bench sanity unit integration playbooks lint venv clean

help:
	@echo "make test         all checks: sanity, unit, integration (2 ansible-core versions), playbooks, lint, galaxy-importer, docs, changelog"
	@echo "make sanity       ansible-test sanity"
	@echo "make unit         pytest tests/unit"
	@echo "make integration  ansible-test integration against the simulator (newest and oldest ansible-core)"
	@echo "make playbooks    pytest tests/playbooks (roles and playbooks against the simulator)"
	@echo "make lint         ansible-lint, galaxy-importer, antsibull-docs and antsibull-changelog linters"
	@echo "make demo         run the main playbook against the simulator"
	@echo "make bench        request counts and timings (tests/bench), written to tests/bench/results/"
	@echo "make venv         only create/refresh .venv and the build/ layout"
	@echo "make clean        remove build/ and .venv"

test:
	@scripts/test.sh

sanity:
	@scripts/test.sh sanity

unit:
	@scripts/test.sh unit

integration:
	@scripts/test.sh integration integration-oldest

playbooks:
	@scripts/test.sh playbooks

lint:
	@scripts/test.sh ansible-lint galaxy-importer docs changelog

demo:
	@scripts/demo.sh

bench:
	@scripts/bench.sh

venv:
	@source scripts/lib.sh && gcp_venv && gcp_layout

clean:
	rm -rf build .venv tests/output
