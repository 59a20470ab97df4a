"""Where pyarrow is installed, the library gives the same results as where it is not.

pandas 3 stores text in Arrow arrays when pyarrow is installed, and an analyst's Jupyter
environment usually has it. The suite itself runs with Python-stored text
(``tests/conftest.py``); each test here switches pandas to Arrow storage, as such an
analyst's session has it, calls an entry point the way a user does, and compares with the
same call under Python storage. The reference is the same call in the environment the rest
of the suite checks by hand, so equality here carries those checks over.
"""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

import klimafotavtrykk as kf
from klimafotavtrykk._string_storage import python_storage, python_strings
from klimafotavtrykk.cli import main

pa = pytest.importorskip("pyarrow")

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
SCHOOL = EXAMPLES / "skole.xlsx"
TENDER = EXAMPLES / "anbud"
FOLLOWUP = EXAMPLES / "oppfolging"
CABLE_DUCTS = [  # tests/test_cable_duct.py's lines: own text, matched by patterns with look-arounds
    {"description": "Trekkerør PE 110 mm, rød, med trekkesnor", "quantity": 120.0, "unit": "m"},
    {"description": "Trekkerør PVC Ø110", "quantity": 40.0, "unit": "m"},
    {"description": "Betong B35 i dekker", "quantity": 12.5, "unit": "m3"},
]


@pytest.fixture
def arrow_text():
    """pandas as it is where pyarrow is installed: new text columns stored in Arrow."""
    with pd.option_context("mode.string_storage", "pyarrow"):
        yield


def _storage(series: pd.Series) -> str:
    return series.dtype.storage


# ------------------------------------------------------------------- conversion itself


def test_the_fixture_stores_text_in_arrow(arrow_text):
    assert _storage(pd.Series(["a"])) == "pyarrow"


def test_arrow_columns_become_what_the_library_computes_with(arrow_text):
    frame = pd.DataFrame(
        {
            "text": ["betong", None],
            "number": [1.5, 2.0],
            "count": pd.array([3, None], dtype="int64[pyarrow]"),
            "whole": pd.array([3, 4], dtype="int64[pyarrow]"),
            "flag": pd.array([True, False], dtype="bool[pyarrow]"),
            "arrow": pd.array(["m3", "kg"], dtype=pd.ArrowDtype(pa.string())),
        },
        index=pd.Index(["r1", "r2"]),
    )
    out = python_storage(frame)
    assert _storage(out["text"]) == "python" and _storage(out["arrow"]) == "python"
    assert out.index.dtype.storage == "python"
    assert out["text"].tolist()[0] == "betong" and pd.isna(out["text"].iloc[1])
    assert out["number"].dtype == np.float64  # numpy columns kept as they are
    assert out["count"].dtype == np.float64  # a missing whole number: NaN in floats
    assert out["count"].iloc[0] == 3.0 and np.isnan(out["count"].iloc[1])
    assert out["whole"].dtype == np.int64 and out["whole"].tolist() == [3, 4]
    assert out["flag"].dtype == np.bool_ and out["flag"].tolist() == [True, False]
    assert out["arrow"].tolist() == ["m3", "kg"]
    assert _storage(frame["text"]) == "pyarrow"  # the caller's frame is not changed


def test_a_frame_with_nothing_in_arrow_is_passed_as_it_is():
    frame = pd.DataFrame({"a": [1.0], "b": np.array(["x"], dtype=object)})
    assert python_storage(frame) is frame
    assert python_storage(frame["a"]) is frame["a"] or python_storage(frame["a"]).equals(frame["a"])
    assert python_storage("not a frame") == "not a frame"


def test_an_entry_point_computes_with_python_text_and_restores_the_callers_option(arrow_text):
    seen = {}

    @python_strings
    def entry(lines, *, more):
        seen["argument"] = _storage(lines["description"])
        seen["inside"] = _storage(pd.Series(["made inside"]))
        seen["in a list"] = _storage(more[0]["description"])
        return pd.Series(["made inside"])

    lines = pd.DataFrame({"description": ["Betong"]})
    out = entry(lines, more=[lines])
    assert seen == {"argument": "python", "inside": "python", "in a list": "python"}
    assert _storage(out) == "python"
    assert pd.get_option("mode.string_storage") == "pyarrow"


# ------------------------------------------------------------------ as users call them


