"""Forms for teams."""

from flask_wtf import FlaskForm
from wtforms import SelectField, SelectMultipleField, StringField
from wtforms.validators import DataRequired, Length

from ..i18n import _l
from .fields import CommaListField, ItemLength, languages_field


class TeamForm(FlaskForm):
    site_id = SelectField(_l("Site"), coerce=int, validators=[DataRequired()])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    topics = CommaListField(
        _l("Topics"),
        validators=[ItemLength(max=60)],
        description=_l("What the team's calls are about, separated by commas."),
    )
    languages = languages_field(_l("Languages spoken"))
    lead_ids = SelectMultipleField(
        _l("Team leads"),
        coerce=int,
        description=_l("Only users with the team lead role are offered."),
    )
