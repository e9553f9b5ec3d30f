"""The wire format: plain data only, strict and bounded reading, nothing unpickled."""

from __future__ import annotations

import io
import pickle
import struct
import tracemalloc

import numpy as np
import pytest

from graders import wire


def roundtrip(value: object) -> object:
    blobs: list[bytes] = []
    tree = wire.encode_value(value, blobs)
    frames, problem = wire.unpack_stream(wire.pack({"v": tree}, blobs))
    assert problem == ""
    return wire.decode_value(frames[0].header["v"], frames[0].blobs)


def test_roundtrip_of_arrays_dicts_tuples_and_numbers() -> None:
    """Arrays (any layout), numpy scalars, floats incl. NaN/inf, ints, str, None and containers survive."""
    value = (
        np.arange(6.0).reshape(2, 3),
        np.asfortranarray(np.ones((2, 2), dtype=np.float32)),
        {"W": np.eye(2), "n": np.float64(2.5)},
        [1, 2.5, float("nan"), float("inf"), True, None, "x"],
    )
    back = roundtrip(value)
    assert isinstance(back, tuple) and isinstance(back[3], list)
    assert np.array_equal(back[0], value[0]) and back[1].dtype == np.float32
    assert type(back[2]["n"]) is np.float64 and back[2]["n"] == 2.5
    assert np.isnan(back[3][2]) and back[3][3] == float("inf") and back[3][4:] == [True, None, "x"]


def test_subclass_arrives_as_a_plain_ndarray_without_its_methods() -> None:
    """An ndarray subclass that lies in __eq__ and __array_ufunc__ arrives as a base ndarray of its data."""

    class Liar(np.ndarray):
        def __eq__(self, other: object) -> bool:  # type: ignore[override]
            return True

        def __array_ufunc__(self, *args: object, **kwargs: object) -> bool:
            return True

    liar = np.zeros((2, 2)).view(Liar)
    assert np.allclose(liar, np.ones((2, 2)))  # the lie works in the process that made it...
    back = roundtrip(liar)
    assert type(back) is np.ndarray and not np.allclose(back, np.ones((2, 2)))  # ...but does not cross


def test_unsupported_objects_are_named_not_sent() -> None:
    """Functions, object arrays and pickle payloads cross only as the name of their type."""

    class Payload:
        def __reduce__(self) -> tuple[object, ...]:
            return (print, ("pwned",))

    back = roundtrip((Payload(), np.array([Payload()], dtype=object), len))
    assert back == (
        wire.Unsupported("Payload", ""),
        wire.Unsupported("ndarray", "an array of dtype object"),
        wire.Unsupported("builtin_function_or_method", ""),
    )


def _npy(arr: np.ndarray) -> bytes:
    buf = io.BytesIO()
    np.save(buf, arr, allow_pickle=True)
    return buf.getvalue()


def test_object_dtype_npy_with_pickle_is_refused() -> None:
    """A hand-made .npy holding a pickled object array is refused, never unpickled."""
    blob = _npy(np.array([{"a": 1}], dtype=object))
    assert b"\x80" in blob  # it really contains a pickle stream
    with pytest.raises(wire.WireError, match="refused dtype"):
        wire.decode_array(blob)


def test_raw_pickle_is_not_an_npy() -> None:
    """Pickle bytes where an array is expected are malformed, not loaded."""
    with pytest.raises(wire.WireError):
        wire.decode_array(pickle.dumps(np.zeros(3)))


def test_declared_size_must_match_the_data() -> None:
    """A header claiming a huge shape over a few bytes is refused before any allocation."""
    head = b"{'descr': '<f8', 'fortran_order': False, 'shape': (100000000000,), }"
    head += b" " * (118 - len(head)) + b"\n"
    forged = b"\x93NUMPY\x01\x00" + struct.pack("<H", len(head)) + head + b"\0" * 16
    with pytest.raises(wire.WireError, match="size"):
        wire.decode_array(forged)


def test_structured_and_string_dtypes_are_refused() -> None:
    """Only numeric dtypes cross: strings and records are refused."""
    for arr in (np.array(["a"]), np.zeros(2, dtype=[("x", "<f8")])):
        with pytest.raises(wire.WireError):
            wire.decode_array(_npy(arr))


def test_malformed_trees_are_refused() -> None:
    """Unknown tags, bad blob references and absurd nesting raise WireError."""
    for tree in (["eval", "1"], ["array", 5], "x", ["tuple", "notalist"], ["int", "1e9"]):
        with pytest.raises(wire.WireError):
            wire.decode_value(tree, [])
    deep: list[object] = ["none"]
    for _ in range(100):
        deep = ["list", [deep]]
    with pytest.raises(wire.WireError):
        wire.decode_value(deep, [])


