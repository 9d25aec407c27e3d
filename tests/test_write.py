"""Write: schemas from schemas/*.json, strict conversion, atomic Parquet files."""
from __future__ import annotations

import json
import os
from datetime import date, datetime, timezone

import duckdb
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from etl._version import __version__
from etl.tables import write
from etl.tables.write import (
    SCHEMAS_DIR,
    TABLES,
    SchemaMismatchError,
    load_schema,
    read_part,
    read_table,
    remove_stale_parts,
    to_arrow,
    write_table,
)

DOC = "3c889a2ed9e660c4" + "0" * 48
UTC_NOW = datetime(2026, 11, 20, 8, 30, tzinfo=timezone.utc)


def figure_row(i: int = 0, **changes) -> dict:
    start = 100 + 10 * i
    row = {
        "figure_id": f"{DOC[:12]}:{start}-{start + 5}",
        "doc_id": DOC,
        "source": "000_3c889a2ed9e660c4.txt",
        "article_id": f"{DOC[:12]}:a0",
        "kind": "investment",
        "value": 1.9e9,
        "value_high": None,
        "unit": "CNY",
        "surface": "19亿元",
        "number_text": "19",
        "unit_text": "亿元",
        "counter": "",
        "qualifier": "exact",
        "metric": "总投资",
        "subject": "高新区",
        "sentence": "高新区四个制造业类项目集中开工，总投资19亿元。",
        "char_start": start,
        "char_end": start + 5,
        "raw_start": start + 3,
        "raw_end": start + 9,
        "indicator": "总投资", "relation": "level", "period_start": date(2022, 1, 1),
        "period_end": date(2022, 12, 31), "period_text": "2022年", "modality": "actual", "part_of": None,
        "article_date": "7月30日",
        "page": 2,
        "bbox": [56.5, 600.25, 106.5, 610.25],
        "confidence": 0.9, "confidence_reasons": ["qualified"],
        "review_status": "unreviewed", "review_field": None, "review_value": None, "review_note": None,
    }
    return row | changes


def article_row(**changes) -> dict:
    row = {
        "article_id": f"{DOC[:12]}:a0", "doc_id": DOC, "source": "a.txt", "article_index": 0,
        "headline": "四个项目集中开工", "article_date": None, "reporters": ["赵毅", "王芳"],
        "char_start": 0, "char_end": 40, "raw_start": 0, "raw_end": 45,
        "n_sentences": 3, "n_figures": 2, "text": "高新区四个制造业类项目集中开工。",
    }
    return row | changes


def document_row(**changes) -> dict:
    row = {
        "doc_id": DOC, "source": "a.txt", "path": "in/a.txt", "path_bytes": None, "size_bytes": 8782,
        "mtime": UTC_NOW, "encoding": "utf-8", "reader": "txt", "reader_version": "figure-etl 0.1.0",
        "status": "ok", "error": None,
        "n_chars": 3000, "n_articles": 1, "n_figures": 2, "document_date": date(2022, 7, 30),
        "document_date_source": "dateline", "processed_at": UTC_NOW, "pipeline_version": __version__,
    }
    return row | changes


ROWS = {"figures": figure_row, "articles": article_row, "documents": document_row}


# ------------------------------------------------------------ schemas


@pytest.mark.parametrize("table", TABLES)
def test_schema_files_are_complete(table):
    spec = json.loads((SCHEMAS_DIR / f"{table}.json").read_text(encoding="utf-8"))
    assert spec["table"] == table and spec["description"]
    for field in spec["fields"]:
        assert set(field) == {"name", "type", "nullable", "description"}
        assert field["description"].strip()


@pytest.mark.parametrize("table", TABLES)
def test_schema_metadata(table):
    schema = load_schema(table)
    assert schema.metadata[b"figure_etl_version"] == __version__.encode()
    assert schema.metadata[b"table"] == table.encode()
    assert schema.metadata[b"description"]
    for field in schema:
        assert field.metadata[b"description"]
        assert not pa.types.is_large_string(field.type)
    assert load_schema(table) is schema  # cached


