"""Open a path or file and read it line by line: UTF-8 checked, long lines refused, numbered.

Reading is streaming: one line is in memory at a time, and a line longer than the limit is
never held whole (the rest of it is read in chunks and dropped), so a hostile file cannot
make a reader allocate more than the limit.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from typing import IO, TYPE_CHECKING

from relations.errors import ParseError, location_prefix
from relations.formats.atomic import PathOrFile

if TYPE_CHECKING:
    from relations.io._report import Tally

__all__ = [
    "MAX_LINE_BYTES",
    "PathOrFile",
    "counted",
    "counted_lines",
    "numbered_lines",
    "open_source",
    "source_name",
]

#: Default longest line (bytes, without the newline) a reader accepts: 16 MiB.
MAX_LINE_BYTES = 16 * 1024 * 1024

_CHUNK = 1 << 20


def source_name(source: PathOrFile) -> str:
    """The name errors use for ``source``: the path, or the file object's ``name``.

    >>> import io
    >>> source_name("a/b.jsonl"), source_name(io.BytesIO())
    ('a/b.jsonl', '<stream>')
    """
    if isinstance(source, str | os.PathLike):
        return os.fspath(source)
    name = getattr(source, "name", None)
    return name if isinstance(name, str) else "<stream>"


@contextmanager
def open_source(source: PathOrFile) -> Iterator[IO[bytes] | IO[str]]:
    """Open a path for binary reading (closing it afterwards), or pass an open file through.

    >>> import io
    >>> with open_source(io.BytesIO(b"x")) as f:
    ...     f.read()
    b'x'
    """
    if isinstance(source, str | os.PathLike):
        try:
            f = open(source, "rb")  # noqa: SIM115  # closed below
        except OSError as e:
            raise ParseError(f"{os.fspath(source)}: cannot open: {e.strerror or e}") from e
        with f:
            yield f
    else:
        yield source


def numbered_lines(
    f: IO[bytes] | IO[str],
    name: str,
    max_bytes: int = MAX_LINE_BYTES,
    *,
    keep_ends: bool = False,
    on_bad_utf8: Callable[[ParseError], object] | None = None,
) -> Iterator[tuple[int, str | ParseError]]:
    """``(line number, text)`` for each line, or ``(line number, ParseError)`` for a bad one.

    The newline (``\\n`` or ``\\r\\n``) is removed unless ``keep_ends``; a UTF-8 byte-order
    mark on line 1 is removed.
    A line that is not valid UTF-8, or longer than ``max_bytes``, gives a ParseError (the
    caller decides whether to raise it or skip the line). With ``on_bad_utf8``, a line that
    is not UTF-8 is instead passed on decoded with replacement characters, and its error is
    given to ``on_bad_utf8`` (so that a CSV reader keeps its quoting in step).

    >>> import io
    >>> list(numbered_lines(io.BytesIO(b"a\\r\\n\\xff\\n"), "x.txt"))
    [(1, 'a'), (2, ParseError('x.txt:2: not valid UTF-8: byte 0xff at column 1'))]
    """
    readline = f.readline
    limit = max_bytes + 2  # room for "\r\n"
    n = 0
    while True:
        raw = readline(limit)
        if not raw:
            return
        n += 1
        if isinstance(raw, bytes):
            if len(raw) >= limit and not raw.endswith(b"\n"):
                yield n, _too_long(f, name, n, max_bytes, binary=True)
                continue
            try:
                text = raw.decode("utf-8")
            except UnicodeDecodeError as e:
                bad = raw[e.start : e.start + 1].hex()
                error = ParseError(
                    f"{location_prefix(file=name, line=n)}not valid UTF-8: "
                    f"byte 0x{bad} at column {e.start + 1}"
                )
                if on_bad_utf8 is None:
                    yield n, error
                    continue
                on_bad_utf8(error)
                text = raw.decode("utf-8", errors="replace")
        else:
            text = raw
            if len(text) >= limit and not text.endswith("\n"):
                yield n, _too_long(f, name, n, max_bytes, binary=False)
                continue
        if not keep_ends and text.endswith("\n"):
            text = text[:-2] if text.endswith("\r\n") else text[:-1]
        if n == 1 and text.startswith("\ufeff"):
            text = text[1:]
        yield n, text


def _too_long(
    f: IO[bytes] | IO[str], name: str, n: int, max_bytes: int, *, binary: bool
) -> ParseError:
    # Drop the rest of the line chunk by chunk, never holding it whole.
    nl: bytes | str = b"\n" if binary else "\n"
    while True:
        rest = f.readline(_CHUNK)
        if not rest or rest.endswith(nl):  # type: ignore[arg-type]  # same type as the file
            break
    return ParseError(
        f"{location_prefix(file=name, line=n)}line is longer than {max_bytes} bytes "
        "(a huge field?); raise max_line_bytes= to read it"
    )


def counted_lines(
    f: IO[bytes] | IO[str], tally: Tally, max_line_bytes: int = MAX_LINE_BYTES
) -> Iterator[tuple[int, str]]:
    """``(line number, text)`` of each non-blank line of ``f``, each counted as a record of
    ``tally``; a line that is not UTF-8 or too long goes to ``tally.problem`` instead.

    >>> import io
    >>> from relations.io._report import Tally
    >>> tally = Tally("<t>", "collect", None, None)
    >>> list(counted_lines(io.StringIO("a\\n\\n  \\nb\\n"), tally)), tally.records
    ([(1, 'a'), (4, 'b')], 2)
    """
    return counted(numbered_lines(f, tally.file, max_line_bytes), tally)


def counted(
    lines: Iterable[tuple[int, str | ParseError]], tally: Tally
) -> Iterator[tuple[int, str]]:
    """The non-blank ``(line number, text)`` pairs of ``lines`` (as :func:`numbered_lines`
    gives them), each counted as a record of ``tally``; a line read as a ParseError (not
    UTF-8, too long) is counted and goes to ``tally.problem`` instead.

    >>> from relations.errors import ParseError
    >>> from relations.io._report import Tally
    >>> tally = Tally("<t>", "collect", None, None)
    >>> list(counted([(1, "a"), (2, " "), (3, ParseError("bad"))], tally)), tally.records
    ([(1, 'a')], 2)
    """
    for n, text in lines:
        if isinstance(text, ParseError):
            tally.record()
            tally.problem(n, text)
            continue
        if not text or text.isspace():
            continue
        tally.record()
        yield n, text
