# Copyright (c) 2026, grafana_cloud.platform contributors
# GNU General Public License v3.0+ (see LICENSE or https://www.gnu.org/licenses/gpl-3.0.txt)
# SPDX-License-Identifier: GPL-3.0-or-later
"""API areas: every module in this package is one slice of the Grafana Cloud API.

Adding an area is adding a file here; no core file changes. The contract, per module:

- ``blueprint`` (required): a Flask ``Blueprint`` named after the module; its routes are
  written relative to ``/api`` (the app mounts it there), e.g. ``@blueprint.get("/v1/tokens")``.
  Every view is decorated with ``auth.requires(...)`` (or ``auth.public``) carrying the
  spec's ``x-permissions``; a unit test checks them against the spec.
- ``seed(sim)`` (optional): called at startup and on every reset, after ``sim.state`` was
  emptied and ``sim.state[<module name>]`` set to ``{}``; put the area's seed data there.
- ``CONFIG_DEFAULTS`` (optional): tunables merged into ``sim.config`` (overridable through
  ``POST /_sim/config``, restored on reset). Prefix the keys with the area's name.
- ``URL_PREFIX`` (optional, default ``/api``): where the blueprint is mounted. Another API
  (OnCall: ``/oncall``) lives under its own prefix, with the same faults and request log;
  its log paths and fault regexes then see the whole path (``/oncall/api/v1/teams/``).
- ``HTTP_ERROR`` (optional): ``fn(exc) -> Response`` for routing and HTTP errors under
  ``URL_PREFIX`` (an unknown path, a wrong method), when that API answers them in its own
  shape. The first area of a prefix that sets one wins.

Modules whose name starts with ``_`` are helpers, not areas. ``regions.py`` is the example
to copy.
"""

from __future__ import annotations

import importlib
import pkgutil
from dataclasses import dataclass, field
from types import ModuleType
from typing import Any, Callable, Iterable

from flask import Blueprint


DEFAULT_PREFIX = "/api"


@dataclass
class Area:
    name: str
    blueprint: Blueprint
    seed: Callable | None = None
    config_defaults: dict[str, Any] = field(default_factory=dict)
    url_prefix: str = DEFAULT_PREFIX
    http_error: Callable | None = None

    @classmethod
    def from_module(cls, module: ModuleType) -> "Area":
        return cls(name=module.__name__.rpartition(".")[2],
                   blueprint=module.blueprint,
                   seed=getattr(module, "seed", None),
                   config_defaults=dict(getattr(module, "CONFIG_DEFAULTS", {})),
                   url_prefix=getattr(module, "URL_PREFIX", DEFAULT_PREFIX),
                   http_error=getattr(module, "HTTP_ERROR", None))


def area_names() -> list[str]:
    """The area modules of this package, in a stable order."""
    return sorted(info.name for info in pkgutil.iter_modules(__path__)
                  if not info.name.startswith("_"))


def load_areas(selection: Iterable[str | ModuleType | Area] | None = None) -> list[Area]:
    """The areas to mount: all of this package's by default, or the given names/modules/areas
    (tests use a selection to mount a throwaway area without the real ones around it)."""
    chosen = area_names() if selection is None else selection
    return [_as_area(item) for item in chosen]


def _as_area(item: str | ModuleType | Area) -> Area:
    if isinstance(item, Area):
        return item
    if isinstance(item, str):
        item = importlib.import_module(f"{__name__}.{item}")
    return Area.from_module(item)
