"""Forms for slot templates, generation, slots, blackouts, the grid and the export."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import BooleanField, DateField, IntegerField, SelectField, StringField, TimeField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from ..i18n import _, _l
from .fields import CheckboxesField, at_least_one

WEEKDAY_CHOICES = [
    SelectChoice("0", _l("Monday")),
    SelectChoice("1", _l("Tuesday")),
    SelectChoice("2", _l("Wednesday")),
    SelectChoice("3", _l("Thursday")),
    SelectChoice("4", _l("Friday")),
    SelectChoice("5", _l("Saturday")),
    SelectChoice("6", _l("Sunday")),
]
KIND_CHOICES = [
    SelectChoice("shadowing", _l("shadowing")),
    SelectChoice("headset", _l("on the headset")),
]


def end_not_before_start(form, start_name: str, end_name: str) -> bool:
    """A check within one form: the end field is not before the start field."""
    start, end = form[start_name].data, form[end_name].data
    if start and end and end < start:
        form[end_name].errors.append(_("The end must not be before the start."))
        return False
    return True


class TemplateForm(FlaskForm):
    weekdays = CheckboxesField(
        _l("Weekdays"), coerce=int, choices=WEEKDAY_CHOICES, validators=[at_least_one]
    )
    kind = SelectField(_l("Kind"), choices=KIND_CHOICES, validators=[DataRequired()])
    start_time = TimeField(_l("Start (local time)"), validators=[InputRequired()])
    end_time = TimeField(_l("End (local time)"), validators=[InputRequired()])
    capacity = IntegerField(
        _l("Places"), default=2, validators=[InputRequired(), NumberRange(min=0, max=50)]
    )
    is_active = BooleanField(_l("Active"), default=True)

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        start, end = self.start_time.data, self.end_time.data
        if start and end and end <= start:
            self.end_time.errors.append(_("The end must be after the start."))
            return False
        return valid


class GenerateForm(FlaskForm):
    start = DateField(_l("From"), validators=[InputRequired()])
    end = DateField(_l("To"), validators=[InputRequired()])

    def validate(self, extra_validators=None) -> bool:
        return super().validate(extra_validators) and end_not_before_start(self, "start", "end")


class CapacityForm(FlaskForm):
    capacity = IntegerField(_l("Places"), validators=[InputRequired(), NumberRange(min=0, max=50)])


class BlackoutForm(FlaskForm):
    scope = SelectField(_l("Site or team"), validators=[DataRequired()])
    start_date = DateField(_l("First day"), validators=[InputRequired()])
    end_date = DateField(_l("Last day"), validators=[InputRequired()])
    reason = StringField(
        _l("Reason"),
        validators=[DataRequired(), Length(max=200)],
        description=_l("Peak season, month-end billing run, training day ..."),
    )
    confirmed = BooleanField(_l("Cancel the rotations listed above"))

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        return end_not_before_start(self, "start_date", "end_date") and valid


class GridFilterForm(FlaskForm):
    """GET filters of the capacity grid; no CSRF since it changes nothing."""

    class Meta:
        csrf = False

    month = StringField(_l("Month"), validators=[Optional(), Length(max=7)])
    site_id = SelectField(_l("Site"), coerce=str, validators=[Optional()])
    topic = SelectField(_l("Topic"), validators=[Optional()])
    language = SelectField(_l("Language"), validators=[Optional()])


class ExportForm(FlaskForm):
    class Meta:
        csrf = False

    start = DateField(_l("From"), validators=[InputRequired()])
    end = DateField(_l("To"), validators=[InputRequired()])

    def validate(self, extra_validators=None) -> bool:
        return super().validate(extra_validators) and end_not_before_start(self, "start", "end")
