"""Names people type that other people read: what a person, team or campaign name may hold.

A name is shown on pages, in e-mail subject lines and in exports. Control characters (line
breaks, NUL, escape) can break a header or a file; Unicode's direction overrides and isolates
(U+202A–U+202E, U+2066–U+2069) can make text read differently from what it is, e.g. show
"Review of Anna" for a name that sorts and searches as something else. Both are refused.
Direction *marks* (U+200E, U+200F, U+061C) stay allowed: right-to-left names need them and
they reorder nothing around them.
"""

from __future__ import annotations

import re

DIRECTION_CONTROLS = "\u202a-\u202e\u2066-\u2069"  # embeddings, overrides, isolates
# Unicode's control characters (category Cc: U+0000-U+001F, U+007F-U+009F) and its line and
# paragraph separators (Zl, Zp: U+2028, U+2029)
_BREAKING = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029]")
_DIRECTION = re.compile(f"[{DIRECTION_CONTROLS}]")


def name_problems(value: str, what: str) -> list[str]:
    """Readable reasons why `value` cannot be used as a `what` ("name", "team", ...); [] if fine."""
    problems = []
    if _BREAKING.search(value):
        problems.append(f"{what} contains a control character (such as a line break or a tab)")
    if _DIRECTION.search(value):
        problems.append(
            f"{what} contains a text-direction override (such as U+202E), "
            "which can make it read as something else"
        )
    return problems
