"""Pytest plugin providing the session-wide ``heat_oracle`` fixture (the real Heat engine).

Register with ``pytest_plugins = ["oracle_fixture"]`` in tests/conftest.py (or ``-p oracle_fixture``).
Without a Heat venv the fixture skips, so the default test run needs no OpenStack packages;
``H2K_REQUIRE_HEAT_ORACLE=1`` turns that skip into a failure (for CI jobs that must compare).
"""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from heat_oracle import HeatOracle, heat_python, heat_unavailable_reason


@pytest.fixture(scope="session")
def heat_oracle() -> Iterator[HeatOracle]:
    """One Heat worker for the whole session (start-up costs ~2 s, a request ~2 ms)."""
    python = heat_python()
    if python is None:
        reason = heat_unavailable_reason()
        if os.environ.get("H2K_REQUIRE_HEAT_ORACLE") == "1":
            pytest.fail(f"Heat oracle required (H2K_REQUIRE_HEAT_ORACLE=1) but not available: {reason}")
        pytest.skip(f"Heat oracle not available: set H2K_HEAT_VENV or H2K_HEAT_INSTALL=1 ({reason})")
    oracle = HeatOracle(python)
    try:
        oracle.start()
        yield oracle
    finally:
        oracle.close()
