"""Property-based fuzzing of everything that reads what the sandboxed child sends back.

The frame splitter, the ``.npy`` reader, the value decoder and the judge itself must be total
(only ``WireError`` from the readers, always a verdict from the judge) and bounded (a verdict
JSON of at most 256 KiB, NUL-free, valid UTF-8). CI runs the short ``grader-ci`` profile; set
``GRADER_FUZZ_PROFILE=grader-long`` for the long local run recorded in docs/grader.md.
"""

from __future__ import annotations

import copy
import functools
import json
import os
import struct
from typing import Any

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from graders import STATUSES, wire
from graders.catalogue import Catalogue
from graders.judge import judge
from graders.sandbox.limits import Limits
from graders.sandbox.pool import JobResult
from graders.verdict import MAX_VERDICT_BYTES, bounded

_COMMON = {"deadline": None, "suppress_health_check": list(HealthCheck), "derandomize": False}
settings.register_profile("grader-ci", max_examples=30, **_COMMON)
settings.register_profile("grader-long", max_examples=2_000, **_COMMON)
FUZZ = settings.get_profile(os.environ.get("GRADER_FUZZ_PROFILE", "grader-ci"))

KINDS = [
    "started",
    "loaded",
    "done",
    "case",
    "case_error",
    "syntax_error",
    "module_error",
    "missing_function",
]
BIG_INTS = st.sampled_from([0, 1, -1, 2**31, 2**40, 2**63, 10**30, 10**300])
scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | BIG_INTS
    | st.floats()
    | st.text(max_size=30)
    | st.sampled_from(["\x00", "\ud800", "a\x00b", "é" * 50])
)
json_values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=6) | st.dictionaries(st.text(max_size=8), children, max_size=6)
    ),
    max_leaves=25,
)

# .npy bytes: what NumPy writes, what a forger writes (odd descrs, shapes and lengths), and damage.
DESCRS = ["<f8", "<f4", "<f2", "<i8", "<u1", "|b1", "<c16", ">f8", "<i3", "<u0", "<f5", "<c7", "|O", "<U3",
          "<M8", "|V4", "<f16", "<c32", "=i4"]  # fmt: skip
numeric_arrays = hnp.arrays(
    dtype=hnp.boolean_dtypes() | hnp.integer_dtypes() | hnp.floating_dtypes() | hnp.complex_number_dtypes(),
    shape=hnp.array_shapes(min_dims=0, max_dims=4, min_side=0, max_side=4),
)


@st.composite
def forged_npy(draw: st.DrawFn) -> bytes:
    descr = draw(st.sampled_from(DESCRS) | st.text(max_size=6))
    shape = draw(st.lists(st.integers(0, 5) | BIG_INTS, max_size=4))
    fortran = draw(st.sampled_from(["False", "True", "1", "None"]))
    head = f"{{'descr': {descr!r}, 'fortran_order': {fortran}, 'shape': {tuple(shape)!r}, }}"
    head = draw(st.sampled_from([head, head + " " * (-(len(head) + 11) % 64) + "\n"]))
    raw = head.encode("utf-8", "surrogatepass")
    version = draw(st.sampled_from([b"\x01\x00", b"\x02\x00", b"\x03\x00", b"\x00\x00"]))
    size = struct.pack("<H", len(raw)) if version != b"\x02\x00" else struct.pack("<I", len(raw))
    body = draw(st.binary(max_size=64))
    return b"\x93NUMPY" + version + size + raw + body


def damaged(blob: bytes, data: st.DataObject) -> bytes:
    cut = data.draw(st.integers(0, len(blob)))
    choice = data.draw(st.sampled_from(["whole", "truncated", "flipped", "extended"]))
    if choice == "truncated":
        return blob[:cut]
    if choice == "flipped" and blob:
        i = min(cut, len(blob) - 1)
        return blob[:i] + bytes([blob[i] ^ data.draw(st.integers(1, 255))]) + blob[i + 1 :]
    if choice == "extended":
        return blob + data.draw(st.binary(max_size=16))
    return blob


@st.composite
def npy_blobs(draw: st.DrawFn) -> bytes:
    real = st.builds(wire.encode_array, numeric_arrays)
    blob = draw(real | forged_npy() | st.binary(max_size=80))
    return damaged(blob, draw(st.data()))


# Value trees: real encodings, forged nodes and nonsense.
TAGS = ["none", "array", "scalar", "bool", "int", "float", "str", "tuple", "list", "dict", "unsupported"]
node_args = scalars | st.integers(-2, 6)
trees = st.recursive(
    st.builds(lambda tag, args: [tag, *args], st.sampled_from(TAGS), st.lists(node_args, max_size=2))
    | json_values,
    lambda children: st.builds(lambda tag, items: [tag, items], st.sampled_from(["tuple", "list"]),
                               st.lists(children, max_size=5))
    | st.builds(lambda items: ["dict", items],
                st.lists(st.tuples(st.text(max_size=5) | scalars, children).map(list), max_size=4)),
    max_leaves=30,
)  # fmt: skip
plain_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=20) | numeric_arrays,
    lambda children: (
        st.lists(children, max_size=4).map(tuple)
        | st.lists(children, max_size=4)
        | st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=12,
)


