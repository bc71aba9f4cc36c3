"""The questionnaire editor: HR generates, edits, previews, saves and exports sets (issue 21)."""

from survey.views.questionnaires.routes import bp

__all__ = ["bp"]
