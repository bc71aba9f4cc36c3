"""Per-process memo of rendered report bodies and figure JSON: frozen results render once.

A campaign's results are frozen once it is closed (SPEC §5: no answers accepted, never reopens),
so the body of a subject's report page and its figures depend only on the subject, the stored
report's `FORMAT`, the campaign's close/release stamps and whether the viewer is the subject or
HR. They are rendered once per worker process and kept in a bounded LRU; the page around them
(navigation, CSRF token, flashes) is still rendered per request.

The memo never decides who may read a report: callers check access first (the memo is keyed by
subject, so a lookup before the check would serve one person's report to another).
"""

from __future__ import annotations

from collections import OrderedDict
from collections.abc import Callable, Hashable
from dataclasses import dataclass
from threading import Lock

from flask import current_app
from markupsafe import Markup

from survey.services.report_cache import FORMAT
from survey.services.reports import ViewableReport

DEFAULT_SIZE = 256  # ≈ 45 KB a report page: about 12 MB per worker process at most


@dataclass(frozen=True)
class RenderedReport:
    """The memoised parts of one report page: title, body fragment, figures as HTML-safe JSON."""

    title: str
    body: Markup
    figures: Markup


class LRUMemo:
    """A bounded, thread-safe least-recently-used memo of rendered parts."""

    def __init__(self, size: int) -> None:
        self.size = max(0, size)
        self._items: OrderedDict[Hashable, RenderedReport] = OrderedDict()
        self._lock = Lock()

    def get(self, key: Hashable) -> RenderedReport | None:
        """Return the memoised value and mark it recently used, or None."""
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: Hashable, value: RenderedReport) -> None:
        """Keep `value`, dropping the least recently used entries beyond the size."""
        with self._lock:
            self._items[key] = value
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def __len__(self) -> int:
        return len(self._items)


def frozen_key(report: ViewableReport, viewer: str) -> tuple[Hashable, ...]:
    """What a report page's body depends on: subject, frozen stamps, stored format, viewer kind.

    `viewer` is "subject" or "hr". Only call it for a campaign whose results are frozen
    (closed or released): `closed_at` is then set and never changes.
    """
    return (
        report.subject_id,
        report.campaign_id,
        report.status.value,
        report.closed_at,
        report.released_at,
        FORMAT,
        viewer,
    )


def rendered_report(
    report: ViewableReport, viewer: str, render: Callable[[], RenderedReport]
) -> RenderedReport:
    """Return the memoised page parts of a report the caller has ALREADY checked access to
    (`services.reports.viewable_report`); `render` makes them on a miss."""
    memo = _memo()
    key = frozen_key(report, viewer)
    found = memo.get(key)
    if found is None:
        found = render()
        memo.put(key, found)
    return found


def _memo() -> LRUMemo:
    """This app's memo (one per app, so tests that build many apps never share one)."""
    memo: LRUMemo | None = current_app.extensions.get("survey_report_pages")
    if memo is None:
        size = int(current_app.config.get("REPORT_PAGE_MEMO_SIZE", DEFAULT_SIZE))
        memo = current_app.extensions.setdefault("survey_report_pages", LRUMemo(size))
    return memo
