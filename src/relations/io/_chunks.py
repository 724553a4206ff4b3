"""A delimited file cut into blocks of whole lines, each with the number of its first line.

The columnar importers hand each block to the Arrow CSV reader; a block the fast path cannot
vouch for is read line by line (:func:`block_lines`) with the same line numbers, so an error
names the same line as the row-by-row reader's. Memory is bounded by the block size (plus
``max_line_bytes`` for one long line, which is reported and dropped, never held whole).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO

from relations.errors import ParseError, location_prefix

__all__ = ["BLOCK_BYTES", "Block", "block_lines", "blocks"]

#: Bytes read per block (the unit of the Arrow reader, of the fallback and of a Parquet batch).
BLOCK_BYTES = 8 << 20


class Block:
    """``data`` (whole lines) starting at line ``first``; or ``error`` for a too-long line."""

    __slots__ = ("data", "error", "first")

    def __init__(self, data: bytes, first: int, error: ParseError | None = None) -> None:
        self.data = data
        self.first = first
        self.error = error


def blocks(
    f: IO[bytes], name: str, max_line_bytes: int, size: int | None = None
) -> Iterator[Block]:
    """The blocks of a binary file, in order, each ending at a newline (the last one may not);
    ``size`` bytes are read at a time (default :data:`BLOCK_BYTES`).

    >>> import io
    >>> [(b.first, b.data) for b in blocks(io.BytesIO(b"a\\nb\\nc"), "x", 10, size=3)]
    [(1, b'a\\n'), (2, b'b\\n'), (3, b'c')]
    """
    size = size or BLOCK_BYTES
    line = 1
    carry = b""
    limit = max_line_bytes + 2  # room for "\r\n", as the line reader allows
    while True:
        data = f.read(size)
        if not data:
            if carry:
                yield Block(carry, line)
            return
        buf = carry + data if carry else data
        cut = buf.rfind(b"\n") + 1
        if cut == 0:
            if len(buf) >= limit:  # one line longer than allowed: report it, drop the rest
                yield Block(b"", line, _too_long(name, line, max_line_bytes))
                _skip_line(f)
                line += 1
                carry = b""
            else:
                carry = buf
            continue
        last_start = buf.rfind(b"\n", 0, cut - 1) + 1
        if cut - last_start > limit:  # the last whole line is too long: split it off
            head = buf[:last_start]
            if head:
                yield Block(head, line)
                line += head.count(b"\n")
            yield Block(b"", line, _too_long(name, line, max_line_bytes))
            line += 1
        else:
            head = buf[:cut]
            yield Block(head, line)
            line += head.count(b"\n")
        carry = buf[cut:]


def _skip_line(f: IO[bytes]) -> None:
    while True:
        rest = f.readline(1 << 20)
        if not rest or rest.endswith(b"\n"):
            return


def _too_long(name: str, line: int, max_bytes: int) -> ParseError:
    return ParseError(
        f"{location_prefix(file=name, line=line)}line is longer than {max_bytes} bytes "
        "(a huge field?); raise max_line_bytes= to read it"
    )


def block_lines(
    block: Block, name: str, max_line_bytes: int
) -> Iterator[tuple[int, str | ParseError]]:
    """``(line number, text)`` of each line of a block, as :func:`relations.io._lines.numbered_lines`
    gives them (newline removed, UTF-8 checked, too-long lines refused, BOM on line 1 dropped).

    >>> list(block_lines(Block(b"a\\r\\n\\xff\\n", 7), "x", 100))
    [(7, 'a'), (8, ParseError('x:8: not valid UTF-8: byte 0xff at column 1'))]
    """
    data = block.data
    lines = data.split(b"\n")
    if lines and lines[-1] == b"":
        lines.pop()
    for i, raw in enumerate(lines):
        n = block.first + i
        if len(raw) > max_line_bytes + 1:  # the line reader's limit (room for "\r\n")
            yield n, _too_long(name, n, max_line_bytes)
            continue
        try:
            text = raw.decode("utf-8")
        except UnicodeDecodeError as e:
            bad = raw[e.start : e.start + 1].hex()
            yield (
                n,
                ParseError(
                    f"{location_prefix(file=name, line=n)}not valid UTF-8: "
                    f"byte 0x{bad} at column {e.start + 1}"
                ),
            )
            continue
        if text.endswith("\r"):
            text = text[:-1]
        if n == 1 and text.startswith("\ufeff"):
            text = text[1:]
        yield n, text
