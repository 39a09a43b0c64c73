"""Planted secrets never reach what h2k writes or prints, whatever the command and its options.

The templates in tests/data/secrets_audit/ hold distinctive values (each contains `PLANT`) in every
place a secret comes from: hidden parameters with defaults, given with -P, in an environment's
`parameters` and `parameter_defaults`, with --parameter-file (a multi-line private key), a key
pair's public key, a RandomString's salt, a boot script's `str_replace`, a software deployment's
`input_values` and a Zun container's environment. Every run below is searched for them: each file
under the output directory meant for git, stdout and stderr. The values are searched token by token,
so a value escaped (JSON) or re-indented (a YAML block) is found as well.
"""

from __future__ import annotations

import fnmatch
import re
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from h2k.cli import main

DATA = Path(__file__).parent / "data" / "secrets_audit"
PLANTED = DATA / "planted.yaml"
REFUSED = DATA / "refused.yaml"
# Boot data of virtual machines, on KubeVirt and on OpenStack.
BOOT = DATA / "planted_boot.yaml"
# A multi-line value is never written as given (JSON escapes it, YAML re-indents it): still refused.
REFUSED_MULTILINE = DATA / "refused_multiline.yaml"
ENVIRONMENT = DATA / "planted_env.yaml"
PRIVATE_KEY = DATA / "ssh_private_key.txt"
CLI_TOKEN = "PLANTcli4Zk"
SALT = "PLANTsalt5Jd"
# The residual Heat stack is cut from the user's own template: the RandomString's definition keeps its
# salt there (a new salt would make Heat generate a new value), and only there.
SALT_ALLOWED_IN = frozenset({"openstack/infra.yaml", "openstack/retain.yaml"})


def _tokens(*texts: str) -> frozenset[str]:
    return frozenset(token for text in texts for token in re.findall(r"PLANT[0-9A-Za-z]+", text))


TOKENS = _tokens(*(path.read_text(encoding="utf-8")
                   for path in (PLANTED, BOOT, REFUSED, REFUSED_MULTILINE, ENVIRONMENT, PRIVATE_KEY)),
                 CLI_TOKEN)
INPUT = ("-e", str(ENVIRONMENT), "-P", f"api_token={CLI_TOKEN}", "--parameter-file",
         f"ssh_private_key={PRIVATE_KEY}")


@dataclass(frozen=True)
class Run:
    exit_code: int
    stdout: str
    stderr: str


def _h2k(*args: str) -> Run:
    result = CliRunner().invoke(main, list(args))
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return Run(result.exit_code, result.stdout, result.stderr)


def _ignored(relative: Path, root: Path) -> bool:
    """Whether a `.gitignore` of the output tree keeps the file out of git (the user's own secret values)."""
    for directory in (root, *[root / Path(*relative.parts[:n]) for n in range(1, len(relative.parts))]):
        ignore = directory / ".gitignore"
        if not ignore.is_file():
            continue
        below = relative.relative_to(directory.relative_to(root))
        for pattern in ignore.read_text(encoding="utf-8").split():
            if pattern.endswith("/") and len(below.parts) > 1 and fnmatch.fnmatch(below.parts[0], pattern[:-1]):
                return True
            if not pattern.endswith("/") and fnmatch.fnmatch(below.name, pattern):
                return True
    return False


def _leaks(text: str, where: str, salt_allowed: bool = False) -> list[str]:
    return [f"{token} in {where}" for token in sorted(TOKENS)
            if token in text and not (salt_allowed and token == SALT)]


def _tree_leaks(root: Path) -> list[str]:
    found: list[str] = []
    for path in sorted(p for p in root.rglob("*") if p.is_file()):
        relative = path.relative_to(root)
        if _ignored(relative, root):
            continue
        text = path.read_text(encoding="utf-8", errors="replace")
        found += _leaks(text, relative.as_posix(), salt_allowed=_residual(relative))
    return found


def _residual(relative: Path) -> bool:
    posix = relative.as_posix()
    return any(posix == allowed or posix.endswith("/" + allowed) for allowed in SALT_ALLOWED_IN)


def _run_leaks(run: Run) -> list[str]:
    return _leaks(run.stdout, "stdout") + _leaks(run.stderr, "stderr")


def test_planted_tokens_are_found() -> None:
    """The audit searches for every kind of planted value; a typo in the data would make it vacuous."""
    assert len(TOKENS) == 14
    assert {CLI_TOKEN, SALT, "PLANTkeyline1Wq", "PLANTenvdefault9Rb", "PLANTpubkey6Tz"} <= TOKENS


# Packaging and format (kustomize, plain and helm; YAML and JSON) with servers and infrastructure
# in each of their modes.
COMPILE_MODES = [
    *[("--package", package, "--format", fmt) for package in ("kustomize", "plain") for fmt in ("yaml", "json")],
    ("--package", "helm", "--format", "yaml"),
    *[("--infra", infra, "--servers", servers) for infra in ("heat", "orc")
      for servers in ("auto", "container", "kubevirt", "openstack")],
    ("--package", "helm", "--servers", "kubevirt", "--infra", "orc"),
]

