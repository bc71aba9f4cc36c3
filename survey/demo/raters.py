"""Simulated raters: open their e-mailed link and answer through the real rater pages."""

from __future__ import annotations

import email
import random
import re
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from survey.demo.answers import Profile, choose_answer, choose_comments
from survey.demo.browser import Browser, Form, Page

LINK = re.compile(r"https?://[^\s\"'<>]+/r/([A-Za-z0-9_\-]+)")


@dataclass(frozen=True)
class Assignment:
    """One invitation as the simulation sees it: who is rated, by which group."""

    invitation_id: int
    subject_key: int
    group: str
    level: str


@dataclass
class CommentsUsed:
    """Comments already written per (subject, group): nobody repeats a colleague word for word."""

    by_subject: dict[tuple[int, str], set[str]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)


@dataclass
class Tally:
    """What the simulated raters did."""

    submitted: int = 0
    drafts: int = 0
    declined: int = 0
    untouched: int = 0
    problems: list[str] = field(default_factory=list)


def rater_links(outbox: Path) -> dict[str, str]:
    """Rater e-mail → latest `/r/<token>` path found in the outbox's invitation e-mails."""
    links: dict[str, str] = {}
    for path in sorted(outbox.glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes())
        body = _text(message)
        match = LINK.search(body)
        if match:
            links[str(message["To"]).split("<")[-1].rstrip(">").strip().lower()] = (
                "/r/" + match.group(1)
            )
    return links


def sign_in_link(outbox: Path, address: str) -> str | None:
    """The latest sign-in link e-mailed to `address`."""
    found = None
    for path in sorted(outbox.glob("*.eml")):
        message = email.message_from_bytes(path.read_bytes())
        if address.lower() in str(message["To"]).lower():
            match = re.search(r"https?://\S+/link/[A-Za-z0-9_\-]+", _text(message))
            found = match.group(0) if match else found
    return found


def _text(message: email.message.Message) -> str:
    for part in message.walk():
        if part.get_content_type() == "text/plain":
            payload = part.get_payload(decode=True)
            if not isinstance(payload, bytes):
                return ""
            return payload.decode(part.get_content_charset() or "utf-8")
    return ""


class SimulatedRater:
    """One person working through their list of requests in a browser-like client."""

    def __init__(
        self,
        browser: Browser,
        link: str,
        rng: random.Random,
        assignment_of: Callable[[int], Assignment],
        profile_of: Callable[[int], Profile],
        area_of: dict[str, str],
        comments_used: CommentsUsed,
    ) -> None:
        self.browser = browser
        self.comments_used = comments_used
        self.link = link
        self.rng = rng
        self.assignment_of = assignment_of
        self.profile_of = profile_of
        self.area_of = area_of
        self.lean = rng.gauss(0, 0.3)

    def work(self, tally: Tally, behaviour: str) -> None:
        """Answer every request (`submit`), leave drafts (`draft`) or decline one (`decline`)."""
        home = self.browser.get(self.link)
        if home.status != 200:
            tally.problems.append(f"{self.link}: status {home.status}")
            return
        pattern = re.compile(re.escape(self.link) + r"/(\d+)$")
        requests = [int(m.group(1)) for href in home.links if (m := pattern.search(href))]
        for index, invitation_id in enumerate(dict.fromkeys(requests)):
            if behaviour == "decline" and index == 0:
                self._decline(invitation_id, tally)
            else:
                self._answer(invitation_id, tally, save_only=behaviour == "draft")

    def _answer(self, invitation_id: int, tally: Tally, save_only: bool) -> None:
        url = f"{self.link}/{invitation_id}"
        page = self.browser.get(url)
        form = _rating_form(page)
        if form is None:
            tally.problems.append(f"{url}: no questionnaire form")
            return
        fields = self._fill(form, self.assignment_of(invitation_id), partial=save_only)
        fields.append(("action", "save" if save_only else "submit"))
        result = self.browser.post(form.action or url, fields)
        if result.status != 200:
            tally.problems.append(f"{url}: status {result.status}")
        elif save_only:
            tally.drafts += 1
        elif result.url.rstrip("/").endswith("/thanks"):
            tally.submitted += 1
        else:
            tally.problems.append(f"{url}: not accepted ({_first_error(result)})")

    def _fill(self, form: Form, assignment: Assignment, partial: bool) -> list[tuple[str, str]]:
        profile = self.profile_of(assignment.subject_key)
        fields = list(form.hidden().items())
        items = form.names("radio")
        if partial:
            items = items[: max(1, len(items) // 3)]
        for key in items:
            area = self.area_of.get(key, "")
            value = choose_answer(self.rng, profile, assignment.group, area, self.lean)
            fields.append((key, value))
        comments = [n for n in form.names("textarea") if n.startswith("comment-")]
        with self.comments_used.lock:
            used = self.comments_used.by_subject.setdefault(
                (assignment.subject_key, assignment.group), set()
            )
            picked = choose_comments(self.rng, comments, assignment.group, assignment.level, used)
        fields.extend(picked.items())
        return fields

    def _decline(self, invitation_id: int, tally: Tally) -> None:
        url = f"{self.link}/{invitation_id}/decline"
        page = self.browser.get(url)
        # the decline form itself, not the language switcher the page also holds
        form = next((f for f in page.forms if f.method == "post" and f.names("textarea")), None)
        if form is None:
            tally.problems.append(f"{url}: no decline form")
            return
        fields = dict(form.hidden())
        fields["reason"] = "I have not worked with this person this year."
        result = self.browser.post(form.action or url, fields)
        if result.status == 200:
            tally.declined += 1
        else:
            tally.problems.append(f"{url}: decline status {result.status}")


def _rating_form(page: Page) -> Form | None:
    return next((form for form in page.forms if form.names("radio")), None)


def _first_error(page: Page) -> str:
    match = re.search(r'class="field-error"[^>]*>([^<]+)<', page.body)
    return match.group(1).strip() if match else f"ended at {page.url}"
