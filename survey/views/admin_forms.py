"""Forms of the HR pages (Flask-WTF: CSRF on every one)."""

from __future__ import annotations

from typing import Any
from zoneinfo import ZoneInfoNotFoundError

from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import (
    BooleanField,
    DateField,
    EmailField,
    Field,
    IntegerField,
    SelectField,
    SelectMultipleField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from survey.domain.deadlines import DeadlineError, check_timezone, timezone_names
from survey.domain.languages import LANGUAGES
from survey.domain.schedule import ScheduleError, parse_reminder_days
from survey.domain.text import name_problems
from survey.i18n import lazy_gettext
from survey.models import LEVELS, RATER_GROUPS
from survey.services.questionnaire_sets import BUILT_IN_NAME, launchable_sets

LEVEL_LABELS = {
    "individual_contributor": lazy_gettext("Individual contributors"),
    "team_leader": lazy_gettext("Team leaders"),
    "business_leader": lazy_gettext("Business leaders"),
}
LEVEL_NAMES = {
    "individual_contributor": lazy_gettext("Individual contributor"),
    "team_leader": lazy_gettext("Team leader"),
    "business_leader": lazy_gettext("Business leader"),
}
GROUP_LABELS = {
    "self": lazy_gettext("Self"),
    "manager": lazy_gettext("Manager"),
    "peers": lazy_gettext("Peer"),
    "direct_reports": lazy_gettext("Direct report"),
}


class ActionForm(FlaskForm):
    """A button that changes something: only the CSRF token travels."""

    submit = SubmitField(lazy_gettext("Confirm"))


class PersonLanguageForm(FlaskForm):
    """One person's language (SPEC §14): their e-mails and pages; empty = DEFAULT_LANGUAGE."""

    email = EmailField(lazy_gettext("E-mail"), validators=[DataRequired(), Length(max=254)])
    language = SelectField(
        lazy_gettext("Language"),
        choices=[SelectChoice("", lazy_gettext("Default"))]
        + [SelectChoice(key, name) for key, name in LANGUAGES.items()],
        default="",
    )
    submit = SubmitField(lazy_gettext("Set language"))


class UploadPeopleForm(FlaskForm):
    """The org-chart CSV."""

    file = FileField(
        lazy_gettext("Org chart (CSV)"),
        validators=[FileRequired(lazy_gettext("Choose a CSV file."))],
        description=lazy_gettext(
            "Columns email,name,level,manager_email,team (and language: en, de, optional). "
            "Comma or semicolon; "
            "UTF-8 with or without BOM (Excel's “CSV UTF-8”)."
        ),
    )
    submit = SubmitField(lazy_gettext("Import"))


class MultiCheckboxField(SelectMultipleField):
    """Several checkboxes for one multiple-choice field."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def _valid_zone(form: FlaskForm, field: Field) -> None:
    try:
        check_timezone(field.data or "")
    except (DeadlineError, ZoneInfoNotFoundError) as error:
        raise ValidationError(str(error)) from None


def _plain_name(form: FlaskForm, field: Field) -> None:
    problems = name_problems(field.data or "", "the name")
    if problems:
        raise ValidationError(sentence("; ".join(problems)) + ".")


class DaysField(StringField):
    """Whole days as text ("7, 2"), shown from a stored list of numbers."""

    def _value(self) -> str:
        if isinstance(self.data, list | tuple):
            return ", ".join(str(day) for day in self.data)
        return str(self.data or "")


def _valid_days(form: FlaskForm, field: Field) -> None:
    try:
        parse_reminder_days(field.data or "")
    except ScheduleError as error:
        raise ValidationError(str(error)) from None


class CampaignSettingsForm(FlaskForm):
    """Name, deadline (date + IANA zone), k and peers: editable while draft."""

    name = StringField(
        lazy_gettext("Name"), validators=[DataRequired(), Length(max=200), _plain_name]
    )
    deadline = DateField(
        lazy_gettext("Deadline"),
        validators=[DataRequired()],
        description=lazy_gettext(
            "Answers are accepted until the end of this day in the time zone below."
        ),
    )
    timezone = SelectField(
        lazy_gettext("Time zone"), validators=[DataRequired(), _valid_zone], default="Europe/Paris"
    )
    min_raters = IntegerField(
        lazy_gettext("Minimum group size (k)"),
        default=3,
        validators=[DataRequired(), NumberRange(min=2, max=50)],
        description=lazy_gettext(
            "Peer and direct-report answers are only shown in groups of at least this "
            "many people (the anonymity threshold k)."
        ),
    )
    spread_min = IntegerField(
        lazy_gettext("Show agreement from"),
        validators=[Optional(), NumberRange(min=2, max=50)],
        description=lazy_gettext(
            "Answers a figure needs before the report says how much raters agree "
            "(high, moderate, low). Leave empty for 5, or the minimum group size when larger."
        ),
    )
    max_peers = IntegerField(
        lazy_gettext("Peers per subject at most"),
        validators=[Optional(), NumberRange(min=1, max=50)],
        description=lazy_gettext("Leave empty for 5, or 8 when subjects choose their peers."),
    )
    # nomination and the clock (SPEC §13, issue 18); drawn by nominate/_campaign_fields.html
    nomination = BooleanField(
        lazy_gettext("Subjects choose their peers; their manager approves the list")
    )
    nomination_deadline = DateField(  # its label avoids "deadline": one field answers to that
        lazy_gettext("Lists due by"),
        validators=[Optional()],
        description=lazy_gettext(
            "Optional: the last day subjects can send a list (the time zone above)."
        ),
    )
    min_peers = IntegerField(
        lazy_gettext("Peers per list at least"),
        default=3,
        validators=[Optional(), NumberRange(min=1, max=50)],
    )
    max_requests_per_rater = IntegerField(
        lazy_gettext("Requests per rater at most"),
        default=8,
        validators=[DataRequired(), NumberRange(min=1, max=100)],
        description=lazy_gettext("Nobody is asked about more people than this in the campaign."),
    )
    reminder_days = DaysField(
        lazy_gettext("Reminders, days before closing"),
        validators=[Optional(), Length(max=100), _valid_days],
        description=lazy_gettext(
            "E.g. 7, 2: sent by survey tick before answers close and before lists are due."
        ),
    )
    release_after_days = IntegerField(
        lazy_gettext("Release reports automatically, days after close"),
        validators=[Optional(), NumberRange(min=0, max=365)],
        description=lazy_gettext("Leave empty to release by hand."),
    )
    questionnaire_set_id = SelectField(
        lazy_gettext("Questionnaire"),
        coerce=int,
        default=0,
        description=lazy_gettext(
            "The set's latest saved version is copied into the campaign at launch; "
            "later versions never change a launched campaign."
        ),
    )
    submit = SubmitField(lazy_gettext("Save"))

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.timezone.choices = [SelectChoice(zone, zone) for zone in timezone_names()]
        self.questionnaire_set_id.choices = [
            SelectChoice(0, BUILT_IN_NAME),
            *(SelectChoice(set_id, label) for set_id, label in launchable_sets()),
        ]
        if self.questionnaire_set_id.data is None:  # a campaign's NULL: the built-in set
            self.questionnaire_set_id.data = 0


class SubjectsForm(FlaskForm):
    """Who is reviewed: everyone at some levels, and people by e-mail."""

    levels = MultiCheckboxField(
        lazy_gettext("Review everyone at these levels"),
        choices=[SelectChoice(level, LEVEL_LABELS[level]) for level in LEVELS],
        validators=[Optional()],
    )
    emails = TextAreaField(
        lazy_gettext("Review these people"),
        validators=[Optional(), Length(max=200_000)],
        description=lazy_gettext("E-mail addresses, one per line or separated by commas."),
    )
    next_level = TextAreaField(
        lazy_gettext("Also ask about the next level for"),
        validators=[Optional(), Length(max=200_000)],
        description=lazy_gettext(
            "E-mail addresses of people aspiring to move up (readiness section)."
        ),
    )
    submit = SubmitField(lazy_gettext("Add subjects"))


class CampaignForm(CampaignSettingsForm, SubjectsForm):
    """A new campaign: settings and its first subjects."""

    submit = SubmitField(lazy_gettext("Create draft campaign"))


class AddRaterForm(FlaskForm):
    """HR adds one rater for one subject before launch."""

    email = EmailField(lazy_gettext("Rater's e-mail"), validators=[DataRequired(), Length(max=254)])
    group = SelectField(
        lazy_gettext("As"),
        choices=[SelectChoice(g, GROUP_LABELS[g]) for g in RATER_GROUPS if g != "self"],
    )
    submit = SubmitField(lazy_gettext("Add rater"))


def split_emails(text: str | None) -> list[str]:
    """E-mails typed one per line, or separated by commas, semicolons or spaces."""
    for separator in ",;\t\r\n":
        text = (text or "").replace(separator, " ")
    return [part for part in (text or "").split(" ") if part]


def plural(count: int, one: str, many: str) -> str:
    """Return "1 subject" / "2 subjects": the count with the right form of the noun."""
    return f"{count} {one if count == 1 else many}"


def sentence(text: str) -> str:
    """Return a message as a banner shows it: first letter capitalised, the rest untouched."""
    return text[:1].upper() + text[1:]
