"""Generated HOT templates through the command line: whatever they hold, h2k keeps its contract.

The count is small and the seed fixed in CI (reproducible); H2K_FUZZ_CASES raises it for a longer
campaign (benchmarks/fuzz.py runs one outside pytest).
"""

from __future__ import annotations

import os

from generators import templates
from harness import Case, check_case, check_case_subprocess, describe
from hypothesis import HealthCheck, given, settings

CASES = int(os.environ.get("H2K_FUZZ_CASES", "600"))
SUBPROCESS_CASES = 8
FUZZ = settings(max_examples=CASES, deadline=None, derandomize=True, database=None, print_blob=True,
                suppress_health_check=list(HealthCheck))


@FUZZ
@given(case=templates())
def test_generated_templates_keep_the_contract(case: Case) -> None:
    problems = check_case(case)
    assert not problems, "\n".join(problems) + "\n" + describe(case)


@settings(FUZZ, max_examples=SUBPROCESS_CASES)
@given(case=templates())
def test_generated_templates_from_a_shell(case: Case) -> None:
    problems = check_case_subprocess(case)
    assert not problems, "\n".join(problems) + "\n" + describe(case)
