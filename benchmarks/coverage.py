"""Translation coverage on a corpus: per template, where each resource of the stack went.

Every HOT template under a folder of the shared corpus (default `openstack+heat-templates/hot`) is
compiled, with its `<name>_env.yaml` environment when one lies beside it, and validated for the
oldest, default and newest bundled Kubernetes versions. A resource is *on Kubernetes* when the
migration report calls it translated, merged into another object, or switched off by a condition;
*on OpenStack* when it stays in the residual Heat stack; *no counterpart* when h2k deliberately
gives it no object (VM-only boot data, deployments that cannot run in a pod). The three together
are *accounted for*; everything else (not translated, disabled) has its diagnostics in the report.
Objects that fail validation, and internal errors, are listed: there should be none.

    python benchmarks/coverage.py [--corpus DIR] [--under hot] [--servers POLICY] [--json FILE]
"""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict, dataclass
from pathlib import Path

HERE = Path(__file__).resolve().parent
DEFAULT_CORPUS = HERE.parent.parent / "shared" / "corpus" / "openstack+heat-templates"
COVERED = ("translated", "merged", "switched_off")
FAILURE_CODES = ("H2K901", "H2K902", "H2K903")


@dataclass
class Coverage:
    template: str
    environment: str | None
    resources: int
    covered: int
    no_counterpart: int
    openstack: int
    problems: list[str]

    @property
    def accounted(self) -> int:
        return self.covered + self.no_counterpart + self.openstack

    @property
    def share(self) -> float | None:
        return self.covered / self.resources if self.resources else None


def measure(template: Path, corpus: Path, versions: list[str], servers: str) -> Coverage:
    from h2k.api import CompileOptions, compile

    env = template.with_name(template.name.replace(".yaml", "_env.yaml"))
    environments = [str(env)] if env != template and env.is_file() else []
    problems: list[str] = []
    result = None
    for version in versions:
        result = compile(template, CompileOptions(kube_version=version, environment_files=environments,
                                                  files_root=str(corpus), servers=servers))
        problems += [f"{version}: {d.code.id} {d.message}" for d in result.diagnostics
                     if d.code.id in FAILURE_CODES]
    name = str(template.relative_to(corpus))
    if result is None or result.stack is None:
        return Coverage(name, environments[0] if environments else None, 0, 0, 0, 0, [*problems, "not compiled"])
    summary = json.loads(result.files["h2k-report.json"])["summary"]
    covered = sum(summary[key] for key in COVERED)
    return Coverage(name, Path(environments[0]).name if environments else None, summary["resources"],
                    covered, summary["no_counterpart"], summary["openstack"], problems)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS)
    parser.add_argument("--under", default="hot", help="folder of the corpus to measure (hot)")
    parser.add_argument("--servers", default="auto", choices=("auto", "container", "kubevirt", "openstack"),
                        help="where servers go (as h2k compile --servers)")
    parser.add_argument("--json", type=Path, default=None, help="also write the rows as JSON to this file")
    args = parser.parse_args(argv)
    index = json.loads((args.corpus / "_h2k_index.json").read_text(encoding="utf-8"))
    templates = sorted(args.corpus / entry["path"] for entry in index["files"]
                       if entry["role"] == "hot" and entry["path"].startswith(f"{args.under}/"))
    from h2k.validate.kubernetes import default_version, supported_versions

    versions = sorted({supported_versions()[0], default_version(), supported_versions()[-1]},
                      key=lambda v: tuple(map(int, v.split("."))))
    rows = [measure(template, args.corpus, versions, args.servers) for template in templates]
    width = max(len(r.template) for r in rows)
    print(f"{'template':<{width}}  kubernetes/resources  openstack  none  accounted  environment")
    for r in rows:
        share = f"{r.share:.0%}" if r.share is not None else "-"
        print(f"{r.template:<{width}}  {r.covered:>3}/{r.resources:<3} {share:>5}  {r.openstack:>9}  "
              f"{r.no_counterpart:>4}  {r.accounted:>4}/{r.resources:<4}  {r.environment or ''}")
        for problem in r.problems:
            print(f"    {problem}")
    resources = sum(r.resources for r in rows)
    covered = sum(r.covered for r in rows)
    apart = sum(r.no_counterpart for r in rows)
    staying = sum(r.openstack for r in rows)
    accounted = sum(r.accounted for r in rows)
    full = sum(r.resources > 0 and r.covered == r.resources for r in rows)
    none = sum(r.resources > 0 and r.covered == 0 for r in rows)
    problems = sum(bool(r.problems) for r in rows)
    print(f"\n{len(rows)} templates, Kubernetes {', '.join(versions)}, --servers {args.servers}: of {resources} "
          f"resources, {covered} on Kubernetes ({covered / max(resources, 1):.0%}), {staying} on OpenStack, {apart} "
          f"with no counterpart by design: {accounted} accounted for ({accounted / max(resources, 1):.0%}); "
          f"{full} templates fully on Kubernetes, {len(rows) - full - none} partly, {none} not at all; {problems} "
          "with invalid objects or internal errors")
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in rows], indent=2) + "\n", encoding="utf-8")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
