"""Generate a benchmark campaign at organisation scale straight into a database (issue 8).

One closed campaign of N subjects (managers), each rated by 1 self + 1 manager + 3 peers +
5 direct reports with the real questionnaires (only the items each group observes, readiness
items for subjects who aspire to move up), about 5% N/A and some comments. Optionally:

- an open "submission pool" campaign whose invitations are pending; the rater tokens are
  written in clear to a side file (benchmark only) so the load generator can submit forms;
- a draft campaign with the same org, to time the product's launch.

The schema is built by the real migrations (`flask_migrate.upgrade`); rows go in with
SQLAlchemy Core executemany (COPY on PostgreSQL for the answers), in chunks of subjects.

    .venv/bin/python -m benchmarks.generate --subjects 10000 [--database URL] [--pool 20000]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import sys
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from sqlalchemy import Connection, Table, create_engine, insert, text
from sqlalchemy.engine import make_url

HERE = Path(__file__).resolve().parent
DATA_DIR = HERE / ".data"
GROUP_SIZES = (("self", 1), ("manager", 1), ("peers", 3), ("direct_reports", 5))
RATERS_PER_SUBJECT = sum(size for _, size in GROUP_SIZES)
CHUNK_SUBJECTS = 2000
HR_EMAIL = "hr@bench.test"
HR_PASSWORD = "benchmark password"  # benchmark databases only
NOW = datetime.now(UTC).replace(microsecond=0)
COMMENT_TEXTS = (
    "Keeps the team focused on what matters most this quarter.",
    "Gives clear, timely feedback and follows up on it.",
    "Could delegate more instead of stepping in when things get hard.",
    "Explains the why behind decisions; the team trusts the direction.",
    "Meetings could be shorter and end with clear owners.",
    "Shares credit generously and makes room for others to lead.",
    "Sometimes commits the team to too much at once.",
    "Great at connecting our work to the company's goals.",
)


def default_database(subjects: int) -> str:
    """The SQLite file a scale writes to by default: benchmarks/.data/survey-<N>.sqlite."""
    return f"sqlite:///{DATA_DIR / f'survey-{subjects}.sqlite'}"


def default_pool_file(url: str) -> Path:
    """Where the submission pool's tokens go: next to the SQLite file, else benchmarks/.data."""
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        return Path(f"{parsed.database}.pool.tsv")
    return DATA_DIR / f"pool-{parsed.database}.tsv"


@dataclass
class Plan:
    """What to generate: scale and shape of the data."""

    subjects: int = 10_000
    pool: int = 0  # pending invitations in the open submission-pool campaign
    draft: bool = False  # also a draft campaign over the same org (for launch)
    status: str = "closed"  # status of the main campaign: open | closed | released
    submitted_rate: float = 0.95
    declined_rate: float = 0.02
    na_rate: float = 0.05
    comment_rate: float = 0.3
    business_leader_every: int = 7  # every 7th subject is a business leader
    next_level_rate: float = 0.8  # team leaders asked about readiness for the next level
    seed: int = 360


@dataclass
class Result:
    """What was written: campaign ids, row counts and timings."""

    database: str
    campaign_id: int = 0
    pool_campaign_id: int | None = None
    draft_campaign_id: int | None = None
    pool_file: str | None = None
    counts: dict[str, int] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)

    def to_json(self) -> dict[str, Any]:
        return self.__dict__


# --------------------------------------------------------------------------- the org


