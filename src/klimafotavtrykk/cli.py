"""Command line: ``klimafotavtrykk beregn FIL``, ``anbud mal|score``, ``oppfolging mal|status``, ``epd les``.

This module imports argparse and the small text catalogue only; numpy,
pandas, pint and openpyxl load in :mod:`klimafotavtrykk.commands` after the
arguments are parsed, so ``klimafotavtrykk --help`` starts fast.

Help and messages are in bokmål unless ``--lang en`` is given (anywhere on
the line). English long options (``--profile``, ``--sheet``, ``--factors``)
and the English command name ``calculate`` work too.

Exit codes: 0 done; 1 an input, data or unexpected error (rendered in the
chosen language, never a traceback unless ``--debug``); 2 a usage error.

Subcommands: ``beregn`` (calculate a bill of quantities), ``anbud mal``
(write the bid climate workbook), ``anbud score`` (score a folder of
bids) and ``oppfolging mal`` (write the contractor's monthly report workbook). Each is one ``_add_*`` function in :data:`_SUBCOMMANDS` and one
handler in :func:`klimafotavtrykk.commands.run`; ``anbud`` nests its own
subparsers.
"""

from __future__ import annotations

import argparse
import math
import os
import sys
import traceback
from collections.abc import Sequence

from klimafotavtrykk import __version__
from klimafotavtrykk.messages import LANGUAGES, render_error, t

__all__ = ["main", "build_parser"]


class _Formatter(argparse.HelpFormatter):
    """Help formatter whose "usage:" prefix is translated."""

    usage_prefix = "usage: "

    def add_usage(self, usage, actions, groups, prefix=None):
        super().add_usage(usage, actions, groups, self.usage_prefix if prefix is None else prefix)


def _formatter(lang: str) -> type[argparse.HelpFormatter]:
    return type(f"_Formatter_{lang}", (_Formatter,), {"usage_prefix": t("cli.usage_prefix", lang)})


class _Parser(argparse.ArgumentParser):
    """ArgumentParser that reports usage errors in the chosen language (exit code 2)."""

    def __init__(self, *args, lang: str = "nb", **kwargs):
        kwargs.setdefault("formatter_class", _formatter(lang))
        kwargs.setdefault("add_help", False)
        super().__init__(*args, **kwargs)
        self.lang = lang

    def error(self, message):
        self.print_usage(sys.stderr)
        self.exit(2, t("cli.error", self.lang, prog=self.prog, message=message) + "\n")


def build_parser(lang: str = "nb") -> argparse.ArgumentParser:
    """The argument parser, with help text in ``lang``.

    Parameters
    ----------
    lang : {"nb", "en"}
        Language of help and usage errors.

    Returns
    -------
    argparse.ArgumentParser
        Parsing sets ``task`` (the subcommand, e.g. ``"beregn"``) and the
        subcommand's options; ``lang`` and ``debug`` only when given.
    """
    parser = _Parser(prog="klimafotavtrykk", description=t("cli.description", lang), lang=lang)
    options = parser.add_argument_group(t("cli.options", lang))
    options.add_argument("-h", "--help", action="help", help=t("cli.help", lang))
    options.add_argument("--version", action="version", version=f"klimafotavtrykk {__version__}",
                         help=t("cli.version", lang))
    _add_common(options, lang)
    sub = parser.add_subparsers(title=t("cli.commands", lang), dest="command",
                                metavar=t("cli.command_metavar", lang))
    for add in _SUBCOMMANDS:
        add(sub, lang)
    return parser


def _add_common(group, lang: str) -> None:
    """Add the options every (sub)command takes.

    SUPPRESS: a value given before the subcommand is not overwritten by the
    subcommand's default.
    """
    group.add_argument("--lang", choices=LANGUAGES, default=argparse.SUPPRESS,
                       help=t("cli.lang", lang))
    group.add_argument("--debug", action="store_true", default=argparse.SUPPRESS,
                       help=t("cli.debug", lang))


