"""The data manifest lists every shipped data file with its current hash."""

import json

from klimafotavtrykk._data import data_dir, data_files, file_sha256


def test_manifest_matches_the_data_files():
    manifest = json.loads((data_dir() / "datapackage.json").read_text(encoding="utf-8"))
    listed = {r["path"]: r["sha256"] for r in manifest["resources"]}
    actual = {p.relative_to(data_dir()).as_posix(): file_sha256(p) for p in data_files()}
    stale = sorted(k for k in actual if listed.get(k) != actual[k])
    assert not stale, (f"data files changed without updating the manifest: {stale}; "
                       "run `python -m klimafotavtrykk._data 0.1.0`")
    assert set(listed) == set(actual)


def test_manifest_states_the_licences_and_keeps_them_when_rebuilt():
    """The licence status is in the manifest and survives a rebuild."""
    from klimafotavtrykk._data import build_manifest

    manifest = json.loads((data_dir() / "datapackage.json").read_text(encoding="utf-8"))
    names = [entry["name"] for entry in manifest["licenses"]]
    assert "LicenseRef-Boverket-klimatdatabas-not-confirmed" in names
    assert all(entry["path"].startswith("https://") for entry in manifest["licenses"])
    assert build_manifest(manifest["version"])["licenses"] == manifest["licenses"]
