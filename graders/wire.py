"""The plain-data wire format for everything that crosses the sandbox boundary.

A message is a frame: ``u32 header length | JSON header | blob 0 | blob 1 | ...``, where the
header's ``"blobs"`` lists the blob lengths. A value is a JSON tree of tagged nodes
(``["tuple", [...]]``, ``["dict", [[key, value], ...]]``, ``["float", "0x1.8p+1"]``...) whose
arrays refer to blobs holding ``.npy`` bytes. Reading is strict and bounded: numeric dtypes
only, object arrays refused (``allow_pickle=False`` semantics), sizes checked against the
bytes actually present, nesting and node counts capped. Nothing is ever unpickled.
"""

from __future__ import annotations

import io
import json
import math
import re
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

MAX_DEPTH = 32
MAX_NODES = 50_000
MAX_TEXT = 10_000
MAX_INT_DIGITS = 100
MAX_HEADER = 4 << 20
# All headers of one stream together, and the JSON arrays and objects in them: parsed JSON takes up to
# ~12 times its size in memory (an empty list, ~20 times), so these bound what a result stream can make
# the trusted side allocate. Blobs are bounded by the result pipe's cap.
MAX_HEADERS_TOTAL = 4 << 20
MAX_CONTAINERS = 4 * MAX_NODES
MAX_BLOBS = 4 * MAX_NODES  # in one stream
NUMERIC_KINDS = frozenset("biufc")
_U32 = struct.Struct("<I")


class WireError(ValueError):
    """Bytes that are not a well-formed message in this format."""


@dataclass(frozen=True)
class Unsupported:
    """A value that cannot travel as plain data, named by its type (e.g. a function)."""

    type_name: str
    detail: str = ""


@dataclass(frozen=True)
class Frame:
    """One decoded frame: its JSON header and its blobs."""

    header: dict[str, Any]
    blobs: list[bytes]


def pack(header: dict[str, Any], blobs: Sequence[bytes] = ()) -> bytes:
    """Serialise one frame."""
    head = json.dumps({**header, "blobs": [len(b) for b in blobs]}, separators=(",", ":")).encode()
    return b"".join([_U32.pack(len(head)), head, *blobs])


def unpack_stream(data: bytes, max_frames: int = 10_000) -> tuple[list[Frame], str]:
    """Split a byte stream into frames; also return a problem description ('' if clean).

    Total: any bytes give frames and a problem, never an exception. Bounded: the headers of all
    frames together hold at most ``MAX_HEADERS_TOTAL`` bytes, ``MAX_CONTAINERS`` JSON arrays
    and objects and ``MAX_BLOBS`` blobs (the rest of the stream is dropped with a problem).
    """
    frames: list[Frame] = []
    pos = 0
    header_bytes = containers = blob_count = 0
    while pos < len(data):
        if len(frames) >= max_frames:
            return frames, "too many messages"
        if pos + 4 > len(data):
            return frames, "truncated message"
        (head_len,) = _U32.unpack_from(data, pos)
        if head_len > MAX_HEADER or pos + 4 + head_len > len(data):
            return frames, "truncated or oversized message header"
        head = data[pos + 4 : pos + 4 + head_len]
        header_bytes += head_len
        containers += head.count(b"[") + head.count(b"{")  # counts brackets in strings too: an upper bound
        if header_bytes > MAX_HEADERS_TOTAL or containers > MAX_CONTAINERS:
            return frames, "message headers too large"
        try:
            header = json.loads(head)
        except (ValueError, RecursionError):
            return frames, "malformed message header"
        lengths = header.get("blobs") if isinstance(header, dict) else None
        if not isinstance(lengths, list) or not all(type(n) is int and n >= 0 for n in lengths):
            return frames, "malformed message header"
        blob_count += len(lengths)
        if blob_count > MAX_BLOBS:
            return frames, "too many arrays in the messages"
        pos += 4 + head_len
        if pos + sum(lengths) > len(data):
            return frames, "truncated message"
        blobs = []
        for n in lengths:
            blobs.append(data[pos : pos + n])
            pos += n
        frames.append(Frame(header, blobs))
    return frames, ""


def encode_array(arr: np.ndarray[Any, Any]) -> bytes:
    """``.npy`` (version 1.0) bytes of a plain numeric array, exactly as ``np.save`` writes them."""
    if arr.dtype.kind not in NUMERIC_KINDS or arr.dtype.fields is not None or arr.dtype.subdtype is not None:
        raise WireError(f"refused dtype {arr.dtype}")
    fortran = arr.ndim > 1 and arr.flags.f_contiguous and not arr.flags.c_contiguous
    head = f"{{'descr': '{arr.dtype.str}', 'fortran_order': {fortran}, 'shape': {arr.shape!r}, }}"
    pad = -(len(head) + 11) % 64  # magic, version, length, header and newline end on a 64-byte boundary
    prefix = b"\x93NUMPY\x01\x00" + struct.pack("<H", len(head) + pad + 1)
    return prefix + head.encode() + b" " * pad + b"\n" + arr.tobytes(order="F" if fortran else "C")


