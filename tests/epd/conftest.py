"""Builders of EPD files in each format, with values of real published EPDs.

The files are written by the tests, in the structure of the real files read
for docs/design/epd_formats.md; none of those files is copied here. Values:

- Danish ready-mix concrete, 1 m³ (2265 kg), NEPD-4945-3957-DK (ILCD dataset
  0aa8b645…, ocni-dtu/lcax @866f3fd7): GWP-total A1 256.723356887539,
  A2 8.485777018525, A3 3.385395098948; GWP-IOBC A1 250.445928870866,
  A2 8.485650043387, A3 4.532739627165.
- Hot-rolled coil, per 1000 kg, EPD-IES-0006676 (ILCD 459392b1…): GWP-total
  A1-A3 1895.7, A4 201.22, B1-B7 ND, C1 53.81, C2 41.59, C3 20.55, C4 37.51,
  D 588.77; GWP-GHG A1-A3 1864.64.
- Coated glass per m², EPD-IES-0009809 (ILCD 881b28b9…): A1 0, A2 0, A3 40.3
  and A1-A3 40.3.
- Hot-rolled wire rod per 1000 kg, EPDITALY0091 (cchangelabs/ilcdlib
  test_data): A1 539.5, A2 40.4, A3 106.7, no A1-A3.
- Two-layer parquet per m², EPD-HAM-20220202-ICD1-DE (IBU, ilcdlib
  test_data): A1-A3 6.529, C3 11.88 (S1) / 11.76 (S2), D -4.877 (S1) /
  -0.2187 (S2).
"""

from __future__ import annotations

import json
import zipfile

import pytest

NS = ('xmlns="http://lca.jrc.it/ILCD/Process" xmlns:common="http://lca.jrc.it/ILCD/Common" '
      'xmlns:epd="http://www.iai.kit.edu/EPD/2013"')
FLOW_NS = 'xmlns="http://lca.jrc.it/ILCD/Flow" xmlns:common="http://lca.jrc.it/ILCD/Common"'
MASS = "93a60a56-a3c8-11da-a746-0800200b9a66"
VOLUME = "93a60a56-a3c8-22da-a746-0800200c9a66"
AREA = "93a60a56-a3c8-19da-a746-0800200c9a66"
GWP_TOTAL = "6a37f984-a4b3-458a-a20a-64418c145fa2"
GWP_GHG = "fb774615-0575-45de-9a89-1ded92f19770"
GWP_FOSSIL = "5f635281-343e-44fb-83df-1971b155e6b6"

CONCRETE_TOTAL = {"A1": "256.723356887539", "A2": "8.485777018525", "A3": "3.385395098948"}
CONCRETE_GHG = {"A1": "250.445928870866", "A2": "8.485650043387", "A3": "4.532739627165"}
COIL_TOTAL = {"A1-A3": "1895.7", "A4": "201.22", **{f"B{i}": "ND" for i in range(1, 8)},
              "C1": "53.81", "C2": "41.59", "C3": "20.55", "C4": "37.51", "D": "588.77"}
COIL_GHG = {"A1-A3": "1864.64"}
GLASS_TOTAL = {"A1": "0", "A2": "0", "A3": "40.3", "A1-A3": "40.299999999999997"}
ROD_TOTAL = {"A1": "539.5", "A2": "40.4", "A3": "106.7"}
PARQUET_TOTAL = [("A1-A3", None, "6.529"), ("A5", None, "0.2576"), ("B2", None, "7.037"),
                 ("C1", None, "0"), ("C2", None, "0.08151"), ("C3", "S1", "11.88"),
                 ("C3", "S2", "11.76"), ("C4", None, "0"), ("D", "S1", "-4.877"),
                 ("D", "S2", "-0.2187")]


def _amounts(values) -> list[tuple[str, str | None, str]]:
    return [(m, None, v) for m, v in values.items()] if isinstance(values, dict) else values