def _add_beregn(sub, lang: str) -> None:
    parser = sub.add_parser("beregn", aliases=["calculate"], help=t("cli.beregn.help", lang),
                            description=t("cli.beregn.description", lang), lang=lang)
    parser.set_defaults(task="beregn")
    arguments = parser.add_argument_group(t("cli.arguments", lang))
    arguments.add_argument("file", metavar=t("cli.file_metavar", lang), help=t("cli.file", lang))
    options = parser.add_argument_group(t("cli.options", lang))
    options.add_argument("-h", "--help", action="help", help=t("cli.help", lang))
    names = _profile_names()
    options.add_argument("--profil", "--profile", dest="profile", default="tek17",
                         type=_profile_type(names, lang),
                         metavar=t("cli.profile_metavar", lang),
                         help=t("cli.profile", lang, choices="|".join(names), default="tek17"))
    options.add_argument("--bta", type=_positive_number(lang), metavar="M2",
                         help=t("cli.bta", lang))
    options.add_argument("--periode", "--period", dest="period", type=_positive_number(lang),
                         metavar=t("cli.period_metavar", lang), help=t("cli.period", lang))
    options.add_argument("-o", "--output", type=_workbook_path(lang),
                         metavar=t("cli.output_metavar", lang), help=t("cli.output", lang))
    options.add_argument("--json", action="store_true", help=t("cli.json", lang))
    options.add_argument("--ark", "--sheet", dest="sheet", metavar=t("cli.sheet_metavar", lang),
                         help=t("cli.sheet", lang))
    options.add_argument("--faktorer", "--factors", dest="factors",
                         metavar=t("cli.factors_metavar", lang), help=t("cli.factors", lang))
    options.add_argument("--stille", "--quiet", dest="quiet", action="store_true",
                         help=t("cli.beregn.quiet", lang))
    _add_common(options, lang)


def _add_anbud(sub, lang: str) -> None:
    parser = sub.add_parser("anbud", aliases=["tender"], help=t("cli.anbud.help", lang),
                            description=t("cli.anbud.description", lang), lang=lang)
    options = parser.add_argument_group(t("cli.options", lang))
    options.add_argument("-h", "--help", action="help", help=t("cli.help", lang))
    _add_common(options, lang)
    tasks = parser.add_subparsers(title=t("cli.commands", lang), dest="anbud_command",
                                  metavar=t("cli.command_metavar", lang))

    mal = tasks.add_parser("mal", aliases=["template"], help=t("cli.anbud.mal.help", lang),
                           description=t("cli.anbud.mal.description", lang), lang=lang)
    mal.set_defaults(task="anbud_mal")
    options = mal.add_argument_group(t("cli.options", lang))
    options.add_argument("-h", "--help", action="help", help=t("cli.help", lang))
    options.add_argument("-o", "--output", default="klimaskjema.xlsx", type=_workbook_path(lang),
                         metavar=t("cli.output_metavar", lang), help=t("cli.anbud.mal.output", lang))
    options.add_argument("--mengder", "--quantities", dest="quantities",
                         metavar=t("cli.file_metavar", lang), help=t("cli.anbud.mal.mengder", lang))
    options.add_argument("--ark", "--sheet", dest="sheet", metavar=t("cli.sheet_metavar", lang),
                         help=t("cli.sheet", lang))
    _add_common(options, lang)

    score = tasks.add_parser("score", aliases=["evaluer"], help=t("cli.anbud.score.help", lang),
                             description=t("cli.anbud.score.description", lang), lang=lang)
    score.set_defaults(task="anbud_score")
    arguments = score.add_argument_group(t("cli.arguments", lang))
    arguments.add_argument("competition", metavar=t("cli.competition_metavar", lang),
                           help=t("cli.anbud.score.competition", lang))
    arguments.add_argument("bids", nargs="+", metavar=t("cli.bids_metavar", lang),
                           help=t("cli.anbud.score.bids", lang))
    options = score.add_argument_group(t("cli.options", lang))
    options.add_argument("-h", "--help", action="help", help=t("cli.help", lang))
    options.add_argument("-o", "--output", type=_workbook_path(lang),
                         metavar=t("cli.output_metavar", lang),
                         help=t("cli.anbud.score.output", lang))
    options.add_argument("--prosesser", "--workers", dest="workers", type=_positive_int(lang),
                         default=1, metavar="N", help=t("cli.anbud.score.workers", lang))
    options.add_argument("--kvalitet", "--quality", dest="quality",
                         metavar=t("cli.file_metavar", lang), help=t("cli.anbud.score.quality", lang))
    options.add_argument("--uten-linjer", "--no-lines", dest="no_lines", action="store_true",
                         help=t("cli.anbud.score.no_lines", lang))
    options.add_argument("--stille", "--quiet", dest="quiet", action="store_true",
                         help=t("cli.anbud.score.quiet", lang))
    options.add_argument("--usikkerhet", "--uncertainty", dest="uncertainty", action="store_true",
                         help=t("cli.anbud.score.uncertainty", lang))
    _add_common(options, lang)


