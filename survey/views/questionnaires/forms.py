"""Forms of the questionnaire editor (Flask-WTF: CSRF on every one)."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import (
    BooleanField,
    FieldList,
    Form,
    FormField,
    HiddenField,
    IntegerField,
    SelectField,
    StringField,
    SubmitField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import DataRequired, Length, NumberRange, Optional

from survey.domain.content import RATER_GROUPS
from survey.domain.content_edit import AreaEdit, ItemEdit, QuestionEdit
from survey.domain.generator import MAX_AREA_KEY
from survey.i18n import lazy_gettext
from survey.services.questionnaire_sets import MAX_NAME
from survey.views.admin_forms import GROUP_LABELS, MultiCheckboxField

MAX_DOCUMENT = 200_000  # characters of a pasted levels document
WORDING = [Optional(), Length(max=1000)]


class NewSetForm(FlaskForm):
    """A new set from a levels document, uploaded or pasted."""

    name = StringField(
        lazy_gettext("Name of the set"),
        validators=[Optional(), Length(max=MAX_NAME)],
        description=lazy_gettext("Leave empty to use the document's first line."),
    )
    document = FileField(
        lazy_gettext("Levels document (.txt or .md)"),
        description=lazy_gettext(
            "A heading per level (individual contributor, team leader, business "
            "leader), then a bullet per responsibility."
        ),
    )
    text = TextAreaField(
        lazy_gettext("…or paste it here"), validators=[Optional(), Length(max=MAX_DOCUMENT)]
    )
    submit = SubmitField(lazy_gettext("Generate a draft"))


class CopyBuiltInForm(FlaskForm):
    """A new set that starts as a copy of the built-in content."""

    copy_name = StringField(
        lazy_gettext("Name of the copy"), validators=[DataRequired(), Length(max=MAX_NAME)]
    )
    submit = SubmitField(lazy_gettext("Copy the built-in set"))


class ItemForm(FlaskForm):
    """One item: its three wordings, behaviour line, area, observers and `required`."""

    self_text = TextAreaField(
        lazy_gettext("Self wording"),
        validators=WORDING,
        description=lazy_gettext("First person: “I …”."),
    )
    other_text = TextAreaField(
        lazy_gettext("Others' wording"),
        validators=WORDING,
        description=lazy_gettext("About the subject, with {name} where their name goes."),
    )
    you_text = TextAreaField(
        lazy_gettext("Wording in the subject's own report"),
        validators=WORDING,
        description=lazy_gettext(
            "Second person: “You …”. Leave empty to derive it from the self wording."
        ),
    )
    behaviour = TextAreaField(lazy_gettext("Observable behaviour"), validators=WORDING)
    area = SelectField(lazy_gettext("Responsibility area"))
    observers = MultiCheckboxField(
        lazy_gettext("Who rates it"),
        choices=[SelectChoice(group, GROUP_LABELS[group]) for group in RATER_GROUPS],
        validators=[Optional()],
    )
    required = BooleanField(lazy_gettext("Answer required"))
    submit = SubmitField(lazy_gettext("Save to the draft"))

    def __init__(self, areas: list[tuple[str, str]], *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.area.choices = [SelectChoice(key, title) for key, title in areas]

    def to_edit(self) -> ItemEdit:
        """The posted item as an edit of the draft."""
        return ItemEdit(
            self_text=self.self_text.data or "",
            other_text=self.other_text.data or "",
            you_text=self.you_text.data or "",
            behaviour=self.behaviour.data or "",
            area=self.area.data or "",
            observers=tuple(g for g in RATER_GROUPS if g in (self.observers.data or ())),
            required=bool(self.required.data),
        )


def item_data(item: Mapping[str, Any]) -> dict[str, Any]:
    """An item of the draft as ItemForm data."""
    return {
        "self_text": item.get("self", ""),
        "other_text": item.get("other", ""),
        "you_text": item.get("you", ""),
        "behaviour": item.get("behaviour", ""),
        "area": item.get("area", ""),
        "observers": list(item.get("observers") or []),
        "required": bool(item.get("required")),
    }


class AreaRowForm(Form):
    """One area's title, description and order (its key never changes)."""

    key = HiddenField()
    title = StringField(lazy_gettext("Title"), validators=[Optional(), Length(max=200)])
    description = StringField(lazy_gettext("Description"), validators=[Optional(), Length(max=500)])
    order = IntegerField(
        lazy_gettext("Order"), validators=[DataRequired(), NumberRange(min=1, max=999)]
    )


class AreasForm(FlaskForm):
    """Every area of the set, and optionally a new one."""

    areas = FieldList(FormField(AreaRowForm))
    new_key = StringField(
        lazy_gettext("Key"),
        validators=[Optional(), Length(max=MAX_AREA_KEY)],
        description=lazy_gettext("Lower case letters, digits and _; it never changes once saved."),
    )
    new_title = StringField(lazy_gettext("Title"), validators=[Optional(), Length(max=200)])
    new_description = StringField(
        lazy_gettext("Description"), validators=[Optional(), Length(max=500)]
    )
    submit = SubmitField(lazy_gettext("Save areas"))

    def to_edits(self) -> list[AreaEdit]:
        """The posted areas as edits of the draft."""
        return [
            AreaEdit(
                row.form.key.data or "",
                row.form.title.data or "",
                row.form.description.data or "",
                row.form.order.data or 0,
            )
            for row in self.areas
        ]


class QuestionRowForm(Form):
    """One open question's wordings and `required`."""

    key = HiddenField()
    self_text = TextAreaField(lazy_gettext("Self wording"), validators=WORDING)
    other_text = TextAreaField(lazy_gettext("Others' wording (with {name})"), validators=WORDING)
    you_text = TextAreaField(
        lazy_gettext("Wording in the subject's own report"), validators=WORDING
    )
    required = BooleanField(lazy_gettext("Answer required"))


class QuestionsForm(FlaskForm):
    """Every open question of the set."""

    questions = FieldList(FormField(QuestionRowForm))
    submit = SubmitField(lazy_gettext("Save open questions"))

    def to_edits(self) -> list[QuestionEdit]:
        """The posted open questions as edits of the draft."""
        return [
            QuestionEdit(
                row.form.key.data or "",
                row.form.self_text.data or "",
                row.form.other_text.data or "",
                row.form.you_text.data or "",
                bool(row.form.required.data),
            )
            for row in self.questions
        ]


def question_rows(draft: Mapping[str, Any]) -> list[dict[str, Any]]:
    """The draft's open questions as QuestionsForm rows."""
    return [
        {
            "key": q["key"],
            "self_text": q.get("self", ""),
            "other_text": q.get("other", ""),
            "you_text": q.get("you", ""),
            "required": bool(q.get("required")),
        }
        for q in draft.get("open_questions") or []
    ]
