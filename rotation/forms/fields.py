"""Fields that several forms share."""

from __future__ import annotations

import re

from wtforms import SelectMultipleField, StringField
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from ..i18n import _, _l

# Messages that quote what the user typed use _, never _l: flask-babel's lazy strings mark
# themselves as safe HTML, so Jinja would not escape the quoted input.
LANGUAGE_CODE = re.compile(r"^[a-z]{2}$")


class CommaListField(StringField):
    """Text like 'billing, returns' whose data is ['billing', 'returns'].

    A failed POST shows the text exactly as typed, not the cleaned list.
    """

    def __init__(self, *args, lowercase: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.lowercase = lowercase

    def process_formdata(self, valuelist):
        if valuelist:
            text = valuelist[0].lower() if self.lowercase else valuelist[0]
            self.data = [item.strip() for item in text.split(",") if item.strip()]

    def _value(self):
        if self.raw_data:
            return self.raw_data[0]
        return ", ".join(self.data or [])


class ItemLength:
    """Each entry of a CommaListField is at most max characters long."""

    def __init__(self, max: int):
        self.max = max

    def __call__(self, form, field):
        for item in field.data or []:
            if len(item) > self.max:
                raise ValidationError(
                    _("'%(item)s' is longer than %(n)d characters.", item=item, n=self.max)
                )


def language_codes(form, field) -> None:
    """Every entry is a two-letter lowercase language code (ISO 639-1, like de or en)."""
    if not field.data:
        raise ValidationError(_("Enter at least one language, like de, en."))
    for code in field.data:
        if not LANGUAGE_CODE.match(code):
            raise ValidationError(
                _("'%(code)s' is not a two-letter language code like de or en.", code=code)
            )


def languages_field(label=None) -> CommaListField:
    return CommaListField(
        label or _l("Languages"),
        lowercase=True,
        validators=[language_codes],
        description=_l("Two-letter codes separated by commas, like de, en."),
    )


class CheckboxesField(SelectMultipleField):
    """A multiple choice shown as a list of checkboxes."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


def at_least_one(form, field) -> None:
    """Like DataRequired for checkboxes, without marking every single box as required."""
    if not field.data:
        raise ValidationError(_("Choose at least one."))