def test_figures_columns_are_the_contract():
    assert load_schema("figures").names == [
        "figure_id", "doc_id", "source", "article_id", "kind", "value", "value_high", "unit",
        "surface", "number_text", "unit_text", "counter", "qualifier", "metric", "subject",
        "sentence", "char_start", "char_end", "raw_start", "raw_end", "indicator", "relation",
        "period_start", "period_end", "period_text", "modality", "part_of", "article_date",
        "page", "bbox",  # where a PDF figure stands (issue 12); null for other inputs
        "confidence", "confidence_reasons",  # how sure the extractor is (issue 14)
        "review_status", "review_field", "review_value", "review_note",  # reviewer decisions (issue 14)
    ]


def test_context_columns_are_dates_and_dictionaries():
    data = to_arrow("figures", [figure_row(0), figure_row(1, relation="increase", period_start=None)])
    assert data.schema.field("period_start").type == data.schema.field("period_end").type == pa.date32()
    assert pa.types.is_dictionary(data.schema.field("relation").type)
    assert pa.types.is_dictionary(data.schema.field("modality").type)
    assert data.column("relation").to_pylist() == ["level", "increase"]
    assert data.column("period_start").to_pylist() == [date(2022, 1, 1), None]
    assert to_arrow("documents", [document_row(document_date=None)]).column("document_date").null_count == 1


def test_context_columns_refuse_what_they_do_not_hold():
    with pytest.raises(SchemaMismatchError, match="period_end"):
        to_arrow("figures", [figure_row(0, period_end="2022-12-31")])
    with pytest.raises(SchemaMismatchError, match="relation"):
        to_arrow("figures", [figure_row(0, relation=3)])
    with pytest.raises(SchemaMismatchError, match="relation"):
        to_arrow("figures", [figure_row(0, relation=None)])


def test_unknown_table():
    with pytest.raises(ValueError, match="unknown table"):
        load_schema("figure")


# ------------------------------------------------------------ to_arrow


@pytest.mark.parametrize("table", TABLES)
@pytest.mark.parametrize("as_frame", [False, True], ids=["dicts", "DataFrame"])
def test_to_arrow_gives_exact_schema(table, as_frame):
    rows = [ROWS[table]()]
    data = to_arrow(table, pd.DataFrame(rows) if as_frame else rows)
    assert data.schema.equals(load_schema(table), check_metadata=True)
    assert data.to_pylist() == rows


def test_to_arrow_empty():
    assert to_arrow("figures", []).schema == load_schema("figures")
    assert to_arrow("figures", []).num_rows == 0


COLUMN_ERRORS = [
    ("missing column", lambda r: {k: v for k, v in r.items() if k != "unit"}, r"row 1 .*missing columns \['unit'\]"),
    ("extra column", lambda r: r | {"certainty": 0.9}, r"row 1 .*extra columns \['certainty'\]"),
]
VALUE_ERRORS = [
    ("float into int64", lambda r: r | {"char_start": 1.5}, "figures.char_start"),
    ("number into string", lambda r: r | {"unit": 1}, "figures.unit"),
    ("text into float", lambda r: r | {"value": "1.9e9"}, "figures.value"),
    ("null in non-nullable", lambda r: r | {"doc_id": None}, "figures.doc_id: 1 null"),
    ("NaN value", lambda r: r | {"value": float("nan")}, "figures.value: 1 null"),
]


@pytest.mark.parametrize(
    "change, message", [c[1:] for c in COLUMN_ERRORS], ids=[c[0] for c in COLUMN_ERRORS]
)
def test_to_arrow_rejects_column_mismatch(change, message):
    with pytest.raises(SchemaMismatchError, match=message):
        to_arrow("figures", [figure_row(0), change(figure_row(1))])


@pytest.mark.parametrize("as_frame", [False, True], ids=["dicts", "DataFrame"])
@pytest.mark.parametrize(
    "change, message", [c[1:] for c in VALUE_ERRORS], ids=[c[0] for c in VALUE_ERRORS]
)
def test_to_arrow_rejects_bad_values(change, message, as_frame):
    rows = [figure_row(0), change(figure_row(1))]
    with pytest.raises(SchemaMismatchError, match=message):
        to_arrow("figures", pd.DataFrame(rows) if as_frame else rows)


