"""HR's privacy pages under /admin: erase a person, the audit log, retention warnings (issue 20).

Same access as every HR page (signed out → sign-in; a subject → 403).
"""

from survey.views.privacy.routes import bp

__all__ = ["bp"]
