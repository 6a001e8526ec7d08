"""A Grafana Cloud API simulator (Flask) for the collection's tests, demo and bench.

``create_app()`` builds the app; ``python -m tests.simulator`` serves it; see ``areas/``
for how API areas plug in and ``testing.py`` for running it inside tests.
"""

from .app import create_app
from .core import Simulator, get_sim
from .errors import ApiError

__all__ = ["ApiError", "Simulator", "create_app", "get_sim"]
