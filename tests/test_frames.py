"""Column helpers of klimafotavtrykk._frames."""

import numpy as np

from klimafotavtrykk._frames import row_codes


def test_row_codes_number_combinations_first_seen_first():
    # rows: (a, 1) (b, 1) (a, 1) (a, None) (b, 1): combinations in order of first sight
    # (a, 1) -> 0 at row 0, (b, 1) -> 1 at row 1, (a, None) -> 2 at row 3
    codes, first = row_codes([np.array(["a", "b", "a", "a", "b"], dtype=object),
                              np.array([1, 1, 1, None, 1], dtype=object)])
    assert codes.tolist() == [0, 1, 0, 2, 1]
    assert first.tolist() == [0, 1, 3]
