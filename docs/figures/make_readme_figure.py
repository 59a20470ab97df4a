"""Render the README figure ``docs/figures/alternativer.png`` from the shipped example.

The figure is computed, not drawn by hand: the example school's bill of
quantities (``examples/skole.xlsx``) is read and calculated under the TEK17
profile, two design alternatives are made with :func:`klimafotavtrykk.substitute`
(no spreadsheet edited), and :func:`klimafotavtrykk.plot.modules_by_alternative`
draws the three as stacked bars by module in kg CO₂e per m² BTA per year.

Run from the repository root::

    python docs/figures/make_readme_figure.py
"""

from __future__ import annotations

import argparse
from pathlib import Path

import matplotlib

matplotlib.use("Agg")  # headless, and the same pixels on every machine
matplotlib.rcParams["svg.hashsalt"] = "klimafotavtrykk"  # stable ids in SVG output

import klimafotavtrykk as kf  # noqa: E402
from klimafotavtrykk import plotting  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
EXAMPLE = ROOT / "examples" / "skole.xlsx"
OUTPUT = Path(__file__).resolve().parent / "alternativer.png"

#: Gross area of the example school, as its title block states
#: ("Eksempelskolen, ny barneskole, ca. 2 400 m² BTA", examples/build_examples.py). [m²]
BTA_M2 = 2400.0

#: Alternatives as successive substitutions: (name, [(to_factor, current factor), ...]).
ALTERNATIVES = (
    ("Lavkarbonbetong", [("concrete_lowcarbon_b_b30", "concrete_c30_37"),
                         ("concrete_lowcarbon_a_b35", "concrete_c35_45")]),
    ("+ skrapbasert stål", [("steel_structural_scrap", "steel_structural")]),
)


def build(example: Path = EXAMPLE, output: Path = OUTPUT, lang: str = "nb") -> Path:
    """Calculate the example and its alternatives and write the figure.

    Parameters
    ----------
    example : path
        Bill of quantities to start from.
    output : path
        PNG or SVG file to write.
    lang : {"nb", "en"}
        Language of the figure's labels.

    Returns
    -------
    path
        ``output``.
    """
    lines, _ = kf.read_boq(example)
    variants = {"Referanse": lines}
    current = lines
    for name, swaps in ALTERNATIVES:  # each alternative builds on the one before
        for to_factor, factor in swaps:
            current = kf.substitute(current, to_factor, factor=factor)
        variants[name] = current
    table = kf.compare(variants, reference="Referanse", profile="tek17", bta_m2=BTA_M2)
    ax = plotting.modules_by_alternative(table, per_m2_year=True, lang=lang)
    output.parent.mkdir(parents=True, exist_ok=True)
    # no software version or date in the file: the same inputs give the same bytes
    svg = output.suffix.lower() == ".svg"
    metadata = {"Creator": None, "Date": None} if svg else {"Software": None}
    ax.figure.savefig(output, dpi=150, metadata=metadata)
    return output


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--example", type=Path, default=EXAMPLE)
    parser.add_argument("--output", type=Path, default=OUTPUT)
    parser.add_argument("--lang", choices=("nb", "en"), default="nb")
    args = parser.parse_args(argv)
    build(args.example, args.output, args.lang)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
