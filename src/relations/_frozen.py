"""An immutable, hashable mapping for the fields of frozen records.

``types.MappingProxyType`` is read-only but neither hashable nor safe (the dict behind it can
change); a frozen record needs both, so its mappings are stored as a :class:`FrozenMap`.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any, Generic, TypeVar

__all__ = ["FrozenMap", "items_hash"]

K = TypeVar("K")
V = TypeVar("V")


def _by_key(item: tuple[Any, Any]) -> Any:
    return item[0]


def items_hash(self: Any) -> int:
    """``__hash__`` of the immutable mappings (:class:`FrozenMap`, ``Series``): the hash of the
    items, computed once and kept in the ``_hash`` slot.

    >>> items_hash(FrozenMap(a=1)) == hash(FrozenMap(a=1)) == hash((("a", 1),))
    True
    """
    h: int | None = self._hash
    if h is None:
        h = hash(tuple(self._data.items()))
        object.__setattr__(self, "_hash", h)
    return h


class FrozenMap(Mapping[K, V], Generic[K, V]):
    """A read-only mapping with a stable (sorted-key) order, equal and hashable by content.

    >>> m = FrozenMap({"b": 2, "a": 1})
    >>> list(m), m["a"], len(m)
    (['a', 'b'], 1, 2)
    >>> m == {"a": 1, "b": 2}, hash(m) == hash(FrozenMap(a=1, b=2))
    (True, True)
    >>> m
    FrozenMap({'a': 1, 'b': 2})
    """

    __slots__ = ("_data", "_hash")

    _data: dict[K, V]
    _hash: int | None

    def __init__(self, data: Mapping[K, V] | Iterable[tuple[K, V]] = (), /, **kwargs: V) -> None:
        items = dict(data)
        items.update(kwargs)  # type: ignore[arg-type]  # keyword keys are str, K may not be
        # Sort keys so iteration, repr and serialisation never depend on insertion order.
        object.__setattr__(self, "_data", dict(sorted(items.items(), key=_by_key)))
        object.__setattr__(self, "_hash", None)

    @classmethod
    def _trusted(cls, data: dict[K, V]) -> FrozenMap[K, V]:
        """A FrozenMap holding ``data`` itself, whose keys must already be in sorted order
        (as every canonical record writes them); the caller gives up ``data``.

        >>> FrozenMap._trusted({"a": 1, "b": 2}) == FrozenMap(b=2, a=1)
        True
        """
        m: FrozenMap[K, V] = _new(cls)
        _set_data(m, data)
        _set_hash(m, None)
        return m

    def __getitem__(self, key: K) -> V:
        return self._data[key]

    def __iter__(self) -> Iterator[K]:
        return iter(self._data)

    def __len__(self) -> int:
        return len(self._data)

    def __contains__(self, key: object) -> bool:
        return key in self._data

    def get(self, key: K, default: Any = None) -> Any:
        """``m[key]`` if present, else ``default`` (one dict lookup, no exception raised).

        >>> FrozenMap(a=1).get("a"), FrozenMap(a=1).get("b", 0)
        (1, 0)
        """
        return self._data.get(key, default)

    __hash__ = items_hash

    def __eq__(self, other: object) -> bool:
        if isinstance(other, FrozenMap):
            return self._data == other._data
        if isinstance(other, Mapping):
            return self._data == dict(other)
        return NotImplemented

    def __setattr__(self, name: str, value: Any) -> None:
        raise AttributeError(f"FrozenMap is immutable; cannot set {name!r}")

    def __repr__(self) -> str:
        return f"FrozenMap({self._data!r})"

    def __reduce__(self) -> tuple[type[FrozenMap[K, V]], tuple[dict[K, V]]]:
        # copy.copy/deepcopy go through here; __setattr__ would refuse the default protocol.
        return (FrozenMap, (self._data,))

    def to_dict(self) -> dict[K, V]:
        """A new, plain ``dict`` copy.

        >>> FrozenMap(x=1).to_dict()
        {'x': 1}
        """
        return dict(self._data)


_new = object.__new__
_set_data = FrozenMap.__dict__["_data"].__set__
_set_hash = FrozenMap.__dict__["_hash"].__set__
