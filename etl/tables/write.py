"""Write: rows -> Arrow tables with the schemas in `schemas/` -> Parquet files.

Layout: ``<out_dir>/<table>/<part>.parquet``, no Hive partitions and no
``_common_metadata``: every part file already carries the full Arrow schema
(field descriptions, version), and a bare ``_common_metadata`` file would break
DuckDB globs that do not end in ``*.parquet``. Read with
``read_parquet('<out_dir>/<table>/*.parquet')`` or ``pandas.read_parquet('<out_dir>/<table>')``.
"""
from __future__ import annotations

import bisect
import datetime
import json
import os
import secrets
from collections.abc import Iterable, Mapping, Sequence
from itertools import chain
from functools import cache
from importlib.resources import files
from pathlib import Path

import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

from .._version import __version__

__all__ = [
    "SCHEMAS_DIR",
    "DERIVED_TABLES",
    "TABLES",
    "SchemaMismatchError",
    "load_schema",
    "matches_schema",
    "read_part",
    "read_table",
    "remove_stale_parts",
    "to_arrow",
    "write_table",
]

#: The table schemas: ``schemas/`` of the repository, shipped as the package ``etl.schemas``.
SCHEMAS_DIR = files("etl.schemas")
TABLES = ("figures", "articles", "documents")
#: Tables derived from the three above after a run (etl/checks.py); same schema machinery.
DERIVED_TABLES = ("checks",)
#: The job's own record, one file per run (etl/job.py, etl/cli.py).
RUNS_TABLE = "runs"
VERSION_KEY = b"figure_etl_version"

# The only type strings a schema file may use; explicit so a typo fails loudly
# and strings are never large_string.
_TYPES = {
    "string": pa.string(),
    "int64": pa.int64(),
    "int32": pa.int32(),
    "float64": pa.float64(),
    "bool": pa.bool_(),
    "timestamp[us, UTC]": pa.timestamp("us", tz="UTC"),
    "list<string>": pa.list_(pa.string()),
    # Named as Parquet names a list's items, so the schema read back from a file is this one.
    "list<float64>": pa.list_(pa.field("element", pa.float64())),
    "list<element: string>": pa.list_(pa.field("element", pa.string())),  # likewise (newer columns)
    "date32": pa.date32(),
    # Few distinct values (relation, modality): stored once per row group, read as categories.
    "dictionary<string>": pa.dictionary(pa.int32(), pa.string()),
}


class SchemaMismatchError(ValueError):
    """Data does not fit the table's schema (columns, types or nulls)."""


@cache
def load_schema(table: str) -> pa.Schema:
    """The Arrow schema of `table`, built from ``schemas/<table>.json``."""
    known = (*TABLES, *DERIVED_TABLES, RUNS_TABLE)
    if table not in known:
        raise ValueError(f"unknown table {table!r}; expected one of {known}")
    spec = json.loads((SCHEMAS_DIR / f"{table}.json").read_text(encoding="utf-8"))
    fields = []
    for f in spec["fields"]:
        if f["type"] not in _TYPES:
            raise ValueError(f"{table}.{f['name']}: unknown type {f['type']!r}")
        fields.append(
            pa.field(
                f["name"],
                _TYPES[f["type"]],
                nullable=f["nullable"],
                metadata={b"description": f["description"].encode()},
            )
        )
    return pa.schema(
        fields,
        metadata={
            b"table": table.encode(),
            b"description": spec["description"].encode(),
            VERSION_KEY: __version__.encode(),
        },
    )


def to_arrow(table: str, rows: list[dict] | pd.DataFrame) -> pa.Table:
    """Rows (dicts or a DataFrame) -> Arrow table with exactly `table`'s schema.

    Raises `SchemaMismatchError` on missing or extra columns (pyarrow would
    drop extras silently), on values that do not convert without loss
    (1.5 into int64, numbers into a string column), and on nulls in a
    non-nullable column. Naive datetimes are taken as UTC.
    """
    schema = load_schema(table)
    if isinstance(rows, pd.DataFrame):
        _check_columns(table, schema, list(map(str, rows.columns)), "DataFrame")
        columns = {name: rows[name] for name in schema.names}
    else:
        columns = _columns(table, schema, rows)
    arrays = [_convert(table, f, columns[f.name]) for f in schema]
    data = pa.Table.from_arrays(arrays, schema=schema)
    if any(arrays[i].null_count for i in _required(table)):  # checked on the arrays: cheaper
        _check_nulls(table, data)
    return data


def _columns(table: str, schema: pa.Schema, rows: list[Mapping]) -> dict[str, list]:
    """The values of each column of dict rows; `SchemaMismatchError` for the first row whose
    keys are not the schema's names.

    A row that has every name and as many keys has no other key: the lengths are compared
    after the values are taken (a defaultdict would have grown), in one pass over the rows
    rather than a comparison of key sets per row.
    """
    names = schema.names
    try:
        columns = {name: [row[name] for row in rows] for name in names}
    except KeyError:
        _check_keys(table, schema, rows)
        raise
    if any(n != len(names) for n in map(len, rows)):
        _check_keys(table, schema, rows)
    return columns


