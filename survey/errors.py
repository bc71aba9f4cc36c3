"""The project's one error family: every domain and service error is a SurveyError."""


class SurveyError(Exception):
    """An error with a message fit to show a user (CLI line, form error, 4xx page)."""


class NotFound(SurveyError):
    """A named thing (campaign, person, subject, invitation) does not exist."""


class InvalidState(SurveyError):
    """An action is not allowed in the object's current state (SPEC §5)."""