# The header NumPy itself writes; anything else goes through NumPy's own (slower) parser.
_FAST_HEADER = re.compile(
    rb"\{'descr': '([<>|=][biufc][0-9]{1,2})', 'fortran_order': (False|True), "
    rb"'shape': \(((?:[0-9]{1,12}, ?)*[0-9]{0,12})\), \} *\n"
)
_DTYPES: dict[bytes, np.dtype[Any]] = {}


def _fast_header(blob: bytes) -> tuple[tuple[int, ...], bool, np.dtype[Any], int] | None:
    if blob[:8] != b"\x93NUMPY\x01\x00" or len(blob) < 10:
        return None
    (head_len,) = struct.unpack_from("<H", blob, 8)
    match = _FAST_HEADER.fullmatch(blob, 10, 10 + head_len)
    if match is None:
        return None
    descr, fortran, dims = match.groups()
    dtype = _DTYPES.get(descr)
    if dtype is None:
        try:
            dtype = np.dtype(descr.decode())  # e.g. '<i3' matches the pattern but is no dtype
        except TypeError:
            raise WireError(f"unknown .npy dtype {descr.decode()!r}") from None
        dtype = _DTYPES.setdefault(descr, dtype)
    shape = tuple(int(d) for d in dims.replace(b" ", b"").split(b",") if d)
    return shape, fortran == b"True", dtype, 10 + head_len


def decode_array(blob: bytes) -> np.ndarray[Any, Any]:
    """Read ``.npy`` bytes strictly: numeric dtype, exact size, a fresh writable base ndarray.

    Total: whatever the bytes, this returns an array or raises :class:`WireError`.
    """
    try:
        return _decode_array(blob)
    except WireError:
        raise
    except Exception as exc:  # NumPy's header parser raises many kinds; all mean "not a valid .npy"
        raise WireError(f"malformed .npy data ({type(exc).__name__})") from None


def _decode_array(blob: bytes) -> np.ndarray[Any, Any]:
    fast = _fast_header(blob)
    if fast is not None:
        shape, fortran, dtype, offset = fast
        return _build(blob, shape, fortran, dtype, offset)
    fp = io.BytesIO(blob)
    version = np.lib.format.read_magic(fp)
    if version == (1, 0):
        shape, fortran, dtype = np.lib.format.read_array_header_1_0(fp, max_header_size=2048)
    elif version == (2, 0):
        shape, fortran, dtype = np.lib.format.read_array_header_2_0(fp, max_header_size=2048)
    else:
        raise WireError("unsupported .npy version")
    return _build(blob, shape, fortran, dtype, fp.tell())


def _build(blob: bytes, shape: Any, fortran: bool, dtype: np.dtype[Any], offset: int) -> np.ndarray[Any, Any]:
    if (
        dtype.hasobject
        or dtype.kind not in NUMERIC_KINDS
        or dtype.fields is not None
        or dtype.subdtype is not None
    ):
        raise WireError(f"refused dtype {dtype}")
    if not isinstance(shape, tuple) or not all(type(d) is int and d >= 0 for d in shape) or len(shape) > 32:
        raise WireError("malformed shape")
    count = math.prod(shape)
    if count * dtype.itemsize != len(blob) - offset:
        raise WireError("array size does not match its data")
    flat = np.frombuffer(blob, dtype=dtype, count=count, offset=offset)
    return flat.reshape(shape, order="F" if fortran else "C").copy(order="K")


