"""Forms for planning runs: the start form and the small POST forms of the run and draft pages."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, HiddenField, IntegerField, SelectMultipleField
from wtforms.validators import InputRequired, NumberRange, Optional, ValidationError

from ..i18n import _, _l
from .capacity import end_not_before_start
from .fields import CheckboxesField

MIN_TIME_LIMIT_S = 5
MAX_TIME_LIMIT_S = 600
DEFAULT_TIME_LIMIT_S = 30
# A year and a day: a horizon may span one whole year, a leap year included.
MAX_HORIZON_DAYS = 366


def time_limit_field() -> IntegerField:
    return IntegerField(
        _l("Time limit (seconds)"),
        default=DEFAULT_TIME_LIMIT_S,
        validators=[
            InputRequired(),
            NumberRange(min=MIN_TIME_LIMIT_S, max=MAX_TIME_LIMIT_S),
        ],
        description=_l(
            "How long the planner may search, from 5 to 600 seconds. "
            "It stops earlier when it has proven the best plan."
        ),
    )


class StartRunForm(FlaskForm):
    """Choose a horizon, the sites and teams to plan (none chosen means all) and a time limit."""

    start = DateField(_l("First day"), validators=[InputRequired()])
    end = DateField(_l("Last day"), validators=[InputRequired()])
    site_ids = CheckboxesField(
        _l("Sites"),
        coerce=int,
        validators=[Optional()],
        description=_l("Leave empty to plan every site."),
    )
    team_ids = SelectMultipleField(
        _l("Teams"),
        coerce=int,
        validators=[Optional()],
        description=_l(
            "Leave empty to plan every team of the chosen sites. "
            "Hold Ctrl (⌘ on a Mac) to choose several."
        ),
    )
    time_limit_s = time_limit_field()

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        if not end_not_before_start(self, "start", "end"):
            return False
        start, end = self.start.data, self.end.data
        if start and end and (end - start).days + 1 > MAX_HORIZON_DAYS:
            self.end.errors.append(_("A horizon spans at most one year."))
            return False
        return valid


class SlotIdsField(HiddenField):
    """Slot ids as a hidden '12,13' whose data is [12, 13]."""

    def process_formdata(self, valuelist):
        self.data = []
        if valuelist and valuelist[0].strip():
            try:
                self.data = [int(part) for part in valuelist[0].split(",") if part.strip()]
            except ValueError as err:
                self.data = []
                raise ValueError(_("Slot ids are whole numbers separated by commas.")) from err

    def _value(self):
        return ",".join(str(slot_id) for slot_id in self.data or [])


def some_slots(form, field) -> None:
    if not field.data:
        raise ValidationError(_("Name the slots of the rotation."))


class AdjustForm(FlaskForm):
    """Pin or drop one rotation of the draft; with clear, undo that executive's adjustment."""

    executive_id = IntegerField(validators=[InputRequired(), NumberRange(min=1)])
    slot_ids = SlotIdsField(validators=[some_slots])
    clear = BooleanField()


class RerunForm(FlaskForm):
    """Run again over the same horizon, with the draft's pins as fixed and drops forbidden."""

    time_limit_s = time_limit_field()


class ActionForm(FlaskForm):
    """A button that changes something: cancel a run, publish a draft. Only the CSRF token."""
