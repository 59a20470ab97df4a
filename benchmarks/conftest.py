"""Benchmark session set-up."""

import sys
from pathlib import Path

# shared helper modules of the benchmarks (``_workbooks``) import by name under
# --import-mode=importlib
sys.path.insert(0, str(Path(__file__).resolve().parent))
