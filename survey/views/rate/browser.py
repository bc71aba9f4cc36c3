"""What this browser was shown on a rater link, kept in the signed session (SPEC §5, §6).

Two facts: the invitations whose open form it was shown (a late POST from it, e.g. a second
click or another tab, is told "already submitted" rather than "link not active"), and the one
invitation it has just submitted or declined (its thank-you page is shown once, even when
that used up the link).
"""

from __future__ import annotations

from flask import session

KNOWN_LIMIT = 50


def remember_invitation(invitation_id: int, scope: str = "rate") -> None:
    """Note that this browser was shown this invitation's form while it was open.

    `scope` keeps each kind of link's invitation ids apart (`rate`, `pulse`).
    """
    key = f"{scope}_known"
    known = [i for i in session.get(key, []) if i != invitation_id]
    session[key] = (known + [invitation_id])[-KNOWN_LIMIT:]


def knows_invitation(invitation_id: int, scope: str = "rate") -> bool:
    """True if this browser was shown the invitation's form (see remember_invitation)."""
    return invitation_id in session.get(f"{scope}_known", [])


def expect_thanks(invitation_id: int, scope: str = "rate") -> None:
    """This browser has just submitted or declined the invitation: thank it once."""
    remember_invitation(invitation_id, scope)
    session[f"{scope}_thanks"] = invitation_id


def take_thanks(invitation_id: int, scope: str = "rate") -> bool:
    """True (once) if this browser has just submitted or declined the invitation."""
    if session.get(f"{scope}_thanks") != invitation_id:
        return False
    session.pop(f"{scope}_thanks")
    return True
