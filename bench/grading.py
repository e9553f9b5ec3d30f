"""Grading benchmark (same as ``python -m graders bench``): sandboxed grader vs a naive one."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graders.bench import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
