"""Atomic file writes: write beside the target, flush and fsync, then rename over it.

Readers of the target see either the old file or the complete new one, never a half-written
file: if writing fails part way (an exception, a full disk, Ctrl-C), the temporary file is
removed and the old file is left exactly as it was.

Every writer of :mod:`relations.formats` writes through :func:`open_sink`, walks its events
through :func:`checked_events`, and takes the :data:`PathOrFile` and :data:`Progress` types
defined here (the readers of
:mod:`relations.io` take them too).

>>> import tempfile, pathlib
>>> path = pathlib.Path(tempfile.mkdtemp()) / "out.txt"
>>> with atomic_write(path) as f:
...     _ = f.write("hello\\n")
>>> path.read_text()
'hello\\n'
"""

from __future__ import annotations

import contextlib
import io
import os
import stat
import tempfile
from collections.abc import Callable, Iterable, Iterator
from typing import IO, cast

from relations.errors import InvalidEvent
from relations.events import Event

__all__ = ["PathOrFile", "Progress", "atomic_path", "atomic_write", "checked_events", "open_sink"]

PathOrFile = str | os.PathLike[str] | IO[bytes] | IO[str]
"""A path, or an open file (binary or text) to read from or write to."""

Progress = Callable[[int], object]
"""A progress callback: called with the number of records read or written so far."""


def _umask() -> int:
    try:
        with open("/proc/self/status", encoding="ascii") as f:
            for line in f:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    return 0o022


@contextlib.contextmanager
def atomic_write(
    path: str | os.PathLike[str], *, encoding: str = "utf-8", newline: str | None = "\n"
) -> Iterator[IO[str]]:
    """Open a text file for writing that replaces ``path`` only when the block succeeds.

    The temporary file lives in the same directory (so the final ``os.replace`` is atomic on
    POSIX and Windows), is fsync'ed before the rename, and takes over the permissions of the
    file it replaces (or the usual ``0o666 & ~umask`` for a new file). It is removed on any
    exception. A process killed outright (SIGKILL, power cut) cannot remove it: its name,
    ``.<target>.<pid>.<random>.relations-tmp``, lets the next write to the same target
    remove the temporary files of processes that are no longer running.

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "keep.txt"
    >>> _ = path.write_text("old")
    >>> try:
    ...     with atomic_write(path) as f:
    ...         _ = f.write("new, but incomplete")
    ...         raise RuntimeError("interrupted")
    ... except RuntimeError:
    ...     pass
    >>> path.read_text()
    'old'
    """
    target = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(target))
    try:
        mode = stat.S_IMODE(os.stat(target).st_mode)
    except FileNotFoundError:
        mode = 0o666 & ~_umask()
    prefix = f".{os.path.basename(target)}."
    _remove_stale(directory, prefix)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f"{prefix}{os.getpid()}.", suffix=_SUFFIX)
    try:
        with os.fdopen(fd, "w", encoding=encoding, newline=newline) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, mode)
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(OSError):
            os.unlink(tmp)
        raise
    _fsync_dir(directory)


_SUFFIX = ".relations-tmp"


@contextlib.contextmanager
def atomic_path(path: str | os.PathLike[str]) -> Iterator[str]:
    """A temporary path beside ``path`` to write a file (or a folder) that replaces ``path``
    only when the block succeeds: for writers that want a path, not an open file
    (Parquet). Same naming, permissions and clean-up as :func:`atomic_write`; a folder
    replacing a folder moves the old one aside first.

    >>> import tempfile, pathlib
    >>> path = pathlib.Path(tempfile.mkdtemp()) / "out.bin"
    >>> with atomic_path(path) as tmp:
    ...     _ = pathlib.Path(tmp).write_bytes(b"new")
    >>> path.read_bytes()
    b'new'
    """
    import shutil

    target = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(target))
    prefix = f".{os.path.basename(target)}."
    _remove_stale(directory, prefix)
    fd, tmp = tempfile.mkstemp(dir=directory, prefix=f"{prefix}{os.getpid()}.", suffix=_SUFFIX)
    os.close(fd)
    os.unlink(tmp)  # the writer creates it (a file or a folder)
    try:
        yield tmp
        if os.path.isdir(tmp):
            old = None
            if os.path.lexists(target):
                old = f"{tmp}.old"
                os.replace(target, old)
            os.replace(tmp, target)
            if old is not None:
                shutil.rmtree(old, ignore_errors=True) if os.path.isdir(old) else os.unlink(old)
        else:
            with open(tmp, "rb+") as f:
                os.fsync(f.fileno())
            try:
                os.chmod(tmp, stat.S_IMODE(os.stat(target).st_mode))
            except FileNotFoundError:
                os.chmod(tmp, 0o666 & ~_umask())
            os.replace(tmp, target)
    except BaseException:
        if os.path.isdir(tmp):
            shutil.rmtree(tmp, ignore_errors=True)
        else:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        raise
    _fsync_dir(directory)


