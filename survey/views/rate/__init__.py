"""The rater blueprint: pages behind the e-mailed link `/r/<token>` (SPEC §5, §6).

`routes` holds the views, `forms` the decline form and the answer scale's options, `pages`
what the templates show (progress, times in the campaign's zone, statuses in words), and
`browser` what this browser was shown, kept in the signed session.
"""

from survey.views.rate.routes import bp

__all__ = ["bp"]