# A k-orc KeyPair carries its public key, here a hidden parameter: refused rather than written.
REFUSED_MODES = frozenset({("--infra", "orc", "--servers", "openstack")})


@pytest.mark.parametrize("mode", COMPILE_MODES, ids=["-".join(m[1::2]) for m in COMPILE_MODES])
def test_compile_writes_no_secret(tmp_path: Path, mode: tuple[str, ...]) -> None:
    out = tmp_path / "out"
    run = _h2k("compile", str(PLANTED), *INPUT, "-o", str(out), "-v", *mode)
    assert _run_leaks(run) == []
    if mode in REFUSED_MODES:
        assert run.exit_code == 2 and "H2K410" in run.stderr and not out.exists()
        return
    assert run.exit_code == 0, run.stderr
    assert (out / "h2k-report.json").is_file() and "H2K425" in run.stderr
    assert _tree_leaks(out) == []



def test_only_the_users_value_files_are_skipped(tmp_path: Path) -> None:
    """The audit skips what the output's `.gitignore` keeps out of git: the empty value files, nothing else."""
    out = tmp_path / "out"
    assert _h2k("compile", str(PLANTED), *INPUT, "-o", str(out), "--servers", "kubevirt").exit_code == 0
    files = sorted(p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file())
    skipped = [name for name in files if _ignored(Path(name), out)]
    assert skipped == ["kubernetes/secrets/app-userdata/userdata", "kubernetes/secrets/ssh-key-admin/key"]
    assert all((out / name).read_bytes() == b"" for name in skipped)
    assert "kubernetes/secrets/planted-api-token.env.example" in files


# The user data of a machine on KubeVirt is supplied at deploy time (H2K431). On OpenStack, the
# residual stack keeps the parameters without their defaults; a k-orc Secret of user data would hold
# the key, and is refused.
BOOT_MODES = {("kubevirt", "heat"): 0, ("kubevirt", "orc"): 0, ("openstack", "heat"): 0, ("openstack", "orc"): 2}


@pytest.mark.parametrize(("servers", "infra"), list(BOOT_MODES), ids=["-".join(m) for m in BOOT_MODES])
@pytest.mark.parametrize("fmt", ["yaml", "json"])
def test_boot_data_holds_no_secret(tmp_path: Path, servers: str, infra: str, fmt: str) -> None:
    out = tmp_path / "out"
    run = _h2k("compile", str(BOOT), "-o", str(out), "-v", "--servers", servers, "--infra", infra, "--format", fmt)
    assert run.exit_code == BOOT_MODES[servers, infra], run.stderr
    assert ("H2K431" in run.stderr) == (servers == "kubevirt")
    assert out.exists() == (run.exit_code == 0)
    assert _run_leaks(run) + (_tree_leaks(out) if out.exists() else []) == []


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_diagnostics_hold_no_secret(tmp_path: Path, fmt: str) -> None:
    """Every diagnostics format, on stderr and in --diagnostics-output, with notes."""
    for template in (PLANTED, BOOT, REFUSED):
        report = tmp_path / f"{template.stem}.{fmt}"
        for servers in ("kubevirt", "container"):
            run = _h2k("compile", str(template), *INPUT, "--stdout", "-v", "--servers", servers,
                       "--diagnostics-format", fmt)
            assert run.stderr and _run_leaks(run) == []
        run = _h2k("compile", str(template), *INPUT, "--stdout", "-v", "--diagnostics-format", fmt,
                   "--diagnostics-output", str(report))
        assert _run_leaks(run) + _leaks(report.read_text(encoding="utf-8"), report.name) == []


@pytest.mark.parametrize("fmt", ["text", "json", "sarif", "github"])
def test_check_holds_no_secret(fmt: str) -> None:
    """`h2k check` (the pre-commit hook) reads the templates and the environment without compiling."""
    templates = (PLANTED, BOOT, REFUSED, REFUSED_MULTILINE, ENVIRONMENT)
    run = _h2k("check", *map(str, templates), "--format", fmt, "-v")
    assert run.exit_code == 0
    assert _run_leaks(run) == []


@pytest.mark.parametrize("fmt", ["yaml", "json"])
@pytest.mark.parametrize("servers", ["auto", "kubevirt"])
def test_stdout_stream_holds_no_secret(fmt: str, servers: str) -> None:
    run = _h2k("compile", str(PLANTED), *INPUT, "--stdout", "--format", fmt, "--servers", servers)
    assert run.exit_code == 0 and run.stdout
    assert _run_leaks(run) == []


