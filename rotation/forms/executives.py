"""Forms for executives: their profile, and their account when they are created."""

from flask_wtf import FlaskForm
from wtforms import EmailField, IntegerField, PasswordField, SelectField, StringField
from wtforms.validators import DataRequired, Email, InputRequired, Length, NumberRange, Optional

from ..i18n import _l
from .fields import languages_field

NO_SITE = 0


class ExecutiveForm(FlaskForm):
    title = StringField(_l("Title"), validators=[Optional(), Length(max=120)])
    department = StringField(_l("Department"), validators=[Optional(), Length(max=120)])
    languages = languages_field()
    home_site_id = SelectField(
        _l("Home site"),
        coerce=int,
        description=_l("The site where the executive works, if any."),
    )
    rotations_required = IntegerField(
        _l("Rotations per cycle"),
        default=1,
        validators=[InputRequired(), NumberRange(min=0, max=12)],
        description=_l("How many rotations the executive owes in each program cycle."),
    )


class NewExecutiveForm(ExecutiveForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    password = PasswordField(
        _l("Initial password"),
        validators=[DataRequired(), Length(min=10, max=200)],
        description=_l("At least 10 characters. Hand it over in person; they can change it."),
    )
