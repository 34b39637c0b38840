"""Forms for buddy agents."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, SelectField, StringField
from wtforms.validators import DataRequired, Length

from ..i18n import _l
from .fields import languages_field


class AgentForm(FlaskForm):
    team_id = SelectField(_l("Team"), coerce=int, validators=[DataRequired()])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    languages = languages_field()
    is_active = BooleanField(
        _l("Active"),
        default=True,
        description=_l("Only active agents are offered as buddies for new rotations."),
    )
