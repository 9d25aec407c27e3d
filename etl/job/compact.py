"""Compaction: merge the small parts that many runs leave into fewer, larger ones.

Every batch of every run adds a part to ``figures``, ``articles`` and ``checks``, and every
recorded run a file to ``runs``. `compact` merges runs of consecutive parts (in file-name
order, the order readers concatenate them) up to a target size, under the same commit
journal as a run (`etl.job.state.commit`), with the output folder's lock held:

- a merged part takes the **name of the first part of its group**, so the order of rows
  read back is unchanged and a checks part keeps the name of its articles part (the
  review relies on that pairing); the other parts of the group are deleted;
- the merged files are written and fsynced under ``_state/staging`` first, then the
  journal is written, then it is applied; a crash before the journal leaves the old parts,
  one after it is rolled forward by the next run or compaction (`etl.job.state.recover`),
  so the folder holds either the old parts or the merged ones, never a mixture;
- as in a run's commit, the parts a group replaces leave before the merged part arrives:
  a reader listing the folder during those few renames may miss rows, never sees one twice.

The grouping (`plan_groups`) is pure: names and sizes in, groups of names out.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .state import commit, drop_staging, recover, staging_dir

#: Tables whose batches share part names (a batch writes one part of each).
BATCH_TABLES = ("articles", "figures", "checks")
RUNS = "runs"
TARGET_MB = 128.0


@dataclass
class Compaction:
    """What `compact` did: per table, parts before and after."""

    before: dict[str, int] = field(default_factory=dict)
    after: dict[str, int] = field(default_factory=dict)
    recovered: bool = False

    def __str__(self) -> str:
        merged = [f"{t} {self.before[t]} -> {self.after[t]}" for t in self.before if self.before[t] != self.after[t]]
        return "compacted: " + (", ".join(merged) if merged else "nothing to merge") + " parts"


def plan_groups(sizes: list[tuple[str, int]], target_bytes: int) -> list[list[str]]:
    """Groups of two or more consecutive names (in the given order) whose sizes add up to at
    most `target_bytes`; a name too big to share stays alone and is not listed."""
    groups: list[list[str]] = []
    current: list[str] = []
    total = 0
    for name, size in sizes:
        if current and total + size > target_bytes:
            groups.append(current)
            current, total = [], 0
        current.append(name)
        total += size
    groups.append(current)
    return [g for g in groups if len(g) > 1]


def compact(out_dir: Path, compaction_id: str, target_mb: float = TARGET_MB) -> Compaction:
    """Merge small parts of `out_dir`; call with the lock held."""
    result = Compaction(recovered=recover(out_dir))
    target = int(target_mb * 2**20)
    staging = staging_dir(out_dir, compaction_id)
    moves: list[tuple[Path, Path]] = []
    deletions: list[Path] = []
    batch_sizes = _sizes(out_dir, BATCH_TABLES)
    for group in plan_groups(sorted(batch_sizes.items()), target):
        for table in BATCH_TABLES:
            _merge(out_dir, table, group, staging, moves, deletions)
    run_sizes = _sizes(out_dir, (RUNS,))
    for group in plan_groups(sorted(run_sizes.items()), target):
        _merge(out_dir, RUNS, group, staging, moves, deletions)
    for table in (*BATCH_TABLES, RUNS):
        result.before[table] = len(_part_names(out_dir, table))
    commit(out_dir, moves, deletions)
    drop_staging(out_dir)
    for table in (*BATCH_TABLES, RUNS):
        result.after[table] = len(_part_names(out_dir, table))
    return result


def _part_names(out_dir: Path, table: str) -> list[str]:
    from ..tables.write import _parts

    return [p.stem for p in _parts(table, out_dir)]


def _sizes(out_dir: Path, tables: tuple[str, ...]) -> dict[str, int]:
    """Part name -> bytes of that name's files over `tables` (a batch's parts weigh together)."""
    sizes: dict[str, int] = {}
    for table in tables:
        for name in _part_names(out_dir, table):
            sizes[name] = sizes.get(name, 0) + (out_dir / table / f"{name}.parquet").stat().st_size
    return sizes


def _merge(out_dir: Path, table: str, group: list[str], staging: Path,
           moves: list[tuple[Path, Path]], deletions: list[Path]) -> None:
    """Stage the parts of `group` in `table` as one part named after the group's first
    name, and plan the deletion of the others. A name the table lacks (a batch without
    figures) is skipped."""
    import pyarrow as pa

    from ..tables.write import read_part, write_table

    paths = [out_dir / table / f"{name}.parquet" for name in group]
    paths = [p for p in paths if p.exists()]
    if len(paths) < 2:
        return
    data = pa.concat_tables([read_part(table, p) for p in paths]).combine_chunks()
    first = out_dir / table / f"{group[0]}.parquet"
    moves.append((write_table(table, data, staging, part=group[0]), first))
    deletions += [p for p in paths if p != first]
