"""Hostile input (issue #17): fuzz every entry point that reads outside data.

Promise: only :class:`relations.RelationsError` subclasses ever escape, and no input of a few
kilobytes takes more than a second or more than 100 MB. Arbitrary text, JSON values and bytes
are tried, and mutations of real records (the canonical JSON of the bundled dataset, the
GDELT and ICEWS samples in ``../shared/data/samples/``).

The guard (:func:`guarded`) is a fuzz-harness report, not a speed assertion: an input that
runs past :data:`SECONDS` (an interval timer) or grows the process's peak memory by more than
:data:`MEGABYTES` fails with the offending input in the message. Under the default and CI
profiles the limits are generous and the examples few; the long run is::

    RELATIONS_FUZZ_EXAMPLES=10000 RELATIONS_FUZZ_SECONDS=1 HYPOTHESIS_PROFILE=long \\
        PYTHONPATH=src python -m pytest -p no:cacheprovider tests/test_hostile_fuzz.py

(results in ``docs/explanation/durability-and-security.md``).
"""

from __future__ import annotations

import contextlib
import io
import json
import os
import resource
import signal
import sys
import time
import warnings
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relations import Event, RelationsError, When
from relations.cli import main
from relations.datasets import load
from relations.io import (
    import_acled,
    import_gdelt,
    import_icews,
    import_plover,
    read_csv,
    read_jsonl,
    validate_jsonl,
)

EXAMPLES = int(os.environ.get("RELATIONS_FUZZ_EXAMPLES", "0")) or None
SECONDS = float(os.environ.get("RELATIONS_FUZZ_SECONDS", "10"))
MEGABYTES = 100
SAMPLES = Path(
    os.environ.get("RELATIONS_SAMPLES") or Path(__file__).parents[2] / "shared" / "data" / "samples"
)

fuzz = settings(
    max_examples=EXAMPLES or settings.default.max_examples,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


class TooSlow(AssertionError):
    pass


@contextlib.contextmanager
def _timer(seconds: float) -> Iterator[None]:
    def ring(signum: int, frame: object) -> None:
        raise TooSlow(f"took more than {seconds} s")

    if not hasattr(signal, "setitimer"):  # pragma: no cover - Windows: no guard
        yield
        return
    old = signal.signal(signal.SIGALRM, ring)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, old)


def _peak_mb() -> float:
    kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return kb / 1024 if sys.platform != "darwin" else kb / 2**20


def guarded(fn: Callable[[Any], object], data: Any) -> None:
    """Run ``fn(data)``: RelationsError is a fine answer; anything else, more than
    :data:`SECONDS` or more than :data:`MEGABYTES` of new peak memory fails, naming ``data``."""
    shown = repr(data)[:2000]
    before = _peak_mb()
    started = time.perf_counter()
    try:
        with _timer(SECONDS), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fn(data)
    except RelationsError:
        pass
    except TooSlow as e:
        raise AssertionError(f"{e} on input {shown}") from None
    except Exception as e:
        raise AssertionError(f"{type(e).__name__}: {e} escaped on input {shown}") from e
    # The timer's exception can land in a callback that swallows it (the gc's): check again.
    took = time.perf_counter() - started
    assert took < SECONDS, f"took {took:.1f} s (more than {SECONDS} s) on input {shown}"
    grown = _peak_mb() - before
    assert grown < MEGABYTES, f"peak memory grew by {grown:.0f} MB on input {shown}"


# ---- strategies ------------------------------------------------------------------------------

json_values = st.recursive(
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=10**300, max_value=10**400)
    | st.floats()
    | st.text(max_size=30),
    lambda inner: (
        st.lists(inner, max_size=5) | st.dictionaries(st.text(max_size=10), inner, max_size=5)
    ),
    max_leaves=20,
)

FIELDS = ["schema", "id", "when", "kind", "actors", "title", "summary", "quantities", "sources",
          "status", "claimed_by", "tags", "links", "directed", "location", "extra"]  # fmt: skip


def _real_records() -> list[dict[str, Any]]:
    return [e.to_dict() for e in list(load("russia-north-korea"))[:40]]


REAL = _real_records()


@st.composite
def mutated_records(draw: st.DrawFn) -> dict[str, Any]:
    """A real record with a few fields replaced by arbitrary JSON (or removed)."""
    d = dict(draw(st.sampled_from(REAL)))
    for _ in range(draw(st.integers(1, 3))):
        key = draw(st.sampled_from([*FIELDS, "unknown"]))
        if draw(st.booleans()) and key in d:
            del d[key]
        else:
            d[key] = draw(json_values | st.text(max_size=40))
    return d


def _mutate_bytes(data: bytes, draw: st.DrawFn) -> bytes:
    """Flip, delete or insert bytes of ``data`` at a few places."""
    out = bytearray(data)
    for _ in range(draw(st.integers(1, 8))):
        if not out:
            break
        at = draw(st.integers(0, len(out) - 1))
        op = draw(st.sampled_from(["flip", "delete", "insert", "dup"]))
        if op == "flip":
            out[at] = draw(st.integers(0, 255))
        elif op == "delete":
            del out[at : at + draw(st.integers(1, 20))]
        elif op == "insert":
            out[at:at] = draw(
                st.binary(max_size=20) | st.sampled_from([b"\t", b"\n", b'"', b"\\ud800"])
            )
        else:
            out[at:at] = out[at : at + draw(st.integers(1, 200))]
    return bytes(out)


