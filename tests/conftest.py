from __future__ import annotations

import pytest

# The session-wide `heat_oracle` fixture (the real Heat engine, for the differential tests).
pytest_plugins = ["oracle_fixture"]


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption("--update-golden", action="store_true",
                     help="Rewrite golden/ from samples/ (through the same code path as the test).")
