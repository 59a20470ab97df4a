"""The follow-up status as text for the command line, and the code-to-text look-ups it shares.

Every word comes from ``data/messages/followup_status.csv`` (or, for the
reasons and findings of other parts of the library, their own files).
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd

from klimafotavtrykk.messages import check_language, format_number, format_share, t

#: Where the text of a finding kind or reason code is looked up, in order.
KIND_PREFIXES = ("followup.finding.", "followup.reader.finding.", "finding.", "cell.")
#: Where the text of a finding's reason is looked up, by the finding's kind; other kinds (the
#: report reader's cells) by ``REASON_PREFIXES[None]``.
REASON_PREFIXES = {"row_not_computed": ("site_reason.",),
                   "report_refused": ("input_error.", "error."),
                   "material_not_compared": ("followup.status.material_reason.",),
                   None: ("cell.", "site_reason.", "reason.")}
#: Findings listed on the command line before "… and n more".
_SHOWN = 12


def code_texts(codes, prefixes: tuple[str, ...], lang: str) -> np.ndarray:
    """Text of each code through the first prefix the catalogue knows; the code itself otherwise.

    Each distinct code is looked up once.
    """
    from klimafotavtrykk.messages import MESSAGES

    values = pd.Series(codes, dtype=object)
    uniq = pd.unique(values.dropna())
    names = {}
    for code in uniq:  # distinct codes: a handful
        names[code] = next((MESSAGES[p + str(code)][lang] for p in prefixes
                            if p + str(code) in MESSAGES), str(code))
    return values.map(names).astype(object).fillna("").to_numpy(dtype=object)


def reason_texts(kinds, reasons, lang: str) -> np.ndarray:
    """Text of each finding's reason, looked up where its kind says (:data:`REASON_PREFIXES`)."""
    kinds = pd.Series(kinds, dtype=object).to_numpy()
    out = code_texts(reasons, REASON_PREFIXES[None], lang)
    for kind, prefixes in REASON_PREFIXES.items():  # a few kinds, each a whole-column step
        if kind is not None and (kinds == kind).any():
            out = np.where(kinds == kind, code_texts(reasons, prefixes, lang), out)
    return out


def blank_none(values: pd.Series) -> pd.Series:
    """The column with empty texts as missing (no code, no text)."""
    values = values.astype(object)
    return values.where(values.notna() & (values != ""), None)


def render(result, lang: str = "nb") -> str:
    """Lines of the status text (see :func:`klimafotavtrykk.followup.status.status_text`)."""
    check_language(lang)
    s = result.summary

    def kg(value):
        return format_number(value, lang)

    def share(value):
        return "–" if value is None or not math.isfinite(value) else format_share(value, lang)

    month = "–" if result.status_month is None else str(result.status_month)
    lines = [t("followup.status.text.title", lang, name=result.contract, month=month,
               elapsed=s["months_elapsed"], total=s["months_in_contract"],
               reported=s["months_reported"])]
    if not s["months_reported"]:
        lines.append(t("followup.status.text.no_reports", lang))
    lines += [
        t("followup.status.text.a5", lang, kg=kg(s["kg_co2e"]),
          promised=kg(s["promised_to_date_kg_co2e"]), deviation=kg(s["deviation_kg_co2e"])),
        t("followup.status.text.projection", lang, projection=kg(s["projection_kg_co2e"]),
          budget=kg(s["budget_kg_co2e"]), deviation=kg(s["projected_deviation_kg_co2e"]),
          source=t(f"followup.status.budget_source.{s['budget_source']}", lang)),
        t("followup.status.text.shares", lang, energy=share(s["share_energy"]),
          hours=share(s["share_machine_hours"]), count=share(s["share_machine_count"]),
          p_energy=share(s["promised_share_energy"]),
          p_hours=share(s["promised_share_machine_hours"]),
          p_count=share(s["promised_share_machine_count"])),
        t("followup.status.text.mass_transport", lang, kg=kg(s["mass_transport_kg_co2e"])),
        t("followup.status.text.materials", lang,
          n=int(result.materials["month"].notna().sum()),
          kg=kg(s["materials_difference_kg_co2e"])),
        t("followup.status.text.findings", lang, n=len(result.findings)),
    ]
    shown = result.findings.head(_SHOWN)
    kinds = code_texts(shown["kind"], KIND_PREFIXES, lang)
    for month, file, kind, detail in zip(shown["month"], shown["file"], kinds, shown["detail"],
                                         strict=True):  # at most _SHOWN lines
        detail = "" if pd.isna(detail) else str(detail)
        where = " ".join(str(v) for v in (month, file) if not pd.isna(v))
        lines.append(t("followup.status.text.finding_detail", lang, where=where, kind=kind, detail=detail)
                     if detail else t("followup.status.text.finding", lang, where=where, kind=kind))
    if len(result.findings) > _SHOWN:
        lines.append("  " + t("out.more", lang, n=len(result.findings) - _SHOWN))
    lines += rule_lines(result.bonus, lang)
    return "\n".join(lines)


def rule_lines(bonus: pd.DataFrame, lang: str) -> list[str]:
    """One line per rule with its amount, or why it was not applied; then the sum."""
    if not len(bonus):
        return [t("followup.status.text.no_rules", lang)]
    kinds = code_texts(bonus["kind"], ("followup.rule.kind.",), lang)
    notes = code_texts(blank_none(bonus["note"]), ("followup.rule.note.",), lang)
    lines = []
    for i in range(len(bonus)):  # a contract names a few rules
        row = bonus.iloc[i]
        if row["note"] == "held_back":
            lines.append(t("followup.status.text.rule_held_back", lang, number=row["rule"],
                           kind=kinds[i], amount=format_number(row["amount_nok"], lang),
                           months=row["detail"]))
        elif row["note"]:
            detail = f" ({row['detail']})" if row["detail"] else ""
            lines.append(t("followup.status.text.rule_not_applied", lang, number=row["rule"],
                           kind=kinds[i], note=notes[i] + detail))
        else:
            lines.append(t("followup.status.text.rule", lang, number=row["rule"], kind=kinds[i],
                           amount=format_number(row["amount_nok"], lang)))
    total = bonus["amount_nok"].to_numpy(dtype=float)
    if np.isfinite(total).any():
        lines.append(t("followup.status.text.total", lang,
                       amount=format_number(float(np.nansum(total)), lang)))
    return lines