def _check_keys(table: str, schema: pa.Schema, rows: list[Mapping]) -> None:
    names = set(schema.names)
    for i, row in enumerate(rows):
        if row.keys() != names:
            _check_columns(table, schema, list(row), f"row {i}")


@cache
def _required(table: str) -> tuple[int, ...]:
    """Positions of the non-nullable fields of `table`."""
    return tuple(i for i, f in enumerate(load_schema(table)) if not f.nullable)


def _check_columns(table: str, schema: pa.Schema, keys: list[str], where: str) -> None:
    missing = set(schema.names) - set(keys)
    extra = set(keys) - set(schema.names)
    if missing or extra or len(keys) != len(set(keys)):
        raise SchemaMismatchError(
            f"{table}: {where} does not match schemas/{table}.json: "
            f"missing columns {sorted(missing)}, extra columns {sorted(extra)}"
            + ("" if len(keys) == len(set(keys)) else ", duplicated column names")
        )


def _convert(table: str, field: pa.Field, values) -> pa.Array:
    """`values` as an array of `field.type`, or `SchemaMismatchError`.

    A list made only of the Python type a column holds (and None) is built directly with
    that type: for those values it is what inferring and casting give, at a fraction of the
    cost. Anything else, or a direct build that fails, is inferred and cast safely, so the
    errors and conversions are those of `_infer_and_cast`.
    """
    if isinstance(values, list) and _plain(field.type, values):
        try:
            return pa.array(values, type=field.type, from_pandas=True)
        except (pa.ArrowException, TypeError, ValueError, OverflowError):
            pass  # out of range (2**40 into int32): reported below
    return _infer_and_cast(table, field, values)


#: The Python type of the values a direct typed build takes as they are. Not bytes for
#: strings (a typed build decodes them), not bools or floats for ints (it casts or
#: truncates 1.5 to 1), not ints for floats (it would not check they fit exactly).
_PLAIN = {pa.string(): str, pa.int64(): int, pa.int32(): int, pa.float64(): float, pa.date32(): datetime.date}
_NONE = type(None)


def _plain(type_: pa.DataType, values: list) -> bool:
    """Every value is of exactly the Python type `type_` holds, or None (a list<string>:
    every value a list of str, or None; a typed build would split a bare str into letters)."""
    if pa.types.is_list(type_) and type_.value_type == pa.string():
        return (set(map(type, values)) <= {list, _NONE}
                and set(map(type, chain.from_iterable(v for v in values if v is not None))) <= {str})
    plain = _PLAIN.get(type_)
    return plain is not None and set(map(type, values)) <= {plain, _NONE}


def _infer_and_cast(table: str, field: pa.Field, values) -> pa.Array:
    """Infer, then cast safely: pa.array(type=...) alone truncates 1.5 to 1."""
    try:
        array = pa.array(values, from_pandas=True)
        if _is_text(array.type) != _is_text(field.type) and array.type != pa.null():
            raise TypeError(f"got {array.type}, expected {field.type}")
        return array if array.type == field.type else array.cast(field.type, safe=True)
    except (pa.ArrowException, TypeError, ValueError, OverflowError) as exc:
        raise SchemaMismatchError(f"{table}.{field.name}: {exc}") from exc


def _check_nulls(table: str, data: pa.Table) -> pa.Table:
    """Arrow does not enforce nullable=False; a null key column must not reach disk."""
    for field, column in zip(data.schema, data.columns):
        if not field.nullable and column.null_count:
            raise SchemaMismatchError(
                f"{table}.{field.name}: {column.null_count} null value(s) in a non-nullable column"
            )
    return data


def _is_text(t: pa.DataType) -> bool:
    if pa.types.is_dictionary(t):
        t = t.value_type
    return pa.types.is_string(t) or pa.types.is_large_string(t)


def write_table(
    table: str,
    data: pa.Table | pd.DataFrame | list[dict],
    out_dir: str | os.PathLike,
    part: str = "part-0",
) -> Path:
    """Write `data` to ``<out_dir>/<table>/<part>.parquet`` atomically.

    The file is written under a hidden temporary name in the same folder
    (ignored by pyarrow, pandas and ``*.parquet`` globs), fsynced, then
    renamed over the target, so readers see the old file or the new one,
    never half a file. Same `part` on a re-run replaces, never appends.
    """
    if not part or part.startswith((".", "_")) or "/" in part or os.sep in part:
        raise ValueError(f"bad part name {part!r}: readers would skip it or it would leave the folder")
    if not isinstance(data, pa.Table):
        data = to_arrow(table, data)
    schema = load_schema(table)
    if not data.schema.equals(schema, check_metadata=False):
        raise SchemaMismatchError(
            f"{table}: table schema differs from schemas/{table}.json:\n"
            f"{data.schema}\n---- expected ----\n{schema}"
        )
    data = _check_nulls(table, pa.Table.from_arrays(data.columns, schema=schema))  # our metadata
    folder = Path(out_dir) / table
    folder.mkdir(parents=True, exist_ok=True)
    target = folder / f"{part}.parquet"
    # Not mkstemp: its 0600 mode would stick to the published file; this
    # honours the umask like any other output file.
    tmp = folder / f".{part}.{os.getpid()}.{secrets.token_hex(4)}.tmp"
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0), 0o666)
    try:
        with os.fdopen(fd, "wb") as fh:
            pq.write_table(data, fh, compression="zstd")
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, target)
    except BaseException:
        tmp.unlink(missing_ok=True)
        raise
    _fsync_dir(folder)  # make the rename itself durable
    return target


