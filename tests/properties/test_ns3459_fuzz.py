"""Fuzzing the NS 3459 reader: broken files raise only the library's own errors."""

from __future__ import annotations

import importlib.util
import sys
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from klimafotavtrykk.errors import DataQualityWarning, KlimafotavtrykkError
from klimafotavtrykk.quantities.ns3459 import read_ns3459
from klimafotavtrykk.vocabulary import LINE_COLUMNS

_FIXTURE = Path(__file__).parents[1] / "fixtures" / "ns3459" / "make_ns3459.py"
_spec = importlib.util.spec_from_file_location("make_ns3459", _FIXTURE)
mk = importlib.util.module_from_spec(_spec)
sys.modules["make_ns3459"] = mk
_spec.loader.exec_module(mk)

VALID = mk.make_ns3459(
    [*mk.nested_request(), mk.option_post(), mk.Post("9.1", "AV1.1", "Rigg", "RS", "1", "5", "5")],
    root="Pristilbud",
)
SETTINGS = settings(
    max_examples=150,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)

# bytes that tend to matter to an XML parser or to this reader
_INTERESTING = st.sampled_from(list(b"<>/&;\"'=!?-.,0123456789 \n\x00\xff\xc3") + [0x80])


@st.composite
def mutated(draw):
    data = bytearray(VALID)
    kind = draw(st.sampled_from(["flip", "truncate", "cut", "duplicate"]))
    if kind == "flip":
        for _ in range(draw(st.integers(1, 8))):
            at = draw(st.integers(0, len(data) - 1))
            data[at] = draw(st.one_of(_INTERESTING, st.integers(0, 255)))
    elif kind == "truncate":
        data = data[: draw(st.integers(0, len(data) - 1))]
    else:
        start = draw(st.integers(0, len(data) - 1))
        stop = draw(st.integers(start, min(len(data), start + 400)))
        piece = data[start:stop]
        data[start:stop] = b"" if kind == "cut" else piece + piece
    return bytes(data)


def _check(path: Path, data: bytes) -> None:
    path.write_bytes(data)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", DataQualityWarning)
            items, meta = read_ns3459(path, options="all")
    except KlimafotavtrykkError:
        return
    assert list(items.columns) == list(LINE_COLUMNS)
    assert len(items) == len(meta.prices)
    assert items["row_id"].tolist() == list(range(len(items)))


@SETTINGS
@given(data=mutated())
def test_mutated_files_raise_only_library_errors(tmp_path, data):
    _check(tmp_path / "fuzz.xml", data)


@pytest.mark.parametrize("step", [1, 7, 97])
def test_every_truncation_raises_only_library_errors(tmp_path, step):
    for end in range(0, len(VALID), step * 13):
        _check(tmp_path / "cut.xml", VALID[:end])
