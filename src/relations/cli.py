"""The ``relations`` command (console script and ``python -m relations``).

Subcommands: ``tour`` (the bundled dataset and a summary), ``show``, ``stats``, ``chart``,
``validate``, ``import``, ``export``, ``store`` (``append``, ``read``, ``timeline``,
``correct``, ``retract``, ``check``),
``datasets`` and ``completion``. Where a command reads events, its SOURCE is a bundled dataset
name (``russia-north-korea``) or a file (``.jsonl`` or ``.csv``). ``--json`` prints output for
scripts. Errors are one line on stderr, ``relations: error: ...``, and a non-zero exit status:
1 for bad input or failed validation, 2 for a bad command line, 130 when interrupted.

>>> main(["show", "russia-north-korea", "--between", "2024-06-19", "2024-06-19",
...       "--kind", "agreement.treaty.signed", "--width", "90"])
2024-06-19  19 Jun 2024  RUS · PRK  Comprehensive Strategic Partnership Treaty signed
0
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import shutil
import sqlite3
import sys
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any, NoReturn

from relations.errors import RelationsError

if TYPE_CHECKING:
    from relations._timeline import Timeline

__all__ = ["build_parser", "main"]

PROG = "relations"
TOUR_DATASET = "russia-north-korea"
#: ``show`` of Parquet prints at most this many events unless ``--limit`` says otherwise.
LAZY_SHOW_LIMIT = 100


def _version() -> str:
    """The installed version, as ``relations.__version__`` (the root package sits above the CLI).

    >>> import relations
    >>> _version() == relations.__version__
    True
    """
    from importlib.metadata import PackageNotFoundError, version

    try:
        return version("relations")
    except PackageNotFoundError:  # running from a source tree that was never installed
        return "0.0.0+unknown"


_TITLES = {"russia-north-korea": "Russia – North Korea relations, 1945–2025"}
# A chart's title names the data; its subtitle gives the real span of the events drawn.
_CHART_TITLES = {"russia-north-korea": "Russia – North Korea relations"}
_CHART_SUFFIXES = (".svg", ".html", ".htm", ".png", ".pdf")
IMPORT_FORMATS = ("gdelt", "icews", "acled", "plover")
EXPORT_FORMATS = ("timelinejs", "mermaid", "csv", "markdown", "jsonl")
_READERS = {".jsonl": "read_jsonl", ".ndjson": "read_jsonl", ".csv": "read_csv"}


class CommandError(Exception):
    """A problem with what the command was asked to do (reported as one line, exit 1).

    >>> main(["chart", "russia-north-korea", "-o", "chart.gif"])
    1
    """


# ---- reading and filtering --------------------------------------------------------------------


def _load(source: str) -> Timeline:
    """A bundled dataset by name, or a file by its suffix."""
    from relations.datasets import datasets, load

    path = Path(source)
    if path.exists() or path.suffix.lower() in _READERS:
        reader = _READERS.get(path.suffix.lower())
        if reader is None:
            raise CommandError(
                f"{source}: cannot tell the format from the suffix {path.suffix!r}; "
                f"use a .jsonl or .csv file"
            )
        if path.is_dir():
            raise CommandError(f"{source}: is a directory, not a file of events")
        import relations.io as rio

        read: Callable[..., Timeline] = getattr(rio, reader)
        return read(path)
    names = datasets()
    if source in names:
        return load(source)
    listing = ", ".join(names) or "none"
    raise CommandError(f"no such file or bundled dataset: {source!r} (bundled: {listing})")


def _is_parquet(source: str) -> bool:
    """A Parquet file, a glob of them, or a folder of them (read lazily)."""
    path = Path(source)
    if path.suffix.lower() == ".parquet":
        return True
    if any(c in source for c in "*?["):
        return True
    return path.is_dir() and any(path.rglob("*.parquet"))


def _lazy(source: str) -> Any:
    """A LazyTimeline over Parquet (``timeline.scan``), or None for any other source."""
    if not _is_parquet(source):
        return None
    from relations.timeline import scan

    try:
        return scan(source)
    except ImportError as e:
        raise CommandError(f"{source}: {e}") from None


def _check_kinds(tl: Timeline, kinds: Sequence[str]) -> None:
    """A kind no event has and no vocabulary knows is a typo: UnknownKind, with a suggestion.

    >>> from relations import timeline
    >>> _check_kinds(timeline.load("russia-north-korea"), ["militray"])
    Traceback (most recent call last):
    ...
    relations.errors.UnknownKind: no event has kind 'militray' and no vocabulary knows it; did you mean 'military'?
    """
    import warnings

    from relations.kinds import VOCABULARY, is_within, unknown_kind_error, validate_kind

    present = {e.kind for e in tl}
    for kind in kinds:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the error below says it better than the warning
            k = validate_kind(kind)
        if not any(is_within(p, k) for p in present) and not any(
            is_within(v, k) for v in VOCABULARY
        ):
            raise unknown_kind_error(k, known=present)


def _filter(tl: Any, args: argparse.Namespace) -> Any:
    """The selection of the filter options (on a Timeline or, lazily, a LazyTimeline, whose
    ``of_kind`` checks kinds itself)."""
    if getattr(args, "kind", None) and not hasattr(tl, "collect"):
        _check_kinds(tl, args.kind)
    if getattr(args, "between", None):
        tl = tl.between(*args.between)
    if getattr(args, "actor", None):
        tl = tl.involving(*args.actor)
    if getattr(args, "kind", None):
        tl = tl.of_kind(*args.kind)
    if getattr(args, "status", None):
        tl = tl.with_status(*args.status)
    return tl


def _width(args: argparse.Namespace) -> int:
    w = getattr(args, "width", None)
    if isinstance(w, int) and w > 0:
        return w
    return max(40, shutil.get_terminal_size((100, 24)).columns)


def _out(text: str = "") -> None:
    sys.stdout.write(text + "\n")


def _json_out(obj: object) -> None:
    sys.stdout.write(json.dumps(obj, ensure_ascii=False, indent=2) + "\n")


def _jsonl_out(events: Timeline) -> None:
    for e in events:
        sys.stdout.write(json.dumps(e.to_dict(), ensure_ascii=False) + "\n")


def _check_output(path: str | Path) -> None:
    """An output file's directory must exist, and the output must not be a directory (else the
    error would name a temporary file).

    >>> _check_output("/")
    Traceback (most recent call last):
    ...
    relations.cli.CommandError: /: is a directory; name the file to write (e.g. /events.jsonl)
    """
    if Path(path).is_dir():
        example = Path(path) / "events.jsonl"
        raise CommandError(f"{path}: is a directory; name the file to write (e.g. {example})")
    parent = Path(path).parent
    if not parent.is_dir():
        raise CommandError(f"{path}: the directory {str(parent)!r} does not exist")


# ---- summary (tour, show --summary) -----------------------------------------------------------


def summary(tl: Timeline) -> dict[str, Any]:
    """Counts by kind and status, the span, and the events that are disputed or claimed.

    >>> from relations import timeline
    >>> s = summary(timeline.load("russia-north-korea"))
    >>> s["events"] > 100, "disputed" in s["by_status"], s["span"]["from"]
    (True, True, '1945-08-01')
    """
    from relations.render import when_in_words
    from relations.render.svg import span_words
    from relations.when import UNBOUNDED_HI, UNBOUNDED_LO, ymd

    kinds = Counter(e.kind.split(".", 1)[0] for e in tl)
    statuses = Counter(e.status.value for e in tl)
    actors = Counter(a for e in tl for a in e.actors)
    span: dict[str, Any] = {}
    los = [e.lo for e in tl if e.lo != UNBOUNDED_LO]
    his = [e.hi for e in tl if e.hi != UNBOUNDED_HI]
    if los or his:
        span = {
            "from": "{:04d}-{:02d}-{:02d}".format(*ymd(min(los or his))),
            "to": "{:04d}-{:02d}-{:02d}".format(*ymd(max(his or los))),
            "words": span_words(tl),
        }
    imprecise = sum(
        1 for e in tl if e.when.precision.name not in ("DAY", "HOUR", "MINUTE", "SECOND")
    )
    hedged = [
        {
            "id": e.id,
            "when": str(e.when),
            "words": when_in_words(e.when),
            "status": e.status.value,
            "claimed_by": list(e.claimed_by),
            "title": e.title,
        }
        for e in tl
        if e.status.value in ("disputed", "claimed")
    ]
    return {
        "events": len(tl),
        "span": span,
        "by_kind": dict(kinds.most_common()),
        "by_status": dict(statuses.most_common()),
        "top_actors": dict(actors.most_common(8)),
        "imprecise_dates": imprecise,
        "open_ended": sum(1 for e in tl if e.hi == UNBOUNDED_HI),
        "disagreements": hedged,
    }


def _summary_text(s: dict[str, Any], width: int, source: str) -> list[str]:
    from relations.render.text import fit

    def line(label: str, text: str, indent: int = 2) -> str:
        head = " " * indent + (f"{label:<14}" if label else "")
        return head + fit(text, width - len(head))

    def counts(c: dict[str, int]) -> str:
        return " · ".join(f"{k} {v}" for k, v in c.items())

    lines = ["Summary", line("events", str(s["events"]))]
    if s["span"]:
        lines.append(line("span", s["span"]["words"]))
    lines.append(line("by kind", counts(s["by_kind"])))
    lines.append(line("by status", counts(s["by_status"])))
    lines.append(line("actors", counts(s["top_actors"])))
    lines.append(
        line(
            "dates",
            f"{s['imprecise_dates']} known only to the month or coarser, "
            f"{s['open_ended']} still open",
        )
    )
    hedged = s["disagreements"]
    disputed = [d for d in hedged if d["status"] == "disputed"]
    claimed = [d for d in hedged if d["status"] == "claimed"]
    lines.append(
        line(
            "disagreements",
            f"{len(disputed)} disputed, {len(claimed)} claimed by one party (shown, never hidden)",
        )
    )
    for d in (disputed + claimed)[:8]:
        who = f" by {', '.join(d['claimed_by'])}" if d["claimed_by"] else ""
        lines.append(line("", f"{d['status']}{who}: {d['title']} ({d['words']})", indent=4))
    if len(hedged) > 8:
        lines.append(
            f"    … and {len(hedged) - 8} more: relations show {source} --status disputed "
            "--status claimed"
        )
    return lines


# ---- commands ---------------------------------------------------------------------------------


def _cmd_tour(args: argparse.Namespace) -> int:
    tl = _load(TOUR_DATASET)
    s = summary(tl)
    if args.json:
        _json_out({"dataset": TOUR_DATASET, **s})
        return 0
    width = _width(args)
    _out(f"{_TITLES[TOUR_DATASET]} — the bundled dataset {TOUR_DATASET!r}, {len(tl)} events")
    _out("Dates are EDTF (2024-10~ is about October 2024; 2024-12-04/.. is still ongoing).")
    _out()
    _out(tl.to_text(width=width))
    _out()
    for line in _summary_text(s, width, TOUR_DATASET):
        _out(line)
    _out()
    _out("Next: relations show russia-north-korea --between 2024 2025 --kind military")
    _out("      relations stats russia-north-korea --by year")
    _out("      relations chart russia-north-korea -o russia-north-korea.html")
    return 0


class _Ends(Sequence[Any]):
    """The first and last events of a lazy selection, fetched as the text view slices them."""

    def __init__(self, lazy: Any) -> None:
        self._lazy = lazy
        self._n = lazy.count()

    def __len__(self) -> int:
        return int(self._n)

    def __getitem__(self, key: Any) -> Any:
        if not isinstance(key, slice):
            raise TypeError("the lazy text view is sliced, not indexed")
        start, stop, _ = key.indices(self._n)
        if start == 0:
            return list(self._lazy.head(stop))
        return list(self._lazy.tail(stop - start))


def _cmd_show(args: argparse.Namespace) -> int:
    lazy = _lazy(args.source)
    if lazy is not None and not (args.json or args.summary):
        selection = _filter(lazy, args)
        limit = args.limit if args.limit is not None else LAZY_SHOW_LIMIT
        from relations.render.text import to_text

        _out(to_text(_Ends(selection), width=_width(args), limit=limit))
        return 0
    tl = _filter(_load(args.source) if lazy is None else lazy, args)
    if lazy is not None:
        tl = tl.collect()  # --json and --summary need every selected event
    if args.json:
        _jsonl_out(tl)
        return 0
    width = _width(args)
    _out(tl.to_text(width=width, limit=args.limit))
    if args.summary:
        _out()
        for line in _summary_text(summary(tl), width, args.source):
            _out(line)
    return 0


def _by(text: str) -> str | tuple[str, ...]:
    parts = tuple(p.strip() for p in text.split(",") if p.strip())
    if not parts:
        raise CommandError(f"--by {text!r}: name a period or key, e.g. year or dyad,year")
    return parts[0] if len(parts) == 1 else parts


def _json_value(v: object) -> object:
    from relations.quantities import Quantity

    if isinstance(v, Quantity):
        return {"estimate": float(v), **v.to_dict()}
    if isinstance(v, bool) or v is None or isinstance(v, int | float | str):
        return v
    return str(v)


def _json_key(k: object) -> object:
    if isinstance(k, tuple):
        return [_json_key(p) for p in k]
    if k is None or isinstance(k, int | float | str):
        return k
    return str(k)


def _check_quantity(tl: Timeline, name: str) -> None:
    """``--sum NAME`` for a quantity no event has is an error naming those there are.

    >>> from relations import timeline
    >>> _check_quantity(timeline.load("russia-north-korea"), "soldier")
    Traceback (most recent call last):
    ...
    relations.cli.CommandError: --sum 'soldier': no event has a quantity of that name; did you mean 'soldiers'? (the quantities: ...)
    """

    names = sorted({q for e in tl for q in e.quantities})
    _check_sum_name(
        name, names, "no event has a quantity", "the quantities", "none: no event has quantities"
    )


def _check_lazy_name(lazy: Any, name: str) -> None:
    """``--sum NAME`` on Parquet: NAME must be a quantity or measure column of the layout."""

    cols = lazy.expr.columns
    names = sorted(
        {c.split(".")[1] for c in cols if c.startswith("quantity.")}
        | {c[len("measure.") :] for c in cols if c.startswith("measure.")}
    )
    _check_sum_name(
        name,
        names,
        "the Parquet source has no quantity or measure",
        "the quantities and measures",
        "none",
    )


def _check_sum_name(name: str, names: list[str], missing: str, listed: str, empty: str) -> None:
    """CommandError ``--sum NAME: <missing> of that name; did you mean ...? (<listed>: ...)``
    unless ``name`` is one of ``names``."""
    import difflib

    if name in names:
        return
    close = difflib.get_close_matches(name, names, n=1)
    hint = f"; did you mean {close[0]!r}?" if close else ""
    listing = ", ".join(names) if names else empty
    raise CommandError(f"--sum {name!r}: {missing} of that name{hint} ({listed}: {listing})")


def _cmd_stats(args: argparse.Namespace) -> int:
    lazy = _lazy(args.source)
    if lazy is not None:
        if args.sum:
            _check_lazy_name(lazy, args.sum)
        loaded: Any = lazy
    else:
        loaded = _load(args.source)
        if args.sum:
            _check_quantity(loaded, args.sum)
    tl = _filter(loaded, args)
    by = _by(args.by)
    series: Any
    if args.sum:
        series = tl.sum(args.sum, by, policy=args.policy, fill=args.fill)
    else:
        series = tl.count(by, policy=args.policy, fill=args.fill)
    if args.json:
        _json_out(
            {
                "name": series.name,
                "by": list(series.key_names),
                "policy": series.policy,
                "unit": series.unit,
                "rows": [{"key": _json_key(k), "value": _json_value(v)} for k, v in series.items()],
                "unplaced": len(series.unplaced),
                "missing": series.missing,
                **(
                    {"unplaced_events": [e.to_dict() for e in series.unplaced]}
                    if args.unplaced
                    else {}
                ),
            }
        )
        return 0
    from relations.render.text import series_to_text

    _out(series_to_text(series, width=_width(args)))
    if args.unplaced:
        _out()
        if len(series.unplaced):
            _out(
                f"Not placed ({len(series.unplaced)}; their dates are too imprecise for --by "
                f"{args.by} with --policy {args.policy}):"
            )
            _out(series.unplaced.to_text(width=_width(args)))
        else:
            _out("Every event was placed.")
    return 0


def _selection_words(args: argparse.Namespace) -> str | None:
    """The filters of a command in words, for a chart's subtitle.

    >>> ns = argparse.Namespace(between=["2022", "2025"], actor=["RUS"], kind=["military"],
    ...                         status=None)
    >>> _selection_words(ns)
    'selected: 2022 to 2025, involving RUS, kind military'
    """
    parts = []
    if getattr(args, "between", None):
        parts.append(f"{args.between[0]} to {args.between[1]}")
    if getattr(args, "actor", None):
        parts.append("involving " + ", ".join(args.actor))
    if getattr(args, "kind", None):
        parts.append("kind " + " or ".join(args.kind))
    if getattr(args, "status", None):
        parts.append("status " + " or ".join(args.status))
    return "selected: " + ", ".join(parts) if parts else None


def _cmd_chart(args: argparse.Namespace) -> int:
    lazy = _lazy(args.source)  # Parquet: the engine selects; the chart draws the selection
    tl = _filter(lazy, args).collect() if lazy is not None else _filter(_load(args.source), args)
    out = Path(args.output)
    suffix = out.suffix.lower()
    if suffix not in _CHART_SUFFIXES:
        raise CommandError(f"{args.output}: the chart is written as .svg, .html, .png or .pdf")
    if suffix in (".png", ".pdf"):
        from relations.render.convert import available

        if not available():
            raise CommandError(
                f"{args.output}: PNG and PDF charts need vl-convert: "
                'pip install "relations[png]" (or write .svg or .html)'
            )
    _check_output(out)
    lanes: Any = None if args.lanes == "none" else args.lanes
    title = args.title if args.title is not None else _CHART_TITLES.get(args.source)
    tl.save_chart(
        out,
        title=title,
        width=args.width or 1200,
        lanes=lanes,
        scale=args.scale,
        selection=_selection_words(args),
        dense=args.dense,
    )
    if args.json:
        _json_out({"output": str(out), "format": suffix[1:], "events": len(tl)})
        return 0
    print(f"wrote {out} ({len(tl)} events)", file=sys.stderr)
    return 0


def _all_problems(record: Any) -> list[str]:
    """Every schema problem of a JSON record (``field: message``), when jsonschema is installed;
    the ``schema`` and ``id`` fields are optional here, as for every reader."""
    try:
        import jsonschema
    except ImportError:  # pragma: no cover - jsonschema is installed with the test extra
        return []
    from relations.io.schema import event_schema

    schema = dict(event_schema())
    schema["required"] = [f for f in schema.get("required", []) if f not in ("schema", "id")]
    checker = jsonschema.Draft202012Validator(schema)
    found = []
    for err in sorted(checker.iter_errors(record), key=lambda e: list(map(str, e.path))):
        path = "/".join(str(p) for p in err.absolute_path)
        found.append(f"{path}: {err.message}" if path else err.message)
    return found


def _more_problems(issues: Sequence[Any], record_at: Callable[[int], Any]) -> list[str]:
    """Each issue's message, with any further problems of the same record added
    (``record_at(line)``: the record that starts on that line as JSON values, or None)."""
    out = []
    for issue in issues:
        message = issue.message
        record = record_at(issue.line)
        if isinstance(record, dict):
            more = _all_problems(record)
            if len(more) > 1:
                message += "; all problems: " + "; ".join(more)
        out.append(message)
    return out


def _jsonl_record_at(lines: Iterable[bytes], issues: Sequence[Any]) -> Callable[[int], Any]:
    """The record on a line with an issue, or None. ``lines`` is read once, keeping only the
    lines that have an issue, so a file of any size is re-read in bounded memory."""
    wanted = {issue.line for issue in issues}
    kept: dict[int, bytes] = {}
    if wanted:
        last = max(wanted)
        for n, line in enumerate(lines, start=1):
            if n in wanted:
                kept[n] = line
            if n >= last:
                break

    def record_at(line: int) -> Any:
        try:
            return json.loads(kept[line]) if line in kept else None
        except ValueError:
            return None

    return record_at


def _csv_record_at(path: Path) -> Callable[[int], Any]:
    """The record of the CSV row starting on a line (as the reader builds it), or None."""
    import csv

    from relations.formats.csv import check_header, row_to_record

    rows: dict[int, list[str]] = {}
    header: list[str] = []
    try:
        with path.open(newline="", encoding="utf-8") as f:
            reader = csv.reader(f)
            header = check_header([h.strip() for h in next(reader, [])], str(path), 1)
            end = reader.line_num
            for row in reader:
                rows[end + 1] = row
                end = reader.line_num
    except (RelationsError, csv.Error, UnicodeDecodeError):
        pass  # the reader has reported it; no further problems to add

    def record_at(line: int) -> Any:
        row = rows.get(line)
        if row is None or len(row) != len(header):
            return None
        try:
            return row_to_record(header, row, str(path), line)
        except RelationsError:
            return None

    return record_at


def _cmd_validate(args: argparse.Namespace) -> int:
    """Check a file by the same rules every reader (and ``show``) applies: a record is valid if
    it reads as an Event (``schema`` and ``id`` are optional); every problem of a record is
    listed, not only the first.
    """
    from importlib import resources

    from relations.datasets import datasets
    from relations.io.schema import validate_jsonl

    path = Path(args.file)
    if path.suffix.lower() == ".csv" and path.is_file():
        from relations.io.csv import read_csv

        _, report = read_csv(path, errors="collect", report=True)
        messages = _more_problems(report.issues, _csv_record_at(path))
    else:
        data: bytes | None = None
        if path.is_file():
            # Two streaming passes (check, then re-read only the lines with issues): a file
            # of any size is validated in bounded memory.
            with path.open("rb") as f:
                report = validate_jsonl(f, use_jsonschema=False)
            with path.open("rb") as f:
                messages = _more_problems(report.issues, _jsonl_record_at(f, report.issues))
        elif not path.exists() and args.file in datasets():
            data = (resources.files("relations.datasets") / f"{args.file}.jsonl").read_bytes()
        elif path.is_dir():
            raise CommandError(f"{args.file}: is a directory, not a file of events")
        else:
            listing = ", ".join(datasets()) or "none"
            raise CommandError(f"{args.file}: no such file or bundled dataset (bundled: {listing})")
        if data is not None:
            stream = io.BytesIO(data)
            stream.name = str(path)
            report = validate_jsonl(stream, use_jsonschema=False)
            lines = data.split(b"\n")
            messages = _more_problems(report.issues, _jsonl_record_at(lines, report.issues))
    if args.json:
        _json_out(
            {
                "file": str(path),
                "ok": report.ok,
                "records": report.records,
                "valid": report.records - report.skipped,
                "issues": [
                    {"line": i.line, "message": m}
                    for i, m in zip(report.issues, messages, strict=True)
                ],
            }
        )
        return 0 if report.ok else 1
    for message in messages:
        _out(message)
    if report.ok:
        _out(f"{path}: {report.records} records, all valid")
        return 0
    print(f"{path}: {report.skipped} of {report.records} records invalid", file=sys.stderr)
    return 1


class ProgressBar:
    """A progress bar on a stream: records read and, when the file's size is known, percent.

    >>> import io
    >>> buf = io.StringIO()
    >>> bar = ProgressBar(buf, total_bytes=None)
    >>> bar(10_000); bar.finish(12_345)
    >>> buf.getvalue().splitlines()[-1].strip()
    'imported 12,345 records'
    """

    def __init__(
        self,
        stream: IO[str],
        *,
        total_bytes: int | None,
        position: Callable[[], int] | None = None,
        width: int = 30,
    ) -> None:
        self.stream = stream
        self.total = total_bytes
        self.position = position
        self.width = width

    def __call__(self, records: int) -> None:
        """Redraw the bar after ``records`` records."""
        text = f"{records:,} records"
        if self.total and self.position is not None:
            try:
                frac = min(1.0, self.position() / self.total)
            except (OSError, ValueError):
                frac = None
            if frac is not None:
                done = round(frac * self.width)
                text = f"[{'#' * done}{'.' * (self.width - done)}] {frac:4.0%}  {text}"
        self.stream.write("\r" + text)
        self.stream.flush()

    def finish(self, records: int) -> None:
        """End the bar's line."""
        self.stream.write(f"\rimported {records:,} records{' ' * (self.width + 10)}\n")
        self.stream.flush()