def _remove_stale(directory: str, prefix: str) -> None:
    """Remove the temporary files of earlier writes to the same target whose process is gone.

    A process killed with SIGKILL (or a power cut) cannot remove its temporary file. Its name,
    ``.<target>.<pid>.<random>.relations-tmp``, says which process wrote it: the next write
    to the same target removes those of processes no longer running. (A temporary file of a
    process on another machine sharing the folder, or of a pid reused since, is left alone.)
    """
    try:
        names = [n for n in os.listdir(directory) if n.startswith(prefix) and n.endswith(_SUFFIX)]
    except OSError:
        return
    for name in names:
        pid_text = name[len(prefix) :].partition(".")[0]
        if not pid_text.isdigit() or _running(int(pid_text)):
            continue
        with contextlib.suppress(OSError):
            os.unlink(os.path.join(directory, name))


def _running(pid: int) -> bool:
    if pid == os.getpid() or os.name == "nt":  # on Windows os.kill(pid, 0) would kill it
        return True  # (here: another write of this process, a thread, may be under way)
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except (PermissionError, OverflowError, OSError):
        return True  # exists but belongs to someone else, or cannot tell: keep it
    return True


def _fsync_dir(directory: str) -> None:
    # Make the rename itself durable (POSIX); not possible (nor needed) everywhere.
    try:
        dfd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(dfd)
    except OSError:
        pass
    finally:
        os.close(dfd)


@contextlib.contextmanager
def open_sink(target: PathOrFile) -> Iterator[IO[str]]:
    """Write to a path atomically (see :func:`atomic_write`), or to an open file as it is.

    An open binary file is wrapped for UTF-8 text and left open afterwards.

    >>> import io
    >>> buf = io.StringIO()
    >>> with open_sink(buf) as f:
    ...     _ = f.write("x")
    >>> buf.getvalue()
    'x'
    """
    if isinstance(target, str | os.PathLike):
        with atomic_write(target) as f:
            yield f
        return
    if isinstance(target, io.TextIOBase) or not _is_binary(target):
        yield target  # type: ignore[misc]  # a text file
        return
    wrapper = io.TextIOWrapper(cast(IO[bytes], target), encoding="utf-8", newline="\n")
    try:
        yield wrapper
        wrapper.flush()
    finally:
        wrapper.detach()


def _is_binary(f: object) -> bool:
    if isinstance(f, io.RawIOBase | io.BufferedIOBase):
        return True
    mode = getattr(f, "mode", "")
    return isinstance(mode, str) and "b" in mode


def checked_events(events: Iterable[object], progress: Progress | None = None) -> Iterator[Event]:
    """Each of ``events`` for a writer: anything not an Event is an InvalidEvent naming its
    place; ``progress`` hears the count every 10 000 events written and at the end.

    >>> from relations import Event
    >>> heard = []
    >>> [e.id for e in checked_events([Event("2024", "trade", ["RUS"], "T", id="t")], heard.append)], heard
    (['t'], [1])
    >>> list(checked_events(["not an event"]))
    Traceback (most recent call last):
    ...
    relations.errors.InvalidEvent: item 0 to write is not an Event: 'not an event'
    """
    count = 0
    for e in events:
        if not isinstance(e, Event):
            raise InvalidEvent(f"item {count} to write is not an Event: {e!r}")
        yield e
        count += 1
        if progress is not None and count % 10_000 == 0:
            progress(count)
    if progress is not None:
        progress(count)
