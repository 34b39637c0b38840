"""Forms for sites."""

from flask_wtf import FlaskForm
from wtforms import SelectField, StringField
from wtforms.validators import DataRequired, Length, Optional, Regexp

from ..i18n import _l


class SiteForm(FlaskForm):
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    timezone = SelectField(
        _l("Time zone"),
        validators=[DataRequired()],
        description=_l("Slot times are entered and stored in this zone."),
    )
    address = StringField(_l("Address"), validators=[Optional(), Length(max=300)])
    holiday_region = StringField(
        _l("Public holidays"),
        validators=[
            Optional(),
            Regexp(r"^[A-Z]{2}(-[A-Z0-9]{1,3})?$", message=_l("Like DE-SN, DE-BY, AT or CH-ZH.")),
        ],
        description=_l("Country and state whose public holidays close the site, e.g. DE-SN or AT."),
    )