def _cmd_import(args: argparse.Namespace) -> int:
    import relations.io as rio

    importer: Callable[..., Any] | None = getattr(rio, f"import_{args.format}", None)
    if importer is None:
        raise CommandError(f"the {args.format} importer is not available in this version")
    src = Path(args.input)
    if not src.is_file():
        raise CommandError(f"{args.input}: no such file")
    to_parquet = args.output.endswith(".parquet") or args.partition_by is not None
    if args.partition_by is not None and not args.output.endswith(".parquet"):
        raise CommandError("--partition-by writes Parquet: name an output ending in .parquet")
    if args.partition_by is None:
        _check_output(args.output)
    elif not Path(args.output).absolute().parent.is_dir():
        raise CommandError(
            f"{args.output}: the directory {str(Path(args.output).parent)!r} does not exist"
        )
    show = args.progress if args.progress is not None else sys.stderr.isatty()
    with open(src, "rb") as f:
        bar = None
        if show:
            bar = ProgressBar(sys.stderr, total_bytes=os.fstat(f.fileno()).st_size, position=f.tell)
        if to_parquet:  # streamed, in bounded memory
            from relations.io.import_parquet import import_to_parquet

            report = import_to_parquet(
                f,
                args.output,
                format=args.format,
                partition_by=args.partition_by,
                errors=args.errors,
                progress=bar,
            )
            n = report.loaded
        else:
            tl, report = importer(f, errors=args.errors, progress=bar, report=True)
        if bar is not None:
            bar.finish(report.records)
    if not to_parquet:
        from relations.io.jsonl import write_jsonl

        n = write_jsonl(tl, args.output)
    if args.json:
        _json_out(
            {
                "input": str(src),
                "format": args.format,
                "output": args.output,
                "records": report.records,
                "written": n,
                "skipped": report.skipped,
                "issues": [{"line": i.line, "message": i.message} for i in report.issues],
            }
        )
        return 0
    for issue in report.issues[:10]:
        print(f"relations: skipped: {issue.message}", file=sys.stderr)
    print(f"{report}; wrote {n} events to {args.output}", file=sys.stderr)
    return 0