def test_ir_dump_masks_secrets() -> None:
    """The dump escapes a multi-line value (`\\n`): masked all the same, as are the RandomString's salts."""
    for template in (PLANTED, BOOT, REFUSED):
        run = _h2k("compile", str(template), *INPUT, "--emit", "ir", "-v")
        assert _run_leaks(run) == []
    assert "******" in _h2k("compile", str(PLANTED), *INPUT, "--emit", "ir").stdout


def test_check_diff_holds_no_secret(tmp_path: Path) -> None:
    """--check prints a diff of the output tree: against a tree of another mode, it shows every file."""
    out = tmp_path / "out"
    assert _h2k("compile", str(PLANTED), *INPUT, "-o", str(out), "--servers", "container").exit_code == 0
    same = _h2k("compile", str(PLANTED), *INPUT, "-o", str(out), "--servers", "container", "--check", "-v")
    drift = _h2k("compile", str(PLANTED), *INPUT, "-o", str(out), "--servers", "kubevirt", "--check", "-v")
    assert same.exit_code == 0 and drift.exit_code == 1 and drift.stdout
    assert _run_leaks(same) + _run_leaks(drift) + _tree_leaks(out) == []


def test_refused_run_writes_and_prints_no_secret(tmp_path: Path) -> None:
    """H2K410 stops the run before anything is written: no tree, no stream, no value in the messages."""
    out = tmp_path / "out"
    for template in (REFUSED, REFUSED_MULTILINE):
        for args in (("-o", str(out)), ("-o", str(out), "--format", "json"), ("--stdout",),
                     ("--stdout", "--format", "json"), ("-o", str(out), "--package", "helm"),
                     ("-o", str(out), "--package", "plain", "--infra", "orc"), ("--emit", "ir")):
            run = _h2k("compile", str(template), *args, "-v")
            assert run.exit_code == 2 and "H2K410" in run.stderr, (template.name, args)
            assert run.stdout == "" and not out.exists()
            assert _run_leaks(run) == []


def test_refused_run_leaves_an_existing_tree_as_it_was(tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _h2k("compile", str(PLANTED), *INPUT, "-o", str(out)).exit_code == 0
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    # The same stack name, so h2k would replace the tree it wrote, were the run not refused.
    run = _h2k("compile", str(REFUSED), "--stack-name", "planted", "-o", str(out))
    assert run.exit_code == 2 and "H2K410" in run.stderr
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


@pytest.mark.parametrize("servers", ["auto", "kubevirt", "openstack"])
def test_explain_graph_and_hint_print_no_secret(servers: str) -> None:
    runs = []
    for template, given in ((PLANTED, INPUT), (REFUSED, ())):
        for fmt in ("text", "json"):
            runs.append(_h2k("explain", str(template), *given, "--servers", servers, "--format", fmt))
        for fmt in ("mermaid", "dot", "svg"):
            runs.append(_h2k("graph", str(template), *given, "--servers", servers, "--format", fmt))
    assert all(run.stdout for run in runs[:5])
    # The refused template is not explained nor drawn: its run says why, without the value.
    assert all(run.exit_code == 2 and "H2K410" in run.stderr for run in runs[5:])
    assert [leak for run in runs for leak in _run_leaks(run)] == []


def test_hint_dry_run_prints_no_secret(tmp_path: Path) -> None:
    """The diff of a hint shows lines of the template around each placeholder, hidden defaults among them."""
    for template, given in ((PLANTED, INPUT), (REFUSED, ())):
        copy = tmp_path / template.name
        # Without the config, the server's image is unknown: hint has a placeholder to show.
        shutil.copy(template, copy)
        run = _h2k("hint", str(copy), *given, "--dry-run")
        # The refused template is left as it was, with the reason.
        assert (run.exit_code, "H2K410" in run.stderr) == ((0, False) if template == PLANTED else (2, True))
        assert _run_leaks(run) == []
        assert copy.read_bytes() == template.read_bytes()


@pytest.mark.parametrize("servers", ["auto", "kubevirt"])
def test_migrate_writes_no_secret(tmp_path: Path, servers: str) -> None:
    """A directory of stacks, their values in environment files beside them (a private key among them)."""
    source = tmp_path / "stacks"
    source.mkdir()
    for name in ("planted.yaml", "refused.yaml", "h2k.yaml"):
        shutil.copy(DATA / name, source / name)
    key = PRIVATE_KEY.read_text(encoding="utf-8")
    block = "".join(f"    {line}\n" for line in key.splitlines())
    (source / "planted_env.yaml").write_text(
        ENVIRONMENT.read_text(encoding="utf-8").replace(
            "parameters:\n", f"parameters:\n  api_token: {CLI_TOKEN}\n  ssh_private_key: |\n{block}", 1),
        encoding="utf-8")
    out = tmp_path / "out"
    run = _h2k("migrate", str(source), "-o", str(out), "--jobs", "1", "--no-progress", "--servers", servers)
    assert run.exit_code in (0, 1), run.stderr
    assert (out / "stacks" / "planted").is_dir()
    assert _run_leaks(run) + _tree_leaks(out) == []
