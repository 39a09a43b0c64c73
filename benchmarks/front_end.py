"""Front-end cost over the corpus: loading plus evaluation, next to plain `yaml.CSafeLoader`.

    python benchmarks/front_end.py [--repeat N] [--corpus PATH]

For every HOT template, environment and embedded HOT snippet of the corpus, in one process, best
of N: (a) `yaml.load(text, Loader=yaml.CSafeLoader)`; (b) h2k's load, lowering and the passes
that evaluate (bind_parameters, evaluate, expand_groups, expand_nested, check_references), with
the parameters' defaults. Prints both totals and their ratio; the target is at most 3.
"""

from __future__ import annotations

import argparse
import os
from pathlib import Path

import yaml
from measure import best, corpus_files

from h2k.diagnostics import DiagnosticSink
from h2k.frontends.hot.lower import lower
from h2k.passes import PassContext, run
from h2k.passes.bind_parameters import bind_parameters
from h2k.passes.check_references import check_references
from h2k.passes.evaluate import evaluate
from h2k.passes.expand_groups import expand_groups
from h2k.passes.expand_nested import expand_nested
from h2k.source.detect import Kind, detect
from h2k.source.loader import load_file

ROOT = Path(__file__).resolve().parent.parent
STAGES = (bind_parameters, evaluate, expand_groups, expand_nested, check_references)


def evaluate_template(path: Path) -> None:
    """What the front end does with one file: load, lower (HOT only) and the evaluating passes."""
    sink = DiagnosticSink()
    source = load_file(str(path), sink)
    if source is None or detect(source.root) is not Kind.HOT:
        return
    stack = lower(source, sink)
    if stack is not None:
        run(stack, PassContext(sink=sink, require_values=False), STAGES)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--corpus", type=Path,
                        default=Path(os.environ.get("H2K_CORPUS", ROOT.parent / "shared" / "corpus")))
    options = parser.parse_args()
    files = corpus_files(options.corpus, ("hot", "env", "embedded-hot"))
    texts = [path.read_text(encoding="utf-8", errors="replace") for path in files]

    def plain() -> None:
        for text in texts:
            try:  # noqa: SIM105 (no context manager inside the timed loop)
                yaml.load(text, Loader=yaml.CSafeLoader)
            except yaml.YAMLError:
                pass

    def h2k() -> None:
        for path in files:
            evaluate_template(path)

    plain()
    h2k()
    baseline, ours = best(plain, options.repeat), best(h2k, options.repeat)
    size = sum(len(t.encode()) for t in texts)
    print(f"{len(files)} files, {size} bytes: CSafeLoader {baseline * 1000:.1f} ms, "
          f"h2k load+evaluate {ours * 1000:.1f} ms, ratio {ours / baseline:.2f}")


if __name__ == "__main__":
    main()
