"""HR pages under /admin/questionnaires: generate a set from a levels document, edit its draft,
preview it as each rater group sees it, save versions, export TOML (issue 21).

The same HR sign-in as the other admin pages. GET reads; each POST changes the draft or saves a
version and commits once. Validation messages are `questionnaire check`'s.
"""

from __future__ import annotations

import io
import re
from typing import Any

from flask import (
    Blueprint,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    send_file,
    url_for,
)
from werkzeug.wrappers import Response

from survey.domain.answer_sheet import AnswerSheet
from survey.domain.content import LEVELS, RATER_GROUPS, Content, ContentError
from survey.domain.content_edit import (
    EditError,
    add_area,
    content_problems,
    edit_areas,
    edit_item,
    edit_questions,
    find_item,
)
from survey.domain.levels_document import DocumentError, DocumentProblem
from survey.domain.questionnaire import build_questionnaire
from survey.errors import NotFound, SurveyError
from survey.extensions import db
from survey.i18n import gettext
from survey.models import utcnow
from survey.models_questionnaire_sets import QuestionnaireSet
from survey.services import questionnaire_sets as sets
from survey.views.admin import require_hr
from survey.views.admin_forms import ActionForm, sentence
from survey.views.questionnaires.forms import (
    AreasForm,
    CopyBuiltInForm,
    ItemForm,
    NewSetForm,
    QuestionsForm,
    item_data,
    question_rows,
)
from survey.views.rate.forms import scale_options
from survey.views.rate.pages import progress

bp = Blueprint("questionnaires", __name__, url_prefix="/admin/questionnaires")
bp.before_request(require_hr)
ViewResult = str | Response | tuple[str, int]
EXAMPLE_SUBJECT = "Alex Example"  # the subject's name in a preview


@bp.get("/")
def index() -> str:
    """The built-in set and every stored set, with the forms to start a new one."""
    return _index(NewSetForm(), CopyBuiltInForm())


def _index(
    new_form: NewSetForm, copy_form: CopyBuiltInForm, problems: list[DocumentProblem] | None = None
) -> str:
    return render_template(
        "questionnaires/index.html",
        sets=sets.list_sets(),
        latest=sets.latest_version,
        unsaved=sets.has_unsaved_changes,
        built_in=sets.BUILT_IN_NAME,
        new_form=new_form,
        copy_form=copy_form,
        problems=problems or [],
    )


@bp.post("/new")
def new_set() -> ViewResult:
    """Generate a draft from an uploaded or pasted levels document; errors name their lines."""
    form, copy_form = NewSetForm(), CopyBuiltInForm(formdata=None)
    if not form.validate_on_submit():
        return _index(form, copy_form), 422
    try:
        text, source = _document(form)
        created = sets.create_set(form.name.data or "", text, source, utcnow())
    except DocumentError as error:
        db.session.rollback()
        form.form_errors.append(gettext("This is not a levels document yet: fix the lines below."))
        return _index(form, copy_form, error.problems), 422
    except SurveyError as error:
        db.session.rollback()
        form.form_errors.append(sentence(str(error)))
        return _index(form, copy_form), 422
    db.session.commit()
    flash(_generated_message(created), "success")
    return redirect(url_for("questionnaires.edit", set_id=created.id))


def _document(form: NewSetForm) -> tuple[str, str]:
    """(text, file name) of the uploaded file, else of the pasted text; SurveyError if none."""
    upload = form.document.data  # a FileStorage, or None when no file was chosen
    if upload is not None and upload.filename:
        try:
            return upload.read().decode("utf-8-sig"), upload.filename
        except UnicodeDecodeError:
            message = "the file is not UTF-8 text: save it as plain text (UTF-8)"
            raise SurveyError(message) from None
    if (form.text.data or "").strip():
        return form.text.data or "", "pasted text"
    raise SurveyError("choose a file or paste the document")


def _generated_message(created: QuestionnaireSet) -> str:
    to_word = len(created.notes or {})
    message = gettext(
        "Draft “%(name)s” generated: check each item, then save a version.", name=created.name
    )
    if not to_word:
        return message
    return message + " " + gettext("%(count)s item(s) need wording by hand.", count=to_word)


