"""Per-line results on request: ``result.lines`` is built when first read, with the same content."""

import dataclasses
import pickle
import warnings

import numpy as np
import pandas as pd
import pytest

import klimafotavtrykk as kf
from klimafotavtrykk.assessment import Assessment
from klimafotavtrykk.lifecycle.lines import LineResults


def _own_factors():
    return pd.DataFrame({"factor_id": ["EPD A", "EPD B"], "name_nb": ["A", "B"],
                         "declared_unit": ["kg", "kg"], "A1-A3": [2.0, 0.5],
                         "material_group": ["concrete", "concrete"], "source": ["test", "test"]})


def _calculate(lines):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        return kf.calculate(lines, profile="tek17", factors=_own_factors())


def _lines():
    return pd.DataFrame({"factor_id": ["EPD A", "EPD B", "EPD A", "nope"],
                         "quantity": [10.0, 2.0, 1.0, 5.0], "unit": ["kg", "tonn", "kg", "kg"],
                         "building_part": ["231", "251", "999", "231"]})


def test_lines_are_built_on_first_read_and_kept():
    result = _calculate(_lines())
    assert isinstance(result.__dict__["_lines_value"], LineResults)  # not built yet
    assert result.to_dict()["lines"] == 2  # counted without building: 231 and 251 (999 is out)
    assert isinstance(result.__dict__["_lines_value"], LineResults)
    first = result.lines
    assert result.lines is first  # built once
    assert first["factor_id"].tolist() == ["EPD A", "EPD B"]
    # A1-A3: 10 kg × 2.0 = 20; 2 tonn = 2 000 kg × 0.5 = 1 000 (own rows: no generic markup)
    assert first["A1-A3"].tolist() == pytest.approx([20.0, 1_000.0])
    assert result.by_module["A1-A3"] == pytest.approx(first["A1-A3"].sum())


def test_unmatched_and_totals_need_no_per_line_frame():
    result = _calculate(_lines())
    assert result.unmatched["reason"].tolist() == ["out_of_scope", "unknown_factor"]
    # parts are the two-digit parts of computed lines only: 23 and 25, not 99
    assert result.by_building_part.index.tolist() == ["23", "25"]
    assert isinstance(result.__dict__["_lines_value"], LineResults)


def test_a_result_pickles_and_replaces_with_its_lines():
    result = _calculate(_lines())
    again = pickle.loads(pickle.dumps(result))
    pd.testing.assert_frame_equal(again.lines, result.lines)
    changed = dataclasses.replace(result, metadata={**result.metadata, "input_file": "x.xlsx"})
    pd.testing.assert_frame_equal(changed.lines, result.lines)


def test_a_frame_given_is_kept_and_results_stay_frozen():
    frame = pd.DataFrame({"A1-A3": [1.0]})
    result = Assessment(lines=frame, unmatched=pd.DataFrame(), by_module=pd.Series(dtype=float),
                        by_building_part=pd.DataFrame(), profile=kf.load_profile("tek17"),
                        coverage=pd.Series(dtype=float))
    assert result.lines is frame and result.to_dict()["lines"] == 1
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.lines = frame
    with pytest.raises(TypeError):
        Assessment(unmatched=pd.DataFrame())  # lines stays a required field


def test_a_build_up_counts_once():
    lines = pd.DataFrame({"description": ["Innervegg: 48x98 stender, 2x13 mm gips, 100 mm mineralull"],
                          "quantity": [10.0], "unit": ["m2"], "building_part": ["23"]})
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        result = kf.calculate(lines, profile="tek17")
    computed = result.to_dict()["lines"]
    assert computed == len(result.lines) and computed + len(result.unmatched) == 1
    assert np.isfinite(result.total)


def test_with_metadata_adds_entries_and_leaves_the_lines_unbuilt():
    import pandas as pd

    import klimafotavtrykk as kf
    from klimafotavtrykk.lifecycle.lines import LineResults

    lines = pd.DataFrame({"description": ["Plasstøpt betong B30"], "quantity": [10.0],
                          "unit": ["m3"], "building_part": ["25"]})
    result = kf.calculate(lines, "tek17")
    copy = result.with_metadata({"source_file": "x.xlsx"})
    assert copy.metadata["source_file"] == "x.xlsx" and "source_file" not in result.metadata
    assert isinstance(copy.__dict__["_lines_value"], LineResults)      # not built by the copy
    assert copy.total == result.total
    assert copy.lines["factor_id"].tolist() == result.lines["factor_id"].tolist()


def test_columns_of_one_value_are_written_one_at_a_time():
    """The per-line frame's columns that hold None on every line may share one array; a write
    into one of them (any way pandas offers) leaves the others None."""
    lines = pd.DataFrame({"factor_id": ["EPD A"] * 3, "quantity": [1.0, 2.0, 3.0],
                          "unit": ["kg"] * 3, "building_part": ["231"] * 3})
    none_columns = ["source_ref", "description", "transport_mode", "dimension_note", "layers"]
    frame = _calculate(lines).lines
    assert all(frame[c].isna().all() and frame[c].dtype == object for c in none_columns)
    frame.loc[0, "description"] = "Plasstøpt betong"
    frame.iloc[1, frame.columns.get_loc("layers")] = "a layer"
    frame["transport_mode"] = frame["transport_mode"].fillna("truck")
    assert frame["description"].tolist() == ["Plasstøpt betong", None, None]
    assert frame["layers"].tolist() == [None, "a layer", None]
    assert frame["transport_mode"].tolist() == ["truck"] * 3
    assert frame["source_ref"].tolist() == frame["dimension_note"].tolist() == [None] * 3
    nan_columns = ["transport_km", "waste_rate", "thickness", "thickness_mm"]  # NaN, shared
    frame.loc[2, "waste_rate"] = 0.05
    frame["thickness"] = frame["thickness"].fillna(0.2)
    assert frame["waste_rate"].tolist()[2] == 0.05 and frame["waste_rate"].isna().sum() == 2
    assert frame["thickness"].tolist() == [0.2] * 3
    assert frame["transport_km"].isna().all() and frame["thickness_mm"].isna().all()
    again = _calculate(lines).lines  # a new result is not touched by writes into the first
    assert all(again[c].isna().all() for c in none_columns + nan_columns)
