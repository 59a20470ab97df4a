"""Bids with the same content: :func:`content_fingerprint` and :func:`duplicate_groups`.

Two bid files are duplicates when they are the same file (equal SHA-256 of
the bytes) or hold the same evaluated content: the same materials and site
sheets, cell by cell, and the same price. A re-saved copy has other bytes
(Excel stamps the time of saving) but the same content. Bidder name,
organisation number and date are left out of the content, so that the same
bid handed in under two names is found too.

Duplicates are flagged, not rejected: whether a copy is a mistake, a second
submission or collusion is the client's to judge.
"""

from __future__ import annotations

import hashlib
import math

import pandas as pd

__all__ = ["content_fingerprint", "duplicate_groups", "DUPLICATE_NAMES_SHOWN"]

#: How many other file names a duplicate finding lists before ``(+N)``.
DUPLICATE_NAMES_SHOWN = 10


def content_fingerprint(bid) -> str:
    """SHA-256 of what a bid is evaluated on, without its file name.

    Parameters
    ----------
    bid : klimafotavtrykk.tender.Bid
        As :func:`~klimafotavtrykk.tender.read_bid` returns it.

    Returns
    -------
    str
        Hex digest over the materials and site frames (every column; the
        ``source_ref`` without its ``[file]`` part, so the cell stays) and the
        declared price.
    """
    digest = hashlib.sha256()
    for name, frame in (("materials", bid.materials), ("site", bid.site)):
        frame = frame.reset_index(drop=True)
        if "source_ref" in frame.columns:
            refs = frame["source_ref"].astype(str).str.replace(r"^\[[^\]]*\]", "", regex=True)
            frame = frame.assign(source_ref=refs)
        frame = frame.reindex(columns=sorted(map(str, frame.columns)))
        digest.update(f"{name}:{len(frame)}\n".encode())
        # CSV text of the whole frame: one vectorised pass, floats written in full (repr)
        digest.update(frame.to_csv(index=False, lineterminator="\n").encode("utf-8"))
    price = bid.declaration.get("price_nok")
    digest.update(f"price:{price!r}".encode())
    return digest.hexdigest()


def duplicate_groups(files, sha256, content) -> pd.DataFrame:
    """Group bids that are the same file or hold the same content.

    Parameters
    ----------
    files : sequence of str
        Bid file names, unique.
    sha256, content : sequence of str or None
        Per bid: hash of the file and :func:`content_fingerprint`; None where
        unknown (such a bid is grouped by the other key only).

    Returns
    -------
    DataFrame
        Indexed by file: ``group`` (the first file name of the bid's group in
        sort order; ``""`` for a bid with no duplicate), ``same_file`` and
        ``same_content`` (the other files of the group with the same SHA-256,
        and with other bytes but the same content, as lists).
    """
    files = [str(f) for f in files]
    parent = list(range(len(files)))

    def root(i: int) -> int:
        while parent[i] != i:
            parent[i] = parent[parent[i]]
            i = parent[i]
        return i

    for keys in (sha256, content):  # one pass per key over the bids, not over lines
        first: dict[str, int] = {}
        for i, key in enumerate(keys):
            if key is None or (isinstance(key, float) and math.isnan(key)):
                continue
            j = first.setdefault(str(key), i)
            a, b = root(i), root(j)
            if a != b:
                parent[max(a, b)] = min(a, b)
    roots = [root(i) for i in range(len(files))]
    members: dict[int, list[int]] = {}
    for i, r in enumerate(roots):
        members.setdefault(r, []).append(i)
    group, same_file, same_content = [], [], []
    for i, r in enumerate(roots):
        others = [j for j in members[r] if j != i]
        group.append(min(files[j] for j in members[r]) if others else "")
        same = [files[j] for j in others if sha256[j] is not None and sha256[j] == sha256[i]]
        same_file.append(sorted(same))
        same_content.append(sorted(files[j] for j in others if files[j] not in same))
    return pd.DataFrame({"group": group, "same_file": same_file, "same_content": same_content},
                        index=pd.Index(files, name="file"))


def names_text(names) -> str:
    """File names joined by ``, ``; after :data:`DUPLICATE_NAMES_SHOWN` of them, ``(+N)``."""
    names = list(names)
    shown = ", ".join(names[:DUPLICATE_NAMES_SHOWN])
    rest = len(names) - DUPLICATE_NAMES_SHOWN
    return f"{shown} (+{rest})" if rest > 0 else shown
