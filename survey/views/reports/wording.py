"""Plain-words sentences for a report page: who answered, what is shown and why, gaps (SPEC §7).

Only wording: every number and every shown/merged/hidden decision comes from the domain report.
"""

from __future__ import annotations

from dataclasses import dataclass

from survey.domain.anonymity import GroupSummary
from survey.domain.gaps import BLIND_SPOT, HIDDEN_STRENGTH, Gap
from survey.domain.report import SubjectReport

PLAIN_NAMES = {
    "self": "Self",
    "manager": "Manager",
    "peers": "Peers",
    "direct_reports": "Direct reports",
    "others": "Others",
    "all_others": "All others",
}


@dataclass(frozen=True)
class Voice:
    """How the page speaks about the subject: "you" to the subject, their name to HR."""

    name: str
    to_subject: bool

    @property
    def you(self) -> str:
        return "You" if self.to_subject else self.name

    @property
    def yourself(self) -> str:
        return "yourself" if self.to_subject else "themselves"

    @property
    def your(self) -> str:
        return "your" if self.to_subject else f"{self.name}'s"

    def verb(self, plural: str, singular: str) -> str:
        """Pick the verb form for "you" or for a name."""
        return plural if self.to_subject else singular


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
        return (
            f"No comparison: {_whom(voice)} did not "
            "complete a self-assessment, so there is nothing to compare everyone else's "
            "scores with."
        )
    return "No comparison: it needs both a self-assessment and scores from others on the same area."


def no_ranking(k: int, voice: Voice) -> str:
    """Why a strengths or development list is empty (items rank only when n ≥ k)."""
    return (
        f"No item was rated by at least {k} people other than {_whom(voice)}, so there is "
        "nothing to rank: a ranking never rests on one or two people's answers."
    )


def _whom(voice: Voice) -> str:
    return "you" if voice.to_subject else voice.name


def _answered(count: int) -> str:
    return "nobody answered" if count == 0 else f"{count} answered"


def _sentence(g: GroupSummary, groups: dict[str, GroupSummary], k: int, voice: Voice) -> str:
    name = PLAIN_NAMES.get(g.key, g.label)
    if g.key == "self":
        if g.responses:
            return f"Self-assessment: {_whom(voice)} answered; shown as “Self”."
        return "Self-assessment: not completed, so there is no self score to compare with."
    if g.key == "manager":
        if g.responses:
            return f"Manager: answered. The manager's answers are identifiable to {_whom(voice)}."
        return "Manager: did not answer."
    if g.key == "others":
        members = [PLAIN_NAMES[m.key] for m in groups.values() if m.merged_into == "others"]
        return (
            f"Others: combines {' and '.join(members)} ({g.responses} answers in total), so that "
            f"each shown figure rests on at least {k} people."
        )
    if g.responses == 0:
        return f"{name}: nobody answered."
    if g.shown:
        return f"{name}: {g.responses} answered; shown as a group, never person by person."
    if g.merged_into == "others":
        if g.responses >= k:
            return (
                f"{name}: {g.responses} answered; combined with a smaller group under “Others” "
                f"so that the smaller group's answers are not on their own."
            )
        return (
            f"{name}: {g.responses} answered — fewer than {k}, so their answers are combined "
            "with other small groups under “Others”."
        )
    return (
        f"{name}: {_answered(g.responses)} — fewer than {k} people answered anonymously in "
        "total, so these answers are not shown anywhere, to keep them anonymous."
    )


def gap_sentence(gap: Gap, area_title: str, voice: Voice) -> str:
    """Explain a blind spot or hidden strength in plain words ("" when self and others agree)."""
    figures = (
        f"(self {gap.self_score:.2f}, all others {gap.others_score:.2f}, "
        f"a difference of {abs(gap.delta):.2f})"
    )
    if gap.kind == BLIND_SPOT:
        return (
            f"{voice.you} {voice.verb('rate', 'rates')} {voice.yourself} higher than others do "
            f"on {area_title} {figures}: a possible blind spot."
        )
    if gap.kind == HIDDEN_STRENGTH:
        return (
            f"Others rate {'you' if voice.to_subject else voice.name} higher than "
            f"{voice.you.lower() if voice.to_subject else voice.name} "
            f"{voice.verb('rate', 'rates')} {voice.yourself} on {area_title} {figures}: "
            "a hidden strength."
        )
    return ""
