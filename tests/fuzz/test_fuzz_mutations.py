"""Mutants of the third-party corpus's templates through the command line: the contract still holds.

Seed n mutates corpus template n modulo their number, so a failure names a seed that reproduces it
(`mutate(text, seed)`). CI runs H2K_FUZZ_MUTANTS seeds (default 1200) in chunks; the corpus lives
outside the repository (H2K_CORPUS, or ../shared/corpus) and without it the module skips.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from harness import Case, check_case, check_case_subprocess, describe
from mutations import mutate

REPO_ROOT = Path(__file__).resolve().parents[2]
CORPUS = Path(os.environ.get("H2K_CORPUS") or REPO_ROOT.parent / "shared" / "corpus") / "openstack+heat-templates"
if not (CORPUS / "hot").is_dir():
    pytest.skip(f"no template corpus at {CORPUS}; set H2K_CORPUS to fuzz with it", allow_module_level=True)

SEEDS = int(os.environ.get("H2K_FUZZ_MUTANTS", "1200"))
CHUNK = 100
SUBPROCESS_SEEDS = range(0, SEEDS, max(1, SEEDS // 8))
NESTED = "heat_template_version: 2018-08-31\nparameters: {name: {type: string, default: n}}\nresources: {}\n"
# Only templates small enough to stay under the file-size limit once mutated, sorted for stable seeds.
SOURCES = sorted(p for p in (CORPUS / "hot").rglob("*.yaml") if p.stat().st_size < 64_000)


def mutant(seed: int) -> tuple[Case, str]:
    """The case of `seed` and a label naming its source and mutations."""
    source = SOURCES[seed % len(SOURCES)]
    text, applied = mutate(source.read_text(encoding="utf-8", errors="replace"), seed)
    return Case(template=text, files={"nested.yaml": NESTED}), f"seed {seed} ({source.name}: {', '.join(applied)})"


def run_seeds(seeds: range) -> list[str]:
    failures = []
    for seed in seeds:
        case, label = mutant(seed)
        problems = check_case(case)
        if problems:
            failures.append(f"{label}:\n  " + "\n  ".join(problems) + "\n" + describe(case))
    return failures


@pytest.mark.parametrize("start", range(0, SEEDS, CHUNK))
def test_mutants_keep_the_contract(start: int) -> None:
    failures = run_seeds(range(start, min(start + CHUNK, SEEDS)))
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("seed", SUBPROCESS_SEEDS)
def test_mutants_from_a_shell(seed: int) -> None:
    case, label = mutant(seed)
    assert check_case_subprocess(case) == [], label
