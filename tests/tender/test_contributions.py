"""bid_contributions sums a bid's scored emissions per factor, as groupby did, by codes."""

import types

import numpy as np
import pandas as pd

from klimafotavtrykk.tender.uncertainty import bid_contributions


def test_sums_per_factor_sorted_by_key_blank_factor_dropped():
    # lines: 0, 1 EPD "E1" scored 10 and 20 kg -> epd|E1 30 kg; 2 generic g1 5 kg;
    # 3 generic g1 not computed (left out); 4 generic without a factor (dropped);
    # 5 generic g2 in group "stål" 1.5 kg. Sorted by key: epd|E1, generic|g1, generic|g2.
    generic = types.SimpleNamespace(frame=pd.DataFrame({"material_group": ["betong", "stål"]}))
    index = np.array([0, 0, 0, 0, -1, 1])
    match = types.SimpleNamespace(index=index,
                                  factor_id=np.array(["g1", "g1", "g1", "g1", None, "g2"],
                                                     dtype=object))
    scored = types.SimpleNamespace(
        status=np.array(["epd", "epd", "generic", "generic", "generic", "generic"]),
        computed=np.array([True, True, True, False, True, True]),
        scored=np.array([10.0, 20.0, 5.0, 7.0, 3.0, 1.5]))
    epd_ids = np.array(["E1", "E1", None, None, None, None], dtype=object)
    claims = types.SimpleNamespace(dataset_type=np.array(["product_epd", "product_epd", None,
                                                          None, None, None], dtype=object))
    out = bid_contributions(None, claims, match, epd_ids, scored, generic)
    assert out["key"].tolist() == ["epd|E1", "generic|g1", "generic|g2"]
    assert out["dataset_type"].tolist() == ["product_epd", "generic", "generic"]
    assert out["material_group"].tolist() == ["betong", "betong", "stål"]
    assert out["kg_co2e"].tolist() == [30.0, 5.0, 1.5]
