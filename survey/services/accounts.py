"""Accounts: HR users with passwords, one-time link tokens, subject sign-in links.

Passwords are stored as werkzeug hashes. A `LoginToken` is single-use and short-lived
(SIGN_IN_LINK_MINUTES); only its SHA-256 is kept. Subjects get a `User(role=subject)` and a
sign-in e-mail when their campaign is released. Add/flush only; callers commit, then send.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import select, update
from werkzeug.security import check_password_hash, generate_password_hash

from survey.domain.orgchart import normalise_email
from survey.errors import SurveyError
from survey.extensions import db
from survey.i18n import gettext, in_language, ngettext
from survey.mail import OutgoingMail, compose
from survey.models import Campaign, LoginToken, Person, Subject, User, UserRole
from survey.tokens import hash_token, looks_like_token, new_token, tokens_match

MIN_PASSWORD_LENGTH = 10
SIGN_IN, SET_PASSWORD = "sign_in", "set_password"
SET_PASSWORD_HOURS = 24
# Compared against when the e-mail is unknown, so timing does not reveal who has an account.
_DUMMY_HASH = generate_password_hash("not a real password")


class AccountError(SurveyError):
    """An account cannot be created or changed as asked (weak password, e-mail taken, ...)."""


class InvalidLink(SurveyError):
    """A link token that is unknown, used or expired; deliberately says no more than that."""

    def __init__(self) -> None:
        super().__init__("this link is not valid any more")


def find_user(email: str) -> User | None:
    """The account with this e-mail (case-insensitive), or None."""
    return db.session.scalar(select(User).where(User.email == normalise_email(email)))


def create_hr_user(email: str, password: str | None = None) -> User:
    """A new HR account; without a password it can only be used via a set-password link.

    Raises AccountError for a taken e-mail or a password shorter than 10 characters.
    """
    email = normalise_email(email)
    if "@" not in email:
        raise AccountError(f"{email!r} is not an e-mail address")
    if find_user(email) is not None:
        raise AccountError(f"an account for {email} already exists")
    user = User(email=email, role=UserRole.HR, active=True)
    db.session.add(user)
    if password is not None:
        set_password(user, password)
    db.session.flush()
    return user


def set_password(user: User, password: str) -> None:
    """Store a werkzeug hash of `password` and end the account's other sessions; raises
    AccountError when it is too short."""
    if len(password) < MIN_PASSWORD_LENGTH:
        raise AccountError(f"use a password of at least {MIN_PASSWORD_LENGTH} characters")
    user.password_hash = generate_password_hash(password)
    end_sessions(user)


def end_sessions(user: User) -> None:
    """End every session of `user`, on every device (`survey.sessions`): sign-out, a new
    password and "sign out everywhere" all come here."""
    user.session_version = (user.session_version or 0) + 1
    db.session.flush()


def authenticate(email: str, password: str) -> User | None:
    """The active HR user with this e-mail and password, or None (same work either way)."""
    user = find_user(email)
    stored = user.password_hash if user is not None and user.password_hash else _DUMMY_HASH
    valid = check_password_hash(stored, password)
    if user is None or not user.password_hash or not valid or not user.active:
        return None
    return user


def issue_link_token(user: User, purpose: str, now: datetime, minutes: int | None = None) -> str:
    """A new one-time token for `user` (returned in clear; only its hash is stored)."""
    if minutes is None:
        minutes = (
            SET_PASSWORD_HOURS * 60
            if purpose == SET_PASSWORD
            else int(current_app.config["SIGN_IN_LINK_MINUTES"])
        )
    token = new_token()
    db.session.add(
        LoginToken(
            user=user,
            token_hash=hash_token(token),
            purpose=purpose,
            expires_at=now + timedelta(minutes=minutes),
        )
    )
    db.session.flush()
    return token


def peek_link_token(token: str, now: datetime) -> LoginToken | None:
    """The usable LoginToken for `token` without using it up (GET pages), or None."""
    if not looks_like_token(token):
        return None
    record = db.session.scalar(select(LoginToken).where(LoginToken.token_hash == hash_token(token)))
    if record is None or not tokens_match(token, record.token_hash):
        return None
    if record.used_at is not None or record.expires_at <= now:
        return None
    return record if record.user.active else None


def consume_link_token(token: str, now: datetime) -> LoginToken:
    """Use up a link token (POST only); raises InvalidLink for unknown, used or expired ones.

    One conditional UPDATE marks it used, so two requests racing with the same link cannot
    both sign in: the second one finds it used.
    """
    record = peek_link_token(token, now)
    if record is None:
        raise InvalidLink()
    used = db.session.execute(
        update(LoginToken)
        .where(LoginToken.id == record.id, LoginToken.used_at.is_(None))
        .values(used_at=now)
        .execution_options(synchronize_session=False)
    )
    if used.rowcount != 1:  # type: ignore[attr-defined]
        raise InvalidLink()
    db.session.refresh(record)
    return record


def link_url(token: str) -> str:
    """The absolute /link/<token> address for e-mails and the CLI."""
    return f"{str(current_app.config['BASE_URL']).rstrip('/')}/link/{token}"


def ensure_subject_users(people: Sequence[Person]) -> list[User]:
    """A sign-in account for each person (created as role subject when missing)."""
    emails = [person.email for person in people]
    known = {u.email: u for u in db.session.scalars(select(User).where(User.email.in_(emails)))}
    users = []
    for person in people:
        user = known.get(person.email)
        if user is None:
            user = User(email=person.email, role=UserRole.SUBJECT, person=person, active=True)
            db.session.add(user)
        elif user.person_id is None:
            user.person = person
        users.append(user)
    db.session.flush()
    return users


def release_sign_in_mails(campaign: Campaign, now: datetime) -> list[OutgoingMail]:
    """Accounts and 'your report is ready' sign-in e-mails for every subject of `campaign`."""
    query = select(Person).join(Subject, Subject.person_id == Person.id)
    people = list(db.session.scalars(query.where(Subject.campaign_id == campaign.id)))
    users = ensure_subject_users(people)
    return [
        sign_in_mail(user, person.name, now, campaign_name=campaign.name)
        for user, person in zip(users, people, strict=True)
    ]


def sign_in_mail(
    user: User, name: str, now: datetime, campaign_name: str | None = None
) -> OutgoingMail:
    """A one-time sign-in link e-mail for `user`."""
    token = issue_link_token(user, SIGN_IN, now)
    with in_language(user.person.language if user.person is not None else None):
        subject = (
            gettext("Your 360° feedback report is ready")
            if campaign_name
            else gettext("Your sign-in link")
        )
        return compose(
            "sign_in",
            to=user.email,
            subject=subject,
            name=name,
            campaign_name=campaign_name,
            link=link_url(token),
            valid_for=human_duration(int(current_app.config["SIGN_IN_LINK_MINUTES"])),
            request_url=f"{str(current_app.config['BASE_URL']).rstrip('/')}/request-link",
        )


def human_duration(minutes: int) -> str:
    """Return a link's lifetime as people say it: "90 minutes", "1 hour", "24 hours", "3 days".

    Whole days from 48 hours up, whole hours from 1 hour up, minutes otherwise.
    """
    day, hour = 24 * 60, 60
    if minutes >= 2 * day and minutes % day == 0:
        return ngettext("%(num)d day", "%(num)d days", minutes // day)
    if minutes >= hour and minutes % hour == 0:
        return ngettext("%(num)d hour", "%(num)d hours", minutes // hour)
    return ngettext("%(num)d minute", "%(num)d minutes", minutes)


def request_sign_in_mail(email: str, now: datetime) -> OutgoingMail | None:
    """A fresh sign-in e-mail when `email` belongs to an active subject account, else None.

    The page asking for it says the same thing either way (never reveals who has an account).
    """
    user = find_user(email)
    if user is None or not user.active or user.role is not UserRole.SUBJECT:
        return None
    name = user.person.name if user.person is not None else user.email
    return sign_in_mail(user, name, now)