def _both(call):
    """``call()`` under Arrow text, then under Python text."""
    with pd.option_context("mode.string_storage", "pyarrow"):
        arrow = call()
    with pd.option_context("mode.string_storage", "python"):
        python = call()
    return arrow, python


def test_calculate_on_a_frame_the_analyst_built():
    def call():
        result = kf.calculate(pd.DataFrame(CABLE_DUCTS), profile="en17472")
        return result.lines, result.by_module

    (lines_a, modules_a), (lines_p, modules_p) = _both(call)
    assert len(lines_a) >= 2  # the PE duct and the concrete are matched in both
    pd.testing.assert_frame_equal(lines_a, lines_p, check_exact=True)
    pd.testing.assert_series_equal(modules_a, modules_p, check_exact=True)


def test_calculate_on_a_frame_read_with_the_arrow_backend():
    """``pd.read_csv(..., dtype_backend="pyarrow")``: every column an ``ArrowDtype``."""
    text = "description,quantity,unit\n" + "".join(
        f'"{row["description"]}",{row["quantity"]},{row["unit"]}\n' for row in CABLE_DUCTS
    )
    arrow = kf.calculate(pd.read_csv(io.StringIO(text), dtype_backend="pyarrow"), profile="en17472")
    python = kf.calculate(pd.DataFrame(CABLE_DUCTS), profile="en17472")
    pd.testing.assert_frame_equal(arrow.lines, python.lines, check_exact=True)


def test_a_bill_of_quantities_read_and_calculated():
    def call():
        items, _ = kf.read_boq(SCHOOL)
        result = kf.calculate(items, profile="tek17", bta_m2=2400)
        return items, result.lines

    (items_a, lines_a), (items_p, lines_p) = _both(call)
    pd.testing.assert_frame_equal(items_a, items_p, check_exact=True)
    pd.testing.assert_frame_equal(lines_a, lines_p, check_exact=True)


def _cli(capsys, *argv):
    code = main([str(a) for a in argv])
    captured = capsys.readouterr()
    return code, captured.out


@pytest.mark.parametrize(
    "argv",
    [
        ("beregn", SCHOOL, "--bta", "2400", "--json"),
        ("beregn", SCHOOL, "--lang", "en"),
        ("oppfolging", "status", FOLLOWUP / "kontrakt.toml", FOLLOWUP / "rapporter", "--json"),
    ],
    ids=["beregn-json", "beregn-en", "oppfolging-json"],
)
def test_the_command_line_says_the_same(capsys, argv):
    arrow, python = _both(lambda: _cli(capsys, *argv))
    assert arrow[0] == python[0] == 0
    assert arrow[1] == python[1]
    if argv[-1] == "--json":
        json.loads(arrow[1])


