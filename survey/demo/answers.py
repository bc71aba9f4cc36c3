"""Plausible simulated answers: each subject has a profile by area, raters see it with noise.

Some subjects rate themselves higher than others do (blind spots), some lower (hidden
strengths); raters sometimes answer "don't know", and leave short comments.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

LEADER = {
    "keep": (
        "Keep the weekly one-to-ones; they are the most useful hour of my week.",
        "Keep explaining why a priority matters, not just what it is.",
        "Keep protecting the team from last-minute scope changes.",
        "Keep sharing the numbers openly, good and bad.",
        "Keep asking for our view before decisions are made.",
        "Keep celebrating small wins in the team meeting.",
        "Keep being available when something goes wrong.",
        "Keep the monthly look back at what we promised and what we delivered.",
    ),
    "start": (
        "Start delegating the customer escalations instead of taking them all yourself.",
        "Start setting clearer goals for the quarter and checking progress on them.",
        "Start giving feedback closer to the moment, not only at review time.",
        "Start bringing the team's view to the leadership meetings.",
        "Start planning development for the junior people in the team.",
        "Start making time for longer-term thinking about where we are going.",
        "Start sharing what upper management expects from us earlier.",
        "Start hiring for the skills the team lacks rather than for more of the same.",
    ),
    "stop": (
        "Stop rewriting our work late at night; tell us what to change instead.",
        "Stop assigning work directly to people in other teams.",
        "Stop cancelling one-to-ones when things get busy.",
        "Stop taking on every technical problem personally.",
        "Stop changing priorities in the middle of the sprint.",
        "Stop answering for the team in meetings before we have spoken.",
        "Stop approving every small decision yourself.",
    ),
}
CONTRIBUTOR = {
    "keep": (
        "Keep helping newcomers find their way around the code base.",
        "Keep flagging risks early in the stand-up.",
        "Keep delivering what you promise, on time.",
        "Keep suggesting improvements to how we work.",
    ),
    "start": (
        "Start leading one of the team's recurring meetings.",
        "Start writing down decisions so others can follow them.",
        "Start taking part in planning the next quarter.",
        "Start mentoring one of the juniors more regularly.",
    ),
    "stop": (
        "Stop fixing everything alone; pair with someone instead.",
        "Stop saying yes to every request from other teams.",
        "Stop leaving documentation to the end.",
    ),
}
SELF = {
    "keep": (
        "I want to keep making time for each person in the team.",
        "I want to keep being open about what I do not know.",
        "I want to keep my focus on the few things that matter most.",
    ),
    "start": (
        "I should start delegating more of the work I still hold on to.",
        "I should start asking for feedback more often.",
        "I should start planning further ahead than the next sprint.",
    ),
    "stop": (
        "I should stop jumping into details the team can handle.",
        "I should stop letting urgent work push out the important.",
    ),
}


@dataclass(frozen=True)
class Profile:
    """How a subject really does (per area, on the 1–5 scale) and how they see themselves."""

    base: float
    area_offsets: dict[str, float]
    self_bias: float


def make_profile(rng: random.Random, areas: list[str]) -> Profile:
    """A subject's profile: mostly 3–4.5, with one or two clearly weaker and stronger areas."""
    offsets = {area: rng.gauss(0, 0.45) for area in areas}
    self_bias = rng.choice((1.2, 0.9, 0.2, 0.0, -0.1, -0.9))
    return Profile(base=rng.uniform(3.2, 4.1), area_offsets=offsets, self_bias=self_bias)


GROUP_OFFSET = {"self": 0.0, "manager": -0.15, "peers": 0.0, "direct_reports": 0.1}
NA_RATE = {"self": 0.0, "manager": 0.08, "peers": 0.10, "direct_reports": 0.07}


def choose_answer(
    rng: random.Random, profile: Profile, group: str, area: str, rater_lean: float
) -> str:
    """One item's form value: "1".."5" or "na"."""
    if rng.random() < NA_RATE.get(group, 0.05):
        return "na"
    mean = profile.base + profile.area_offsets.get(area, 0.0) + GROUP_OFFSET.get(group, 0.0)
    if group == "self":
        mean += profile.self_bias
    value = round(mean + rater_lean + rng.gauss(0, 0.55))
    return str(min(5, max(1, value)))


def choose_comments(
    rng: random.Random, keys: list[str], group: str, level: str, used: set[str]
) -> dict[str, str]:
    """Comments for some open questions (form field `comment-<key>`), none repeated in `used`."""
    if group == "self":
        pools = SELF
    else:
        pools = CONTRIBUTOR if level == "individual_contributor" else LEADER
    chosen: dict[str, str] = {}
    for key in keys:
        pool = next((p for prefix, p in pools.items() if prefix in key), ())
        fresh = [text for text in pool if text not in used]
        if fresh and rng.random() < 0.55:
            chosen[key] = rng.choice(fresh)
            used.add(chosen[key])
    return chosen
