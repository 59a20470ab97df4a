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
