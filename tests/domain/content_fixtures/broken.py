"""Broken-content cases: a copy of the shipped questionnaires/ with one kind of mistake each."""

from __future__ import annotations

import json
import shutil
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from survey.domain.content_loader import default_directory

SHIPPED = default_directory()


def copy_content(target: Path) -> Path:
    """Copy the shipped content files into `target`/questionnaires and return that folder."""
    folder = target / "questionnaires"
    shutil.copytree(SHIPPED, folder)
    return folder


def dump_toml(data: dict[str, Any], prefix: str = "") -> str:
    """Write the subset of TOML our content uses: scalars, string lists, arrays of tables."""
    lines = []
    tables = {k: v for k, v in data.items() if _is_table_array(v)}
    for key, value in data.items():
        if key not in tables:
            lines.append(f"{key} = {json.dumps(value, ensure_ascii=False)}")
    for key, value in tables.items():
        for table in value:
            lines += ["", f"[[{prefix}{key}]]", dump_toml(table, f"{prefix}{key}.")]
    return "\n".join(lines)


def _is_table_array(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def edit(folder: Path, file: str, change: Callable[[dict[str, Any]], None]) -> None:
    """Load one content file, apply `change` to its data and write it back."""
    path = folder / file
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    change(data)
    path.write_text(dump_toml(data) + "\n", encoding="utf-8")


def tl_item(responsibility: int, item: int = 1) -> Callable[[dict[str, Any]], dict[str, Any]]:
    """Return a getter for one team_leader item (both indexes from 1)."""
    return lambda doc: doc["responsibilities"][responsibility - 1]["items"][item - 1]


def set_field(
    file: str, getter: Callable[[dict[str, Any]], dict[str, Any]], field: str, value: Any
) -> Callable[[Path], None]:
    """Return a mutation setting `field` of the table `getter` picks in `file`."""
    return lambda folder: edit(folder, file, lambda doc: getter(doc).__setitem__(field, value))


def del_field(
    file: str, getter: Callable[[dict[str, Any]], dict[str, Any]], field: str
) -> Callable[[Path], None]:
    """Return a mutation deleting `field` of the table `getter` picks in `file`."""
    return lambda folder: edit(folder, file, lambda doc: getter(doc).pop(field))


def append_text(file: str, text: str) -> Callable[[Path], None]:
    """Return a mutation appending raw text to `file` (for syntax errors)."""
    return lambda folder: (folder / file).write_text(
        (folder / file).read_text(encoding="utf-8") + text, encoding="utf-8"
    )


def remove_file(file: str) -> Callable[[Path], None]:
    """Return a mutation deleting `file`."""
    return lambda folder: (folder / file).unlink()


def _ic_only_results_and(area: str) -> Callable[[Path], None]:
    def change(doc: dict[str, Any]) -> None:
        for resp in doc["responsibilities"]:
            for item in resp["items"]:
                item["area"] = "results" if resp["number"] <= 3 else area

    return lambda folder: edit(folder, "individual_contributor.toml", change)


def _extra_items(count: int) -> Callable[[Path], None]:
    def change(doc: dict[str, Any]) -> None:
        items = doc["responsibilities"][0]["items"]
        for n in range(count):
            items.append(dict(items[0], key=f"tl_extra_{n}"))

    return lambda folder: edit(folder, "team_leader.toml", change)


def _no_items(doc: dict[str, Any]) -> None:
    doc["responsibilities"][1]["items"] = []


def _drop_last_responsibility(doc: dict[str, Any]) -> None:
    doc["responsibilities"].pop()


def _root(doc: dict[str, Any]) -> dict[str, Any]:
    return doc


TL = "team_leader.toml"
BL = "business_leader.toml"


@dataclass(frozen=True)
class Case:
    """One kind of broken content and the problem line it must produce."""

    id: str
    mutate: Callable[[Path], None]
    file: str
    key: str
    reason: str

    def matches(self, line: str) -> bool:
        """True if a problem line names this case's file, key and reason."""
        return line.startswith(f"{self.file}: {self.key}") and self.reason in line


CASES = [
    Case(
        "toml_syntax_error",
        append_text("areas.toml", "\noops = = 1\n"),
        "areas.toml",
        "line ",
        "TOML syntax error",
    ),
    Case("level_file_missing", remove_file(BL), BL, "business_leader: ", "file is missing"),
    Case(
        "scale_file_missing", remove_file("scale.toml"), "scale.toml", "(file): ", "file is missing"
    ),
    Case(
        "duplicate_item_key_in_level",
        set_field(TL, tl_item(10), "key", "tl_team_results"),
        TL,
        "tl_team_results: ",
        "duplicate item key (also earlier in this file)",
    ),
    Case(
        "duplicate_item_key_across_levels",
        set_field(BL, lambda d: d["responsibilities"][1]["items"][0], "key", "tl_team_results"),
        BL,
        "tl_team_results: ",
        "duplicate item key (also in team_leader.toml)",
    ),
    Case(
        "item_key_taken_by_the_form",
        set_field(TL, tl_item(10), "key", "action"),
        TL,
        "action: ",
        "item key is taken by the rater form's own field 'action'",
    ),
    Case(
        "duplicate_area_key",
        set_field("areas.toml", lambda d: d["areas"][4], "key", "people"),
        "areas.toml",
        "people: ",
        "duplicate area key",
    ),
    Case(
        "unknown_area",
        set_field(TL, tl_item(10), "area", "morale"),
        TL,
        "tl_delegates: ",
        "unknown area 'morale'",
    ),
    Case(
        "level_with_fewer_than_3_areas",
        _ic_only_results_and("culture"),
        "individual_contributor.toml",
        "individual_contributor: ",
        "at least 3",
    ),
    Case(
        "item_without_source",
        del_field(TL, tl_item(7), "source"),
        TL,
        "tl_clear_priorities: ",
        "missing source",
    ),
    Case(
        "malformed_source",
        set_field(TL, tl_item(7), "source", "team leader 7"),
        TL,
        "tl_clear_priorities: ",
        "malformed source",
    ),
    Case(
        "source_out_of_range",
        set_field(TL, tl_item(7), "source", "team_leader.15"),
        TL,
        "tl_clear_priorities: ",
        "out of range",
    ),
    Case(
        "source_of_another_responsibility",
        set_field(TL, tl_item(7), "source", "team_leader.8"),
        TL,
        "tl_clear_priorities: ",
        "does not match",
    ),
    Case(
        "source_of_another_level",
        set_field(TL, tl_item(7), "source", "business_leader.7"),
        TL,
        "tl_clear_priorities: ",
        "does not match",
    ),
    Case(
        "empty_self_wording",
        set_field(TL, tl_item(7), "self", ""),
        TL,
        "tl_clear_priorities: ",
        "empty self wording",
    ),
    Case(
        "blank_other_wording",
        set_field(TL, tl_item(7), "other", "   "),
        TL,
        "tl_clear_priorities: ",
        "empty other wording",
    ),
    Case(
        "other_wording_without_name",
        set_field(TL, tl_item(7), "other", "Sets priorities."),
        TL,
        "tl_clear_priorities: ",
        "must contain {name}",
    ),
    Case(
        "self_wording_not_first_person",
        set_field(TL, tl_item(7), "self", "{name} sets priorities."),
        TL,
        "tl_clear_priorities: ",
        "first person",
    ),
    Case(
        "empty_behaviour",
        set_field(TL, tl_item(7), "behaviour", ""),
        TL,
        "tl_clear_priorities: ",
        "empty behaviour",
    ),
    Case(
        "unknown_observer_group",
        set_field(TL, tl_item(7), "observers", ["self", "customers"]),
        TL,
        "tl_clear_priorities: ",
        "unknown observer group 'customers'",
    ),
    Case(
        "observers_without_self",
        set_field(TL, tl_item(7), "observers", ["peers"]),
        TL,
        "tl_clear_priorities: ",
        "must include self",
    ),
    Case(
        "misspelt_field",
        set_field(TL, tl_item(7), "obsevers", ["self"]),
        TL,
        "tl_clear_priorities: ",
        "unknown field 'obsevers'",
    ),
    Case(
        "invalid_item_key",
        set_field(TL, tl_item(7), "key", "tl-Clear priorities"),
        TL,
        "tl-Clear priorities: ",
        "not a valid key",
    ),
    Case(
        "item_key_longer_than_the_answer_table_holds",
        set_field(TL, tl_item(7), "key", "tl_" + "x" * 62),
        TL,
        "tl_" + "x" * 62 + ": ",
        "item key is longer than 64 characters",
    ),
    Case(
        "responsibility_without_items",
        lambda f: edit(f, TL, _no_items),
        TL,
        "team_leader.2: ",
        "no items",
    ),
    Case(
        "responsibility_with_more_than_3_items",
        _extra_items(2),
        TL,
        "team_leader.1: ",
        "has 4 items",
    ),
    Case(
        "bullet_not_covered",
        lambda f: edit(f, TL, _drop_last_responsibility),
        TL,
        "team_leader: ",
        "has 13 responsibilities",
    ),
    Case(
        "scale_min_not_below_max",
        set_field("scale.toml", _root, "min", 5),
        "scale.toml",
        "min: ",
        "must be less than max",
    ),
    Case(
        "scale_labels_missing",
        del_field("scale.toml", _root, "labels"),
        "scale.toml",
        "labels: ",
        "missing labels",
    ),
    Case(
        "scale_labels_wrong_count",
        set_field("scale.toml", _root, "labels", ["No", "Yes"]),
        "scale.toml",
        "labels: ",
        "expected 5 labels",
    ),
    Case(
        "open_question_empty_wording",
        set_field("open_questions.toml", lambda d: d["questions"][0], "other", ""),
        "open_questions.toml",
        "keep_doing: ",
        "empty other wording",
    ),
    Case(
        "wrong_type",
        set_field(TL, tl_item(7), "observers", "self"),
        TL,
        "tl_clear_priorities: ",
        "must be a list",
    ),
]
