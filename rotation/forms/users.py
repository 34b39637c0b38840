"""Forms for user accounts."""

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.fields import SelectChoice
from wtforms.validators import DataRequired, Email, Length, Optional

from ..i18n import _l
from ..models import Role
from .fields import CheckboxesField, at_least_one

ROLE_CHOICES = [
    SelectChoice(Role.PROGRAM_MANAGER.value, _l("Program manager")),
    SelectChoice(Role.TEAM_LEAD.value, _l("Team lead")),
    SelectChoice(Role.EXECUTIVE.value, _l("Executive")),
]


class UserForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    name = StringField(_l("Name"), validators=[DataRequired(), Length(max=120)])
    roles = CheckboxesField(
        _l("Roles"),
        choices=ROLE_CHOICES,
        validators=[at_least_one],
    )


class NewUserForm(UserForm):
    password = PasswordField(
        _l("Initial password"),
        validators=[DataRequired(), Length(min=10, max=200)],
        description=_l("At least 10 characters. Hand it over in person; they can change it."),
    )


class EditUserForm(UserForm):
    new_password = PasswordField(
        _l("New password"),
        validators=[Optional(), Length(min=10, max=200)],
        description=_l("Leave empty to keep the password. A new one ends all their sessions."),
    )
