import pickle

import numpy as np
import pandas as pd
import pytest

from klimafotavtrykk.errors import DataError
from klimafotavtrykk.factors import factor_table_from_frame, load_factors

MINIMAL = "factor_id,declared_unit,A1-A3,A4,C4,D,service_life_years,density_kg_m3,source\n"


def test_user_csv_in_the_issue_schema(tmp_path):
    path = tmp_path / "mine.csv"
    path.write_text(MINIMAL + "rmc,m3,268.5945,ND,,,60,2265,EPD X\n", encoding="utf-8")
    table = load_factors(path)
    row = table.modules[0]
    assert row[0] == pytest.approx(268.5945)
    assert np.isnan(row[1]) and np.isnan(row[2])   # ND and empty mean "not declared", never 0
    assert table.mass_per_declared_unit[0] == pytest.approx(2265.0)
    assert not table.is_generic[0]                  # a user's table is taken as product EPDs


@pytest.mark.parametrize(
    ("row", "match"),
    [
        ("a,m3,abc,,,,,,EPD X", "A1-A3 must be a number"),
        ("a,furlong,1,,,,,,EPD X", "declared_unit 'furlong'"),
        ("a,m3,1,,,,0,,EPD X", "service_life_years must be positive"),
        ("a,m3,1,,,,,,", "no source"),
    ],
)
def test_bad_rows_name_file_and_row(tmp_path, row, match):
    path = tmp_path / "bad.csv"
    path.write_text(MINIMAL + row + "\n", encoding="utf-8")
    with pytest.raises(DataError, match=match) as info:
        load_factors(path)
    assert info.value.row == 2 and "bad.csv" in info.value.file
    assert str(pickle.loads(pickle.dumps(info.value))) == str(info.value)


def test_duplicate_ids_are_refused():
    frame = pd.DataFrame({"factor_id": ["a", "a"], "declared_unit": ["kg", "kg"], "A1-A3": [1, 2],
                          "source": ["x", "y"]})
    with pytest.raises(DataError, match="twice"):
        factor_table_from_frame(frame)


def test_shipped_table_loads_and_every_row_has_a_source():
    table = load_factors()
    assert len(table) >= 40
    assert (table.frame["source"].str.len() > 0).all()


def test_end_of_life_source_must_be_known(tmp_path):
    """An eol_source_id outside sources.csv is a data error naming file and row."""
    path = tmp_path / "eol.csv"
    head = "factor_id,declared_unit,A1-A3,C3,source,eol_scenario,eol_source_id\n"
    path.write_text(head + "a,kg,1,0.5,EPD X,landfill,br18-tabel7-2023\n"
                    + "b,kg,1,0.5,EPD X,landfill,no-such-source\n", encoding="utf-8")
    with pytest.raises(DataError, match="eol_source_id 'no-such-source'") as info:
        load_factors(path)
    assert info.value.row == 3 and "eol.csv" in info.value.file


def test_shipped_rows_carry_their_end_of_life_scenario():
    """The shipped table keeps eol_scenario and eol_source_id with each row."""
    frame = load_factors().frame
    assert frame.at["concrete_c30_37", "eol_source_id"] == "br18-tabel7-2023"
    assert "#B1477" in frame.at["concrete_c30_37", "eol_scenario"]