def ilcd_process(*, uuid, name, flow, results, registration="", exchange_amount="1",
                 reference="0", valid_year="2028", scenarios=(), doctype="") -> str:
    """An ILCD+EPD process dataset as ÖKOBAUDAT/soda4LCA write it (EPD format v1.2)."""
    lcia = []
    for method, values in results.items():
        amounts = "".join(
            f'<epd:amount epd:module="{m}"' + (f' epd:scenario="{s}"' if s else "") + f">{v}"
            "</epd:amount>" for m, s, v in _amounts(values))
        lcia.append(f'<LCIAResult><referenceToLCIAMethodDataSet refObjectId="{method}" '
                    'type="LCIA method data set"/><meanAmount>0.0</meanAmount>'
                    f"<common:other>{amounts}</common:other></LCIAResult>")
    scenario_xml = "".join(f'<epd:scenario epd:name="{s}"/>' for s in scenarios)
    registration_xml = (f"<common:registrationNumber>{registration}</common:registrationNumber>"
                        if registration else "")
    return (f'<?xml version="1.0" encoding="UTF-8"?>{doctype}<processDataSet {NS} version="1.1">'
            "<processInformation><dataSetInformation>"
            f"<common:UUID>{uuid}</common:UUID><name><baseName xml:lang=\"en\">{name}</baseName>"
            f"</name><common:other><epd:scenarios>{scenario_xml}</epd:scenarios></common:other>"
            "</dataSetInformation><quantitativeReference type=\"Reference flow(s)\">"
            f"<referenceToReferenceFlow>{reference}</referenceToReferenceFlow>"
            "</quantitativeReference><time><common:referenceYear>2023</common:referenceYear>"
            f"<common:dataSetValidUntil>{valid_year}</common:dataSetValidUntil></time>"
            "</processInformation><administrativeInformation><publicationAndOwnership>"
            f"{registration_xml}</publicationAndOwnership></administrativeInformation>"
            '<exchanges><exchange dataSetInternalID="0">'
            f'<referenceToFlowDataSet type="flow data set" refObjectId="{flow}"/>'
            f"<meanAmount>{exchange_amount}</meanAmount></exchange></exchanges>"
            f"<LCIAResults>{''.join(lcia)}</LCIAResults></processDataSet>")


def ilcd_flow(*, uuid, properties) -> str:
    """A product flow dataset; ``properties`` = [(flow property UUID, meanValue)], first = reference."""
    props = "".join(
        f'<flowProperty dataSetInternalID="{i}"><referenceToFlowPropertyDataSet '
        f'type="flow property data set" refObjectId="{p}"/><meanValue>{v}</meanValue>'
        "</flowProperty>" for i, (p, v) in enumerate(properties))
    return (f'<?xml version="1.0" encoding="UTF-8"?><flowDataSet {FLOW_NS} version="1.1">'
            f"<flowInformation><dataSetInformation><common:UUID>{uuid}</common:UUID>"
            "</dataSetInformation><quantitativeReference><referenceToReferenceFlowProperty>0"
            "</referenceToReferenceFlowProperty></quantitativeReference></flowInformation>"
            f"<flowProperties>{props}</flowProperties></flowDataSet>")


def ilcd_zip(path, process: str, flow_uuid: str, flow: str | None, extra=()) -> None:
    """Zip a process with its flow as an export does (ILCD/processes, ILCD/flows)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("ILCD/processes/process.xml", process)
        if flow is not None:
            archive.writestr(f"ILCD/flows/{flow_uuid}_00.01.000.xml", flow)
        for name, text in extra:
            archive.writestr(name, text)


def soda_json(*, uuid, name, unit_property, reference_unit, flow_value, results, mass=None,
              registration="", exchange_amount=1.0, valid_year=2028) -> str:
    """A soda4LCA JSON process dataset: inline flow properties, values in other/anies."""
    properties = [{"uuid": unit_property, "referenceFlowProperty": True,
                   "meanValue": flow_value, "referenceUnit": reference_unit}]
    if mass is not None:
        properties.append({"uuid": MASS, "meanValue": mass})
    document = {
        "processInformation": {
            "dataSetInformation": {"UUID": uuid, "name": {"baseName": [{"value": name,
                                                                        "lang": "en"}]}},
            "quantitativeReference": {"referenceToReferenceFlow": [0]},
            "time": {"dataSetValidUntil": valid_year}},
        "administrativeInformation": {"publicationAndOwnership": (
            {"registrationNumber": registration} if registration else {})},
        "exchanges": {"exchange": [{"dataSetInternalID": 0, "meanAmount": exchange_amount,
                                    "referenceFlow": True, "flowProperties": properties}]},
        "LCIAResults": {"LCIAResult": [
            {"referenceToLCIAMethodDataSet": {"refObjectId": method},
             "other": {"anies": [{"module": m, "value": v} | ({"scenario": s} if s else {})
                                 for m, s, v in _amounts(values)]}}
            for method, values in results.items()]},
    }
    return json.dumps(document)


def iso22057_json(*, name, registration, quantities, mass, gwp_total, valid="4/19/2029 12:00:00 AM"):
    """An EN ISO 22057 JSON EPD in the layout of EPD-Norge's pilot."""
    reference = [{"guid": "x", "name": f"reference quantity ({k})", "value": quantities.get(k, "")}
                 for k in ("area", "item", "length", "mass", "volume")]
    document = {
        "subScenarios": [
            {"name": "EPD general information", "subScenarioItems": [
                {"guid": "a", "name": "product name", "value": name},
                {"guid": "b", "name": "EPD registration number", "value": registration},
                {"guid": "c", "name": "data set valid until", "value": valid}]},
            {"name": "EPD Methodological framework", "subScenarioItems": [
                {"guid": "d", "name": "core PCR", "value": "EN 15804:2012+A2:2019"}]},
            {"name": "Reference unit and RSL", "subScenarioItems": [
                *reference, {"guid": "e", "name": "mass conversion factor", "value": mass},
                {"guid": "f", "name": "reference unit type", "value": "declared unit"}]}],
        "subIndicators": [{"name": "EN 15804:2012+A2:2019 Mandatory LCIA Indicators",
                           "subIndicatorItems": [{"guid": "g",
                                                  "name": "global warming potential - total",
                                                  "values": [{"guid": "h", "name": m,
                                                              "unit": "kg CO2 -eq", "value": v}
                                                             for m, v in gwp_total.items()]}]}],
    }
    return json.dumps(document)