@st.composite
def headers(draw: st.DrawFn) -> dict[str, Any]:
    header: dict[str, Any] = {"kind": draw(st.sampled_from(KINDS) | json_values)}
    if draw(st.booleans()):
        header["index"] = draw(st.integers(-1, 8) | json_values)
    if draw(st.booleans()):
        header["value"] = draw(trees)
    for key in ("line", "offset", "errno", "message", "text", "traceback", "exc_type", "defined"):
        if draw(st.integers(0, 3)) == 0:
            header[key] = draw(st.integers(-5, 100) | BIG_INTS | json_values)
    if draw(st.booleans()):
        header["while_sending"] = draw(json_values)
    return header


@st.composite
def frames(draw: st.DrawFn) -> bytes:
    blobs = draw(st.lists(npy_blobs(), max_size=3))
    header = draw(headers())
    if draw(st.integers(0, 3)) == 0:  # a genuine case value, as the runner would encode it
        real_blobs: list[bytes] = []
        header["value"] = wire.encode_value(draw(plain_values), real_blobs)
        blobs = real_blobs
    packed = wire.pack(header, blobs)
    if draw(st.integers(0, 5)) == 0:  # a header lying about its blobs, or raw garbage
        packed = draw(st.sampled_from([packed[: len(packed) // 2], packed + b"\x00", draw(st.binary())]))
    return packed


streams = st.lists(frames(), max_size=8).map(b"".join)


@functools.cache
def _exercise() -> tuple[Any, ...]:
    ex = Catalogue().get("rnn_cell_forward")
    content = ex.content()
    cases = content.cases(np.random.default_rng(0), ex.info.hidden_case_count)
    expected = [content.reference(*copy.deepcopy(c.args)) for c in cases]
    return ex, content, cases, expected


def _job(stream: bytes, exit_code: int) -> JobResult:
    parsed, problem = wire.unpack_stream(wire.pack({"kind": "started"}) + stream)
    return JobResult(parsed, problem, b"", 0, exit_code, "", 0.01, 0.01, 0, 0)


def texts(value: Any) -> list[str]:
    """Every string in a JSON value, keys included."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [*value, *(t for v in value.values() for t in texts(v))]
    if isinstance(value, list):
        return [t for v in value for t in texts(v)]
    return []


def assert_clean(data: dict[str, Any]) -> None:
    """At most 256 KiB of JSON as stored, no NUL, valid UTF-8, finite numbers only."""
    text = json.dumps(data, ensure_ascii=True, allow_nan=False)
    assert len(text) <= MAX_VERDICT_BYTES
    assert not any("\x00" in s for s in texts(data))
    json.dumps(data, ensure_ascii=False).encode("utf-8")


@FUZZ
@given(st.binary(max_size=2000) | streams)
def test_unpack_stream_is_total(data: bytes) -> None:
    """Any bytes split into dict-headed frames plus a short problem; nothing is ever raised."""
    parsed, problem = wire.unpack_stream(data)
    assert isinstance(problem, str) and len(problem) < 100
    assert all(isinstance(f.header, dict) and isinstance(f.blobs, list) for f in parsed)


@FUZZ
@given(npy_blobs())
def test_npy_reader_is_total_and_bounded(blob: bytes) -> None:
    """Any .npy bytes give a plain numeric array no larger than the bytes, or a WireError."""
    try:
        arr = wire.decode_array(blob)
    except wire.WireError as exc:
        assert len(str(exc)) < 300
        return
    assert type(arr) is np.ndarray and arr.dtype.kind in "biufc" and arr.nbytes <= len(blob)


@FUZZ
@given(trees, st.lists(npy_blobs(), max_size=4))
def test_value_decoder_is_total(tree: Any, blobs: list[bytes]) -> None:
    """Any tree over any blobs decodes to plain data or raises a short WireError, nothing else."""
    try:
        wire.decode_value(tree, blobs)
    except wire.WireError as exc:
        assert len(str(exc)) <= 200


@FUZZ
@given(plain_values)
def test_encoded_values_round_trip(value: Any) -> None:
    """What the runner encodes always decodes (the fuzz above never rejects honest results)."""
    blobs: list[bytes] = []
    tree = wire.encode_value(value, blobs)
    parsed, problem = wire.unpack_stream(wire.pack({"v": tree}, blobs))
    assert problem == ""
    wire.decode_value(parsed[0].header["v"], parsed[0].blobs)


@FUZZ
@given(streams, st.sampled_from([0, 1, -11, -9, 3]))
def test_judge_is_total_and_its_verdict_bounded(stream: bytes, exit_code: int) -> None:
    """Whatever the child wrote after `started`, the judge returns a non-passing verdict whose JSON
    is bounded and clean."""
    ex, content, cases, expected = _exercise()
    verdict = judge(ex, content, cases, expected, _job(stream, exit_code), 0, Limits())
    data = verdict.to_dict()
    assert data["status"] in STATUSES and data["status"] != "passed"
    assert_clean(data)


huge_text = st.builds(lambda s, n: s * n, st.text(min_size=1, max_size=4) | st.just("\x00\ud800"),
                      st.integers(0, 300_000))  # fmt: skip


@FUZZ
@given(
    st.recursive(
        scalars | huge_text,
        lambda children: st.lists(children, max_size=30) | st.dictionaries(st.text(max_size=5), children),
        max_leaves=40,
    )
)
def test_bounded_verdicts_are_capped_and_clean(extra: Any) -> None:
    """Any verdict-shaped dict, with huge, NUL-holding or non-UTF-8 texts anywhere, comes out clean
    and at most 256 KiB."""
    data = {
        "exercise": "x",
        "status": "error",
        "score": 0.0,
        "max_score": 10,
        "cases": [],
        "feedback": [extra],
    }
    assert_clean(bounded(data))
