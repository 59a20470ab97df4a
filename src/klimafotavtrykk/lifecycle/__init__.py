"""The life-cycle engine: one small function per module rule, and the kernel that sums them.

Modules follow EN 15978 / NS 3720: product (A1-A3), transport (A4), construction
(A5 site waste), use (B1-B7, B4 replacements, B6 operational energy), end of
life (C1-C4, and D beside the total).
"""
