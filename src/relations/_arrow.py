"""Arrow arrays and scalars built from their buffers, for the columnar load and write paths.

pyarrow's conversion of a Python or numpy value (``pa.array``, ``pa.scalar``, a Python
number or text given to a compute function) first imports pandas, if installed, to check
for its types: 0.25 s of CPU and often a second of wall-clock time on a busy machine, paid by
the first load of a process that had not imported pandas (polars pays nothing alike). The
load path builds what it needs from buffers instead.

>>> import numpy as np
>>> ints(np.array([3, 1])).to_pylist(), scalar("x").as_py(), scalar(True).as_py(), scalar(2).as_py()
([3, 1], 'x', True, 2)
>>> scalar(0.5).type, scalar(0.5).as_py()
(DataType(double), 0.5)
>>> texts(["a", "bc"]).to_pylist()
['a', 'bc']
>>> numpy_of(ints(np.array([4, 5]))[1:]).tolist(), numpy_of(texts(["", "a"]).is_valid()).tolist()
([5], [True, True])
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pyarrow as pa

__all__ = ["ints", "numpy_of", "scalar", "texts"]

_NUMPY = {"double": np.float64, "float": np.float32, "bool": np.bool_}


def ints(a: Any) -> pa.Array:
    """A numpy array of integers as an Arrow ``int64`` array (no copy if it is one)."""
    a = np.ascontiguousarray(a, dtype=np.int64)
    return pa.Array.from_buffers(pa.int64(), len(a), [None, pa.py_buffer(a)])


def texts(values: list[str]) -> pa.Array:
    """A list of texts as an Arrow ``string`` array."""
    data = [v.encode("utf-8") for v in values]
    offsets = np.zeros(len(data) + 1, dtype=np.int32)
    np.cumsum([len(d) for d in data], out=offsets[1:])
    return pa.Array.from_buffers(
        pa.string(), len(data), [None, pa.py_buffer(offsets), pa.py_buffer(b"".join(data))]
    )


def scalar(v: bool | int | float | str) -> pa.Scalar:
    """A boolean, an integer (``int64``), a float (``float64``) or a text as an Arrow scalar."""
    if isinstance(v, bool):
        return pa.Array.from_buffers(pa.bool_(), 1, [None, pa.py_buffer(bytes([int(v)]))])[0]
    if isinstance(v, int):
        return ints(np.array([v]))[0]
    if isinstance(v, float):
        data = pa.py_buffer(np.array([v], dtype=np.float64))
        return pa.Array.from_buffers(pa.float64(), 1, [None, data])[0]
    return texts([v])[0]


def numpy_of(arr: pa.Array | pa.ChunkedArray) -> np.ndarray[Any, Any]:
    """An Arrow array of numbers or booleans as numpy (read-only; a null-free array's buffer
    is read directly, one with nulls goes through pyarrow's ``to_numpy``)."""
    if isinstance(arr, pa.ChunkedArray):
        arr = arr.chunk(0) if arr.num_chunks == 1 else arr.combine_chunks()
    t = arr.type
    if arr.null_count or not (pa.types.is_integer(t) or pa.types.is_floating(t) or t == pa.bool_()):
        return np.asarray(arr.to_numpy(zero_copy_only=False))
    n, start, data = len(arr), arr.offset, arr.buffers()[1]
    if t == pa.bool_():
        bits = np.frombuffer(data, np.uint8) if data is not None else np.zeros(0, np.uint8)
        return np.unpackbits(bits, bitorder="little")[start : start + n].astype(bool)
    dtype = np.dtype(_NUMPY.get(str(t), str(t)))
    return np.frombuffer(data, dtype, n, start * dtype.itemsize) if n else np.zeros(0, dtype)
