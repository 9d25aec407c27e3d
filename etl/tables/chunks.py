"""The tables validation checks, read a bounded number of rows at a time.

A `Rows` is one table as a suite sees it (`meta.table`): the figures, the documents, or a
table derived from them. Validation never builds it whole; it asks for

- `chunks(columns, size)`: frames of about `size` rows, in table order, each indexed by
  its rows' positions in the whole table; a chunk passed on is no longer referenced, so
  one chunk is held at a time. GX names unexpected rows by index label, so the
  labels it reports for a chunk are already positions in the run;
- `take(positions, columns)`: just those rows (the examples of a report);
- `whole(columns)`: every row of a few columns, for expectations that need every row.

`columns=None` asks for every column. A named column the table lacks is left out rather
than raising, so the expectation that reads it fails in GX as it would on a whole frame.

Frames come from pandas (`FrameRows`, what tests and the Python API pass) or from Arrow:
Parquet parts and in-memory tables (`ArrowRows`), converted to pandas one chunk at a time.
"""
from __future__ import annotations

import bisect
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path

import pandas as pd
import pyarrow as pa


def _select(frame: pd.DataFrame, columns: Sequence[str] | None) -> pd.DataFrame:
    if columns is None:
        return frame
    return frame[[c for c in dict.fromkeys(columns) if c in frame.columns]]


class Rows(ABC):
    """A table read in chunks; see the module docstring."""

    @property
    @abstractmethod
    def num_rows(self) -> int: ...

    @property
    @abstractmethod
    def names(self) -> list[str]:
        """The table's columns, in frame order (derived ones included)."""

    @abstractmethod
    def chunks(self, columns: Sequence[str] | None, size: int) -> Iterator[pd.DataFrame]:
        """At least one frame (an empty one for an empty table), so that every expectation
        is evaluated, as on a whole frame."""

    @abstractmethod
    def take(self, positions: Sequence[int], columns: Sequence[str] | None) -> pd.DataFrame:
        """The rows at `positions` (ascending, distinct), indexed by them."""

    @abstractmethod
    def row_bytes(self, columns: Sequence[str] | None) -> float:
        """About how many bytes a row of `columns` takes in memory, to size chunks by."""

    def whole(self, columns: Sequence[str] | None) -> pd.DataFrame:
        return next(iter(self.chunks(columns, max(self.num_rows, 1))))


class FrameRows(Rows):
    """A pandas frame already in memory: chunks are slices of it."""

    def __init__(self, frame: pd.DataFrame):
        self.frame = frame.reset_index(drop=True)

    @property
    def num_rows(self) -> int:
        return len(self.frame)

    @property
    def names(self) -> list[str]:
        return list(map(str, self.frame.columns))

    def chunks(self, columns, size):
        for start in range(0, max(len(self.frame), 1), size):
            yield _select(self.frame.iloc[start:start + size], columns)

    def take(self, positions, columns):
        return _select(self.frame.iloc[list(positions)], columns)

    def row_bytes(self, columns):
        frame = _select(self.frame, columns)
        return frame.memory_usage(deep=True, index=False).sum() / max(len(frame), 1)


SAMPLE_ROWS = 10_000  # rows that `ArrowRows.row_bytes` measures


