"""A domain `SubjectReport` as plain JSON data and back, for the frozen report store.

The stored form is the domain object field by field (not the SPEC §9 document), so a stored
report rebuilds into the very `SubjectReport` the domain produced and every channel keeps
reading figures from one object. `document_parts` reads the SPEC §9 keys straight from that
stored form, without rebuilding the objects (the report JSON route's fast path): the same data
`report_from_data(data).to_json_parts()` gives.
"""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from survey.domain.anonymity import GroupSummary
from survey.domain.gaps import Gap, RankedItem
from survey.domain.report import AreaScore, Comment, ItemScore, SubjectReport
from survey.domain.scoring import AreaSpec


def report_to_data(report: SubjectReport) -> dict[str, Any]:
    """Return `report` as JSON-serialisable data (tuples become lists)."""
    return asdict(report)


def report_from_data(data: dict[str, Any]) -> SubjectReport:
    """Rebuild the `SubjectReport` that `report_to_data` stored (KeyError/TypeError if bad)."""
    return SubjectReport(
        areas=tuple(AreaSpec(a["key"], a["title"], tuple(a["items"])) for a in data["areas"]),
        groups=tuple(GroupSummary(**g) for g in data["groups"]),
        area_scores=tuple(AreaScore(**c) for c in data["area_scores"]),
        item_scores=tuple(ItemScore(**c) for c in data["item_scores"]),
        gaps=tuple(Gap(**g) for g in data["gaps"]),
        strengths=tuple(RankedItem(**i) for i in data["strengths"]),
        development=tuple(RankedItem(**i) for i in data["development"]),
        comments=tuple(Comment(**c) for c in data["comments"]),
    )


def document_parts(data: dict[str, Any]) -> dict[str, Any]:
    """Return the SPEC §9 keys `areas` … `comments` from stored `report_to_data` data.

    Equal to `report_from_data(data).to_json_parts()`: the stored rows already hold exactly
    each object's fields in field order, so they are reused, not copied. Pass data that nobody
    else holds (freshly read from the store); KeyError if malformed.
    """
    return {
        "areas": [{"key": a["key"], "title": a["title"]} for a in data["areas"]],
        **{key: data[key] for key in ("groups", "area_scores", "item_scores")},
        "gaps": [
            {
                "area": g["area"],
                "self": g["self_score"],
                "others": g["others_score"],
                "delta": g["delta"],
                "kind": g["kind"],
            }
            for g in data["gaps"]
        ],
        **{key: data[key] for key in ("strengths", "development", "comments")},
    }