def _export_text(
    tl: Timeline, fmt: str, *, layout: str = "canonical", escape_formulas: bool = True
) -> str:
    import relations.io as rio

    if fmt == "csv":
        from relations.formats.csv import write_csv

        buf = io.StringIO()
        write_csv(
            tl,
            buf,
            layout="flat" if layout == "flat" else "canonical",
            escape_formulas=escape_formulas,
        )
        return buf.getvalue()
    if fmt == "jsonl":
        buf = io.StringIO()
        rio.write_jsonl(tl, buf)
        return buf.getvalue()
    fn: Callable[..., Any] | None = getattr(rio, f"to_{fmt}", None) or getattr(
        tl, f"to_{fmt}", None
    )
    if fn is None:
        raise CommandError(f"the {fmt} exporter is not available in this version")
    result = fn(tl) if getattr(fn, "__self__", None) is not tl else fn()
    if isinstance(result, str):
        return result if result.endswith("\n") else result + "\n"
    return json.dumps(result, ensure_ascii=False, indent=2) + "\n"


def _cmd_export(args: argparse.Namespace) -> int:
    tl = _filter(_load(args.source), args)
    if args.layout != "canonical" and args.format != "csv":
        raise CommandError(f"--layout {args.layout} is for --format csv, not {args.format}")
    if args.json and args.output in (None, "-"):
        raise CommandError("--json reports on the file written: give it with -o FILE")
    text = _export_text(tl, args.format, layout=args.layout, escape_formulas=args.escape_formulas)
    if args.output in (None, "-"):
        sys.stdout.write(text)
        return 0
    from relations.formats.atomic import atomic_write

    _check_output(args.output)
    newline = "" if args.format == "csv" else "\n"
    with atomic_write(args.output, newline=newline) as f:
        f.write(text)
    if args.json:
        _json_out({"output": args.output, "format": args.format, "events": len(tl)})
        return 0
    print(f"wrote {args.output} ({len(tl)} events, {args.format})", file=sys.stderr)
    return 0