def test_truncated_and_garbage_streams_are_reported() -> None:
    """A stream cut mid-frame or full of garbage yields the good frames and a problem description."""
    good = wire.pack({"kind": "loaded"})
    frames, problem = wire.unpack_stream(good + good[:-3])
    assert len(frames) == 1 and "truncated" in problem
    frames, problem = wire.unpack_stream(b"\xff\xff\xff\x7fjunk")
    assert frames == [] and "header" in problem


def test_arrays_are_written_exactly_as_np_save_writes_them() -> None:
    """encode_array produces the same .npy bytes as np.save, which np.load reads back."""
    samples = [np.zeros((5, 10)), np.asfortranarray(np.ones((3, 2))), np.ones(7, dtype=">f4"), np.array(True)]
    samples += [np.arange(12, dtype=np.int32).reshape(3, 4).T, np.ones((2, 3, 4))[:, ::2], np.ones((0, 3))]
    for arr in samples:
        buf = io.BytesIO()
        np.save(buf, arr, allow_pickle=False)
        assert wire.encode_array(arr) == buf.getvalue()
        assert np.array_equal(np.load(io.BytesIO(wire.encode_array(arr)), allow_pickle=False), arr)


def _frame(head: bytes, blob: bytes = b"") -> bytes:
    return struct.pack("<I", len(head)) + head + blob


HEADER_FLOODS = {
    "numbers": b'{"blobs":[],"x":[' + b"1e9," * 200_000 + b"1]}",
    "strings": b'{"blobs":[],"x":[' + b'"ab",' * 200_000 + b"1]}",
    "empty lists": b'{"blobs":[],"x":[' + b"[]," * 150_000 + b"1]}",
    "empty dicts": b'{"blobs":[],"x":[' + b"{}," * 150_000 + b"1]}",
    "zero-length blobs": b'{"blobs":[' + b"0," * 49_000 + b"0]}",
}


@pytest.mark.parametrize("name", list(HEADER_FLOODS))
def test_a_16_mib_stream_of_headers_allocates_a_small_multiple_of_its_size(name: str) -> None:
    """Whatever JSON fills the headers, parsing a full 16 MiB result stream peaks below 4x its size."""
    head = HEADER_FLOODS[name]
    data = b"".join(_frame(head) for _ in range((16 << 20) // (len(head) + 4)))
    tracemalloc.start()
    try:
        frames, problem = wire.unpack_stream(data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert problem in ("message headers too large", "too many arrays in the messages"), problem
    assert peak < 4 * len(data), (len(frames), peak)


def test_one_blob_referenced_many_times_is_decoded_once() -> None:
    """A 1 MiB array referenced by 40,000 nodes decodes to one shared array, not 40,000 copies."""
    blob = wire.encode_array(np.arange(1 << 17, dtype=np.float64))
    tree = ["tuple", [["list", [["array", 0]] * 40_000], ["scalar", 1], ["scalar", 1]]]
    scalar = wire.encode_array(np.asarray(np.float64(2.0)))
    tracemalloc.start()
    try:
        value = wire.decode_value(tree, [blob, scalar])
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2 * len(blob) + (4 << 20), peak
    first, second = value[0][0], value[0][-1]
    assert first is second and np.array_equal(first, np.arange(1 << 17)) and value[1] == 2.0


@pytest.mark.parametrize(
    "descr", [b"<i3", b"<u0", b"<f5", b"|b7", b"<c7", b"<f99", b"<M8", b"<U4", b"|O", b"<V8", b">q"]
)
def test_odd_npy_descrs_are_refused_with_a_wire_error(descr: bytes) -> None:
    """A .npy header naming a dtype NumPy cannot build, or a non-numeric one, is a WireError."""
    head = b"{'descr': '" + descr + b"', 'fortran_order': False, 'shape': (2,), }"
    head += b" " * (-(len(head) + 11) % 64) + b"\n"
    blob = b"\x93NUMPY\x01\x00" + struct.pack("<H", len(head)) + head + b"\x00" * 6
    with pytest.raises(wire.WireError):
        wire.decode_array(blob)
    with pytest.raises(wire.WireError):
        wire.decode_value(["array", 0], [blob])


@pytest.mark.parametrize(
    "tree",
    [
        ["int", "9" * 102],
        ["int", "1_0x"],
        ["float", "0x1p99999"],
        ["float", "nope"],
        ["dict", [[["k"], ["none"]]]],
        ["array", 10**30],
        ["array", True],
        ["unsupported", ["x"], "y"],
    ],
)
def test_hostile_trees_raise_only_wire_errors(tree: object) -> None:
    """Malformed numbers, keys and references give a WireError with a short message, nothing else."""
    with pytest.raises(wire.WireError) as caught:
        wire.decode_value(tree, [])
    assert len(str(caught.value)) <= 200
