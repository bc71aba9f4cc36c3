"""The benchmark generator writes the campaign it promises (issue 8): counts, not timings."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from benchmarks.generate import Plan, Questionnaires, generate
from tests.conftest import database_url

pytestmark = pytest.mark.slow

SUBJECTS = 12
POOL = 30


@pytest.fixture
def generated(tmp_path: Path) -> tuple[str, Any]:
    """A 12-subject campaign with a 30-invitation submission pool and a draft, on the test DB.

    On PostgreSQL the generator resets the test database, as the `app` fixture does.
    """
    url = database_url(tmp_path)
    plan = Plan(subjects=SUBJECTS, pool=POOL, draft=True, status="closed")
    return url, generate(plan, url, tmp_path / "pool.tsv", allow_shared=True)


def scalar(url: str, sql: str) -> int:
    engine = create_engine(url)
    with engine.connect() as connection:
        value = connection.execute(text(sql)).scalar_one()
    engine.dispose()
    return int(value)


def test_every_subject_is_invited_by_ten_raters_in_four_groups(generated) -> None:
    url, _ = generated
    assert scalar(url, "SELECT count(*) FROM subject WHERE campaign_id = 1") == SUBJECTS
    assert scalar(url, "SELECT count(*) FROM invitation WHERE campaign_id = 1") == SUBJECTS * 10
    per_group = {
        "self": 1, "manager": 1, "peers": 3, "direct_reports": 5,
    }
    for group, size in per_group.items():
        count = scalar(url, f"SELECT count(*) FROM invitation WHERE campaign_id = 1 "
                            f"AND rater_group = '{group}'")
        assert count == SUBJECTS * size, group


def test_one_response_and_receipt_per_submitted_invitation(generated) -> None:
    url, result = generated
    submitted = scalar(url, "SELECT count(*) FROM invitation WHERE campaign_id = 1 "
                            "AND status = 'submitted'")
    assert scalar(url, "SELECT count(*) FROM response WHERE campaign_id = 1") == submitted
    assert scalar(url, "SELECT count(*) FROM submission_receipt") == submitted
    assert 0.85 * SUBJECTS * 10 <= submitted <= SUBJECTS * 10
    assert result.counts["response"] == submitted


def test_answers_cover_exactly_the_items_each_group_observes(generated) -> None:
    url, result = generated
    questionnaires = Questionnaires()
    engine = create_engine(url)
    with engine.connect() as connection:
        rows = connection.execute(text(
            "SELECT s.level, s.include_next_level, r.rater_group, count(a.item) "
            "FROM response r JOIN subject s ON s.id = r.subject_id "
            "JOIN answer a ON a.response_id = r.id GROUP BY r.id, s.level, "
            "s.include_next_level, r.rater_group")).all()
    engine.dispose()
    expected = 0
    for level, include_next, group, count in rows:
        shown = len(questionnaires.items(level, group, bool(include_next)))
        assert count == shown
        expected += shown
    assert result.counts["answer"] == expected
    assert scalar(url, "SELECT count(*) FROM answer") == expected


def test_about_five_percent_of_answers_are_not_applicable(generated) -> None:
    url, _ = generated
    total = scalar(url, "SELECT count(*) FROM answer")
    na = scalar(url, "SELECT count(*) FROM answer WHERE value IS NULL")
    assert 0.02 * total <= na <= 0.09 * total
    assert scalar(url, "SELECT count(*) FROM answer WHERE value NOT BETWEEN 1 AND 5") == 0
    assert scalar(url, "SELECT count(*) FROM comment") > 0


def test_pool_side_file_lists_pending_invitations_with_their_tokens(generated) -> None:
    url, result = generated
    lines = Path(result.pool_file).read_text().splitlines()
    assert len(lines) == POOL
    invitation, token, body = lines[0].split("\t")
    status = scalar(url, f"SELECT count(*) FROM invitation WHERE id = {int(invitation)} "
                         "AND status = 'pending' AND campaign_id = 2")
    assert status == 1
    from survey.tokens import hash_token

    hashed = hash_token(token)
    assert scalar(url, f"SELECT count(*) FROM rater WHERE token_hash = '{hashed}'") == 1
    assert "comment-" in body


def test_draft_campaign_has_raters_without_links(generated) -> None:
    url, result = generated
    draft = result.draft_campaign_id
    assert scalar(url, f"SELECT count(*) FROM campaign WHERE id = {draft} AND status = 'draft'")
    assert scalar(url, f"SELECT count(*) FROM invitation WHERE campaign_id = {draft}") == 120
    assert scalar(url, f"SELECT count(*) FROM rater WHERE campaign_id = {draft} "
                       "AND token_hash IS NOT NULL") == 0
