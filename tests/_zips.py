"""Helper the reader tests share: the bytes of a zip archive of named members, made in memory."""

from __future__ import annotations

import io
import zipfile


def zip_bytes(members: dict, method: int = zipfile.ZIP_DEFLATED) -> bytes:
    """Zip ``members`` (name -> str or bytes), in their order, each compressed with ``method``."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", method) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buf.getvalue()