def _open_store(path: str, *, create: bool) -> Any:
    from relations.store import SQLiteStore

    if not create and not Path(path).is_file():
        raise CommandError(f"{path}: no such store (create one with: relations store append)")
    _check_output(path)
    return SQLiteStore(path)


def _cmd_store_append(args: argparse.Namespace) -> int:
    tl = _load(args.file)
    stream = args.stream or Path(args.file).stem
    with _open_store(args.db, create=True) as store:
        result = store.append(stream, list(tl))
    already = sum(1 for x in result.already_present if x)
    if args.json:
        _json_out(
            {
                "stream": stream,
                "appended": len(tl) - already,
                "already_present": already,
                "version": result.version,
            }
        )
        return 0
    _out(
        f"appended {len(tl) - already} events to stream {stream!r} of {args.db} "
        f"({already} already there); stream version {result.version}"
    )
    return 0


def _cmd_store_read(args: argparse.Namespace) -> int:
    with _open_store(args.db, create=False) as store:
        if args.stream:
            records = store.read(args.stream, limit=args.limit)
        else:
            records = store.read_all(limit=args.limit)
    for r in records:
        if args.json:
            row = {
                "position": r.position,
                "stream": r.stream,
                "version": r.version,
                "recorded_at": r.recorded_at.isoformat(),
                "event": r.event.to_dict(),
            }
            sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
            continue
        e = r.event
        what = getattr(e, "title", None) or f"{type(e).__name__.lower()} of {e.event_id}"
        _out(
            f"{r.position:>6}  {r.recorded_at.format('YYYY-MM-DD HH:mm:ss')}Z  "
            f"{r.stream}@{r.version}  {getattr(e, 'when', '')}  {what}"
        )
    return 0