def _sample_lines(name: str, n: int = 20) -> bytes:
    path = SAMPLES / name
    if not path.is_file():
        return b""
    with path.open("rb") as f:
        return b"".join(f.readline() for _ in range(n))


GDELT = _sample_lines("gdelt1_events_sample.tsv")
ICEWS = _sample_lines("icews_events.2018.sample.tab")
JSONL = "\n".join(json.dumps(d, ensure_ascii=False) for d in REAL[:10]).encode() + b"\n"


@st.composite
def mutated(draw: st.DrawFn, base: bytes) -> bytes:
    return _mutate_bytes(base, draw) if base else draw(st.binary(max_size=2000))


# ---- When ------------------------------------------------------------------------------------

date_text = (
    st.text(max_size=60)
    | st.from_regex(r"[-+Y~?%XESTZ0-9:/.\[\]{}, ]{0,40}", fullmatch=True)
    | st.sampled_from(["Y" + "9" * 4301, "Y-170000002/Y170000002", "..", "2024-13", "1950S999"])
)


@fuzz
@given(date_text)
def test_when_parse(text: str) -> None:
    guarded(When.parse, text)


@fuzz
@given(date_text)
def test_when_from_edtf(text: str) -> None:
    guarded(When.from_edtf, text)


# ---- records ---------------------------------------------------------------------------------


@fuzz
@given(json_values | mutated_records())
def test_event_from_dict(d: Any) -> None:
    guarded(Event.from_dict, d)


def _read_all(reader: Callable[..., Any]) -> Callable[[bytes], object]:
    def run(data: bytes) -> object:
        for errors in ("raise", "collect"):
            with contextlib.suppress(RelationsError):
                reader(io.BytesIO(data), errors=errors)
        return None

    return run


jsonl_bytes = (
    st.binary(max_size=2000)
    | mutated(JSONL)
    | st.lists(json_values | mutated_records(), max_size=5).map(
        lambda ds: "\n".join(json.dumps(d) for d in ds).encode()
    )
)


@fuzz
@given(jsonl_bytes)
def test_read_jsonl(data: bytes) -> None:
    guarded(_read_all(read_jsonl), data)


@fuzz
@given(jsonl_bytes)
def test_validate_jsonl(data: bytes) -> None:
    guarded(lambda b: validate_jsonl(io.BytesIO(b)), data)


CSV = b"when,kind,actors,title,id\n2024,trade,RUS;PRK,Trade,t\n2024-06-19,diplomacy,RUS,Visit,v\n"


@fuzz
@given(st.binary(max_size=2000) | mutated(CSV))
def test_read_csv(data: bytes) -> None:
    guarded(_read_all(read_csv), data)


# ---- importers -------------------------------------------------------------------------------


@fuzz
@given(st.binary(max_size=2000) | mutated(GDELT))
def test_import_gdelt(data: bytes) -> None:
    guarded(_read_all(import_gdelt), data)


@fuzz
@given(st.binary(max_size=2000) | mutated(ICEWS))
def test_import_icews(data: bytes) -> None:
    guarded(_read_all(import_icews), data)


ACLED = (
    b"event_id_cnty,event_date,year,event_type,sub_event_type,actor1,actor2,country,iso,"
    b"fatalities,notes,source\n"
    b"UKR1,2024-06-19,2024,Battles,Armed clash,Military Forces of Russia,Military Forces of "
    b"Ukraine,Ukraine,804,3,notes,Source\n"
)
PLOVER = (
    json.dumps(
        {
            "event_id": "p1",
            "event_date": "2024-06-19",
            "event_type": "CONSULT",
            "actor": "RUS",
            "recipient": "PRK",
            "event_text": "Meeting",
        }
    ).encode()
    + b"\n"
)


@fuzz
@given(st.binary(max_size=2000) | mutated(ACLED))
def test_import_acled(data: bytes) -> None:
    guarded(_read_all(import_acled), data)


@fuzz
@given(st.binary(max_size=2000) | mutated(PLOVER) | jsonl_bytes)
def test_import_plover(data: bytes) -> None:
    guarded(_read_all(import_plover), data)


# ---- the CLI ---------------------------------------------------------------------------------

COMMANDS = [
    ["validate", "{path}"],
    ["show", "{path}"],
    ["stats", "{path}", "--by", "year", "--fill"],
    ["export", "{path}", "--format", "markdown", "-o", "{out}"],
]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: c[0])
@fuzz
@given(data=jsonl_bytes)
def test_cli_reading_files(
    tmp_path_factory: pytest.TempPathFactory, command: list[str], data: bytes
) -> None:
    folder = tmp_path_factory.mktemp("cli")
    path = folder / "in.jsonl"
    path.write_bytes(data)
    argv = [a.format(path=path, out=folder / "out.md") for a in command]

    def run(argv: list[str]) -> None:
        with (
            contextlib.redirect_stdout(io.StringIO()),
            contextlib.redirect_stderr(io.StringIO()) as err,
        ):
            code = main(argv)
        assert code != 70, err.getvalue()

    guarded(run, argv)


def test_import_icews_duplicate_header_column() -> None:
    """Found by the long fuzz run: a repeated ICEWS column name raised a raw IndexError."""
    if not ICEWS:
        pytest.skip("ICEWS sample not found")
    header, *rows = ICEWS.split(b"\n")[:3]
    names = header.split(b"\t")
    data = b"\t".join([*names, names[0]]) + b"\n" + b"\n".join(rows) + b"\n"
    guarded(_read_all(import_icews), data)
