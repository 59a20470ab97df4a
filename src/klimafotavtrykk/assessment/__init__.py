"""The result of a calculation, and the functions that produce it.

- :mod:`.calculation`: :func:`calculate`, the whole calculation;
- :mod:`.result`: :class:`Assessment`, what it returns;
- :mod:`.lines_in`: :func:`prepare_lines`, the lines checked and brought to canonical columns;
- :mod:`.reasons`: why a line is not computed, part scope and groups, coverage;
- :mod:`.project_level`: site energy, mass transport and B6, beside the lines.
"""

from klimafotavtrykk.assessment.calculation import calculate
from klimafotavtrykk.assessment.lines_in import prepare_lines
from klimafotavtrykk.assessment.result import Assessment

__all__ = ["Assessment", "calculate", "prepare_lines"]