def _add_oppfolging(sub, lang: str) -> None:
    parser = sub.add_parser("oppfolging", aliases=["followup"],
                            help=t("followup.template.cli.help", lang),
                            description=t("followup.template.cli.description", lang), lang=lang)
    options = parser.add_argument_group(t("cli.options", lang))
    options.add_argument("-h", "--help", action="help", help=t("cli.help", lang))
    _add_common(options, lang)
    tasks = parser.add_subparsers(title=t("cli.commands", lang), dest="oppfolging_command",
                                  metavar=t("cli.command_metavar", lang))

    mal = tasks.add_parser("mal", aliases=["template"], help=t("followup.template.cli.mal_help", lang),
                           description=t("followup.template.cli.mal_description", lang), lang=lang)
    mal.set_defaults(task="oppfolging_mal")
    options = mal.add_argument_group(t("cli.options", lang))
    options.add_argument("-h", "--help", action="help", help=t("cli.help", lang))
    options.add_argument("-o", "--output", default="rapportmal.xlsx", type=_workbook_path(lang),
                         metavar=t("cli.output_metavar", lang),
                         help=t("followup.template.cli.output", lang))
    options.add_argument("--kontrakt", "--contract", dest="contract",
                         metavar=t("cli.file_metavar", lang),
                         help=t("followup.template.cli.kontrakt", lang))
    _add_common(options, lang)

    status = tasks.add_parser("status", help=t("followup.status.cli.help", lang),
                              description=t("followup.status.cli.description", lang), lang=lang)
    status.set_defaults(task="oppfolging_status")
    arguments = status.add_argument_group(t("cli.arguments", lang))
    arguments.add_argument("contract", metavar=t("cli.file_metavar", lang),
                           help=t("followup.status.cli.contract", lang))
    arguments.add_argument("reports", nargs="+", metavar=t("followup.status.cli.reports_metavar", lang),
                           help=t("followup.status.cli.reports", lang))
    options = status.add_argument_group(t("cli.options", lang))
    options.add_argument("-h", "--help", action="help", help=t("cli.help", lang))
    options.add_argument("-o", "--output", type=_workbook_path(lang),
                         metavar=t("cli.output_metavar", lang),
                         help=t("followup.status.cli.output", lang))
    options.add_argument("--per", "--as-of", dest="as_of",
                         metavar=t("followup.status.cli.month_metavar", lang),
                         help=t("followup.status.cli.as_of", lang))
    options.add_argument("--json", action="store_true", help=t("followup.status.cli.json", lang))
    _add_common(options, lang)


def _add_epd(sub, lang: str) -> None:
    parser = sub.add_parser("epd", help=t("cli.epd.help", lang),
                            description=t("cli.epd.description", lang), lang=lang)
    options = parser.add_argument_group(t("cli.options", lang))
    options.add_argument("-h", "--help", action="help", help=t("cli.help", lang))
    _add_common(options, lang)
    tasks = parser.add_subparsers(title=t("cli.commands", lang), dest="epd_command",
                                  metavar=t("cli.command_metavar", lang))
    les = tasks.add_parser("les", aliases=["read"], help=t("cli.epd.les.help", lang),
                           description=t("cli.epd.les.description", lang), lang=lang)
    les.set_defaults(task="epd_les")
    arguments = les.add_argument_group(t("cli.arguments", lang))
    arguments.add_argument("folder", metavar=t("cli.epd.folder_metavar", lang),
                           help=t("cli.epd.les.folder", lang))
    options = les.add_argument_group(t("cli.options", lang))
    options.add_argument("-h", "--help", action="help", help=t("cli.help", lang))
    options.add_argument("-o", "--output", metavar=t("cli.epd.csv_metavar", lang),
                         help=t("cli.epd.les.output", lang))
    options.add_argument("--indikator", "--indicator", dest="indicator", default="GWP-total",
                         metavar=t("cli.epd.indicator_metavar", lang),
                         help=t("cli.epd.les.indicator", lang))
    options.add_argument("--scenario", dest="scenario", metavar=t("cli.epd.scenario_metavar", lang),
                         help=t("cli.epd.les.scenario", lang))
    _add_common(options, lang)