def _cmd_store_timeline(args: argparse.Namespace) -> int:
    with _open_store(args.db, create=False) as store:
        tl = _filter(store.timeline(known_at=args.known_at), args)
    if args.json:
        _jsonl_out(tl)
        return 0
    _out(tl.to_text(width=_width(args), limit=args.limit))
    return 0


def _store_change(text: str) -> tuple[str, Any]:
    """``FIELD=VALUE`` of ``store correct --set``: the value as JSON if it parses, else text."""
    field, sep, value = text.partition("=")
    if not sep or not field.strip():
        raise CommandError(f"--set {text!r}: expected FIELD=VALUE, e.g. title='New title'")
    try:
        return field.strip(), json.loads(value)
    except ValueError:
        return field.strip(), value


def _print_amendment(args: argparse.Namespace, record: Any) -> int:
    if args.json:
        _json_out(
            {
                "position": record.position,
                "stream": record.stream,
                "version": record.version,
                "amendment": record.event.to_dict(),
            }
        )
        return 0
    kind = type(record.event).__name__.lower()
    _out(
        f"recorded {kind} {record.event.id} of {record.event.event_id} at position "
        f"{record.position} (stream {record.stream!r}, version {record.version}) in {args.db}"
    )
    return 0


def _cmd_store_correct(args: argparse.Namespace) -> int:
    from relations.events import Source

    if not args.set:
        raise CommandError("store correct: give at least one --set FIELD=VALUE")
    changes = dict(_store_change(t) for t in args.set)
    source = Source(args.source) if args.source else None
    with _open_store(args.db, create=False) as store:
        record = store.correct(args.event_id, changes, args.reason, source=source)
    return _print_amendment(args, record)


