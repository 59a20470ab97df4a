"""class_share_array: the shares of energy_class_shares without frames."""

import numpy as np

from klimafotavtrykk.site import ENERGY_CLASSES, SHARE_BASES, energy_class_shares
from klimafotavtrykk.site.emissions import class_share_array


def test_shares_by_hand_and_as_energy_class_shares():
    # two rows of machine "A" on diesel (fossil) 100 + 50 kWh, 10 + 5 h; one unnamed electric
    # (emission-free) 20 kWh, 2 h; one row without a class (left out).
    classes = ["fossil", "fossil", "emission_free", None]
    energy, hours = [100.0, 50.0, 20.0, 999.0], [10.0, 5.0, 2.0, 9.0]
    machine = ["A", "A", None, "B"]
    out = class_share_array(classes, energy, hours, machine)
    assert out.shape == (len(SHARE_BASES), len(ENERGY_CLASSES))
    f, e = ENERGY_CLASSES.index("fossil"), ENERGY_CLASSES.index("emission_free")
    energy_row, hours_row, count_row = (SHARE_BASES.index(b) for b in
                                        ("energy", "machine_hours", "machine_count"))
    assert out[energy_row, f] == 150.0 / 170.0 and out[energy_row, e] == 20.0 / 170.0
    assert out[hours_row, f] == 15.0 / 17.0 and out[hours_row, e] == 2.0 / 17.0
    assert out[count_row, f] == 0.5 and out[count_row, e] == 0.5  # "A" once, one unnamed
    assert np.array_equal(out, energy_class_shares(classes, energy, hours, machine).to_numpy())


def test_no_energy_gives_nan_shares():
    out = class_share_array(["fossil"], [0.0], [0.0], [None])
    assert np.isnan(out).all()  # every total 0: no share
