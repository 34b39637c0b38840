"""The planner's reasons for a left-out executive, in the reader's language.

The planner is a pure package and writes its `unassigned` reasons in English plain words (the
plan file is a contract read by other programs). The draft page shows them to program managers
in German too, so the known sentence shapes of `rotation/planning/explain.py` are matched here
and written again through the catalog; a reason of unknown shape is shown as it is.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from ..i18n import _, ngettext

_NOUN = r"(?P<noun>slot pairs?|slot sequences?|slots?)"


def _noun(english: str, count: int) -> str:
    """'slot pair' in the reader's language, singular or plural by count."""
    if english.startswith("slot pair"):
        return ngettext("slot pair", "slot pairs", count)
    if english.startswith("slot sequence"):
        return ngettext("slot sequence", "slot sequences", count)
    return ngettext("slot", "slots", count)


def _held(rest: str) -> str:
    rest = rest.strip()
    if not rest:
        return ""
    if rest == "(no places offered)":
        return " " + _("(no places offered)")
    held = re.fullmatch(r"\(held by (?P<names>.+)\)", rest)
    if held:
        names = held["names"].replace(" and ", " " + _("and") + " ")
        return " " + _("(held by %(names)s)", names=names)
    return " " + rest


def _no_language(m: re.Match) -> str:
    return _("no team shares a language (speaks: %(speaks)s)", speaks=m["speaks"])


def _no_matching(m: re.Match) -> str:
    teams = int(m["teams"])
    return ngettext(
        "no matching %(noun)s in the horizon at the %(num)d team sharing a language "
        "(speaks: %(speaks)s)",
        "no matching %(noun)s in the horizon at the %(num)d teams sharing a language "
        "(speaks: %(speaks)s)",
        teams,
        noun=_noun(m["noun"], 2),
        speaks=m["speaks"],
    )


def _unavailable(m: re.Match) -> str:
    matching = int(m["matching"])
    return _(
        "unavailable on %(away)s of %(days)s days that have matching %(noun)s, covering all "
        "%(matching)s matching %(noun_matching)s at teams sharing a language",
        away=m["away"],
        days=m["days"],
        noun=_noun(m["noun"], 2),
        matching=matching,
        noun_matching=_noun(m["noun2"], matching),
    )


def _forbidden(m: re.Match) -> str:
    count = int(m["count"])
    return ngettext(
        "the forbidden list excludes all %(count)s available matching %(noun)s "
        "(%(num)d forbidden slot)",
        "the forbidden list excludes all %(count)s available matching %(noun)s "
        "(%(num)d forbidden slots)",
        int(m["forbidden"]),
        count=count,
        noun=_noun(m["noun"], count),
    )


def _spacing(m: re.Match) -> str:
    return ngettext(
        "the %(spacing)s-day spacing leaves room for only %(num)d rotation in the horizon",
        "the %(spacing)s-day spacing leaves room for only %(num)d rotations in the horizon",
        int(m["possible"]),
        spacing=m["spacing"],
    )


def _available_days(m: re.Match) -> str:
    return ngettext(
        "their available days leave room for only %(num)d rotation in the horizon",
        "their available days leave room for only %(num)d non-overlapping rotations in the horizon",
        int(m["possible"]),
    )


def _needed(m: re.Match) -> str:
    count = int(m["count"])
    return _(
        "the remaining %(count)s matching %(noun)s are needed for other executives' rotations "
        "(coverage and preference come first)",
        count=count,
        noun=_noun(m["noun"], count),
    )


def _only_full(m: re.Match) -> str:
    return _("the only matching %(noun)s is full", noun=_noun(m["noun"], 1)) + _held(m["rest"])


def _all_full(m: re.Match) -> str:
    count = int(m["count"])
    return _(
        "all %(count)s matching %(noun)s are full", count=count, noun=_noun(m["noun"], count)
    ) + _held(m["rest"])


def _still_free(m: re.Match) -> str:
    free = int(m["free"])
    return ngettext(
        "%(num)d matching %(noun)s is still free, but the search stopped before placing it",
        "%(num)d matching %(noun)s are still free, but the search stopped before placing them",
        free,
        noun=_noun(m["noun"], free),
    )


def _infeasible(m: re.Match) -> str:
    return _("no plan is possible: the fixed rotations break a rule")


_SHAPES: list[tuple[re.Pattern[str], Callable[[re.Match], str]]] = [
    (re.compile(r"no team shares a language \(speaks: (?P<speaks>.*)\)"), _no_language),
    (
        re.compile(
            rf"no matching {_NOUN} in the horizon at the (?P<teams>\d+) team\(s\) sharing a "
            r"language \(speaks: (?P<speaks>.*)\)"
        ),
        _no_matching,
    ),
    (
        re.compile(
            rf"unavailable on (?P<away>\d+) of (?P<days>\d+) days that have matching {_NOUN}, "
            r"covering all (?P<matching>\d+) matching (?P<noun2>slot pairs?|slot sequences?|"
            r"slots?) at teams sharing a language"
        ),
        _unavailable,
    ),
    (
        re.compile(
            rf"the forbidden list excludes all (?P<count>\d+) available matching {_NOUN} "
            r"\((?P<forbidden>\d+) forbidden slot\(s\)\)"
        ),
        _forbidden,
    ),
    (
        re.compile(
            r"the (?P<spacing>\d+)-day spacing leaves room for only (?P<possible>\d+) "
            r"rotation\(s\) in the horizon"
        ),
        _spacing,
    ),
    (
        re.compile(
            r"their available days leave room for only (?P<possible>\d+) non-overlapping "
            r"rotation\(s\) in the horizon"
        ),
        _available_days,
    ),
    (
        re.compile(
            rf"the remaining (?P<count>\d+) matching {_NOUN} are needed for other executives' "
            r"rotations \(coverage and preference come first\)"
        ),
        _needed,
    ),
    (re.compile(rf"the only matching {_NOUN} is full(?P<rest>.*)"), _only_full),
    (re.compile(rf"all (?P<count>\d+) matching {_NOUN} are full(?P<rest>.*)"), _all_full),
    (
        re.compile(
            rf"(?P<free>\d+) matching {_NOUN} (?:is|are) still free, but the search stopped "
            r"before placing them"
        ),
        _still_free,
    ),
    (re.compile(r"problem infeasible"), _infeasible),
]


def translate_reason(text: str) -> str:
    """The planner's English reason in the current language; unknown shapes stay as given."""
    for pattern, render in _SHAPES:
        match = pattern.fullmatch(text)
        if match:
            return render(match)
    return text