def _cmd_store_retract(args: argparse.Namespace) -> int:
    from relations.events import Source

    source = Source(args.source) if args.source else None
    with _open_store(args.db, create=False) as store:
        record = store.retract(args.event_id, args.reason, source=source)
    return _print_amendment(args, record)


def _cmd_store_check(args: argparse.Namespace) -> int:
    with _open_store(args.db, create=False) as store:
        report = store.check()
        snapshots = store.snapshots()
    if args.json:
        _json_out(
            {
                "store": report.store,
                "ok": report.ok,
                "records": report.records,
                "streams": report.streams,
                "problems": list(report.problems),
                "snapshots": [
                    {
                        "name": x.name,
                        "version": x.version,
                        "position": x.position,
                        "events": x.events,
                        "saved_at": x.saved_at.isoformat(),
                        "ok": x.problem is None,
                    }
                    for x in snapshots
                ],
            }
        )
    else:
        _out(str(report))
        for x in snapshots:  # the persisted projection snapshots, a cache of folds
            _out(
                f"  snapshot {x.name!r} (version {x.version!r}): position {x.position}, "
                f"{x.events} events, saved {x.saved_at.isoformat()}"
                + ("" if x.problem is None else ", DAMAGED (ignored when loading)")
            )
    return 0 if report.ok else 1


def _cmd_datasets(args: argparse.Namespace) -> int:
    from relations.datasets import datasets, load

    rows = [(name, len(load(name))) for name in datasets()]
    if args.json:
        _json_out([{"name": n, "events": k} for n, k in rows])
        return 0
    for name, k in rows:
        _out(f"{name}  {k} events  {_TITLES.get(name, '')}".rstrip())
    return 0


def _cmd_completion(args: argparse.Namespace) -> int:
    scripts = {"bash": bash_completion, "zsh": zsh_completion, "fish": fish_completion}
    _out(scripts[args.shell](build_parser()))
    return 0


def _completion_words(parser: argparse.ArgumentParser) -> dict[str, list[str]]:
    """Each command path ("" for the top, "store append") → its options and subcommands."""
    words: dict[str, list[str]] = {}

    def walk(p: argparse.ArgumentParser, path: str) -> None:
        opts: list[str] = []
        for action in p._actions:
            opts += [o for o in action.option_strings if o.startswith("--")]
            if isinstance(action, argparse._SubParsersAction):
                for name, sub in action.choices.items():
                    opts.append(name)
                    walk(sub, f"{path} {name}".strip())
        words[path] = opts

    walk(parser, "")
    return words


def bash_completion(parser: argparse.ArgumentParser) -> str:
    """A bash completion script for the command (``eval "$(relations completion bash)"``).

    >>> "complete -F _relations relations" in bash_completion(build_parser())
    True
    """
    words = _completion_words(parser)
    cases = "\n".join(
        f'    "{path}") opts="{" ".join(sorted(set(opts)))}" ;;' for path, opts in words.items()
    )
    return (
        "_relations() {\n"
        '  local cur path="" w\n'
        '  cur="${COMP_WORDS[COMP_CWORD]}"\n'
        '  for w in "${COMP_WORDS[@]:1:COMP_CWORD-1}"; do\n'
        '    case "$w" in -*) ;; *) case " $(_relations_words "${path}") " in *" $w "*) '
        'path="${path:+$path }$w" ;; esac ;; esac\n'
        "  done\n"
        '  COMPREPLY=( $(compgen -W "$(_relations_words "${path}")" -f -- "$cur") )\n'
        "}\n"
        "_relations_words() {\n"
        '  local opts=""\n'
        '  case "$1" in\n'
        f"{cases}\n"
        "  esac\n"
        '  echo "$opts"\n'
        "}\n"
        "complete -F _relations relations"
    )


def zsh_completion(parser: argparse.ArgumentParser) -> str:
    """A zsh completion script (``eval "$(relations completion zsh)"``): bash's, through
    zsh's ``bashcompinit``, so both shells complete the same words.

    >>> script = zsh_completion(build_parser())
    >>> "bashcompinit" in script and "complete -F _relations relations" in script
    True
    """
    return (
        "autoload -Uz compinit bashcompinit\n"
        "(( $+functions[compdef] )) || compinit\n"
        "bashcompinit\n" + bash_completion(parser)
    )


def fish_completion(parser: argparse.ArgumentParser) -> str:
    """A fish completion script (``relations completion fish | source``, or save it as
    ``~/.config/fish/completions/relations.fish``).

    >>> script = fish_completion(build_parser())
    >>> "complete -c relations -n '__fish_use_subcommand' -a 'show'" in script
    True
    >>> "__fish_seen_subcommand_from store; and __fish_seen_subcommand_from append" in script
    True
    """
    words = _completion_words(parser)
    lines = ["complete -c relations -f"]
    for path, opts in words.items():
        parts = path.split()
        if not parts:
            cond = "__fish_use_subcommand"
        else:
            cond = "; and ".join(f"__fish_seen_subcommand_from {p}" for p in parts)
        subs = {p for p in words if p.split()[:-1] == parts and p}
        for opt in sorted(set(opts)):
            if opt.startswith("--"):
                lines.append(f"complete -c relations -n '{cond}' -l {opt[2:]}")
            elif " ".join([*parts, opt]) in subs:
                lines.append(f"complete -c relations -n '{cond}' -a '{opt}'")
    lines.append("complete -c relations -F")  # files for SOURCE arguments
    return "\n".join(lines)


