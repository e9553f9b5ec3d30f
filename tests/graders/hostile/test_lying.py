"""Hostile submissions that try to fool the checker rather than escape: liars, forgeries, exits."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from tests.graders.conftest import SOLUTION, solution_with
from tests.graders.hostile.conftest import assert_sane, host_traces, nonce

WRONG = "a_next * 0, yt_pred, cache"


def test_monkeypatching_numpy_and_builtins_changes_nothing(grade: Any) -> None:
    """Patching np.allclose, np.isclose, assert_allclose or builtins only affects the submission's process."""
    patch = """
import builtins, numpy as np, numpy.testing
np.allclose = lambda *a, **k: True
np.isclose = lambda *a, **k: True
np.array_equal = lambda *a, **k: True
numpy.testing.assert_allclose = lambda *a, **k: None
builtins.isinstance = lambda *a: True
builtins.abs = lambda x: 0
try:
    np.ndarray.__eq__ = lambda *a: True
except TypeError as e:
    print('IMMUTABLE', e)
"""
    v = grade(solution_with(module_code=patch, returns=WRONG))
    assert_sane(v, allowed={"failed", "error"})
    assert not np.allclose(1.0, 2.0)  # the grader's own NumPy is untouched


def test_ndarray_subclass_liars_do_not_pass(grade: Any) -> None:
    """Subclasses lying through __eq__, __array_ufunc__ or __array_function__ cross as their plain data."""
    liar = """
class Liar(np.ndarray):
    def __eq__(self, other): return True
    def __ne__(self, other): return False
    def __array_ufunc__(self, *a, **k): return True
    def __array_function__(self, *a, **k): return True
    def __abs__(self): return np.zeros(self.shape)
    def __sub__(self, other): return np.zeros(self.shape)
    def __len__(self): return 0

class LiarFloat(float):
    def __eq__(self, other): return True

def lie(a):
    return np.zeros(a.shape).view(Liar)
"""
    v = grade(
        solution_with(
            module_code=liar, returns="lie(a_next), lie(yt_pred), (lie(a_next), a_prev, xt, parameters)"
        )
    )
    assert_sane(v, allowed={"failed"})
    assert "a_next differs" in v.cases[0].message


def test_pickle_reduce_payloads_are_never_unpickled(grade: Any) -> None:
    """A returned __reduce__ payload and a forged pickle-holding .npy on the result fd stay inert."""
    marker = nonce()
    code = f"""
import io, json, os, struct
import numpy as np
from rnn_utils import *

class Payload:
    def __reduce__(self):
        return (os.system, ('touch /tmp/{marker}',))  # what unpickling on the host would do

def forged_frame():
    buf = io.BytesIO()
    np.save(buf, np.array([Payload()], dtype=object), allow_pickle=True)
    header = {{"kind": "case", "index": 0, "value": ["array", 0], "blobs": [len(buf.getvalue())]}}
    head = json.dumps(header).encode()
    return struct.pack('<I', len(head)) + head + buf.getvalue()

os.write(4, forged_frame())

def rnn_cell_forward(xt, a_prev, parameters):
    return Payload(), Payload(), (Payload(), a_prev, xt, parameters)
"""
    v = grade(code)
    assert_sane(v, allowed={"failed", "error"})
    assert any("could not be read" in f for f in v.feedback)
    assert "a_next is a Payload" in v.cases[1].message
    assert host_traces(marker) == []


def test_forged_result_frames_cannot_pass_wrong_code(grade: Any) -> None:
    """Frames written straight to the result descriptor still only carry outputs, which are checked."""
    code = solution_with(
        module_code="""
import os
from graders import wire
for i in range(6):
    blobs = []
    tree = wire.encode_value((np.zeros((5, 10)), np.zeros((2, 10)), ()), blobs)
    os.write(4, wire.pack({'kind': 'case', 'index': i, 'value': tree}, blobs))
os.write(4, wire.pack({'kind': 'done'}))
""",
        returns=WRONG,
    )
    v = grade(code)
    assert_sane(v, allowed={"failed", "error"})


@pytest.mark.parametrize(
    ("where", "statement", "status"),
    [
        ("module", "import sys\nsys.exit(0)", "error"),
        ("function", "import sys\nsys.exit(0)", "error"),
        ("function", "import os\nos._exit(0)", "error"),
        ("function", "raise BaseException('stop')", "error"),
        ("function", "raise KeyboardInterrupt", "error"),
        ("function", "raise GeneratorExit", "error"),
        ("module", "import os\nos._exit(0)", "error"),
    ],
)
def test_exit_tricks_are_errors(grade: Any, where: str, statement: str, status: str) -> None:
    """sys.exit, os._exit and BaseException subclasses, at load time or in the function, are errors."""
    code = solution_with(module_code=statement) if where == "module" else solution_with(body_prefix=statement)
    v = grade(code)
    assert_sane(v, allowed={status})
    assert v.score == 0