def _fsync_dir(folder: Path) -> None:
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:  # e.g. Windows cannot open folders; the rename still happened
        return
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def remove_stale_parts(table: str, out_dir: str | os.PathLike, keep: Iterable[str]) -> list[Path]:
    """Delete ``<table>/*.parquet`` parts not in `keep` (a re-run with fewer
    parts would otherwise leave old rows behind); return what was deleted."""
    keep = {f"{p}.parquet" for p in keep}
    stale = [p for p in _parts(table, out_dir) if p.name not in keep]
    for path in stale:
        path.unlink()
    return stale


def read_table(table: str, out_dir: str | os.PathLike) -> pa.Table:
    """All parts of `table` concatenated in file-name order, checked against the schema.

    Raises FileNotFoundError when the table folder does not exist; an existing
    folder without parts gives an empty table.
    """
    parts = [read_part(table, path) for path in table_parts(table, out_dir)]
    return pa.concat_tables(parts) if parts else load_schema(table).empty_table()


def table_parts(table: str, out_dir: str | os.PathLike) -> list[Path]:
    """The part files of `table` in file-name order (the order `read_table` concatenates).

    Raises FileNotFoundError when the table folder does not exist.
    """
    if not (Path(out_dir) / table).is_dir():
        raise FileNotFoundError(f"no {table} table under {out_dir}")
    return _parts(table, out_dir)


def iter_part_batches(table: str, path: str | os.PathLike, columns: Sequence[str],
                      batch_size: int) -> Iterable[pa.RecordBatch]:
    """One part file of `table`, checked against the schema, as record batches of at most
    `batch_size` rows of `columns`: a reader holds one batch, not the part."""
    file = _checked_file(table, path)
    yield from file.iter_batches(batch_size=batch_size, columns=list(columns))


def matches_schema(table: str, path: str | os.PathLike) -> bool:
    """Whether a part file has the columns and types of `schemas/<table>.json` (reads its footer)."""
    return pq.read_schema(path).equals(load_schema(table), check_metadata=False)


def _checked_file(table: str, path: str | os.PathLike) -> pq.ParquetFile:
    file = pq.ParquetFile(path)
    schema = load_schema(table)
    if not (file.schema_arrow.equals(schema, check_metadata=False) or _earlier_schema(file.schema_arrow, schema)):
        raise SchemaMismatchError(f"{path}: schema differs from schemas/{table}.json")
    return file


def _earlier_schema(found: pa.Schema, schema: pa.Schema) -> bool:
    """`found` is `schema` without some nullable columns added since (a part written by an
    earlier version): `read_part` reads such a part with those columns null."""
    missing = [f for f in schema if f.name not in found.names]
    kept = pa.schema([f for f in schema if f.name in found.names])
    return bool(missing) and all(f.nullable for f in missing) and kept.equals(found, check_metadata=False)


def read_part(table: str, path: str | os.PathLike, columns: Sequence[str] | None = None,
              rows: Sequence[int] | None = None) -> pa.Table:
    """One part file of `table`, checked against the schema: only `columns` (default all)
    and, given `rows` (positions in the part, ascending), only those rows.

    With `rows`, only the row groups that hold them are read, and only those rows are
    kept: a reader that needs a few articles does not hold a whole part's text.
    """
    schema = load_schema(table)
    file = _checked_file(table, path)
    if rows is None:
        data = file.read(columns=columns)
    else:
        meta = file.metadata
        starts = [0]  # first row of each row group, and the end
        for i in range(meta.num_row_groups):
            starts.append(starts[-1] + meta.row_group(i).num_rows)
        group_of = [bisect.bisect_right(starts, r) - 1 for r in rows]
        groups = sorted(set(group_of))
        shift, read = {}, 0  # where each group read starts in the table read
        for g in groups:
            shift[g], read = read - starts[g], read + starts[g + 1] - starts[g]
        data = file.read_row_groups(groups, columns=columns).take(
            pa.array([r + shift[g] for r, g in zip(rows, group_of)], type=pa.int64()))
    if columns is None and data.num_columns < len(schema):  # a part of an earlier schema
        data = pa.table({f.name: data.column(f.name) if f.name in data.column_names
                         else pa.nulls(data.num_rows, f.type) for f in schema})
    fields = [schema.field(name) for name in data.column_names]
    return pa.Table.from_arrays(data.columns, schema=pa.schema(fields, metadata=schema.metadata))


def _parts(table: str, out_dir: str | os.PathLike) -> list[Path]:
    """Part files as readers see them: ``*.parquet``, hidden names excluded."""
    folder = Path(out_dir) / table
    return sorted(p for p in folder.glob("*.parquet") if not p.name.startswith("."))
