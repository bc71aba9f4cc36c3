"""Default rater assignment and the checks HR sees before launch (SPEC §4).

Per subject: `self`; `manager` = their manager; `direct_reports` = everyone they manage; `peers`
= people with the same manager and level. When that gives fewer than `k` peers, the group is
topped up (up to `k`) from people at the same level one step further up the tree: those whose
manager reports to the subject's manager's manager, or who report to that person directly.
Never more than `max_peers` peers. Where there is a choice, the person with the fewest
invitations so far wins, then the lowest id: deterministic, and load spreads evenly. Nobody is
chosen as a peer once they hold `max_requests` invitations in the campaign (SPEC §13).

Someone without a manager is the top of their own tree: they get no default peers, since
anyone else without a manager heads an unrelated tree.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

ANONYMOUS_GROUPS = ("peers", "direct_reports")


@dataclass(frozen=True)
class OrgPerson:
    """What assignment needs to know about a person: id, level and manager id."""

    id: int
    level: str
    manager_id: int | None


@dataclass(frozen=True)
class Assignment:
    """Rater `rater_id` answers about subject `subject_id` (both person ids) as `group`."""

    subject_id: int
    rater_id: int
    group: str


@dataclass(frozen=True)
class GroupWarning:
    """An anonymous group that will have fewer than `k` raters (its answers get merged);
    `raters` names the raters it counts."""

    subject_id: int
    group: str
    count: int
    k: int
    raters: tuple[str, ...] = ()

    def message(self, subject_name: str) -> str:
        """A sentence for HR, e.g. 'Ada Lovelace: 2 peers (Bo, Cy), below k = 3 …'."""
        plural = {"peers": "peers", "direct_reports": "direct reports"}[self.group]
        label = plural if self.count != 1 else plural.removesuffix("s")
        if self.count == 0:
            return f"{subject_name}: no {plural}."
        named = f" ({', '.join(self.raters)})" if self.raters else ""
        return (
            f"{subject_name}: {self.count} {label}{named}, below k = {self.k}; their answers "
            "will be merged with other small groups or not shown."
        )


class OrgTree:
    """Indexes over the org chart: people by id, reports by manager, peers by (manager, level)."""

    def __init__(self, people: Iterable[OrgPerson]) -> None:
        self.people = {person.id: person for person in people}
        self.reports: dict[int | None, list[int]] = defaultdict(list)
        for person in sorted(self.people.values(), key=lambda p: p.id):
            self.reports[person.manager_id].append(person.id)

    def manager_of(self, person_id: int) -> int | None:
        """The manager's id, or None at the top (or for an unknown id)."""
        person = self.people.get(person_id)
        return None if person is None else person.manager_id

    def same_level(self, ids: Iterable[int], level: str, exclude: set[int]) -> list[int]:
        """The ids among `ids` at `level`, minus `exclude`, in id order."""
        return sorted(i for i in ids if i not in exclude and self.people[i].level == level)

    def peer_pool(self, subject: OrgPerson) -> tuple[list[int], list[int]]:
        """(same manager and level, same level one step further up the tree); both empty for
        someone without a manager, whose only "siblings" head other trees."""
        if subject.manager_id is None:
            return [], []
        exclude = {subject.id, subject.manager_id, *(self.reports[subject.id])}
        near = self.same_level(self.reports[subject.manager_id], subject.level, exclude)
        grand = self.manager_of(subject.manager_id)
        if grand is None:
            return near, []
        wider = [*self.reports[grand]]
        for uncle in self.reports[grand]:
            wider += self.reports[uncle]
        far = self.same_level(wider, subject.level, exclude | set(near))
        return near, far


def assign_default_raters(
    people: Iterable[OrgPerson],
    subject_ids: Sequence[int],
    *,
    k: int,
    max_peers: int = 5,
    initial_load: Mapping[int, int] | None = None,
    max_requests: int | None = None,
) -> list[Assignment]:
    """Default raters for each subject, in subject-id order (SPEC §4).

    `initial_load` counts invitations people already have (e.g. earlier subjects of the same
    campaign) so load keeps spreading when subjects are added later. Nobody holding
    `max_requests` invitations is chosen as a peer (SPEC §13); self, manager and direct reports
    come from the org chart and are never dropped. Unknown ids are skipped.
    """
    tree = OrgTree(people)
    subjects = [tree.people[i] for i in sorted(set(subject_ids)) if i in tree.people]
    fixed = [a for subject in subjects for a in _fixed_raters(tree, subject)]
    load: Counter[int] = Counter(initial_load or {})
    load.update(a.rater_id for a in fixed)
    assignments = list(fixed)
    for subject in subjects:
        chosen = _choose_peers(tree, subject, k, max_peers, load, max_requests)
        load.update(chosen)
        assignments += [Assignment(subject.id, rater, "peers") for rater in chosen]
    return sorted(assignments, key=lambda a: (a.subject_id, a.group, a.rater_id))


def _fixed_raters(tree: OrgTree, subject: OrgPerson) -> list[Assignment]:
    raters = [Assignment(subject.id, subject.id, "self")]
    if subject.manager_id is not None and subject.manager_id in tree.people:
        raters.append(Assignment(subject.id, subject.manager_id, "manager"))
    raters += [Assignment(subject.id, r, "direct_reports") for r in tree.reports[subject.id]]
    return raters


def _choose_peers(
    tree: OrgTree,
    subject: OrgPerson,
    k: int,
    max_peers: int,
    load: Mapping[int, int],
    cap: int | None,
) -> list[int]:
    near, far = tree.peer_pool(subject)
    chosen = _least_loaded(near, max_peers, load, cap)
    if len(chosen) < k:
        chosen += _least_loaded(far, min(k, max_peers) - len(chosen), load, cap)
    return sorted(chosen)


def _least_loaded(
    candidates: Sequence[int], count: int, load: Mapping[int, int], cap: int | None
) -> list[int]:
    available = [i for i in candidates if cap is None or load.get(i, 0) < cap]
    ranked = sorted(available, key=lambda person_id: (load.get(person_id, 0), person_id))
    return ranked[: max(count, 0)]


def group_warnings(
    counts: Mapping[int, Mapping[str, int]],
    k: int,
    *,
    expect_reports: Iterable[int] = (),
    names: Mapping[tuple[int, str], Sequence[str]] | None = None,
) -> list[GroupWarning]:
    """Warnings for anonymous groups below `k`, per subject id (SPEC §4, §7.4).

    `counts` maps subject id → {group: raters}; `names` maps (subject id, group) → the names of
    those raters, which each warning carries. A group with no raters is only reported for the
    subjects in `expect_reports` (managers, who should have direct reports) and for peers.
    """
    managers = set(expect_reports)
    warnings = []
    for subject_id in sorted(counts):
        for group in ANONYMOUS_GROUPS:
            count = counts[subject_id].get(group, 0)
            if count >= k or (
                count == 0 and group == "direct_reports" and subject_id not in managers
            ):
                continue
            raters = tuple((names or {}).get((subject_id, group), ()))
            warnings.append(GroupWarning(subject_id, group, count, k, raters))
    return warnings
