"""Plausible simulated answers: each subject has a profile by area, raters see it with noise.

Some subjects rate themselves higher than others do (blind spots), some lower (hidden
strengths); raters sometimes answer "don't know", and leave short comments.
"""

from __future__ import annotations

import random
from dataclasses import dataclass

KEEP = (
    "Keep the weekly one-to-ones; they are the most useful hour of my week.",
    "Keep explaining why a priority matters, not just what it is.",
    "Keep protecting the team from last-minute scope changes.",
    "Keep sharing the numbers openly, good and bad.",
    "Keep asking for our view before decisions are made.",
    "Keep celebrating small wins in the team meeting.",
    "Keep being available when something goes wrong.",
)
START = (
    "Start delegating the customer escalations instead of taking them all yourself.",
    "Start setting clearer goals for the quarter and checking progress on them.",
    "Start giving feedback closer to the moment, not only at review time.",
    "Start bringing the team's view to the leadership meetings.",
    "Start planning development for the junior people in the team.",
    "Start making time for longer-term thinking about where we are going.",
    "Start sharing what upper management expects from us earlier.",
)
STOP = (
    "Stop rewriting our work late at night; tell us what to change instead.",
    "Stop assigning work directly to people in other teams.",
    "Stop cancelling one-to-ones when things get busy.",
    "Stop taking on every technical problem personally.",
    "Stop changing priorities in the middle of the sprint.",
    "Stop answering for the team in meetings before we have spoken.",
)


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


def choose_comments(rng: random.Random, keys: list[str]) -> dict[str, str]:
    """Comments for some of the open questions (by form field name `comment-<key>`)."""
    pools = {"keep": KEEP, "start": START, "stop": STOP}
    chosen: dict[str, str] = {}
    for key in keys:
        pool = next((p for prefix, p in pools.items() if prefix in key), KEEP + START)
        if rng.random() < 0.55:
            chosen[key] = rng.choice(pool)
    return chosen