# ---- the parser -------------------------------------------------------------------------------


def _filters() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(add_help=False)
    g = p.add_argument_group("filters")
    g.add_argument(
        "--between",
        nargs=2,
        metavar=("START", "END"),
        help="events that may fall between two dates, inclusive (e.g. 2022 2025)",
    )
    g.add_argument(
        "--actor",
        action="append",
        metavar="ACTOR",
        help="events involving this actor (name or code); repeat for events involving all",
    )
    g.add_argument(
        "--kind",
        action="append",
        metavar="KIND",
        help="events of this kind or below it (military finds military.deployment); "
        "repeat for any of several",
    )
    g.add_argument(
        "--status",
        action="append",
        choices=("confirmed", "reported", "claimed", "estimated", "disputed"),
        help="events with this status; repeat for any of several",
    )
    return p


def _common() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(add_help=False)
    p.add_argument(
        "--json",
        action="store_true",
        help="print JSON for scripts (event listings: one canonical record a line)",
    )
    p.add_argument("--width", type=int, metavar="N", help="line width (default: the terminal's)")
    return p


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of the ``relations`` command.

    >>> build_parser().prog
    'relations'
    >>> build_parser().parse_args(["show", "russia-north-korea", "--kind", "military"]).kind
    ['military']
    """
    filters, common = _filters(), _common()
    parser = argparse.ArgumentParser(
        prog=PROG,
        description="The dated history of relations between actors: show, chart, count, "
        "import, export and store events.",
        epilog="Start with: relations tour",
    )
    parser.add_argument("--version", action="version", version=f"{PROG} {_version()}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, help: str, parents: Sequence[argparse.ArgumentParser] = ()) -> Any:
        return sub.add_parser(name, help=help, description=help, parents=list(parents))

    source_help = "a bundled dataset (e.g. russia-north-korea) or a .jsonl/.csv file"
    lazy_help = (
        "a bundled dataset (e.g. russia-north-korea), a .jsonl/.csv file, or Parquet files of "
        'the columnar layout (a file, a folder or a quoted glob such as "events/*.parquet"; '
        'queried in place with DuckDB, needs pip install "relations[scale]")'
    )

    p = add("tour", "the bundled Russia–North Korea timeline and a short summary", [common])
    p.set_defaults(func=_cmd_tour)

    p = add("show", "print events, one line each", [common, filters])
    p.add_argument("source", help=lazy_help)
    p.add_argument(
        "--limit",
        type=int,
        metavar="N",
        help="show at most N events (the first and last halves; Parquet: 100 unless given)",
    )
    p.add_argument("--summary", action="store_true", help="add counts, span, disagreements")
    p.set_defaults(func=_cmd_show)

    p = add("stats", "count events (or sum a quantity) by period or key", [common, filters])
    p.add_argument("source", help=lazy_help)
    p.add_argument(
        "--by",
        default="year",
        help="day, week, month, quarter, year, decade, century, kind, actor, dyad, "
        "directed_dyad, status, or several joined by commas (dyad,year); default: year",
    )
    p.add_argument(
        "--policy",
        default="contained",
        choices=("contained", "earliest", "spread", "overlap"),
        help="how events with imprecise dates are placed (default: contained)",
    )
    p.add_argument("--sum", metavar="QUANTITY", help="sum this quantity instead of counting")
    p.add_argument("--fill", action="store_true", help="include empty periods as zeros")
    p.add_argument(
        "--unplaced",
        action="store_true",
        help="also list the events that could not be placed (dates too imprecise for --by)",
    )
    p.set_defaults(func=_cmd_stats)

    p = add("chart", "draw a timeline chart as SVG, HTML, PNG or PDF", [filters])
    p.add_argument("source", help=lazy_help)
    p.add_argument(
        "-o",
        "--output",
        required=True,
        help='the chart file: .svg, .html, .png or .pdf (PNG and PDF need "relations[png]")',
    )
    p.add_argument("--title", help="the chart's title (default: the dataset's name)")
    p.add_argument(
        "--lanes",
        default="kind",
        choices=("kind", "actor", "dyad", "status", "none"),
        help="one lane per kind (default), acting actor, dyad or status",
    )
    p.add_argument(
        "--scale",
        default="auto",
        choices=("auto", "linear", "compact"),
        help="time axis: linear, compact (long empty stretches cut, each cut marked), or "
        "auto (default: cut only when that frees 40%% of the axis)",
    )
    p.add_argument(
        "--dense",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="count events per period in each lane instead of one mark each "
        "(default: above 400 events)",
    )
    p.add_argument("--width", type=int, metavar="PX", help="width in pixels (default 1200)")
    p.add_argument(
        "--json",
        action="store_true",
        help="print what was written as JSON (output, format, events)",
    )
    p.set_defaults(func=_cmd_chart)

    p = add(
        "validate",
        "check a .jsonl or .csv file (or a bundled dataset) of events, record by record",
        [common],
    )
    p.add_argument("file", help=source_help)
    p.set_defaults(func=_cmd_validate)

    p = add("import", "convert GDELT, ICEWS, ACLED or PLOVER data to JSON Lines or Parquet")
    p.add_argument("--format", required=True, choices=IMPORT_FORMATS, help="the input's format")
    p.add_argument("input", help="the file to import")
    p.add_argument(
        "-o",
        "--output",
        required=True,
        help="the .jsonl file to write, or a .parquet file (the columnar layout, streamed in "
        "bounded memory)",
    )
    p.add_argument(
        "--partition-by",
        choices=("year",),
        default=None,
        help="write Parquet as a folder of year=YYYY/ partitions (needs a .parquet output)",
    )
    p.add_argument(
        "--errors",
        default="raise",
        choices=("raise", "skip", "collect"),
        help="stop at the first bad row (default), or skip bad rows and report them",
    )
    p.add_argument(
        "--progress",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="show a progress bar on stderr (default: when stderr is a terminal)",
    )
    p.add_argument(
        "--json",
        action="store_true",
        help="print the import's report as JSON (records, written, skipped, issues)",
    )
    p.set_defaults(func=_cmd_import)

    p = add("export", "write events for other tools", [filters])
    p.add_argument("source", help=source_help)
    p.add_argument("--format", required=True, choices=EXPORT_FORMATS, help="the output format")
    p.add_argument("-o", "--output", help="the file to write (default: standard output)")
    p.add_argument(
        "--layout",
        default="canonical",
        choices=("canonical", "flat"),
        help="CSV layout: canonical (default; JSON in nested cells) or flat (for spreadsheets: "
        "a column per quantity field, source field and extra key)",
    )
    p.add_argument(
        "--escape-formulas",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="CSV: write text cells a spreadsheet would evaluate (=, +, -, @) with a leading "
        "apostrophe (default; read back exactly)",
    )
    p.add_argument("--json", action="store_true", help="print what was written as JSON (needs -o)")
    p.set_defaults(func=_cmd_export)

    p = add("store", "an append-only SQLite store of events")
    store = p.add_subparsers(dest="store_command", metavar="STORE_COMMAND", required=True)
    q = store.add_parser("append", help="append a file's events to a stream", parents=[common])
    q.add_argument("db", help="the SQLite store (created if missing)")
    q.add_argument("file", help=source_help)
    q.add_argument("--stream", help="the stream (default: the file's name without suffix)")
    q.set_defaults(func=_cmd_store_append)
    q = store.add_parser("read", help="print the recorded events, in order", parents=[common])
    q.add_argument("db", help="the SQLite store")
    q.add_argument("--stream", help="only this stream")
    q.add_argument("--limit", type=int, metavar="N", help="at most N records")
    q.set_defaults(func=_cmd_store_read)
    q = store.add_parser(
        "timeline",
        help="the timeline of current knowledge, or as known at a time",
        parents=[common, filters],
    )
    q.add_argument("db", help="the SQLite store")
    q.add_argument("--known-at", metavar="TIME", help="as recorded by this time (ISO 8601)")
    q.add_argument("--limit", type=int, metavar="N", help="show at most N events")
    q.set_defaults(func=_cmd_store_timeline)
    q = store.add_parser("correct", help="record a correction of an event", parents=[common])
    q.add_argument("db", help="the SQLite store")
    q.add_argument("event_id", help="the id of the recorded event")
    q.add_argument(
        "--set",
        action="append",
        metavar="FIELD=VALUE",
        help="a changed field (repeatable; VALUE as JSON, else text; quantities.NAME for one "
        "quantity)",
    )
    q.add_argument("--reason", required=True, help="why the event is corrected")
    q.add_argument("--source", help="the source of the correction (its name)")
    q.set_defaults(func=_cmd_store_correct)
    q = store.add_parser("retract", help="record a retraction of an event", parents=[common])
    q.add_argument("db", help="the SQLite store")
    q.add_argument("event_id", help="the id of the recorded event")
    q.add_argument("--reason", required=True, help="why the event is withdrawn")
    q.add_argument("--source", help="the source of the retraction (its name)")
    q.set_defaults(func=_cmd_store_retract)
    q = store.add_parser(
        "check",
        help="check a store: positions, versions, payloads, pages (exit 1 if damaged)",
        parents=[common],
    )
    q.add_argument("db", help="the SQLite store")
    q.set_defaults(func=_cmd_store_check)

    p = add("datasets", "list the bundled datasets", [common])
    p.set_defaults(func=_cmd_datasets)

    p = add(
        "completion",
        'print a shell completion script: eval "$(relations completion bash)", '
        "zsh likewise, or relations completion fish | source",
    )
    p.add_argument("shell", nargs="?", default="bash", choices=("bash", "zsh", "fish"))
    p.set_defaults(func=_cmd_completion)
    return parser


# ---- running ----------------------------------------------------------------------------------


def _error(message: str) -> None:
    text = " ".join(str(message).split()) or "unknown error"
    print(f"{PROG}: error: {text}", file=sys.stderr)


def _os_message(e: OSError) -> str:
    if e.filename is not None and e.strerror:
        return f"{e.filename}: {e.strerror}"
    return str(e)


def _safe_streams() -> None:
    """Never fail on a character the terminal cannot show: replace it instead."""
    for stream in (sys.stdout, sys.stderr):
        if isinstance(stream, io.TextIOWrapper):
            with contextlib.suppress(ValueError, io.UnsupportedOperation):
                stream.reconfigure(errors="replace")


def _exit_broken_pipe() -> NoReturn:  # pragma: no cover - needs a closed pipe
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    raise SystemExit(0)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command; returns the exit status (0 ok, 1 error, 2 usage, 130 interrupted).

    >>> main(["--help"])  # doctest: +ELLIPSIS
    usage: relations ...
    0
    >>> main(["show", "no-such-dataset"])
    1
    """
    parser = build_parser()
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:
        return int(e.code or 0) if not isinstance(e.code, str) else 2
    _safe_streams()
    func: Callable[[argparse.Namespace], int] | None = getattr(args, "func", None)
    if func is None:
        parser.print_help(sys.stdout)
        return 0
    try:
        return func(args)
    except KeyboardInterrupt:
        print(file=sys.stderr)
        return 130
    except BrokenPipeError:  # pragma: no cover - e.g. `relations show ... | head`
        _exit_broken_pipe()
    except (RelationsError, CommandError) as e:
        _error(str(e))
        return 1
    except OSError as e:
        _error(_os_message(e))
        return 1
    except sqlite3.Error as e:  # a file that is not a store, a locked or read-only database
        _error(f"{getattr(args, 'db', 'store')}: {e}")
        return 1
    except Exception as e:  # never a traceback; RELATIONS_DEBUG=1 shows it
        if os.environ.get("RELATIONS_DEBUG"):
            raise
        _error(
            f"unexpected {type(e).__name__}: {e} (please report this; RELATIONS_DEBUG=1 "
            "shows the traceback)"
        )
        return 70
