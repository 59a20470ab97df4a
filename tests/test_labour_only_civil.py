"""Ground works that are machine work or temporary, not material (data/mappings/labour_only.csv).

Each line decided by hand: levelling, compacting, sowing and a construction road
that is prepared and restored are work on masses counted in other lines; a layer
of crushed rock is material even when it is called a levelling course.
"""

import pandas as pd
import pytest

import klimafotavtrykk as kf
from klimafotavtrykk.matching import match_factors

CASES = [
    ("Planering og komprimering av planum", True),
    ("Komprimering av forsterkningslag", True),
    ("Finplanering av grøntarealer", True),
    ("Såing av gress", True),
    ("Hydrosåing av skråninger", True),
    ("Anleggsvei og riggplass, klargjøring og tilbakeføring", True),
    ("Planeringslag av knust fjell 0-32 mm", False),
    ("Anleggsveg, bærelag av pukk 0-32", False),
    ("Forsterkningslag 0-150 mm knust fjell", False),
]


@pytest.mark.parametrize(("text", "labour"), CASES)
def test_ground_work_is_labour_and_layers_are_material(text, labour):
    result = match_factors(pd.DataFrame({"description": [text]}), kf.load_factors().ids)
    assert (result.reason[0] == "labour_only") is labour
