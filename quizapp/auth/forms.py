"""Account forms; Flask-WTF adds the CSRF token to each."""

from flask_wtf import FlaskForm
from wtforms import EmailField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length


class LoginForm(FlaskForm):
    """Email and password."""

    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField("Password", validators=[DataRequired(), Length(max=1024)])


class RegisterForm(FlaskForm):
    """A student's self-registration, with the course join code when one is set."""

    email = EmailField("Email", validators=[DataRequired(), Length(max=254)])
    password = PasswordField(
        "Password",
        validators=[
            DataRequired(),
            Length(min=8, max=1024, message="Password must be at least 8 characters."),
        ],
    )
    confirm = PasswordField(
        "Repeat password", validators=[DataRequired(), EqualTo("password", "Passwords differ.")]
    )
    join_code = StringField("Course join code", validators=[Length(max=200)])


class PasswordForm(FlaskForm):
    """A password change: the current password, then the new one twice."""

    current = PasswordField("Current password", validators=[DataRequired(), Length(max=1024)])
    password = PasswordField(
        "New password",
        validators=[
            DataRequired(),
            Length(min=8, max=1024, message="Password must be at least 8 characters."),
        ],
    )
    confirm = PasswordField(
        "Repeat new password", validators=[DataRequired(), EqualTo("password", "Passwords differ.")]
    )