class _Encoder:
    def __init__(self, blobs: list[bytes]) -> None:
        self.blobs = blobs
        self.nodes = 0

    def blob(self, data: bytes) -> int:
        self.blobs.append(data)
        return len(self.blobs) - 1

    def encode(self, value: Any, depth: int) -> list[Any]:
        self.nodes += 1
        if depth >= MAX_DEPTH or self.nodes >= MAX_NODES:  # the marker itself must stay readable
            return ["unsupported", "structure", "nested too deeply or too large"]
        if value is None:
            return ["none"]
        if isinstance(value, np.ndarray):
            arr = np.asarray(value).view(np.ndarray)
            if arr.dtype.kind not in NUMERIC_KINDS or arr.dtype.fields is not None:
                return ["unsupported", "ndarray", f"an array of dtype {arr.dtype}"]
            return ["array", self.blob(encode_array(arr))]
        if isinstance(value, np.generic):
            arr = np.asarray(value)
            if arr.dtype.kind not in NUMERIC_KINDS:
                return ["unsupported", type(value).__name__, ""]
            return ["scalar", self.blob(encode_array(arr))]
        if isinstance(value, bool):
            return ["bool", bool(value)]
        if isinstance(value, int):
            text = str(int(value)) if abs(int(value)) < 10**MAX_INT_DIGITS else ""
            return ["int", text] if text else ["unsupported", "int", "an integer too large to send"]
        if isinstance(value, float):
            return ["float", float(value).hex()]
        if isinstance(value, str):
            return ["str", str(value)[:MAX_TEXT]]
        if isinstance(value, tuple | list):
            tag = "tuple" if isinstance(value, tuple) else "list"
            return [tag, [self.encode(v, depth + 1) for v in list(value)]]
        if isinstance(value, dict):
            items = list(value.items())
            if not all(isinstance(k, str) for k, _ in items):
                return ["unsupported", "dict", "a dict whose keys are not all strings"]
            return ["dict", [[str(k), self.encode(v, depth + 1)] for k, v in items]]
        return ["unsupported", type(value).__name__[:100], ""]


def encode_value(value: Any, blobs: list[bytes]) -> list[Any]:
    """Encode ``value`` as a JSON tree, appending its arrays' ``.npy`` bytes to ``blobs``."""
    return _Encoder(blobs).encode(value, 0)


class _Decoder:
    """Decodes one value tree. Each blob is decoded at most once: a tree that refers to one blob
    many times gets the same array object each time (as if the code had returned one array in
    several places), so the arrays built never take more memory than the blobs received."""

    def __init__(self, blobs: Sequence[bytes]) -> None:
        self.blobs = blobs
        self.nodes = 0
        self.arrays: dict[int, np.ndarray[Any, Any]] = {}

    def array(self, index: Any) -> np.ndarray[Any, Any]:
        if type(index) is not int or not 0 <= index < len(self.blobs):
            raise WireError("bad blob reference")
        arr = self.arrays.get(index)
        if arr is None:
            arr = self.arrays[index] = decode_array(self.blobs[index])
        return arr

    def decode(self, node: Any, depth: int) -> Any:
        self.nodes += 1
        if depth > MAX_DEPTH or self.nodes > MAX_NODES:
            raise WireError("value nested too deeply or too large")
        if not isinstance(node, list) or not node or not isinstance(node[0], str):
            raise WireError("malformed value")
        tag, args = node[0], node[1:]
        if tag == "none" and not args:
            return None
        if len(args) == 1:
            (arg,) = args
            if tag == "array":
                return self.array(arg)
            if tag == "scalar":
                arr = self.array(arg)
                if arr.shape != ():
                    raise WireError("scalar with a shape")
                return arr[()]
            if tag == "bool" and type(arg) is bool:
                return arg
            if tag == "int" and isinstance(arg, str) and 0 < len(arg) <= MAX_INT_DIGITS + 1:
                return int(arg)
            if tag == "float" and isinstance(arg, str) and len(arg) < 40:
                return float.fromhex(arg)
            if tag == "str" and isinstance(arg, str) and len(arg) <= MAX_TEXT:
                return arg
            if tag in ("tuple", "list") and isinstance(arg, list):
                items = [self.decode(v, depth + 1) for v in arg]
                return tuple(items) if tag == "tuple" else items
            if tag == "dict" and isinstance(arg, list):
                out: dict[str, Any] = {}
                for pair in arg:
                    if not (isinstance(pair, list) and len(pair) == 2 and isinstance(pair[0], str)):
                        raise WireError("malformed dict")
                    out[pair[0][:MAX_TEXT]] = self.decode(pair[1], depth + 1)
                return out
        if tag == "unsupported" and len(args) == 2 and all(isinstance(a, str) for a in args):
            return Unsupported(args[0][:100], args[1][:200])
        raise WireError(f"malformed value node {tag[:20]!r}")


def decode_value(tree: Any, blobs: Sequence[bytes]) -> Any:
    """Rebuild a plain value (ndarrays, numbers, str, None, tuples, lists, dicts) from its tree.

    Total: any tree and blobs give a value or :class:`WireError` (with a short message).
    """
    try:
        return _Decoder(blobs).decode(tree, 0)
    except WireError as exc:
        raise WireError(str(exc)[:200]) from None
    except Exception as exc:  # int() or float.fromhex() on hostile text, and the like
        raise WireError(f"malformed value ({type(exc).__name__})") from None