@bp.post("/copy")
def copy_built_in() -> ViewResult:
    """Start a new set from the built-in content."""
    form, new_form = CopyBuiltInForm(), NewSetForm(formdata=None)
    if not form.validate_on_submit():
        return _index(new_form, form), 422
    try:
        created = sets.copy_built_in(form.copy_name.data or "", utcnow())
    except SurveyError as error:
        db.session.rollback()
        form.form_errors.append(sentence(str(error)))
        return _index(new_form, form), 422
    db.session.commit()
    flash(
        gettext(
            "“%(name)s” is a copy of the built-in set: edit it, then save a version.",
            name=created.name,
        ),
        "success",
    )
    return redirect(url_for("questionnaires.edit", set_id=created.id))


@bp.get("/<int:set_id>")
def edit(set_id: int) -> str:
    """The draft: what `questionnaire check` says, notes, areas, items and open questions."""
    questionnaire_set = _set(set_id)
    draft = questionnaire_set.draft
    return render_template(
        "questionnaires/edit.html",
        qset=questionnaire_set,
        draft=draft,
        problems=[str(p) for p in content_problems(draft)],
        areas={area["key"]: area for area in draft.get("areas") or []},
        levels=[(level, (draft.get("levels") or {}).get(level) or {}) for level in LEVELS],
        latest=sets.latest_version(questionnaire_set),
        unsaved=sets.has_unsaved_changes(questionnaire_set),
        action_form=ActionForm(),
    )


@bp.route("/<int:set_id>/items/<key>", methods=["GET", "POST"])
def item(set_id: int, key: str) -> ViewResult:
    """Edit one item; it is saved to the draft even while invalid, with the problems shown."""
    questionnaire_set = _set(set_id)
    try:
        level, found = find_item(questionnaire_set.draft, key)
    except EditError:
        abort(404)
    areas = [(a["key"], a["title"] or a["key"]) for a in questionnaire_set.draft["areas"]]
    form = ItemForm(areas, data=item_data(found))
    if form.validate_on_submit():
        changed = edit_item(questionnaire_set.draft, key, form.to_edit())
        problems = _problems_of(changed, key)
        sets.update_draft(questionnaire_set, changed, utcnow(), done=[] if problems else [key])
        db.session.commit()
        if not problems:
            flash(gettext("Item saved to the draft."), "success")
            return redirect(url_for("questionnaires.edit", set_id=set_id) + f"#item-{key}")
        flash(
            gettext("Saved to the draft. Fix the problems below before saving a version."),
            "warning",
        )
        return redirect(url_for("questionnaires.item", set_id=set_id, key=key))
    page = render_template(
        "questionnaires/item.html",
        qset=questionnaire_set,
        level=level,
        item=found,
        responsibility=_responsibility_of(questionnaire_set.draft, level, key),
        note=(questionnaire_set.notes or {}).get(key, ""),
        problems=_problems_of(questionnaire_set.draft, key),
        form=form,
    )
    return page, 422 if form.errors else 200


def _responsibility_of(draft: dict[str, Any], level: str, key: str) -> dict[str, Any]:
    for responsibility in draft["levels"][level]["responsibilities"]:
        if any(item.get("key") == key for item in responsibility.get("items") or []):
            return dict(responsibility)
    return {}


def _problems_of(draft: dict[str, Any], key: str) -> list[str]:
    return [str(p) for p in content_problems(draft) if p.key == key]


@bp.route("/<int:set_id>/areas", methods=["GET", "POST"])
def areas(set_id: int) -> ViewResult:
    """Edit every area's title, description and order; add an area."""
    questionnaire_set = _set(set_id)
    current = questionnaire_set.draft.get("areas") or []
    form = AreasForm(data={"areas": current})
    if form.validate_on_submit():
        try:
            changed = _areas_changed(questionnaire_set, form)
        except EditError as error:
            form.form_errors.append(sentence(str(error)) + ".")
        else:
            return _save(questionnaire_set, changed, gettext("Areas saved to the draft."))
    status = 422 if form.errors or form.form_errors else 200
    return render_template("questionnaires/areas.html", qset=questionnaire_set, form=form), status


def _areas_changed(questionnaire_set: QuestionnaireSet, form: AreasForm) -> dict[str, Any]:
    changed = edit_areas(questionnaire_set.draft, form.to_edits())
    if (form.new_key.data or "").strip():
        changed = add_area(
            changed,
            form.new_key.data or "",
            form.new_title.data or "",
            form.new_description.data or "",
        )
    return changed


