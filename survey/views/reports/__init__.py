"""The reports blueprint: report pages, HR's organisation view and exports (`routes`), and the
plain-words sentences a report page shows (`wording`)."""

from survey.views.reports.routes import bp

__all__ = ["bp"]
