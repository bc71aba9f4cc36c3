"""The CLI as a script uses it: org import, campaign create/launch/remind/close/release,
create-admin (SPEC §9)."""

from __future__ import annotations

from pathlib import Path

from flask import Flask
from flask.testing import FlaskCliRunner
from sqlalchemy import select

from survey.extensions import db
from survey.models import Campaign, CampaignStatus, Invitation, InvitationStatus, Rater
from survey.services.accounts import authenticate
from survey.tokens import hash_token
from tests.helpers_campaigns import EXCEL_CSV, ORG_CSV, link_token, read_outbox, text_of


def org_file(tmp_path: Path) -> Path:
    path = tmp_path / "org.csv"
    path.write_bytes(ORG_CSV)
    return path


def create(runner: FlaskCliRunner, *extra: str) -> str:
    args = [
        "campaign",
        "create",
        "Spring 360",
        "--deadline",
        "2099-03-31",
        "--timezone",
        "Europe/Paris",
        *extra,
    ]
    result = runner.invoke(args=args)
    assert result.exit_code == 0, result.output
    return result.stdout.strip().splitlines()[-1]


def test_org_import_excel_file(runner: FlaskCliRunner) -> None:
    result = runner.invoke(args=["org", "import", str(EXCEL_CSV)])
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "imported org_excel.csv: 10 created, 0 updated, 0 unchanged"


def test_org_import_bad_file_lists_rows_and_exits_1(
    runner: FlaskCliRunner, tmp_path: Path, app: Flask
) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "email,name,level,manager_email\nok@x.test,Ok,team_leader,\n"
        "a@x.test,Al,boss,\nb@x.test,Bo,team_leader,ghost@x.test\n"
    )
    result = runner.invoke(args=["org", "import", str(bad)])
    assert result.exit_code == 1
    assert "bad.csv: line 3: unknown level 'boss'" in result.stderr
    assert "bad.csv: line 4: unknown manager ghost@x.test" in result.stderr
    assert "Error: nothing imported: 2 problems in the file" in result.stderr
    assert result.stdout == ""
    with app.app_context():
        assert db.session.scalar(select(Rater)) is None
        from survey.models import Person

        assert db.session.scalar(select(Person)) is None


def test_create_prints_the_id_alone_on_its_last_line(
    runner: FlaskCliRunner, tmp_path: Path, app: Flask
) -> None:
    runner.invoke(args=["org", "import", str(org_file(tmp_path))])
    first = create(runner, "--level", "team_leader")
    second = create(
        runner, "--subject", "IC1@acme.test", "--next-level", "ic2@acme.test", "--min-raters", "2"
    )
    assert (first, second) == ("1", "2")
    with app.app_context():
        campaign = db.session.get(Campaign, 2)
        assert campaign is not None and campaign.min_raters == 2
        assert [(s.name, s.include_next_level) for s in campaign.subjects] == [
            ("Ian One", False),
            ("Ivy Two", True),
        ]


def test_create_errors_are_one_line(runner: FlaskCliRunner, tmp_path: Path) -> None:
    runner.invoke(args=["org", "import", str(org_file(tmp_path))])
    for extra, message in [
        (["--timezone", "Mars/Base"], "Error: unknown time zone 'Mars/Base'"),
        (["--min-raters", "1"], "Error: k (minimum raters) must be at least 2"),
        (["--subject", "ghost@acme.test"], "Error: not in the org chart: ghost@acme.test"),
        (["--level", "boss"], "Error: unknown level boss"),
    ]:
        args = ["campaign", "create", "X", "--deadline", "2099-01-01", "--timezone", "UTC", *extra]
        result = runner.invoke(args=args)
        assert result.exit_code == 1, extra
        assert result.stderr.strip().splitlines()[-1].startswith(message), result.stderr
        assert "Traceback" not in result.output


def test_launch_remind_close_release(
    runner: FlaskCliRunner, tmp_path: Path, app: Flask, outbox: Path
) -> None:
    runner.invoke(args=["org", "import", str(org_file(tmp_path))])
    campaign_id = create(runner, "--level", "team_leader")

    launched = runner.invoke(args=["campaign", "launch", campaign_id])
    assert launched.exit_code == 0, launched.output
    assert launched.stdout.strip() == "campaign 1 launched: 15 invitations, 10 e-mails"
    messages = read_outbox(outbox)
    assert len(messages) == 10
    with app.app_context():
        hashes = {r.person.email: r.token_hash for r in db.session.scalars(select(Rater))}
    assert all(hash_token(link_token(m)) == hashes[m["To"]] for m in messages)

    again = runner.invoke(args=["campaign", "launch", campaign_id])
    assert again.exit_code == 0
    assert again.stdout.strip() == "campaign 1 already launched: nothing sent"
    assert len(read_outbox(outbox)) == 10

    with app.app_context():  # Ian submitted everything, Ivy declined
        for email, status in (
            ("ic1@acme.test", InvitationStatus.SUBMITTED),
            ("ic2@acme.test", InvitationStatus.DECLINED),
        ):
            for invitation in db.session.scalars(
                select(Invitation)
                .join(Rater)
                .join(Rater.person)
                .where(Rater.person.has(email=email))
            ):
                invitation.status = status
        db.session.commit()
    for path in outbox.glob("*.eml"):
        path.unlink()
    reminded = runner.invoke(args=["campaign", "remind", campaign_id])
    assert reminded.stdout.strip() == "campaign 1: reminded 8 raters (0 reminded recently)"
    recipients = sorted(m["To"] for m in read_outbox(outbox))
    assert "ic1@acme.test" not in recipients and "ic2@acme.test" not in recipients
    ike = next(m for m in read_outbox(outbox) if m["To"] == "ic3@acme.test")
    assert "Tina Lead (as a member of their team)" in text_of(ike)
    repeat = runner.invoke(args=["campaign", "remind", campaign_id])
    assert repeat.stdout.strip() == "campaign 1: reminded 0 raters (8 reminded recently)"
    assert len(read_outbox(outbox)) == 8

    released_early = runner.invoke(args=["campaign", "release", campaign_id])
    assert released_early.exit_code == 1
    assert "only a closed campaign can be released" in released_early.stderr
    closed = runner.invoke(args=["campaign", "close", campaign_id]).stdout.strip()
    assert closed == "campaign 1 closed: 3 reports computed and frozen"
    released = runner.invoke(args=["campaign", "release", campaign_id])
    assert released.stdout.strip() == "campaign 1 released: 3 subjects notified"
    with app.app_context():
        campaign = db.session.get(Campaign, 1)
        assert campaign is not None and campaign.status is CampaignStatus.RELEASED
    assert (
        runner.invoke(args=["campaign", "launch", "99"]).stderr.strip() == "Error: no campaign 99"
    )


