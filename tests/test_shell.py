"""The shell front-end: grammar cases, positions inside templates, packaging and start-up.

Cases are in cases/shell.yaml: scripts with the summary of their tree or their finding, and
templates with where their scripts, statements and findings are.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from h2k.diagnostics.model import Diagnostic, DiagnosticSink
from h2k.frontends.shell import Origin, parse_script
from h2k.frontends.shell.ast import Script
from h2k.frontends.shell.collect import confined_reader, scripts_in_template
from h2k.frontends.shell.dump import dump
from h2k.source.loader import load_file

REPO_ROOT = Path(__file__).resolve().parent.parent
CASES = yaml.safe_load((Path(__file__).parent / "cases" / "shell.yaml").read_text(encoding="utf-8"))
SCRIPT_CASES = [c for c in CASES if "script" in c]
TEMPLATE_CASES = [c for c in CASES if "template" in c]


def finding(d: Diagnostic, root: Path | None = None) -> str:
    where = f"{d.span.line}:{d.span.column}"
    if root is None:
        return f"{d.code.id} {where}"
    return f"{d.code.id} {Path(d.span.file).relative_to(root).as_posix()}:{where}"


@pytest.mark.parametrize("case", SCRIPT_CASES, ids=[c["title"] for c in SCRIPT_CASES])
def test_script_case(case: dict[str, Any]) -> None:
    result = parse_script(case["script"], Origin("s.sh"))
    if "ast" in case:
        assert isinstance(result, Script), [f"{finding(d)} {d.message}" for d in result]
        assert dump(result) == case["ast"]
        assert [finding(d) for d in result.findings] == case.get("findings", [])
    else:
        assert isinstance(result, list), dump(result)
        assert [finding(d) for d in result] == [case["error"]]


@pytest.mark.skipif(shutil.which("bash") is None, reason="bash is not installed")
@pytest.mark.parametrize("case", SCRIPT_CASES, ids=[c["title"] for c in SCRIPT_CASES])
def test_script_case_agrees_with_bash(case: dict[str, Any], tmp_path: Path) -> None:
    """What the grammar reads, bash reads; what it refuses as invalid, bash refuses."""
    script = tmp_path / "s.sh"
    script.write_text(case["script"], encoding="utf-8")
    accepted = subprocess.run(["bash", "-n", str(script)], capture_output=True, check=False).returncode == 0
    assert accepted == ("ast" in case or case.get("bash") == "accepts")


@pytest.mark.parametrize("case", TEMPLATE_CASES, ids=[c["title"] for c in TEMPLATE_CASES])
def test_template_case(case: dict[str, Any], tmp_path: Path) -> None:
    root = tmp_path / "stack"
    for name, text in case.get("files", {}).items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text, encoding="utf-8")
    root.mkdir(exist_ok=True)
    (root / "t.yaml").write_text(case["template"], encoding="utf-8")
    (tmp_path / "elsewhere.sh").write_text("echo outside\n", encoding="utf-8")
    path = str(root / "t.yaml")
    source = load_file(path, DiagnosticSink())
    assert source is not None
    scripts = scripts_in_template(source.root, source.text, confined_reader(path))

    def where(file: str, line: int, column: int) -> str:
        return f"{Path(file).relative_to(root).as_posix()}:{line}:{column}"

    collected = [f"{s.resource} {s.role} {where(s.origin.file, s.origin.line, s.origin.column)}" for s in scripts]
    if "scripts" in case:
        assert collected == case["scripts"]
    statements, findings = [], []
    for script in scripts:
        result = parse_script(script.text, script.origin)
        if isinstance(result, list):
            findings.extend(result)
            continue
        findings.extend(result.findings)
        for statement in result.body:
            span = statement.span
            statements.append(f"{where(span.file, span.line, span.column)}-{span.end_line}:{span.end_column}")
    if "statements" in case:
        assert statements == case["statements"]
    assert [finding(d, root) for d in findings] == case["expect"]
    if "message" in case:
        assert case["message"] in findings[0].message


def test_every_construct_of_the_brief_has_a_case() -> None:
    """The summaries cover each kind of node, so no construct goes untested."""
    summaries = " ".join(c["ast"] for c in SCRIPT_CASES if "ast" in c)
    for mark in ("(cmd ", "(decl ", "(| ", "(! ", " && ", " || ", " &;", "(if ", " elif ", " else ", "(for ",
                 "(for-arith ", "(while ", "(until ", "(case ", "(function ", "(subshell ", "(group ", "(test ",
                 "(arith-cmd ", "(sub ", "(backquote ", "(procsub< ", "(procsub> ", "(arith ", "${", "(<<EOF ",
                 "(<<-EOF ", "(<<'EOF' ", "(<<< ", "(2>& 1)", "(&> ", "(>| ", "(a= [", "(a+= [", "(a[2]= ", ";;&",
                 ";&", "(cmd source ", "(cmd . "):
        assert mark in summaries, mark


# Pieces of shell, to make texts that are often almost valid: the lexer's and parser's corners.
PIECES = st.sampled_from([*"ab $'\"`\\(){}[];&|<>#=\n\t!*?~-+09/%^,:@", "if ", "then ", "elif ", "else ", "fi", "do ",
                          "done", "case ", " in ", "esac", ";;", "<<EOF\n", "<<-'EOF'\n", "EOF\n", "$((", "))", "${",
                          "${x:-", "[[ ", " ]]", "for i in ", "for ((", "while ", "((", "$(", "function f ", "f() ",
                          "a=(", "x=", "export ", "<(", "2>&1", "\r\n", "$'", "\\\n"])


@settings(max_examples=400, deadline=None)
@given(st.lists(PIECES, max_size=30).map("".join))
def test_any_text_gives_a_tree_or_one_finding_at_a_line(text: str) -> None:
    result = parse_script(text, Origin("s.sh"))
    if not isinstance(result, Script):
        assert len(result) == 1 and result[0].code.id in ("H2K601", "H2K602")
        assert 1 <= result[0].span.line <= text.count("\n") + 1


def test_nodes_carry_spans_in_the_script() -> None:
    script = parse_script("echo a\nif true; then\n  ls -l\nfi\n", Origin("s.sh"))
    assert isinstance(script, Script)
    first, second = script.body
    assert tuple(first.span[1:]) == (1, 1, 1, 7)
    assert tuple(second.span[1:]) == (2, 1, 4, 3)


def test_origin_of_a_block_scalar() -> None:
    text = "a:\n  b: |\n    echo one\n\n    echo two\n"
    sink = DiagnosticSink()
    from h2k.source.loader import load_text

    root = load_text(text, "t.yaml", sink)
    scalar = root.get("a").get("b")  # type: ignore[union-attr]
    origin = Origin.of_scalar(scalar, text)
    assert origin == Origin("t.yaml", 3, 5, 4)
    assert origin.span(3, 6, 3, 9)[1:] == (5, 10, 5, 13)  # "two" on the script's line 3


def test_shipped_tables_match_the_grammar() -> None:
    """Regenerate with `python -m h2k.frontends.shell.grammar` after editing grammars/shell.lark.

    With the lark that wrote them, the file is exactly what the generator writes; with another,
    they must at least have been made from this grammar (they load, see the next test).
    """
    import json

    import lark

    from h2k.frontends.shell.grammar import GRAMMAR, TABLES, digest, tables_json

    grammar = (REPO_ROOT / "grammars" / GRAMMAR).read_text(encoding="utf-8")
    shipped = (REPO_ROOT / "grammars" / TABLES).read_text(encoding="utf-8")
    tables = json.loads(shipped)
    assert tables["grammar_sha256"] == digest(grammar), "the tables are stale"
    if tables["lark"] == lark.__version__:
        assert shipped == tables_json(grammar)


def test_tables_and_grammar_give_the_same_trees(monkeypatch: pytest.MonkeyPatch) -> None:
    """The shipped tables and a parser built from the grammar read every case alike."""
    from h2k.frontends.shell import grammar

    def summaries() -> list[str]:
        results = [parse_script(c["script"], Origin("s.sh")) for c in SCRIPT_CASES]
        return [dump(r) if isinstance(r, Script) else finding(r[0]) for r in results]

    from_tables = summaries()
    built = grammar.build(grammar.grammar_text())
    monkeypatch.setattr(grammar, "shell_parser", lambda: built)
    assert summaries() == from_tables


def test_grammar_is_package_data_of_h2k_grammars() -> None:
    """pyproject.toml maps the package onto grammars/; setup.py adds it to the packages."""
    from importlib import resources

    import setuptools

    assert resources.files("h2k.grammars").joinpath("shell.lark").is_file()
    assert resources.files("h2k.grammars").joinpath("shell.tables.json").is_file()
    pyproject = (REPO_ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert '"h2k.grammars" = "grammars"' in pyproject
    packages = setuptools.find_namespace_packages(include=["h2k*"], where=str(REPO_ROOT))
    assert "h2k" in packages and "h2k.grammars" not in packages  # so setup.py must add it
    assert '"h2k.grammars"' in (REPO_ROOT / "setup.py").read_text(encoding="utf-8")


def test_version_does_not_import_lark() -> None:
    code = ("import sys, h2k.cli; sys.argv = ['h2k', '--version']\n"
            "try:\n    h2k.cli.main()\nexcept SystemExit:\n    pass\n"
            "assert 'lark' not in sys.modules, 'lark imported'")
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr


def test_importing_the_front_end_does_not_import_lark() -> None:
    code = "import sys, h2k.frontends.shell; assert 'lark' not in sys.modules"
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
