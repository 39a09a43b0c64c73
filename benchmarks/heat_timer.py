"""Time the real Heat engine parsing and resolving templates; run by suite.py with the Heat venv's python.

It reuses the Heat set-up and the evaluation steps of tests/heat_worker.py (the oracle of the
differential tests), so the benchmark times the same work the tests compare against. Timing is
done here, inside the Heat process, so that neither the process start (~2 s of imports) nor the
pipe between the processes is counted: this is Heat warm, as a running engine is.

Protocol: one JSON object on stdin, `{"templates": [{"text", "files"}...], "repeat": N}`; one
JSON object on stdout, `{"samples_ms": [...], "errors": E, "heat_version": V}`: the wall time of
each of N passes over all templates (after one untimed pass), and how many templates Heat could
not build. Heat's own chatter goes to stderr.
"""

from __future__ import annotations

import json
import os
import sys
import time
from importlib.metadata import version
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "tests"))

from heat_worker import BuildError, Evaluator, Heat  # found through the path above


def resolve(evaluator: Evaluator, request: dict[str, Any]) -> bool:
    """Parse, build the stack, and resolve conditions, every enabled resource and the outputs: what
    h2k's front end and evaluating passes compute. False when Heat cannot build the stack."""
    try:
        stack = evaluator.build(request)
    except BuildError:
        return False
    evaluator.conditions(stack)
    evaluator.resources(stack)
    evaluator.outputs(stack)
    return True


def main() -> None:
    protocol_out = os.fdopen(os.dup(1), "w", encoding="utf-8")
    os.dup2(2, 1)
    sys.stdout = sys.stderr
    request = json.loads(sys.stdin.read())
    evaluator = Evaluator(Heat())
    requests = [{"template": item["text"], "files": item.get("files") or {}} for item in request["templates"]]
    errors = sum(not resolve(evaluator, item) for item in requests)  # warm: plugins, yaql, caches
    samples = []
    for _ in range(int(request["repeat"])):
        start = time.perf_counter()
        for item in requests:
            resolve(evaluator, item)
        samples.append((time.perf_counter() - start) * 1000)
    protocol_out.write(json.dumps({"samples_ms": samples, "errors": errors,
                                   "heat_version": version("openstack-heat")}) + "\n")
    protocol_out.flush()


if __name__ == "__main__":
    main()