def test_to_arrow_dataframe_column_mismatch():
    frame = pd.DataFrame([figure_row()]).drop(columns="unit").assign(extra=1)
    with pytest.raises(SchemaMismatchError, match=r"missing columns \['unit'\], extra columns \['extra'\]"):
        to_arrow("figures", frame)


def test_to_arrow_int32_overflow():
    with pytest.raises(SchemaMismatchError, match="articles.n_figures"):
        to_arrow("articles", [article_row(n_figures=2**40)])


def test_to_arrow_int64_overflow():
    # Python refuses the int itself (OverflowError), before Arrow sees it.
    with pytest.raises(SchemaMismatchError, match="figures.char_start"):
        to_arrow("figures", [figure_row(char_start=2**70)])


def test_to_arrow_nullable_ints_from_pandas_and_naive_datetimes():
    # pandas turns a nullable int column into float64 with NaN; it must come back as int64 + null.
    frame = pd.DataFrame([document_row(n_chars=None), document_row(n_chars=12)])
    frame["mtime"] = pd.Timestamp("2026-11-20 08:30")  # naive: taken as UTC
    data = to_arrow("documents", frame)
    assert data.column("n_chars").to_pylist() == [None, 12]
    assert data.column("mtime").to_pylist() == [UTC_NOW, UTC_NOW]


# Values of every Python type rows could carry; columns of them mixed or (mostly) of the
# column's plain type, so that both the direct typed build of write._convert and its
# fallback run.
ANY_VALUE = st.one_of(
    st.none(), st.text(max_size=3), st.integers(-2**70, 2**70), st.floats(), st.booleans(),
    st.binary(max_size=2), st.lists(st.text(max_size=2), max_size=2),
    st.lists(st.one_of(st.integers(), st.none(), st.binary(max_size=1)), max_size=2),
    st.tuples(st.text(max_size=1)), st.sampled_from([0, 1, 2**31, -2**31 - 1, 2**63, 1.5, 1e300, "1"]),
)
PLAIN = {"string": st.text(max_size=3), "int64": st.integers(-2**64, 2**64), "int32": st.integers(-2**32, 2**32),
         "float64": st.floats(), "list<string>": st.lists(st.text(max_size=2), max_size=3)}


def column_values(type_name: str):
    """Values for a column of `type_name`: of its plain Python type, with one odd value, or any."""
    plain = st.lists(st.one_of(st.none(), PLAIN[type_name]), max_size=6)
    odd = st.tuples(plain, ANY_VALUE, st.integers(0, 6)).map(lambda c: c[0][:c[2]] + [c[1]] + c[0][c[2]:])
    return st.tuples(st.just(type_name), st.one_of(plain, odd, st.lists(ANY_VALUE, max_size=6)))


@settings(max_examples=1000, deadline=None)
@given(st.sampled_from(sorted(PLAIN)).flatmap(column_values))
def test_direct_conversion_gives_what_inference_and_safe_cast_give(column):
    type_name, values = column
    field = pa.field("c", write._TYPES[type_name])

    def outcome(convert):
        try:
            array = convert("t", field, list(values))
        except SchemaMismatchError:
            return "SchemaMismatchError"
        return array.type, array.to_pylist()

    assert outcome(write._convert) == outcome(write._infer_and_cast)


def test_direct_conversion_keeps_the_strict_cases():
    # What a typed pa.array would accept but the schema does not mean: bytes decoded into a
    # string, a bare string split into a list of letters, 1.5 truncated, True taken for 1.
    for type_, values in [(pa.string(), ["a", b"x"]), (pa.list_(pa.string()), [["a"], "ab"]),
                          (pa.int64(), [1, 1.5]), (pa.int64(), [1, True]), (pa.int32(), [2**40])]:
        with pytest.raises(SchemaMismatchError):
            write._convert("t", pa.field("c", type_), values)


# ------------------------------------------------------------ write / read