class ArrowRows(Rows):
    """A table of the pipeline as Parquet parts and/or Arrow tables, in that order.

    Parts are checked against `schemas/<table>.json` (`write.iter_part_batches`,
    `write.read_part`) and read only for the columns asked; batches from consecutive
    parts are joined into chunks of about `size` rows, so small parts do not mean small chunks.
    """

    def __init__(self, table: str, pieces: Sequence[Path | pa.Table]):
        import pyarrow.parquet as pq

        from .write import load_schema

        self.table, self.schema = table, load_schema(table)
        self.pieces = list(pieces)
        counts = [p.num_rows if isinstance(p, pa.Table) else pq.ParquetFile(p).metadata.num_rows
                  for p in self.pieces]
        self.starts = [0]  # first row of each piece, and the end
        for n in counts:
            self.starts.append(self.starts[-1] + n)
        self._bytes: dict[str, int] | None = None

    def row_bytes(self, columns):
        if self._bytes is None:
            # Measured in Arrow on the first rows: Parquet's own sizes count dictionary-encoded
            # bytes, several times fewer than the strings take once read.
            sample = pa.Table.from_batches(list(self._sample(SAMPLE_ROWS)), schema=self.schema)
            self._bytes = {n: sample.column(n).nbytes / max(sample.num_rows, 1) for n in self.names}
        return sum(self._bytes[n] for n in self._names(columns))

    def _sample(self, n: int) -> Iterator[pa.RecordBatch]:
        for batch in self._batches(self.names, self.schema, n):
            yield batch
            n -= batch.num_rows
            if n <= 0:
                return

    @property
    def num_rows(self) -> int:
        return self.starts[-1]

    @property
    def names(self) -> list[str]:
        return list(self.schema.names)

    def _names(self, columns) -> list[str]:
        return self.names if columns is None else [c for c in self.names if c in set(columns)]

    def _batches(self, names: list[str], schema: pa.Schema, size: int) -> Iterator[pa.RecordBatch]:
        from .write import iter_part_batches

        for piece in self.pieces:
            batches = (piece.select(names).to_batches(max_chunksize=size) if isinstance(piece, pa.Table)
                       else iter_part_batches(self.table, piece, names, size))
            # One schema for all (a part read back and a table built in memory differ in
            # field metadata), so batches of both kinds join into one chunk.
            for batch in batches:
                yield pa.RecordBatch.from_arrays(batch.columns, schema=schema)

    @staticmethod
    def _frame(data: pa.Table, offset: int, columns) -> pd.DataFrame:
        # One Arrow chunk per column: the frame's text columns stay Arrow-backed, and GX's
        # row filters take rows from every column, which costs several times more across
        # many chunks (one per part read).
        frame = data.combine_chunks().to_pandas()
        frame.index = pd.RangeIndex(offset, offset + len(frame))
        return _select(frame, columns)

    def chunks(self, columns, size):
        """Chunks of `size` rows or up to an eighth more: a chunk ends at the end of a batch
        read, never inside one, since the rest of a sliced batch would keep the whole
        batch's buffers (and so the chunk just passed on) alive beside the next chunk."""
        names = self._names(columns)
        schema = pa.schema([self.schema.field(n) for n in names])
        pending: list[pa.RecordBatch] = []
        held = offset = 0
        for batch in self._batches(names, schema, max(1, size // 8)):
            pending.append(batch)
            held += batch.num_rows
            if held >= size:
                data, pending = pa.Table.from_batches(pending, schema=schema), []
                frame = self._frame(data, offset, columns)
                del data
                yield frame
                del frame  # the caller is done with it: not held while the next one is read
                offset, held = offset + held, 0
        if held or not offset:
            data, pending = pa.Table.from_batches(pending, schema=schema), []
            yield self._frame(data, offset, columns)

    def take(self, positions, columns):
        from .write import read_part

        names = self._names(columns)
        positions = list(positions)
        found = []
        for i, piece in enumerate(self.pieces):
            lo = bisect.bisect_left(positions, self.starts[i])
            hi = bisect.bisect_left(positions, self.starts[i + 1])
            if lo == hi:
                continue
            local = [p - self.starts[i] for p in positions[lo:hi]]
            found.append(piece.select(names).take(pa.array(local, type=pa.int64()))
                         if isinstance(piece, pa.Table) else read_part(self.table, piece, names, local))
        data = pa.concat_tables(found) if found else self.schema.empty_table().select(names)
        frame = data.to_pandas()
        frame.index = pd.Index(positions[:len(frame)], dtype="int64")
        return _select(frame, columns)


Derivation = tuple[tuple[str, ...], Callable[[pd.DataFrame], pd.Series]]


class DerivedRows(Rows):
    """A table with columns computed row by row from its own (`derivations`: name ->
    (the columns it reads, the function)), in every chunk it yields.

    A derivation that fails on a chunk (malformed input: a column missing or of another
    type) is left out of it, and the expectation that needs it fails on the missing
    column instead of the stage crashing. Inputs come from typed Parquet parts or one
    frame, so a derivation fails on every chunk or on none.
    """

    def __init__(self, base: Rows, derivations: dict[str, Derivation]):
        self.base, self.derivations = base, derivations

    @property
    def num_rows(self) -> int:
        return self.base.num_rows

    @property
    def names(self) -> list[str]:
        return [*self.base.names, *(c for c in self.derivations if c not in self.base.names)]

    def _base_columns(self, columns) -> list[str] | None:
        if columns is None:
            return None
        wanted = [c for c in columns if c not in self.derivations]
        for c in columns:
            wanted += self.derivations.get(c, ((), None))[0]
        return list(dict.fromkeys(wanted))

    def _derive(self, frame: pd.DataFrame, columns) -> pd.DataFrame:
        extra = {}
        for column, (_, make) in self.derivations.items():
            if columns is None or column in columns:
                try:
                    extra[column] = make(frame)
                except (KeyError, AttributeError, TypeError, ValueError):
                    pass
        return _select(frame.assign(**extra), columns)

    def chunks(self, columns, size):
        # map, not a loop over the base chunks: a loop variable would hold the last base
        # chunk while the next one is read
        return map(lambda frame: self._derive(frame, columns), self.base.chunks(self._base_columns(columns), size))

    def take(self, positions, columns):
        return self._derive(self.base.take(positions, self._base_columns(columns)), columns)

    def row_bytes(self, columns):
        # A derived column is taken to be as wide as what it reads (an upper bound for these).
        return self.base.row_bytes(self._base_columns(columns))


class JoinedRows(Rows):
    """`base`'s `keep` columns, each row with the columns of the one row of `lookup` that
    has its `on` value (a left join: unmatched rows get nulls). `lookup` has one row per
    key and is held whole; `base` is read chunk by chunk, so the join keeps its order."""

    def __init__(self, base: Rows, keep: list[str], lookup: pd.DataFrame, on: str):
        self.base, self.keep, self.lookup, self.on = base, keep, lookup, on

    @property
    def num_rows(self) -> int:
        return self.base.num_rows

    @property
    def names(self) -> list[str]:
        return [*self.keep, *(c for c in self.lookup.columns if c != self.on)]

    def _join(self, frame: pd.DataFrame, columns) -> pd.DataFrame:
        joined = frame.merge(self.lookup, on=self.on, how="left")
        joined.index = frame.index  # a left join on unique keys: same rows, same order
        return _select(joined, columns)

    def chunks(self, columns, size):
        return map(lambda frame: self._join(frame, columns), self.base.chunks(self.keep, size))  # as DerivedRows

    def take(self, positions, columns):
        return self._join(self.base.take(positions, self.keep), columns)

    def row_bytes(self, columns):
        looked_up = self.lookup.memory_usage(deep=True, index=False).sum() / max(len(self.lookup), 1)
        return self.base.row_bytes(self.keep) + looked_up
