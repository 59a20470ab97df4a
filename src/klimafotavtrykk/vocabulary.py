"""Canonical names shared by every frame the library reads or returns.

Columns use English snake_case names; units belong to this glossary, not to
the names (``kg_co2e`` excepted). Life-cycle modules are written as
EN 15804 / EN 15978 write them.

Glossary
--------
row_id : int64
    Stable id of an input line (0-based position in the frame as read).
source_ref : str
    Origin of a line as Excel writes it, e.g. ``[skole.xlsx]Mengder!E14``.
item_code : str
    NS 3420 item code as written, e.g. ``LB2.1121``.
post_number : str
    The description's own post number (Postnr), e.g. ``02.3.1``.
description : str
    Item text.
building_part : str
    NS 3451 code, e.g. ``23`` or ``231``.
quantity : float64
    Amount, in ``unit``.
unit : str
    Unit as written (``m3``, ``stk``, ``tonn``, ``RS``).
factor_id : str
    Key of a row in a factor table.
declared_unit : str
    Unit the factor is given per.
transport_km : float64
    Distance from factory to site. [km]
transport_mode : str
    Key into the transport-mode table.
waste_rate : float64
    Site waste as a share of the installed quantity. [-]
thickness : float64
    Layer thickness, for area quantities of a product declared by mass or
    volume (asphalt in m² × thickness × density). [m]
thickness_mm : float64
    The same in millimetres, as bills of quantities often write it; used
    where ``thickness`` is empty. [mm]
section_width_mm, section_depth_mm : float64
    Cross-section read from a description (``48x198``, kerb ``12 x 30 cm``). [mm]
spacing_mm : float64
    Centre-to-centre spacing read from a description (``c/c 600``). [mm]
diameter_mm, nominal_diameter_mm : float64
    Diameter as written after ``Ø``/``OD`` (outside diameter of plastic
    pipes) and nominal diameter after ``DN``. [mm]
sdr, sn : float64
    Pipe pressure class (standard dimension ratio) and ring stiffness class. [-]
dimension_source : str
    The description fragments the dimensions above were read from.
layers : str
    For a build-up line computed layer by layer (``klimafotavtrykk.assemblies``):
    each layer's text, the factor it took and its emissions; None for other lines.
kg_co2e : float64
    Emissions. [kg CO2e]
reason : category
    Why a line was not computed (see :data:`REASONS`).
"""

from __future__ import annotations

__all__ = [
    "MODULES",
    "TOTAL_MODULES",
    "LINE_COLUMNS",
    "OPTIONAL_LINE_COLUMNS",
    "FACTOR_NUMERIC_COLUMNS",
    "FACTOR_TEXT_COLUMNS",
    "REASONS",
    "DIMENSIONS",
    "DESCRIPTION_CHARS_READ",
]

#: Characters of an item text that matching and the size parsers read. An item text names its
#: material and sizes at its start; several patterns search with lookaheads whose time grows
#: with the square of the text, so an untrusted 30 000-character text took minutes. A material or
#: size written only further in leaves the line unmatched (or without that size), with its reason.
DESCRIPTION_CHARS_READ = 500

#: Life-cycle modules in report order. ``D`` is reported beside the total.
MODULES: tuple[str, ...] = (
    "A1-A3",
    "A4",
    "A5",
    "B1",
    "B2",
    "B3",
    "B4",
    "B5",
    "B6",
    "B7",
    "C1",
    "C2",
    "C3",
    "C4",
    "D",
)

#: Modules that add up to the total (everything but D).
TOTAL_MODULES: tuple[str, ...] = tuple(m for m in MODULES if m != "D")

#: Column of each module in arrays laid out in :data:`MODULES` order (intensities, totals).
MODULE_INDEX: dict[str, int] = {m: j for j, m in enumerate(MODULES)}

#: Columns a bill-of-quantities frame may carry (readers map headers onto these).
LINE_COLUMNS: tuple[str, ...] = (
    "row_id",
    "source_ref",
    "post_number",
    "item_code",
    "description",
    "building_part",
    "quantity",
    "unit",
    "factor_id",
    "transport_km",
    "transport_mode",
    "waste_rate",
)

#: Optional line columns: used when present, never required.
OPTIONAL_LINE_COLUMNS: tuple[str, ...] = ("thickness", "thickness_mm")

#: Numeric columns of a factor table besides the module columns.
FACTOR_NUMERIC_COLUMNS: tuple[str, ...] = (
    "density_kg_m3",
    "area_mass_kg_m2",
    "linear_mass_kg_m",
    "piece_mass_kg",
    "service_life_years",
    "waste_rate",
    "transport_km",
)

#: Text columns of a factor table.
FACTOR_TEXT_COLUMNS: tuple[str, ...] = (
    "factor_id",
    "declared_unit",
    "name_nb",
    "name_en",
    "material_group",
    "indicator",
    "dataset_type",
    "transport_mode",
    "source_id",
    "source",
)

#: Why an input line was not computed.
REASONS: dict[str, str] = {
    "missing_quantity": "quantity is empty or not a number",
    "lump_sum": "lump-sum unit (RS): no physical quantity",
    "labour_only": "the description reads as labour, hire, temporary works or design, not material",
    "assembly": "the description lists layers of several materials (a wall or floor build-up) "
                "and at least one layer could not be computed (the detail names each layer)",
    "unknown_unit": "unit spelling is not known",
    "no_factor": "no factor id, item-code mapping or material alias matched",
    "unknown_factor": "factor id is not in the factor table",
    "incompatible_unit": "unit cannot be converted to the factor's declared unit",
    "unknown_transport_mode": "transport mode is not in the transport table",
    "out_of_scope": "building part is outside the profile's scope",
    "missing_building_part": "the profile limits building parts but the line has none",
    "indicator_not_accepted": "factor's GWP indicator is not accepted by the profile",
}

#: Physical dimensions a quantity can be converted between (via the factor's masses).
DIMENSIONS: tuple[str, ...] = ("mass", "volume", "area", "length", "piece")

#: Code of each dimension in arrays that hold one (a line's unit, a factor's declared unit);
#: -1 stands for none.
DIMENSION_INDEX: dict[str, int] = {d: i for i, d in enumerate(DIMENSIONS)}