@dataclass(frozen=True)
class Org:
    """Ids of the generated people: heads, subject persons and their direct reports.

    Person ids are assigned here (1..total) so no insert needs to read ids back.
    Subject i: person `subject_person(i)`, manager `head_of(i)`, peers three other subjects
    under the same head (or the next ones when a block is too small), 5 direct reports.
    """

    subjects: int
    block: int = 8

    @property
    def heads(self) -> int:
        return math.ceil(self.subjects / self.block)

    def head_person(self, h: int) -> int:
        return 1 + h

    def subject_person(self, i: int) -> int:
        return 1 + self.heads + i

    def report_person(self, i: int, r: int) -> int:
        return 1 + self.heads + self.subjects + 5 * i + r

    @property
    def people(self) -> int:
        return self.heads + self.subjects * 6

    def head_of(self, i: int) -> int:
        return self.head_person(i // self.block)

    def peers_of(self, i: int) -> list[int]:
        start = (i // self.block) * self.block
        size = min(self.block, self.subjects - start)
        if size >= 4:
            return [start + (i - start + k) % size for k in (1, 2, 3)]
        return [(i + k) % self.subjects for k in (1, 2, 3)]

    def raters_of(self, i: int) -> list[tuple[str, int]]:
        """[(group, person id)] for subject i: self, manager, 3 peers, 5 direct reports."""
        raters = [("self", self.subject_person(i)), ("manager", self.head_of(i))]
        raters += [("peers", self.subject_person(p)) for p in self.peers_of(i)]
        raters += [("direct_reports", self.report_person(i, r)) for r in range(5)]
        return raters


def subject_level(plan: Plan, i: int) -> str:
    return "business_leader" if i % plan.business_leader_every == 0 else "team_leader"


def person_rows(org: Org, plan: Plan) -> Iterator[dict[str, Any]]:
    """Every person of the org, heads first; e-mails are unique and lower-case."""
    for h in range(org.heads):
        division = f"Division {h // 10}"
        yield _person(org.head_person(h), f"head{h}", "business_leader", None, division)
    for i in range(org.subjects):
        team = f"Unit {i // 40:04d}"
        level = subject_level(plan, i)
        yield _person(org.subject_person(i), f"manager{i}", level, org.head_of(i), team)
    for i in range(org.subjects):
        for r in range(5):
            pid = org.report_person(i, r)
            yield _person(pid, f"ic{i}-{r}", "individual_contributor", org.subject_person(i),
                          f"Unit {i // 40:04d}")


def _person(pid: int, handle: str, level: str, manager: int | None, team: str) -> dict[str, Any]:
    name = handle.replace("-", " ").title()
    return {
        "id": pid,
        "email": f"{handle}@bench.test",
        "name": f"{name} Example",
        "level": level,
        "team": team,
        "manager_id": manager,
        "updated_at": NOW,
    }


# --------------------------------------------------------------------------- questionnaires


class Questionnaires:
    """Items (key, area) and open-question keys per (level, group, include_next_level)."""

    def __init__(self) -> None:
        from survey.domain.questionnaire import build_questionnaire, default_content

        self.content = default_content()
        self._build = build_questionnaire
        self._cache: dict[tuple[str, str, bool], list[tuple[str, str]]] = {}
        self.open_questions = [q.key for q in self.content.open_questions]

    def items(self, level: str, group: str, include_next: bool) -> list[tuple[str, str]]:
        key = (level, group, include_next)
        if key not in self._cache:
            questionnaire = self._build(level, group, include_next, content=self.content)
            self._cache[key] = [(item.key, item.area) for item in questionnaire.items()]
        return self._cache[key]


# --------------------------------------------------------------------------- writing


class Writer:
    """Chunked Core inserts into the real tables; COPY for big tables on PostgreSQL."""

    def __init__(self, connection: Connection) -> None:
        from survey import models

        self.connection = connection
        self.postgres = connection.dialect.name == "postgresql"
        self.tables: dict[str, Table] = {
            name: model.__table__  # type: ignore[attr-defined]
            for name, model in {
                "person": models.Person,
                "user": models.User,
                "campaign": models.Campaign,
                "subject": models.Subject,
                "rater": models.Rater,
                "invitation": models.Invitation,
                "submission_receipt": models.SubmissionReceipt,
                "response": models.Response,
                "answer": models.Answer,
                "comment": models.Comment,
            }.items()
        }
        self.counts: dict[str, int] = {name: 0 for name in self.tables}

    def write(self, name: str, rows: Sequence[dict[str, Any]]) -> None:
        if not rows:
            return
        if self.postgres and len(rows) > 5000:
            self._copy(name, rows)
        else:
            self.connection.execute(insert(self.tables[name]), list(rows))
        self.counts[name] += len(rows)

    def _copy(self, name: str, rows: Sequence[dict[str, Any]]) -> None:
        columns = list(rows[0])
        quoted = ", ".join(f'"{c}"' for c in columns)
        cursor = self.connection.connection.driver_connection.cursor()  # type: ignore[union-attr]
        with cursor.copy(f'COPY "{name}" ({quoted}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row([row[c] for c in columns])

    def write_chunked(self, name: str, rows: Iterator[dict[str, Any]], size: int = 50_000) -> None:
        batch: list[dict[str, Any]] = []
        for row in rows:
            batch.append(row)
            if len(batch) >= size:
                self.write(name, batch)
                batch = []
        self.write(name, batch)


def campaign_row(
    cid: int, name: str, status: str, snapshot: dict[str, Any] | None
) -> dict[str, Any]:
    closes = NOW + timedelta(days=30) if status in ("open", "draft") else NOW - timedelta(days=1)
    launched = None if status == "draft" else closes - timedelta(days=21)
    return {
        "id": cid,
        "name": name,
        "status": status,
        "deadline": closes.date(),
        "timezone": "Europe/Paris",
        "closes_at": closes,
        "min_raters": 3,
        "max_peers": 5,
        "gap_threshold": 1.0,
        "questionnaire_snapshot": snapshot,
        "created_at": NOW - timedelta(days=40),
        "launched_at": launched,
        "closed_at": closes if status in ("closed", "released") else None,
        "released_at": closes + timedelta(hours=1) if status == "released" else None,
    }


@dataclass
class Ids:
    """Next free integer id per table (ids are assigned here, never read back)."""

    subject: int = 1
    rater: int = 1
    invitation: int = 1


class Generator:
    """Writes one plan into one connection."""

    def __init__(self, writer: Writer, plan: Plan, questionnaires: Questionnaires) -> None:
        self.writer = writer
        self.plan = plan
        self.q = questionnaires
        pool_subjects = math.ceil(plan.pool / RATERS_PER_SUBJECT)
        self.org = Org(max(plan.subjects, pool_subjects))  # the pool may need more people
        self.rng = random.Random(plan.seed)
        self.ids = Ids()

    # ---- people and accounts

    def people(self) -> None:
        self.writer.write_chunked("person", person_rows(self.org, self.plan))
        from werkzeug.security import generate_password_hash

        self.writer.write("user", [{
            "id": 1, "email": HR_EMAIL, "role": "hr", "active": True, "person_id": None,
            "password_hash": generate_password_hash(HR_PASSWORD), "created_at": NOW,
        }])

    # ---- campaigns

    def campaign(self, cid: int, name: str, status: str, subjects: int,
                 answered: bool, tokens: dict[int, str] | None = None) -> list[tuple[int, str]]:
        """Write a campaign over the first `subjects` subjects; returns its pending pool."""
        snapshot = None if status == "draft" else self.q.content.to_snapshot()
        self.writer.write("campaign", [campaign_row(cid, name, status, snapshot)])
        rater_of = self._raters(cid, subjects, status, tokens)
        pool: list[tuple[int, str]] = []
        for start in range(0, subjects, CHUNK_SUBJECTS):
            stop = min(subjects, start + CHUNK_SUBJECTS)
            pool += self._subjects(cid, range(start, stop), rater_of, status, answered, tokens)
        return pool

    def _raters(self, cid: int, subjects: int, status: str,
                tokens: dict[int, str] | None) -> dict[int, int]:
        """One rater row per person asked in this campaign; returns person id → rater id."""
        from survey.tokens import hash_token, new_token

        persons = sorted({p for i in range(subjects) for _, p in self.org.raters_of(i)})
        rater_of: dict[int, int] = {}
        rows = []
        for person in persons:
            rid = self.ids.rater
            self.ids.rater += 1
            rater_of[person] = rid
            token_hash = None
            if status != "draft":
                token = new_token() if tokens is not None else None
                if tokens is not None:
                    tokens[rid] = token  # type: ignore[assignment]
                token_hash = hash_token(token) if token else f"{self.rng.getrandbits(256):064x}"
            rows.append({
                "id": rid, "campaign_id": cid, "person_id": person, "token_hash": token_hash,
                "invited_at": None if status == "draft" else NOW - timedelta(days=21),
                "last_reminded_at": None,
            })
        self.writer.write_chunked("rater", iter(rows))
        return rater_of

    def _subjects(self, cid: int, indexes: range, rater_of: dict[int, int], status: str,
                  answered: bool, tokens: dict[int, str] | None) -> list[tuple[int, str]]:
        rows: dict[str, list[dict[str, Any]]] = {
            name: [] for name in ("subject", "invitation", "submission_receipt", "response",
                                  "answer", "comment")
        }
        pool = []
        for i in indexes:
            sid = self.ids.subject
            self.ids.subject += 1
            level = subject_level(self.plan, i)
            include_next = level == "team_leader" and self.rng.random() < self.plan.next_level_rate
            rows["subject"].append({
                "id": sid, "campaign_id": cid, "person_id": self.org.subject_person(i),
                "level": level, "name": f"Manager{i} Example", "include_next_level": include_next,
            })
            bias = self.rng.uniform(-0.8, 0.8)
            for group, person in self.org.raters_of(i):
                iid = self.ids.invitation
                self.ids.invitation += 1
                state = self._state(answered)
                rows["invitation"].append({
                    "id": iid, "campaign_id": cid, "subject_id": sid,
                    "rater_id": rater_of[person], "rater_group": group, "status": state,
                    "added_by_hr": False, "decline_reason": None,
                })
                if state == "submitted":
                    rows["submission_receipt"].append({"invitation_id": iid})
                    self._response(rows, cid, sid, level, group, include_next, bias)
                elif tokens is not None:
                    pool.append((iid, tokens[rater_of[person]], level, group, include_next))
        for name, batch in rows.items():
            if name == "answer":
                batch.sort(key=lambda row: (row["response_id"], row["item"]))
            self.writer.write(name, batch)
        return pool

    def _state(self, answered: bool) -> str:
        if not answered:
            return "pending"
        roll = self.rng.random()
        if roll < self.plan.submitted_rate:
            return "submitted"
        if roll < self.plan.submitted_rate + self.plan.declined_rate:
            return "declined"
        return "opened" if roll < 0.99 else "pending"

    def _response(self, rows: dict[str, list[dict[str, Any]]], cid: int, sid: int, level: str,
                  group: str, include_next: bool, bias: float) -> None:
        rid = f"{self.rng.getrandbits(128):032x}"
        rows["response"].append(
            {"id": rid, "campaign_id": cid, "subject_id": sid, "rater_group": group}
        )
        lift = 0.5 if group == "self" else 0.0
        for item, area in self.q.items(level, group, include_next):
            rows["answer"].append(
                {"response_id": rid, "item": item, "area": area, "value": self._value(bias + lift)}
            )
        for question in self.q.open_questions:
            if self.rng.random() < self.plan.comment_rate:
                rows["comment"].append(
                    {"response_id": rid, "question": question,
                     "text": self.rng.choice(COMMENT_TEXTS)}
                )

    def _value(self, bias: float) -> int | None:
        if self.rng.random() < self.plan.na_rate:
            return None
        return min(5, max(1, round(self.rng.gauss(3.6 + bias, 0.9))))


def form_body(q: Questionnaires, level: str, group: str, include_next: bool,
              rng: random.Random) -> str:
    """The url-encoded answers of one complete submission (SPEC §6 field names), no CSRF."""
    fields = [(key, rng.choice(("1", "2", "3", "4", "5", "4", "na"))) for key, _ in
              q.items(level, group, include_next)]
    fields += [(f"comment-{key}", rng.choice(COMMENT_TEXTS)) for key in q.open_questions]
    return urlencode(fields)


# --------------------------------------------------------------------------- database


def prepare_database(url: str, allow_shared: bool = False) -> None:
    """Start from an empty database: delete the SQLite file, or reset PostgreSQL's schema.

    Refuses PostgreSQL's shared `test`/`postgres` databases unless `allow_shared` (the test
    suite, which resets the test database before every test anyway).
    """
    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database or "")
        path.parent.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm", "-journal"):
            Path(f"{path}{suffix}").unlink(missing_ok=True)
        return
    if parsed.database in ("test", "postgres") and not allow_shared:
        raise SystemExit(f"refusing to reset the shared database {parsed.database!r}: "
                         "use a database of its own, e.g. .../bench")
    admin = create_engine(parsed.set(database="postgres"), isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        exists = connection.scalar(
            text("SELECT 1 FROM pg_database WHERE datname = :name"), {"name": parsed.database}
        )
        if not exists:
            connection.execute(text(f'CREATE DATABASE "{parsed.database}"'))
    admin.dispose()
    engine = create_engine(parsed)
    with engine.begin() as connection:
        connection.execute(text("DROP SCHEMA public CASCADE"))
        connection.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def migrate(url: str) -> None:
    """Build the schema with the product's own migrations."""
    from flask_migrate import upgrade

    from survey import create_app
    from survey.extensions import db

    app = create_app({"SECRET_KEY": "benchmark", "SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade()
        db.engine.dispose()


def bulk_engine(url: str) -> Any:
    """An engine for generation only: on SQLite no fsync and a large page cache."""
    from survey.config import normalise_database_url

    engine = create_engine(normalise_database_url(url))
    if engine.dialect.name == "sqlite":
        from sqlalchemy import event

        @event.listens_for(engine, "connect")
        def _pragmas(dbapi_connection: Any, _record: Any) -> None:
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA synchronous=OFF")
            cursor.execute("PRAGMA cache_size=-1000000")
            cursor.execute("PRAGMA temp_store=MEMORY")
            cursor.execute("PRAGMA foreign_keys=OFF")
            cursor.close()
    return engine


def fix_sequences(connection: Connection) -> None:
    """PostgreSQL: move each id sequence past the ids written explicitly."""
    if connection.dialect.name != "postgresql":
        return
    for table in ("person", "user", "campaign", "subject", "rater", "invitation"):
        connection.execute(text(
            f"SELECT setval(pg_get_serial_sequence('\"{table}\"', 'id'), "
            f"COALESCE((SELECT max(id) FROM \"{table}\"), 0) + 1, false)"
        ))


def generate(plan: Plan, url: str, pool_file: Path | None = None,
             allow_shared: bool = False) -> Result:
    """Write `plan` into a fresh database at `url`; returns ids, counts and timings."""
    result = Result(database=url)
    started = time.perf_counter()
    prepare_database(url, allow_shared)
    migrate(url)
    result.seconds["schema"] = time.perf_counter() - started
    engine = bulk_engine(url)
    questionnaires = Questionnaires()
    with engine.begin() as connection:
        writer = Writer(connection)
        generator = Generator(writer, plan, questionnaires)
        step = time.perf_counter()
        generator.people()
        result.campaign_id = 1
        generator.campaign(1, f"Benchmark {plan.subjects}", plan.status, plan.subjects,
                           answered=True)
        result.seconds["campaign"] = time.perf_counter() - step
        cid = 2
        if plan.pool:
            step = time.perf_counter()
            tokens: dict[int, str] = {}
            pool_subjects = math.ceil(plan.pool / RATERS_PER_SUBJECT)
            pool = generator.campaign(cid, "Benchmark submissions", "open", pool_subjects,
                                      answered=False, tokens=tokens)
            result.pool_campaign_id = cid
            result.pool_file = str(write_pool(pool, questionnaires, pool_file, url, plan.seed))
            result.seconds["pool"] = time.perf_counter() - step
            cid += 1
        if plan.draft:
            step = time.perf_counter()
            generator.campaign(cid, "Benchmark launch", "draft", plan.subjects, answered=False)
            result.draft_campaign_id = cid
            result.seconds["draft"] = time.perf_counter() - step
        fix_sequences(connection)
        result.counts = dict(writer.counts)
    step = time.perf_counter()
    analyse(engine)
    result.seconds["analyse"] = time.perf_counter() - step
    engine.dispose()
    result.seconds["total"] = time.perf_counter() - started
    return result


GENERATED_TABLES = ("person", "user", "campaign", "subject", "rater", "invitation",
                    "submission_receipt", "response", "answer", "comment")


def analyse(engine: Any) -> None:
    """Refresh planner statistics of the tables written here, so queries see their real sizes.

    Only those: statistics taken of the still-empty report tables would tell the planner they
    stay empty after close fills them (PostgreSQL then picks a 40× slower plan for the export).
    """
    quoted = ", ".join(f'"{name}"' for name in GENERATED_TABLES)
    with engine.connect() as connection:
        if engine.dialect.name == "sqlite":
            for name in GENERATED_TABLES:
                connection.exec_driver_sql(f'ANALYZE "{name}"')
            connection.commit()
            connection.exec_driver_sql("PRAGMA wal_checkpoint(TRUNCATE)")
        else:
            connection.execution_options(isolation_level="AUTOCOMMIT").exec_driver_sql(
                f"ANALYZE {quoted}")


def write_pool(pool: list[tuple[int, str, str, str, bool]], q: Questionnaires,
               path: Path | None, url: str, seed: int) -> Path:
    """Side file (benchmark only): `invitation<TAB>token<TAB>urlencoded answers` per line."""
    if path is None:
        path = default_pool_file(url)
    path.parent.mkdir(parents=True, exist_ok=True)
    rng = random.Random(seed + 1)
    order = list(pool)
    rng.shuffle(order)  # spread each load slice over subjects and raters
    with path.open("w", encoding="ascii") as out:
        for invitation, token, level, group, include_next in order:
            out.write(f"{invitation}\t{token}\t{form_body(q, level, group, include_next, rng)}\n")
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subjects", type=int, default=10_000)
    parser.add_argument("--database", default=os.environ.get("DATABASE_URL"),
                        help="SQLAlchemy URL (default: DATABASE_URL, else a SQLite file in "
                             "benchmarks/.data)")
    parser.add_argument("--pool", type=int, default=0,
                        help="pending invitations in an open campaign, tokens to a side file")
    parser.add_argument("--pool-file", type=Path, default=None)
    parser.add_argument("--draft", action="store_true", help="also a draft campaign to launch")
    parser.add_argument("--status", default="closed", choices=("open", "closed", "released"))
    parser.add_argument("--seed", type=int, default=360)
    args = parser.parse_args(argv)
    if args.subjects < 4:
        parser.error("--subjects must be at least 4 (each subject needs 3 peers)")
    url = args.database or default_database(args.subjects)
    plan = Plan(subjects=args.subjects, pool=args.pool, draft=args.draft, status=args.status,
                seed=args.seed)
    result = generate(plan, url, args.pool_file)
    json.dump(result.to_json(), sys.stdout, indent=2, default=str)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