#: Functions adding one subcommand each to the subparsers.
_SUBCOMMANDS = (_add_beregn, _add_anbud, _add_oppfolging, _add_epd)


def _profile_names() -> tuple[str, ...]:
    from klimafotavtrykk.profiles import available_profiles  # standard library only

    return available_profiles()


def _profile_type(names: Sequence[str], lang: str):
    def profile(text: str) -> str:
        if text in names or text.lower().endswith(".toml"):
            return text
        raise argparse.ArgumentTypeError(
            t("cli.bad_profile", lang, value=text, choices=", ".join(names)))
    return profile


def _positive_number(lang: str):
    def number(text: str) -> float:
        try:  # accept a decimal comma and grouped thousands: "2 400,5"
            value = float(text.replace("\u00a0", "").replace(" ", "").replace(",", "."))
        except ValueError:
            value = math.nan
        if not (math.isfinite(value) and value > 0):
            raise argparse.ArgumentTypeError(t("cli.bad_number", lang, value=text))
        return value
    return number


def _workbook_path(lang: str):
    """An output path for a workbook: it must end in ``.xlsx``, checked before any work.

    A report written to ``rapport.csv`` would be a workbook under a name Excel refuses to
    open as such, and the user would learn it only after the whole calculation.
    """
    def path(text: str) -> str:
        if os.path.splitext(text)[1].lower() != ".xlsx":
            raise argparse.ArgumentTypeError(t("cli.bad_workbook_path", lang, value=text))
        return text
    return path


def _positive_int(lang: str):
    def number(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            value = 0
        if value < 1:
            raise argparse.ArgumentTypeError(t("cli.bad_number", lang, value=text))
        return value
    return number


def _language(argv: Sequence[str]) -> str:
    """``--lang`` as given anywhere on the command line (so that help is translated too)."""
    lang = "nb"
    for i, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and i + 1 < len(argv):
            lang = argv[i + 1]
        elif arg.startswith("--lang="):
            lang = arg.partition("=")[2]
    return lang if lang in LANGUAGES else "nb"


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line.

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments without the program name; default ``sys.argv[1:]``.

    Returns
    -------
    int
        Exit code: 0 done, 1 error, 2 usage error.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    lang = _language(argv)
    _tolerant_streams()
    parser = build_parser(lang)
    try:
        args = parser.parse_args(argv)
    except SystemExit as exc:  # --help, --version, usage errors
        return exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 2)
    if getattr(args, "task", None) is None:
        parser.print_usage(sys.stderr)
        return 2
    args.lang = getattr(args, "lang", lang)
    args.debug = getattr(args, "debug", False)
    try:
        from klimafotavtrykk import commands

        return commands.run(args)
    except KeyboardInterrupt:
        sys.stderr.write(t("error.interrupted", args.lang) + "\n")
        return 130
    except BrokenPipeError:  # e.g. `klimafotavtrykk beregn fil.xlsx | head`
        _silence_stdout()
        return 1
    except Exception as exc:
        if args.debug:
            traceback.print_exc(file=sys.stderr)
        sys.stderr.write(render_error(exc, args.lang) + "\n")
        return 1


def _tolerant_streams() -> None:
    """Never fail on a character the terminal cannot show (æøå, ², …)."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="replace")
        except (AttributeError, ValueError, OSError):
            pass


def _silence_stdout() -> None:
    try:
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
    except (OSError, ValueError, AttributeError):
        pass


if __name__ == "__main__":
    sys.exit(main())
