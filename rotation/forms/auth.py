"""Forms of sign-in and the own account."""

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, Email, EqualTo, Length

from ..i18n import _l


class SignInForm(FlaskForm):
    email = EmailField(_l("Email"), validators=[DataRequired(), Email(), Length(max=254)])
    password = PasswordField(_l("Password"), validators=[DataRequired(), Length(max=200)])


class PasswordForm(FlaskForm):
    current_password = PasswordField(
        _l("Current password"), validators=[DataRequired(), Length(max=200)]
    )
    new_password = PasswordField(
        _l("New password"),
        validators=[DataRequired(), Length(min=10, max=200)],
        description=_l("At least 10 characters. Every other session of yours ends."),
    )
    confirm = PasswordField(
        _l("Repeat the new password"),
        validators=[DataRequired(), EqualTo("new_password", message=_l("The passwords differ."))],
    )


class LanguageForm(FlaskForm):
    locale = StringField(validators=[DataRequired(), Length(max=8)])
    next = StringField(validators=[Length(max=500)])
