import unicodedata

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


class PinField(PasswordField):
    """A PIN: digits only, a number keypad on phones, never shown on the screen.

    Digits in any script count as the same digits: an Arabic or Dari keyboard types ١٢٣ or ۱۲۳,
    and a PIN chosen so works when it is typed with 0–9 on another phone, and the other way round."""

    def process_formdata(self, valuelist):
        super().process_formdata(valuelist)
        if self.data:
            self.data = "".join(str(unicodedata.decimal(c)) if c.isdecimal() else c for c in self.data)

    def __call__(self, **kwargs):
        kwargs.setdefault("inputmode", "numeric")
        kwargs.setdefault("pattern", "[0-9]*")
        kwargs.setdefault("maxlength", "12")
        return super().__call__(**kwargs)


class PinForm(Form):
    pin = PinField(_l("PIN"), validators=[Required(_l("Write your PIN."))])


class NewPinForm(Form):
    """Choose a PIN: six digits, twice. Used at activation and when changing it."""

    code = HiddenField()
    pin = PinField(_l("Choose a PIN with 6 digits"), validators=[Required(_l("Choose a PIN."))])
    pin_again = PinField(_l("Write the PIN again"), validators=[Required(_l("Write the PIN again."))])

    def validate_pin(self, field):
        from webapp.auth.pin import pin_problem

        problem = pin_problem(field.data)
        if problem == "format":
            raise ValidationError(_l("The PIN must be 6 digits, for example 402719."))
        if problem == "easy":
            raise ValidationError(_l("This PIN is too easy to guess. Do not use the same digit or digits in a row."))

    def validate_pin_again(self, field):
        if field.data != self.pin.data:
            raise ValidationError(_l("The two PINs are not the same. Write them again."))


class TotpForm(Form):
    code = CleanStringField(
        _l("Code from the app"),
        validators=[Required(_l("Write the 6 digits from your authenticator app.")), MaxChars(12)],
    )
