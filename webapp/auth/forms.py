from flask_babel import lazy_gettext as _l
from wtforms import HiddenField, PasswordField
from wtforms.validators import ValidationError

from webapp.forms import CleanStringField, Form, MaxChars, Required


class SignInForm(Form):
    login_name = CleanStringField(
        _l("Email or sign-in name"),
        validators=[Required(_l("Write your email or your sign-in name.")), MaxChars(254)],
    )
    password = PasswordField(_l("Password"), validators=[Required(_l("Write your password."))])


class ActivationCodeForm(Form):
    code = CleanStringField(
        _l("Activation code"),
        validators=[Required(_l("Write the code you got from your coach.")), MaxChars(20)],
    )


class SetPasswordForm(Form):
    code = HiddenField()
    password = PasswordField(
        _l("Choose a password"), validators=[Required(_l("Choose a password."))]
    )
    password_again = PasswordField(
        _l("Write the password again"), validators=[Required(_l("Write the password again."))]
    )

    def __init__(self, *args, min_length: int = 8, **kwargs):
        super().__init__(*args, **kwargs)
        self.min_length = min_length

    def validate_password(self, field):
        if len(field.data) < self.min_length:
            raise ValidationError(
                _l("The password must have at least %(count)s characters.", count=self.min_length)
            )
        if len(field.data) > 256:
            raise ValidationError(_l("The password can have at most 256 characters."))

    def validate_password_again(self, field):
        if field.data != self.password.data:
            raise ValidationError(_l("The two passwords are not the same. Write them again."))


class LanguageForm(Form):
    lang = HiddenField()
    next = HiddenField()
