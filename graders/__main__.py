"""Command line: ``python -m graders grade EXERCISE FILE``, ``list``, ``bench`` and ``status``.

``grade`` prints exactly one verdict JSON on stdout and exits 0 whenever a verdict was
produced; it exits 1 when the platform failed and 2 on a usage error (unknown exercise,
unreadable file).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from graders.catalogue import Catalogue, CatalogueError, UnknownExercise
from graders.grader import Grader
from graders.sandbox.pool import SandboxError


def _seed(text: str) -> int:
    if not text.isdigit():
        raise argparse.ArgumentTypeError("a seed is a non-negative integer")
    return int(text)


def _grade(args: argparse.Namespace) -> int:
    grader = Grader(workers=1)
    try:
        grader.catalogue.get(args.exercise)
    except UnknownExercise:
        print(
            f"unknown exercise {args.exercise!r}; known: {', '.join(grader.catalogue.slugs())}",
            file=sys.stderr,
        )
        return 2
    try:
        code = sys.stdin.buffer.read() if args.file == "-" else Path(args.file).read_bytes()
    except OSError as exc:
        print(f"cannot read {args.file}: {exc.strerror}", file=sys.stderr)
        return 2
    try:
        verdict = grader.grade(args.exercise, code, seed=args.seed)
    finally:
        grader.close()
    print(json.dumps(verdict.to_dict(), ensure_ascii=False))
    return 0


def _list(args: argparse.Namespace) -> int:
    for slug in Catalogue().slugs():
        print(slug)
    return 0


def _status(args: argparse.Namespace) -> int:
    grader = Grader(workers=1)
    try:
        print(json.dumps(grader.pool().report, indent=2))
    finally:
        grader.close()
    return 0


def main(argv: list[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = argparse.ArgumentParser(prog="python -m graders", description="Sandboxed exercise grader.")
    sub = parser.add_subparsers(dest="command", required=True)
    grade = sub.add_parser("grade", help="grade one file and print one verdict JSON")
    grade.add_argument("exercise")
    grade.add_argument("file", help="the submission ('-' reads standard input)")
    grade.add_argument(
        "--seed", type=_seed, default=None, help="replay the hidden cases of an earlier grading"
    )
    grade.set_defaults(run=_grade)
    sub.add_parser("list", help="print the exercise slugs, one per line").set_defaults(run=_list)
    sub.add_parser("status", help="print the sandbox's isolation report").set_defaults(run=_status)
    sub.add_parser("bench", help="latency and throughput next to a naive grader (see --help)", add_help=False)
    argv = sys.argv[1:] if argv is None else argv
    if argv[:1] == ["bench"]:
        from graders.bench import main as bench_main

        return bench_main(argv[1:])
    args = parser.parse_args(argv)
    try:
        status: int = args.run(args)
    except (SandboxError, CatalogueError) as exc:
        print(f"grader failure: {exc}", file=sys.stderr)
        return 1
    return status


if __name__ == "__main__":
    sys.exit(main())
