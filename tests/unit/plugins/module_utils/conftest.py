"""Fixtures for the module_utils tests."""

import pytest


class Sleeper:
    def __init__(self):
        self.waits = []

    def __call__(self, seconds):
        self.waits.append(seconds)


@pytest.fixture
def sleeper():
    return Sleeper()
