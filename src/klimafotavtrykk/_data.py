"""Where the shipped data files are.

In an installed wheel the repository's ``data/`` folder is packaged as
``klimafotavtrykk/data``; in a source checkout (editable install) it sits at
the repository root, two levels above this package.
"""

from __future__ import annotations

import functools
from pathlib import Path

__all__ = ["data_dir", "data_path"]


@functools.cache
def data_dir() -> Path:
    """Folder holding the shipped data (factor tables, profiles, units, headers)."""
    packaged = Path(__file__).resolve().parent / "data"
    if packaged.is_dir():
        return packaged
    return Path(__file__).resolve().parents[2] / "data"


def data_path(*parts: str) -> Path:
    """Path of a shipped data file, e.g. ``data_path("units", "aliases.csv")``."""
    return data_dir().joinpath(*parts)


def data_files() -> list[Path]:
    """Every shipped data file but the manifest itself, sorted."""
    root = data_dir()
    return sorted(p for p in root.rglob("*")
                  if p.is_file() and p.name != "datapackage.json" and p.suffix in (".csv", ".toml"))


def file_sha256(path: Path) -> str:
    """SHA-256 of a file's bytes, hex."""
    import hashlib

    return hashlib.sha256(path.read_bytes()).hexdigest()


@functools.cache
def data_version() -> str:
    """Version of the shipped data: the manifest's version and the first 12 hex digits of its hash.

    Reports print it, so that a number can be traced to the data it came from.
    """
    import hashlib
    import json

    manifest = data_path("datapackage.json")
    if not manifest.is_file():
        return "unversioned"
    version = json.loads(manifest.read_text(encoding="utf-8")).get("version", "?")
    return f"{version}+{hashlib.sha256(manifest.read_bytes()).hexdigest()[:12]}"


#: Licence status of the main data sources, written into ``datapackage.json``
#: (Frictionless ``licenses``). ``data/emission_factors/README.md`` gives the evidence.
LICENSES: tuple[dict[str, str], ...] = (
    {"name": "MIT", "path": "https://opensource.org/license/mit",
     "title": "klimafotavtrykk's own tables, reasoned defaults and derived values"},
    {"name": "LicenseRef-Boverket-klimatdatabas-not-confirmed",
     "path": "https://www.boverket.se/sv/klimatdeklaration/klimatdatabas/om-klimatdatabas/",
     "title": "Boverket Klimatdatabas 02.06.000 (A1-A3, A4, waste factors, conversions): "
              "redistribution terms not confirmed. The database page states no terms and the "
              "records are flagged Copyright: true; Boverket's open-data pages grant copying, "
              "distribution and adaptation with Boverket named as source, but the klimatdatabas "
              "was not found among the data sets they list (searched 2026-12-07). Values are "
              "used as facts with citation; clear the terms with Boverket before a release."},
    {"name": "LicenseRef-BR18-Tabel7-not-confirmed",
     "path": "https://bygningsreglementet.dk/Bilag/B2/Bilag_2/Tabel_7",
     "title": "BR18 Bilag 2 Tabel 7 (C3, C4, D): re-use terms of the annex not confirmed; its "
              "generic rows cite OEKOBAUDAT, which its terms page offers free of charge and "
              "without restriction (https://www.oekobaudat.de/); industry rows cite EPD "
              "Danmark PDFs (terms not stated). Values are used as facts with citation."},
)


def build_manifest(version: str) -> dict:
    """Build the content of ``data/datapackage.json``: every data file with its hash, and the licences."""
    root = data_dir()
    return {
        "name": "klimafotavtrykk-data",
        "version": version,
        "licence_note": "Each folder's README.md states the licence status of its sources; "
                        "every row cites a source in sources.csv.",
        "licenses": [dict(entry) for entry in LICENSES],
        "resources": [
            {"path": p.relative_to(root).as_posix(), "sha256": file_sha256(p)} for p in data_files()
        ],
    }


def _main() -> None:
    """``python -m klimafotavtrykk._data VERSION`` rewrites ``data/datapackage.json``."""
    import json
    import sys

    version = sys.argv[1] if len(sys.argv) > 1 else "0.1.0"
    target = data_path("datapackage.json")
    target.write_text(json.dumps(build_manifest(version), indent=1, ensure_ascii=False) + "\n",
                      encoding="utf-8")


if __name__ == "__main__":
    _main()
