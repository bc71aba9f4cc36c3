"""Plain-words sentences for a report page: who answered, what is shown and why, gaps (SPEC §7).

Only wording, in the page's language (SPEC §14; to the subject in the second person, to HR
with the subject's name — each voice is its own message, so a translation can say "Sie"):
every number and every shown/merged/hidden decision comes from the domain report.
"""

from __future__ import annotations

from dataclasses import dataclass

from survey.domain.anonymity import GroupSummary
from survey.domain.gaps import BLIND_SPOT, HIDDEN_STRENGTH, Gap
from survey.domain.languages import N_
from survey.domain.report import SubjectReport
from survey.i18n import gettext, lazy_gettext, ngettext
from survey.templating import format_score

PLAIN_NAMES = {
    "self": lazy_gettext("Self"),
    "manager": lazy_gettext("Manager"),
    "peers": lazy_gettext("Peers"),
    "direct_reports": lazy_gettext("Direct reports"),
    "others": lazy_gettext("Others"),
    "all_others": lazy_gettext("All others"),
}


@dataclass(frozen=True)
class Voice:
    """How the page speaks about the subject: "you" to the subject, their name to HR."""

    name: str
    to_subject: bool

    def say(self, to_you: str, about: str, **variables: object) -> str:
        """`to_you` (second person) to the subject, else `about` with %(name)s; both gettext
        messages with the same other %(…)s fields."""
        if self.to_subject:
            return gettext(to_you, **variables)
        return gettext(about, name=self.name, **variables)


def group_sentences(
    report: SubjectReport, k: int, voice: Voice, asked: frozenset[str] | None = None
) -> list[str]:
    """Explain, per rater group, how many answered and whether it is shown, merged or hidden.

    `asked` holds the groups whose questionnaire at the subject's level has items; a group
    outside it that nobody answered for is left out (an individual contributor's report does
    not say "Direct reports: nobody answered").
    """
    groups = {g.key: g for g in report.groups}
    return [
        _sentence(g, groups, k, voice)
        for g in report.groups
        if g.key != "all_others" and (asked is None or g.key in asked or g.responses)
    ]


def no_comparison(report: SubjectReport, voice: Voice) -> str:
    """Why the self-vs-others section has no comparison."""
    if not any(g.key == "self" and g.responses for g in report.groups):
        return voice.say(
            N_(
                "No comparison: you did not complete a self-assessment, so there is nothing to "
                "compare everyone else's scores with."
            ),
            N_(
                "No comparison: %(name)s did not complete a self-assessment, so there is nothing "
                "to compare everyone else's scores with."
            ),
        )
    return gettext(
        "No comparison: it needs both a self-assessment and scores from others on the same area."
    )


def no_ranking(k: int, voice: Voice) -> str:
    """Why a strengths or development list is empty (items rank only when n ≥ k)."""
    return voice.say(
        N_(
            "No item was rated by at least %(k)s people other than you, so there is nothing to "
            "rank: a ranking never rests on one or two people's answers."
        ),
        N_(
            "No item was rated by at least %(k)s people other than %(name)s, so there is nothing "
            "to rank: a ranking never rests on one or two people's answers."
        ),
        k=k,
    )


def _sentence(g: GroupSummary, groups: dict[str, GroupSummary], k: int, voice: Voice) -> str:
    name = str(PLAIN_NAMES.get(g.key, g.label))
    if g.key == "self":
        if g.responses:
            return voice.say(
                N_("Self-assessment: you answered; shown as “%(label)s”."),
                N_("Self-assessment: %(name)s answered; shown as “%(label)s”."),
                label=name,
            )
        return gettext("Self-assessment: not completed, so there is no self score to compare with.")
    if g.key == "manager":
        if g.responses:
            return voice.say(
                N_("Manager: answered. The manager's answers are identifiable to you."),
                N_("Manager: answered. The manager's answers are identifiable to %(name)s."),
            )
        return gettext("Manager: did not answer.")
    if g.key == "others":
        members = [str(PLAIN_NAMES[m.key]) for m in groups.values() if m.merged_into == "others"]
        return gettext(
            "Others: combines %(members)s (%(n)s answers in total), so that each shown figure "
            "rests on at least %(k)s people.",
            members=gettext(" and ").join(members),
            n=g.responses,
            k=k,
        )
    if g.responses == 0:
        return gettext("%(group)s: nobody answered.", group=name)
    if g.shown:
        return ngettext(
            "%(group)s: %(num)d answered; shown as a group, never person by person.",
            "%(group)s: %(num)d answered; shown as a group, never person by person.",
            g.responses,
            group=name,
        )
    if g.merged_into == "others":
        if g.responses >= k:
            return gettext(
                "%(group)s: %(n)s answered; combined with a smaller group under “%(others)s” so "
                "that the smaller group's answers are not on their own.",
                group=name,
                n=g.responses,
                others=str(PLAIN_NAMES["others"]),
            )
        return gettext(
            "%(group)s: %(n)s answered — fewer than %(k)s, so their answers are combined with "
            "other small groups under “%(others)s”.",
            group=name,
            n=g.responses,
            k=k,
            others=str(PLAIN_NAMES["others"]),
        )
    return gettext(
        "%(group)s: %(n)s answered — fewer than %(k)s people answered anonymously in total, so "
        "these answers are not shown anywhere, to keep them anonymous.",
        group=name,
        n=g.responses,
        k=k,
    )


def gap_sentence(gap: Gap, area_title: str, voice: Voice) -> str:
    """Explain a blind spot or hidden strength in plain words ("" when self and others agree)."""
    figures = {
        "area": area_title,
        "own": format_score(gap.self_score),
        "others": format_score(gap.others_score),
        "delta": format_score(abs(gap.delta)),
    }
    if gap.kind == BLIND_SPOT:
        return voice.say(
            N_(
                "You rate yourself higher than others do on %(area)s (self %(own)s, all others "
                "%(others)s, a difference of %(delta)s): a possible blind spot."
            ),
            N_(
                "%(name)s rates themselves higher than others do on %(area)s (self %(own)s, all "
                "others %(others)s, a difference of %(delta)s): a possible blind spot."
            ),
            **figures,
        )
    if gap.kind == HIDDEN_STRENGTH:
        return voice.say(
            N_(
                "Others rate you higher than you rate yourself on %(area)s (self %(own)s, all "
                "others %(others)s, a difference of %(delta)s): a hidden strength."
            ),
            N_(
                "Others rate %(name)s higher than %(name)s rates themselves on %(area)s (self "
                "%(own)s, all others %(others)s, a difference of %(delta)s): a hidden strength."
            ),
            **figures,
        )
    return ""