def test_write_table_file_and_metadata(tmp_path):
    path = write_table("figures", [figure_row(0), figure_row(1)], tmp_path)
    assert path == tmp_path / "figures" / "part-0.parquet"
    assert sorted(os.listdir(path.parent)) == ["part-0.parquet"]  # no temp left, no _common_metadata
    schema = pq.read_schema(path)
    assert schema.metadata[b"figure_etl_version"] == __version__.encode()
    assert b"pandas" not in schema.metadata
    assert schema.field("value").metadata[b"description"].decode().startswith("The number")


def duckdb_types(con, glob: str) -> dict[str, str]:
    rows = con.execute(f"DESCRIBE SELECT * FROM read_parquet('{glob}')").fetchall()
    return {name: dtype for name, dtype, *_ in rows}


def test_written_file_has_ordinary_permissions(tmp_path):
    path = write_table("documents", [document_row()], tmp_path)
    reference = tmp_path / "reference"
    reference.write_bytes(b"")  # mode from the umask, as any output file
    assert path.stat().st_mode == reference.stat().st_mode


def test_duckdb_and_pandas_read_the_tables(tmp_path):
    write_table("figures", [figure_row(0), figure_row(1, value_high=3e9)], tmp_path)
    write_table("articles", [article_row()], tmp_path)
    write_table("documents", [document_row()], tmp_path)
    con = duckdb.connect()
    figures = duckdb_types(con, f"{tmp_path}/figures/*.parquet")
    assert figures["value"] == figures["value_high"] == "DOUBLE"
    assert figures["char_start"] == figures["raw_end"] == "BIGINT"
    assert figures["surface"] == figures["article_date"] == "VARCHAR"
    articles = duckdb_types(con, f"{tmp_path}/articles/*.parquet")
    assert articles["article_index"] == articles["n_figures"] == "INTEGER"
    assert articles["reporters"] == "VARCHAR[]"
    documents = duckdb_types(con, f"{tmp_path}/documents/*.parquet")
    assert documents["size_bytes"] == "BIGINT"
    assert documents["mtime"] == documents["processed_at"] == "TIMESTAMP WITH TIME ZONE"
    assert documents["document_date"] == figures["period_start"] == figures["period_end"] == "DATE"
    assert figures["relation"] == figures["modality"] == "VARCHAR"  # dictionary-encoded in Parquet
    total = con.execute(
        f"SELECT count(*), sum(value) FROM read_parquet('{tmp_path}/figures/*.parquet')"
    ).fetchall()
    assert total == [(2, 3.8e9)]
    frame = pd.read_parquet(tmp_path / "figures")
    assert len(frame) == 2 and frame["value"].dtype == "float64"
    assert frame["surface"].tolist() == ["19亿元", "19亿元"]


def test_rewrite_replaces_not_appends(tmp_path):
    rows = [figure_row(0), figure_row(1)]
    first = write_table("figures", rows, tmp_path)
    second = write_table("figures", rows, tmp_path)
    assert first == second
    assert read_table("figures", tmp_path).to_pylist() == rows
    assert len(pd.read_parquet(tmp_path / "figures")) == 2


def test_crash_before_replace_keeps_previous_file(tmp_path, monkeypatch):
    write_table("figures", [figure_row(0)], tmp_path)

    def crash(src, dst):
        raise OSError("simulated crash between temp write and rename")

    monkeypatch.setattr(write.os, "replace", crash)
    with pytest.raises(OSError, match="simulated crash"):
        write_table("figures", [figure_row(1), figure_row(2)], tmp_path)
    monkeypatch.undo()
    assert read_table("figures", tmp_path).to_pylist() == [figure_row(0)]
    assert os.listdir(tmp_path / "figures") == ["part-0.parquet"]  # temp file removed


def test_readers_ignore_a_leftover_temp_file(tmp_path):
    # A kill -9 mid-write leaves the hidden temp file behind; readers must not see it.
    write_table("figures", [figure_row(0)], tmp_path)
    (tmp_path / "figures" / ".part-0.abc123.tmp").write_bytes(b"PAR1 half a file")
    assert len(pd.read_parquet(tmp_path / "figures")) == 1
    assert duckdb.sql(f"SELECT count(*) FROM '{tmp_path}/figures/*.parquet'").fetchall() == [(1,)]
    assert read_table("figures", tmp_path).num_rows == 1