def openepd_json(*, id_, name, registration, declared_unit, impacts, kg_per_unit=None,
                 valid_until="2028-10-16T00:00:00Z"):
    """An openEPD declaration: declared_unit, impacts per LCIA method, scope sets."""
    document = {"id": id_, "product_name": name, "program_operator_doc_id": registration,
                "declared_unit": declared_unit, "valid_until": valid_until,
                "compliance": [{"short_name": "EN 15804+A2"}], "impacts": impacts}
    if kg_per_unit is not None:
        document["kg_per_declared_unit"] = {"qty": kg_per_unit, "unit": "kg"}
    return json.dumps(document)


class Builders:
    """The builders, for tests (pytest imports conftest modules, not test helpers)."""

    ilcd_process = staticmethod(ilcd_process)
    ilcd_flow = staticmethod(ilcd_flow)
    ilcd_zip = staticmethod(ilcd_zip)
    soda_json = staticmethod(soda_json)
    iso22057_json = staticmethod(iso22057_json)
    openepd_json = staticmethod(openepd_json)


@pytest.fixture
def build():
    """The file builders of this module."""
    return Builders


@pytest.fixture
def epd_folder(tmp_path):
    """A folder with four EPDs in four formats, a broken one and a PDF."""
    folder = tmp_path / "epd"
    folder.mkdir()
    (folder / "concrete.json").write_text(soda_json(
        uuid="0aa8b645-02d9-41b4-8aa3-70335af2a9e7", name="Ready-mix concrete 35 MPa",
        registration="NEPD-4945-3957-DK", unit_property=VOLUME, reference_unit="m3",
        flow_value=1.0, mass=2265.0, results={GWP_TOTAL: CONCRETE_TOTAL,
                                              GWP_GHG: CONCRETE_GHG}), encoding="utf-8")
    coil_flow = "0ff35a98-f040-4faf-9272-d1b07fd6bd93"
    ilcd_zip(folder / "coil.zip", ilcd_process(
        uuid="459392b1-18ad-4429-721e-08da598ce856", name="Hot Rolled Coil", flow=coil_flow,
        registration="EPD-IES-0006676", results={GWP_TOTAL: COIL_TOTAL, GWP_GHG: COIL_GHG}),
        coil_flow, ilcd_flow(uuid=coil_flow, properties=[(MASS, "1000.0")]))
    (folder / "glass.json").write_text(openepd_json(
        id_="881b28b9aaf34d80aea508db7e36184f", name="Coated glass 12 mm",
        registration="EPD-IES-0009809", declared_unit={"qty": 1, "unit": "m2"},
        impacts={"EF 3.1": {"gwp": {"A1": {"mean": 0}, "A2": {"mean": 0},
                                    "A3": {"mean": 40.3}, "A1A2A3": {"mean": 40.3}}}}),
        encoding="utf-8")
    (folder / "blocks.json").write_text(iso22057_json(
        name="Ready-mix concrete 35 MPa (ISO 22057)", registration="NEPD-4945-3957-DK-ISO",
        quantities={"volume": "1"}, mass="2265",
        gwp_total={"A1": CONCRETE_TOTAL["A1"], "A2": CONCRETE_TOTAL["A2"],
                   "A3": CONCRETE_TOTAL["A3"], "B1": "MND", "D1": "INA"}), encoding="utf-8")
    (folder / "process_only.xml").write_text(ilcd_process(
        uuid="daa1778e-be8f-4d2f-b1b3-c32ca2f0e90d", name="Plasterboard", flow="47e70177",
        results={GWP_TOTAL: {"A1-A3": "2.5"}}), encoding="utf-8")
    (folder / "epd.pdf").write_bytes(b"%PDF-1.4\n")
    return folder
