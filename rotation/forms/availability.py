"""Forms for executives' availability and preferences."""

from __future__ import annotations

from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField
from wtforms.fields import SelectChoice
from wtforms.validators import InputRequired, Length

from ..i18n import _l
from .capacity import end_not_before_start
from .fields import languages_field

WEIGHT_CHOICES = [
    SelectChoice("0", _l("0 – no preference")),
    SelectChoice("1", _l("1 – fine")),
    SelectChoice("2", _l("2 – would like")),
    SelectChoice("3", _l("3 – would love")),
]


class RangeForm(FlaskForm):
    start_date = DateField(_l("First day"), validators=[InputRequired()])
    end_date = DateField(_l("Last day"), validators=[InputRequired()])
    reason = StringField(
        _l("Reason"),
        validators=[Length(max=200)],
        description=_l("Optional, like vacation or board week."),
    )

    def validate(self, extra_validators=None) -> bool:
        valid = super().validate(extra_validators)
        return end_not_before_start(self, "start_date", "end_date") and valid


class PreferencesBase(FlaskForm):
    languages = languages_field(_l("Languages you speak"))


def preferences_form(
    site_choices: list[tuple[int, str]], topics: list[str], **kwargs
) -> PreferencesBase:
    """A form with a 0-3 weight per site and per topic; the view passes both lists in."""

    class PreferencesForm(PreferencesBase):
        pass

    for site_id, name in site_choices:
        setattr(
            PreferencesForm,
            f"site_{site_id}",
            SelectField(name, coerce=int, choices=WEIGHT_CHOICES, default=0),
        )
    for index, topic in enumerate(topics):
        setattr(
            PreferencesForm,
            f"topic_{index}",
            SelectField(topic, coerce=int, choices=WEIGHT_CHOICES, default=0),
        )
    form = PreferencesForm(**kwargs)
    form.site_fields = [(site_id, form[f"site_{site_id}"]) for site_id, _name in site_choices]
    form.topic_fields = [(topic, form[f"topic_{i}"]) for i, topic in enumerate(topics)]
    return form