def _members(path: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(path) as archive:
        return {
            name: archive.read(name) for name in archive.namelist() if name != "docProps/core.xml"
        }  # its creation time


def test_a_tender_is_scored_the_same(tmp_path, capsys):
    def call(folder):
        out = tmp_path / folder / "evaluering.xlsx"
        out.parent.mkdir()
        code, text = _cli(
            capsys,
            "anbud",
            "score",
            TENDER / "konkurranse.toml",
            TENDER / "bud",
            "--kvalitet",
            TENDER / "kvalitet.csv",
            "-o",
            out,
        )
        return code, text.replace(str(out), "OUT"), _members(out)

    with pd.option_context("mode.string_storage", "pyarrow"):
        arrow = call("arrow")
    with pd.option_context("mode.string_storage", "python"):
        python = call("python")
    assert arrow[0] == python[0] == 0
    assert arrow[1] == python[1]
    assert arrow[2] == python[2]


def test_a_report_workbook_is_written_the_same(tmp_path, capsys):
    def call(name):
        out = tmp_path / name
        code, _ = _cli(capsys, "beregn", SCHOOL, "--profil", "ns3720", "--bta", "2400", "-o", out)
        return code, _members(out)

    with pd.option_context("mode.string_storage", "pyarrow"):
        arrow = call("arrow.xlsx")
    with pd.option_context("mode.string_storage", "python"):
        python = call("python.xlsx")
    assert arrow == python


def test_lcax_out_and_back_and_a_comparison_and_a_plot(tmp_path):
    import matplotlib

    matplotlib.use("Agg")

    def call():
        items, _ = kf.read_boq(SCHOOL)
        result = kf.calculate(items, profile="tek17", bta_m2=2400)
        path = tmp_path / f"p_{pd.get_option('mode.string_storage')}.json"
        kf.to_lcax(result, path, project={"name": "skole"})
        lines, factors, _ = kf.read_lcax(path)
        fewer = items.iloc[: len(items) // 2]
        comparison = kf.compare({"hele": items, "halve": fewer}, profile="tek17", bta_m2=2400)
        ax = kf.plot.waterfall(comparison, "hele", "halve")
        return path.read_bytes(), lines, factors, comparison, len(ax.patches)

    arrow, python = _both(call)
    assert arrow[0] == python[0]
    pd.testing.assert_frame_equal(arrow[1], python[1], check_exact=True)
    pd.testing.assert_frame_equal(arrow[2], python[2], check_exact=True)
    pd.testing.assert_frame_equal(arrow[3], python[3], check_exact=True)
    assert arrow[4] == python[4] > 0


def test_a_warning_names_the_line_that_called_the_library(hand_factors, no_mappings):
    """The wrapper adds a frame; the warning still names the caller's line, not the library's."""
    import inspect

    from klimafotavtrykk.errors import SelectionWarning

    lines = pd.DataFrame(
        {
            "factor_id": ["concrete"],
            "description": ["Betong dekke"],
            "quantity": [10.0],
            "unit": ["m3"],
            "building_part": ["251"],
        }
    )

    with pytest.warns(SelectionWarning) as caught:
        here = inspect.currentframe().f_lineno + 1
        kf.substitute(
            lines, "window", building_part="9", factors=hand_factors, mappings=no_mappings
        )
    assert [(Path(w.filename).name, w.lineno) for w in caught] == [("test_string_storage.py", here)]


TEXTS = np.array(["215", "216", "", " ", None, "251", "æøå", "a\x00b", "😀"], dtype=object)


@pytest.mark.parametrize(
    "dtype",
    [
        pd.StringDtype("pyarrow", na_value=np.nan),
        pd.StringDtype("pyarrow", na_value=pd.NA),
        pd.ArrowDtype(pa.string()),
        pd.ArrowDtype(pa.large_string()),
    ],
    ids=["str", "string", "arrow string", "arrow large_string"],
)
@pytest.mark.parametrize("seed", range(6))
def test_arrow_text_converts_to_the_values_a_row_by_row_conversion_gives(dtype, seed):
    """Texts coded in Arrow and taken from their distinct values: the values, missing markers
    and dtype of a conversion row by row, for repeated and for distinct texts, in one or
    several chunks."""
    rng = np.random.default_rng(seed)
    n = [0, 3, 1_000, 2_500, 4_000, 1_500][seed]
    values = TEXTS[rng.integers(0, 1 + seed % len(TEXTS), n)]
    if seed == 5:  # every row its own text: converted row by row
        values = np.array([f"post {i}" for i in range(n)], dtype=object)
    column = pd.Series(pd.array(values, dtype=dtype))
    if seed >= 3:  # two chunks
        column = pd.concat([column[: n // 3], column[n // 3 :]], ignore_index=True)
    converted = python_storage(column)
    if isinstance(dtype, pd.StringDtype):
        expected = column.astype(pd.StringDtype("python", na_value=dtype.na_value))
    else:
        expected = pd.Series(
            pd.array(
                column.to_numpy(dtype=object, na_value=np.nan),
                dtype=pd.StringDtype("python", na_value=np.nan),
            )
        )
    pd.testing.assert_series_equal(converted, expected, check_exact=True)
    assert [type(v) for v in converted] == [type(v) for v in expected]


def test_ids_repeated_over_many_rows_share_one_object_each_after_conversion():
    """5 000 ids over 20 000 rows: the first 1 000 rows show about 900 distinct ids, the
    first 10 000 about 4 300 (5 000 · (1 - e^-2)), fewer than half: the column is coded in
    Arrow and each row takes its id's one object, which the engine then groups by address."""
    ids = np.array([f"EPD {i:05d}" for i in range(5_000)], dtype=object)
    rows = np.random.default_rng(7).integers(0, 5_000, 20_000)
    column = pd.Series(pd.array(ids[rows], dtype=pd.StringDtype("pyarrow", na_value=np.nan)))
    converted = python_storage(column)
    assert converted.tolist() == ids[rows].tolist()
    assert len({id(v) for v in converted.to_numpy(dtype=object)}) == len(np.unique(rows))
