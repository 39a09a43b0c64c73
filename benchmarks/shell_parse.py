"""Boot-script parsing speed over the corpus, next to baselines measured in the same run.

    python benchmarks/shell_parse.py [--repeat N] [--corpus PATH] [--extra DIR]... [--json FILE]

Parses every shell script of the corpus (what the sweep in tests/test_shell_corpus.py reads:
user_data, software configs, get_file targets, stand-alone scripts) with `parse_script`, in one
process, best of N, and prints MB/s. Baselines on the same texts: `str.split()` (the cheapest
tokenizer there is) and `bash -n` run on each script (a real shell parser, with a process start
per script). `--extra DIR` adds the shell scripts found below DIR (e.g. /usr/bin) for a larger
sample. The parser's load time (from the shipped tables, and built from the grammar) is timed
in fresh processes. The target is at least 1 MB/s.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from front_end import best  # a sibling script: the same best-of-N timing

from h2k.diagnostics import DiagnosticSink
from h2k.frontends.shell import Origin, parse_script
from h2k.frontends.shell.ast import Script
from h2k.frontends.shell.collect import confined_reader, scripts_in_template, shell_files
from h2k.source.loader import load_file

ROOT = Path(__file__).resolve().parent.parent


def corpus_scripts(corpus: Path) -> list[str]:
    """The text of every shell script of the corpus, once each."""
    found: dict[tuple[str, int, int], str] = {}
    for index in sorted(corpus.glob("*/_h2k_index.json")):
        for entry in json.loads(index.read_text(encoding="utf-8"))["files"]:
            if entry["role"] not in ("hot", "embedded-hot"):
                continue
            path = str(index.parent / entry["path"])
            source = load_file(path, DiagnosticSink())
            if source is None:
                continue
            for script in scripts_in_template(source.root, source.text, confined_reader(path)):
                found.setdefault((script.origin.file, script.origin.line, script.origin.column), script.text)
    for script in shell_files(corpus):
        found.setdefault((os.path.normpath(script.origin.file), 1, 1), script.text)
    return [found[key] for key in sorted(found)]


def bash_n(texts: list[str]) -> float:
    """Wall time of `bash -n` on each script (written to files first, not timed)."""
    with tempfile.TemporaryDirectory() as folder:
        paths = []
        for number, text in enumerate(texts):
            path = Path(folder) / f"{number}.sh"
            path.write_text(text, encoding="utf-8")
            paths.append(str(path))
        start = time.perf_counter()
        for path in paths:
            subprocess.run(["bash", "-n", path], capture_output=True, check=False)
        return time.perf_counter() - start


def load_time(code: str, repeat: int) -> float:
    """Best wall time of `code` in a fresh interpreter, less `python -c pass`."""
    def run(source: str) -> float:
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", source], check=True)
        return time.perf_counter() - start
    baseline = min(run("pass") for _ in range(repeat))
    return min(run(code) for _ in range(repeat)) - baseline


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--corpus", type=Path,
                        default=Path(os.environ.get("H2K_CORPUS", ROOT.parent / "shared" / "corpus")))
    parser.add_argument("--extra", type=Path, action="append", default=[],
                        help="also parse the shell scripts below this directory")
    parser.add_argument("--json", type=Path, help="also write the numbers to this file")
    options = parser.parse_args()

    texts = corpus_scripts(options.corpus) if options.corpus.is_dir() else []
    corpus_count = len(texts)
    for directory in options.extra:
        texts += [s.text for s in shell_files(directory) if len(s.text) < 1 << 20]
    if not texts:
        parser.error(f"no scripts: corpus {options.corpus} not found and no --extra")
    size = sum(len(t.encode("utf-8")) for t in texts)
    origin = Origin("script.sh")
    results = [parse_script(t, origin) for t in texts]  # warm: the parser is loaded once
    parsed = sum(isinstance(r, Script) for r in results)

    h2k = best(lambda: [parse_script(t, origin) for t in texts], options.repeat)
    split = best(lambda: [t.split() for t in texts], options.repeat)
    bash = bash_n(texts)
    tables = load_time("from h2k.frontends.shell.grammar import shell_parser; shell_parser()", options.repeat)
    built = load_time("from h2k.frontends.shell import grammar; grammar.build(grammar.grammar_text())",
                      min(options.repeat, 3))

    numbers = {
        "scripts": len(texts), "corpus_scripts": corpus_count, "bytes": size, "parsed": parsed,
        "h2k_s": h2k, "h2k_mb_s": size / h2k / 1e6, "split_s": split, "bash_n_s": bash,
        "ratio_to_split": h2k / split, "ratio_to_bash_n": h2k / bash,
        "load_from_tables_s": tables, "build_from_grammar_s": built,
    }
    print(f"{len(texts)} scripts ({corpus_count} from the corpus), {size} bytes, {parsed} parsed")
    print(f"  h2k parse_script   {h2k * 1000:9.1f} ms  {numbers['h2k_mb_s']:6.2f} MB/s")
    print(f"  str.split          {split * 1000:9.1f} ms  h2k is x{numbers['ratio_to_split']:.0f}")
    print(f"  bash -n per script {bash * 1000:9.1f} ms  h2k is x{numbers['ratio_to_bash_n']:.2f}")
    print(f"  parser load: {tables * 1000:.0f} ms from the shipped tables, {built * 1000:.0f} ms from the grammar "
          "(fresh process, less python -c pass)")
    if options.json:
        options.json.write_text(json.dumps(numbers, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