@bp.route("/<int:set_id>/questions", methods=["GET", "POST"])
def questions(set_id: int) -> ViewResult:
    """Edit the open questions' wordings and `required`."""
    questionnaire_set = _set(set_id)
    form = QuestionsForm(data={"questions": question_rows(questionnaire_set.draft)})
    if form.validate_on_submit():
        try:
            changed = edit_questions(questionnaire_set.draft, form.to_edits())
        except EditError:
            abort(400)  # only a hand-made form names a question the set does not have
        return _save(questionnaire_set, changed, gettext("Open questions saved to the draft."))
    status = 422 if form.errors else 200
    page = render_template("questionnaires/questions.html", qset=questionnaire_set, form=form)
    return page, status


def _save(questionnaire_set: QuestionnaireSet, changed: dict[str, Any], message: str) -> Response:
    """Store the changed draft, commit, and go back to the overview."""
    sets.update_draft(questionnaire_set, changed, utcnow())
    db.session.commit()
    flash(message, "success")
    return redirect(url_for("questionnaires.edit", set_id=questionnaire_set.id))


@bp.post("/<int:set_id>/save")
def save(set_id: int) -> Response:
    """Save the draft as the next version, or list what `questionnaire check` says is wrong."""
    questionnaire_set = _set(set_id)
    if not ActionForm().validate_on_submit():
        abort(400)
    back = url_for("questionnaires.edit", set_id=set_id)
    if questionnaire_set.notes:
        flash(gettext("Some items still need wording by hand (marked below)."), "error")
        return redirect(back)
    try:
        version = sets.save_version(questionnaire_set, utcnow())
    except ContentError as error:
        db.session.rollback()
        flash(
            gettext(
                "Not saved: %(count)s problem(s) to fix (listed below).", count=len(error.problems)
            ),
            "error",
        )
        return redirect(back)
    db.session.commit()
    flash(
        gettext(
            "Saved as version %(number)s. Campaigns launched earlier keep their questionnaire.",
            number=version.number,
        ),
        "success",
    )
    return redirect(back)


@bp.get("/<int:set_id>/preview")
@bp.get("/built-in/preview", defaults={"set_id": None})
def preview(set_id: int | None) -> ViewResult:
    """The rater form as one group sees it, built from the draft; nothing is saved."""
    level = request.args.get("level", "team_leader")
    group = request.args.get("group", "peers")
    if level not in LEVELS or group not in RATER_GROUPS:
        abort(404)
    questionnaire_set = _set(set_id) if set_id is not None else None
    try:
        content = (
            Content.from_snapshot(questionnaire_set.draft)
            if questionnaire_set
            else sets.built_in_content()
        )
    except ContentError as error:
        return render_template(
            "questionnaires/preview.html",
            qset=questionnaire_set,
            level=level,
            group=group,
            problems=[str(p) for p in error.problems],
            questionnaire=None,
        ), 422
    next_level = request.args.get("next") == "1"
    questionnaire = build_questionnaire(
        level, group, next_level, subject_name=EXAMPLE_SUBJECT, content=content
    )
    sheet = AnswerSheet()
    return render_template(
        "questionnaires/preview.html",
        qset=questionnaire_set,
        level=level,
        group=group,
        next_level=next_level,
        problems=[],
        questionnaire=questionnaire,
        sheet=sheet,
        progress=progress(questionnaire, sheet),
        scale_options=scale_options(questionnaire.scale),
        comment_max_length=int(current_app.config["COMMENT_MAX_LENGTH"]),
    )


@bp.get("/<int:set_id>/export")
@bp.get("/built-in/export", defaults={"set_id": None})
def export(set_id: int | None) -> Response:
    """The set as a zip of TOML files: `?version=N`, else the draft (notes as comments)."""
    if set_id is None:
        data = sets.built_in_content().without_translations().to_snapshot()
        notes, name, source = {}, "built-in", ""
    else:
        questionnaire_set = _set(set_id)
        data, notes = questionnaire_set.draft, questionnaire_set.notes or {}
        name, source = questionnaire_set.name, questionnaire_set.source_name
        number = request.args.get("version", type=int)
        if number is not None:
            found = [v for v in questionnaire_set.versions if v.number == number]
            if not found:
                abort(404)
            data, notes, name = found[0].content, {}, f"{name} version {number}"
    folder = re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-") or "questionnaires"
    archive = sets.toml_zip(data, notes, folder, source)
    return send_file(
        io.BytesIO(archive),
        mimetype="application/zip",
        as_attachment=True,
        download_name=f"{folder}.zip",
    )


def _set(set_id: int) -> QuestionnaireSet:
    try:
        return sets.get_set(set_id)
    except NotFound:
        abort(404)
