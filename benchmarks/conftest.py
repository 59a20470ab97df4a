"""Benchmark session set-up."""

import sys
from pathlib import Path

import pandas as pd

# text stored as the library's entry points store it (klimafotavtrykk._string_storage), so
# the references beside them (pandas merge, groupby) do the same work where pyarrow is installed
pd.set_option("mode.string_storage", "python")

# shared helper modules of the benchmarks (``_workbooks``) import by name under
# --import-mode=importlib
sys.path.insert(0, str(Path(__file__).resolve().parent))