def test_atexit_and_excepthook_tricks_change_nothing(grade: Any) -> None:
    """Handlers that print or write 'passed' at exit or on an exception are never consulted."""
    tricks = """
import atexit, os, sys
from graders import wire
atexit.register(lambda: print('{"status": "passed"}'))
atexit.register(lambda: os.write(4, wire.pack({'kind': 'done'})))
sys.excepthook = lambda *a: print('ALL TESTS PASSED')
threading_hook = __import__('threading').excepthook = lambda *a: None
"""
    v = grade(solution_with(module_code=tricks, returns=WRONG))
    assert_sane(v, allowed={"failed"})
    assert "ALL TESTS PASSED" not in v.output and '{"status": "passed"}' not in v.output


def test_printing_fake_verdicts_is_just_output(grade: Any) -> None:
    """Printed verdict-like text is returned as output and never changes the verdict."""
    fake = '{"exercise": "rnn_cell_forward", "status": "passed", "score": 10, "max_score": 10, "cases": []}'
    v = grade(solution_with(module_code=f"print({fake!r})\nprint('PASSED 6/6')", returns=WRONG))
    assert_sane(v, allowed={"failed"})
    assert fake in v.output and v.score == 0


def test_reading_stdin_gets_end_of_file_at_once(grade: Any) -> None:
    """stdin is empty: read() returns '' immediately and input() raises EOFError (no hang)."""
    v = grade(solution_with(module_code="import sys\nprint('STDIN', repr(sys.stdin.read()))"))
    assert_sane(v, allowed={"passed"}, seconds=2.0)
    assert "STDIN ''" in v.output
    v = grade(solution_with(body_prefix="input('name? ')"))
    assert_sane(v, allowed={"error"}, seconds=2.0)
    assert "EOFError" in v.cases[0].message


def test_mutating_inputs_in_place_is_caught_and_contained(grade: Any) -> None:
    """Changing the inputs in place shows up in the checked cache; the reference used its own copies."""
    after = solution_with(returns="a_next, yt_pred, cache")
    after = after.replace(
        "    cache = (a_next, a_prev, xt, parameters)\n",
        "    cache = (a_next, a_prev, xt, parameters)\n    parameters['Wax'] *= 0\n    a_prev += 1\n",
    )
    v = grade(after)
    assert_sane(v, allowed={"failed"})
    assert "cache[1] (a_prev) differs" in v.cases[0].message and "a_next, yt_pred" in v.cases[0].message
    before = solution_with(body_prefix="xt *= 2\nparameters['ba'][:] = 0")
    assert_sane(grade(before), allowed={"failed"})
    assert_sane(grade(SOLUTION), allowed={"passed"})


@pytest.mark.parametrize(
    "returns",
    [
        "a_next[:, :1], yt_pred, cache",
        "a_next, yt_pred.mean(axis=1, keepdims=True), cache",
        "a_next, yt_pred[:, 0], cache",
        "a_next.T, yt_pred, cache",
        "float(a_next.mean()), yt_pred, cache",
    ],
)
def test_wrong_shapes_relying_on_broadcasting_fail(grade: Any, returns: str) -> None:
    """Outputs NumPy would broadcast to the right shape are still wrong: shapes must match exactly."""
    v = grade(solution_with(returns=returns))
    assert_sane(v, allowed={"failed"})
    assert any(w in v.cases[0].message for w in ("has shape", "expected an array of shape"))


def test_nan_outputs_fail(grade: Any) -> None:
    """NaN (or inf) where finite values are expected fails, with its index."""
    v = grade(solution_with(returns="np.full_like(a_next, np.nan), yt_pred * np.inf, cache"))
    assert_sane(v, allowed={"failed"})
    assert "a_next contains NaN at index (0, 0)" in v.cases[0].message
    assert "yt_pred contains infinity" in v.cases[0].message


def test_non_utf8_source_is_rejected(grade: Any) -> None:
    """Latin-1 or binary source is rejected before anything runs."""
    v = grade(b"\xff\xfe" + SOLUTION.encode("utf-16-le"))
    assert_sane(v, allowed={"rejected"}, seconds=0.5)
    assert "wall_s" not in v.timings


def test_ten_megabyte_source_is_rejected(grade: Any) -> None:
    """A 10 MB source is rejected at once, without starting a sandbox."""
    v = grade(SOLUTION + "\n#" + "x" * (10 << 20))
    assert_sane(v, allowed={"rejected"}, seconds=0.5)
    assert "10,48" in v.feedback[0] and "64 KiB" in v.feedback[0]


def test_absurdly_nested_return_value_is_refused_not_followed(grade: Any) -> None:
    """A return value nested thousands deep crosses as 'nested too deeply' and simply fails."""
    nest = "deep = a_next\nfor _ in range(5000):\n    deep = [deep]"
    v = grade(
        solution_with(body_prefix="", returns="deep, yt_pred, cache").replace(
            "    return deep, yt_pred, cache",
            "    " + nest.replace("\n", "\n    ") + "\n    return deep, yt_pred, cache",
        )
    )
    assert_sane(v, allowed={"failed", "error"})
    assert "a_next" in v.cases[0].message