def test_parts_and_stale_parts(tmp_path):
    write_table("figures", [figure_row(0)], tmp_path, part="part-0")
    write_table("figures", [figure_row(1)], tmp_path, part="part-1")
    assert read_table("figures", tmp_path).column("char_start").to_pylist() == [100, 110]
    removed = remove_stale_parts("figures", tmp_path, keep=["part-0"])
    assert [p.name for p in removed] == ["part-1.parquet"]
    assert read_table("figures", tmp_path).num_rows == 1


@pytest.mark.parametrize("part", ["", ".part-0", "_meta", "a/b"])
def test_bad_part_names(tmp_path, part):
    with pytest.raises(ValueError, match="bad part name"):
        write_table("figures", [figure_row()], tmp_path, part=part)


def test_write_table_rejects_a_foreign_arrow_table(tmp_path):
    data = to_arrow("figures", [figure_row()]).cast(
        pa.schema([pa.field(f.name, pa.large_string() if f.type == pa.string() else f.type) for f in load_schema("figures")])
    )
    with pytest.raises(SchemaMismatchError, match="schema differs"):
        write_table("figures", data, tmp_path)
    assert not (tmp_path / "figures").exists()


def test_write_table_restores_metadata_of_a_bare_arrow_table(tmp_path):
    bare = to_arrow("figures", [figure_row()])
    bare = bare.cast(pa.schema([f.remove_metadata() for f in bare.schema]))  # also drops schema metadata
    path = write_table("figures", bare, tmp_path)
    assert pq.read_schema(path).equals(load_schema("figures"), check_metadata=True)


def test_write_table_rejects_nulls_in_arrow_input(tmp_path):
    good = to_arrow("figures", [figure_row()])
    bad = good.set_column(1, load_schema("figures").field("doc_id"), pa.array([None], pa.string()))
    with pytest.raises(SchemaMismatchError, match="figures.doc_id"):
        write_table("figures", bad, tmp_path)


def test_empty_table_round_trip(tmp_path):
    write_table("articles", [], tmp_path)
    assert read_table("articles", tmp_path).schema == load_schema("articles")
    assert duckdb.sql(f"SELECT count(*) FROM '{tmp_path}/articles/*.parquet'").fetchall() == [(0,)]


def test_read_table_errors(tmp_path):
    with pytest.raises(FileNotFoundError):
        read_table("figures", tmp_path)
    (tmp_path / "figures").mkdir()
    assert read_table("figures", tmp_path).num_rows == 0
    pq.write_table(pa.table({"value": pa.array([1], pa.int32())}), tmp_path / "figures" / "old.parquet")
    with pytest.raises(SchemaMismatchError, match="old.parquet"):
        read_table("figures", tmp_path)


def test_read_part_gives_the_columns_and_rows_asked_for_from_their_row_groups_only(tmp_path, monkeypatch):
    data = to_arrow("figures", [figure_row(i) for i in range(20)])
    path = tmp_path / "part.parquet"
    pq.write_table(data, path, row_group_size=6)  # row groups 0-5, 6-11, 12-17, 18-19
    groups = []
    real = pq.ParquetFile.read_row_groups
    monkeypatch.setattr(pq.ParquetFile, "read_row_groups",
                        lambda self, gs, **kw: groups.append(list(gs)) or real(self, gs, **kw))
    rows = [1, 5, 12, 19]
    got = read_part("figures", path, columns=["figure_id", "value"], rows=rows)
    assert got.to_pylist() == data.select(["figure_id", "value"]).take(rows).to_pylist()
    assert groups == [[0, 2, 3]]  # not the group 6-11
    assert got.schema.field("value").metadata == load_schema("figures").field("value").metadata
    assert read_part("figures", path, rows=[]).num_rows == 0
    assert read_part("figures", path).equals(data)
    pq.write_table(pa.table({"value": pa.array([1], pa.int32())}), tmp_path / "old.parquet")
    with pytest.raises(SchemaMismatchError, match="old.parquet"):
        read_part("figures", tmp_path / "old.parquet", columns=["value"])