def test_create_admin_with_password_prompt_and_with_link(
    runner: FlaskCliRunner, app: Flask
) -> None:
    result = runner.invoke(
        args=["create-admin", "HR@Example.test"], input="a long passphrase\na long passphrase\n"
    )
    assert result.exit_code == 0, result.output
    assert "created HR account hr@example.test" in result.stdout
    assert "a long passphrase" not in result.output  # hidden input
    with app.app_context():
        assert authenticate("hr@example.test", "a long passphrase") is not None
    taken = runner.invoke(args=["create-admin", "hr@example.test", "--link"])
    assert taken.exit_code == 1 and "already exists" in taken.stderr
    linked = runner.invoke(args=["create-admin", "second@example.test", "--link"])
    assert linked.exit_code == 0
    link = linked.stdout.strip().splitlines()[-1]
    assert link.startswith("http://localhost/link/")
    assert app.test_client().get(link.removeprefix("http://localhost")).status_code == 200


def test_create_prints_the_dashboards_below_k_warnings_on_stderr(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    runner.invoke(args=["org", "import", str(org_file(tmp_path))])
    args = ["campaign", "create", "Spring 360", "--deadline", "2099-03-31"]
    result = runner.invoke(args=[*args, "--timezone", "Europe/Paris", "--subject", "tl1@acme.test"])
    assert result.exit_code == 0, result.output
    assert result.stdout == "1\n"  # the id alone: scripts read it (SPEC §9)
    # Tina Lead's only peer is Tom Lead (Tara reports elsewhere): 1 peer, below k = 3, the
    # same sentence HR reads on the dashboard.
    assert result.stderr.splitlines() == [
        "created draft campaign 'Spring 360' with 1 subject",
        "warning: 1 group below k = 3 (add raters before launch, or launch anyway):",
        "  Tina Lead: 1 peer (Tom Lead), below k = 3; their answers will be merged with other "
        "small groups or not shown.",
    ]


def test_create_without_small_groups_prints_no_warning(
    runner: FlaskCliRunner, tmp_path: Path
) -> None:
    runner.invoke(args=["org", "import", str(org_file(tmp_path))])
    # Ian One (IC, k = 2): his manager Tina and 2 peers (Ivy, Ike); ICs have no reports.
    args = ["campaign", "create", "Other", "--deadline", "2099-03-31", "--timezone", "UTC"]
    result = runner.invoke(args=[*args, "--subject", "ic1@acme.test", "--min-raters", "2"])
    assert result.stdout == "1\n"
    assert result.stderr == "created draft campaign 'Other' with 1 subject\n"


def test_reminding_a_draft_says_to_launch_it_first(runner: FlaskCliRunner, tmp_path: Path) -> None:
    runner.invoke(args=["org", "import", str(org_file(tmp_path))])
    campaign_id = create(runner, "--level", "team_leader")
    result = runner.invoke(args=["campaign", "remind", campaign_id])
    assert result.exit_code == 1
    assert result.stderr.strip() == "Error: campaign 1 is a draft: launch it first"


def test_spread_min_defaults_to_5_is_never_below_k_and_a_lower_one_is_refused(
    runner: FlaskCliRunner, app: Flask
) -> None:
    """SPEC §10: agreement is shown from `spread_min` answers (default 5, never below k)."""
    default, strict, own = (
        create(runner),
        create(runner, "--min-raters", "6"),
        create(runner, "--spread-min", "4"),
    )
    with app.app_context():
        found = {
            cid: db.session.get(Campaign, int(cid)).spread_min for cid in (default, strict, own)
        }
    assert found == {default: 5, strict: 6, own: 4}
    args = ["campaign", "create", "X", "--deadline", "2099-03-31", "--timezone", "Europe/Paris"]
    result = runner.invoke(args=[*args, "--min-raters", "3", "--spread-min", "2"])
    assert result.exit_code != 0
    assert "agreement can only be shown from at least the minimum group size (3)" in result.stderr
