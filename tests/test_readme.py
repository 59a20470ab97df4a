"""The README's Python example runs as written, from the repository root."""

import os
import re
from pathlib import Path

import matplotlib

ROOT = Path(__file__).resolve().parents[1]


def test_readme_python_example_runs(monkeypatch):
    matplotlib.use("Agg")
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    blocks = re.findall(r"```python\n(.*?)```", text, flags=re.S)
    assert blocks, "the README has a Python example"
    monkeypatch.chdir(ROOT)
    namespace: dict = {}
    exec(compile(blocks[0], "README.md", "exec"), namespace)  # noqa: S102 - our own README
    evaluation = namespace["evaluation"]
    assert len(evaluation.ranking) == 5  # every bid is listed, rejected ones with their status
    assert os.fspath(ROOT) == os.getcwd()
