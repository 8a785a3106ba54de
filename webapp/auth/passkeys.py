"""Passkeys (WebAuthn) with the `webauthn` package.

User verification is required: the phone checks its owner (PIN, pattern, fingerprint) before it
signs, so a passkey alone is two factors. The ceremony state (the challenge) is a database row
with a random id: any app instance can finish the ceremony, and only once (the row is deleted
by the first try, right or wrong).
"""

from __future__ import annotations

import datetime as dt
import json
import secrets
import uuid
from dataclasses import dataclass
from urllib.parse import urlsplit

from flask import current_app, request
from sqlalchemy import delete, select
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes
from webauthn.helpers.exceptions import InvalidAuthenticationResponse, InvalidRegistrationResponse
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from webapp import clock
from webapp.extensions import db
from webapp.models import Passkey, PasskeyChallenge, User

REGISTER = "register"
SIGN_IN = "sign-in"


class CeremonyError(Exception):
    """The browser's answer does not prove what it should. `reason` is a short code for the log."""

    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason


def relying_party() -> tuple[str, str]:
    """The RP id (a host name) and the expected origin."""
    cfg = current_app.config
    origin = cfg["WEBAUTHN_ORIGIN"] or request.host_url.rstrip("/")
    rp_id = cfg["WEBAUTHN_RP_ID"] or urlsplit(origin).hostname
    return rp_id, origin


def _store_challenge(purpose: str, challenge: bytes, user: User | None) -> str:
    now = clock.now()
    # Old, unfinished ceremonies go when new ones start: the table stays small without a job.
    db.session.execute(delete(PasskeyChallenge).where(PasskeyChallenge.expires_at < now))
    ceremony_id = secrets.token_urlsafe(32)
    db.session.add(PasskeyChallenge(
        id=ceremony_id, purpose=purpose, challenge=challenge, user_id=user.id if user else None,
        expires_at=now + dt.timedelta(seconds=current_app.config["PASSKEY_CEREMONY_SECONDS"]),
    ))
    return ceremony_id


def take_challenge(ceremony_id: str, purpose: str) -> PasskeyChallenge:
    """The ceremony's state, removed so that it can never be used again."""
    if not isinstance(ceremony_id, str) or not ceremony_id or len(ceremony_id) > 64:
        raise CeremonyError("no-ceremony")
    found = db.session.get(PasskeyChallenge, ceremony_id)
    if found is None:
        raise CeremonyError("no-ceremony")
    # Whoever deletes the row owns the ceremony: a second instance finishing it at the same
    # moment deletes nothing and fails.
    taken = db.session.execute(delete(PasskeyChallenge).where(PasskeyChallenge.id == ceremony_id)).rowcount
    db.session.commit()
    if taken != 1:
        raise CeremonyError("no-ceremony")
    if found.purpose != purpose:
        raise CeremonyError("wrong-ceremony")
    if found.expires_at <= clock.now():
        raise CeremonyError("expired")
    return found


def registration_options(user: User) -> dict:
    rp_id, _origin = relying_party()
    existing = db.session.scalars(select(Passkey.credential_id).where(Passkey.user_id == user.id))
    options = generate_registration_options(
        rp_id=rp_id,
        rp_name=current_app.config["WEBAUTHN_RP_NAME"],
        user_id=user.id.bytes,  # a random UUID: not a name, an email or a personal number
        user_name=user.login_name,
        user_display_name=user.name,
        challenge=secrets.token_bytes(32),
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED,
            user_verification=UserVerificationRequirement.REQUIRED,
        ),
        exclude_credentials=[PublicKeyCredentialDescriptor(id=cid) for cid in existing],
        timeout=current_app.config["PASSKEY_CEREMONY_SECONDS"] * 1000,
    )
    ceremony = _store_challenge(REGISTER, options.challenge, user)
    return {"ceremony": ceremony, "publicKey": json.loads(options_to_json(options))}


def register(user: User, ceremony_id: str, credential: dict, label: str) -> Passkey:
    state = take_challenge(ceremony_id, REGISTER)
    if state.user_id != user.id:
        raise CeremonyError("other-user")
    rp_id, origin = relying_party()
    try:
        verified = verify_registration_response(
            credential=credential, expected_challenge=state.challenge, expected_rp_id=rp_id,
            expected_origin=origin, require_user_verification=True,
        )
    except (InvalidRegistrationResponse, ValueError, KeyError, TypeError) as error:
        raise CeremonyError("invalid-registration") from error
    if db.session.scalar(select(Passkey.id).where(Passkey.credential_id == verified.credential_id)):
        raise CeremonyError("known-credential")
    passkey = Passkey(user_id=user.id, credential_id=verified.credential_id,
                      public_key=verified.credential_public_key, sign_count=verified.sign_count,
                      label=label[:60])
    db.session.add(passkey)
    return passkey


def sign_in_options() -> dict:
    rp_id, _origin = relying_party()
    options = generate_authentication_options(
        rp_id=rp_id, challenge=secrets.token_bytes(32),
        user_verification=UserVerificationRequirement.REQUIRED,
        timeout=current_app.config["PASSKEY_CEREMONY_SECONDS"] * 1000,
    )
    ceremony = _store_challenge(SIGN_IN, options.challenge, None)
    return {"ceremony": ceremony, "publicKey": json.loads(options_to_json(options))}


@dataclass(frozen=True)
class SignedIn:
    user: User
    passkey: Passkey


def authenticate(ceremony_id: str, credential: dict) -> SignedIn:
    """The person whose passkey signed this ceremony's challenge, with their phone's check."""
    state = take_challenge(ceremony_id, SIGN_IN)
    try:
        credential_id = base64url_to_bytes(credential["rawId"])
    except (KeyError, TypeError, ValueError) as error:
        raise CeremonyError("invalid-assertion") from error
    passkey = db.session.scalar(select(Passkey).where(Passkey.credential_id == credential_id))
    if passkey is None:
        raise CeremonyError("unknown-credential")
    rp_id, origin = relying_party()
    try:
        verified = verify_authentication_response(
            credential=credential, expected_challenge=state.challenge, expected_rp_id=rp_id,
            expected_origin=origin, credential_public_key=passkey.public_key,
            credential_current_sign_count=passkey.sign_count, require_user_verification=True,
        )
    except (InvalidAuthenticationResponse, ValueError, KeyError, TypeError) as error:
        raise CeremonyError("invalid-assertion") from error
    user = passkey.user
    if not user.is_active:
        raise CeremonyError("inactive")
    passkey.sign_count = verified.new_sign_count
    passkey.last_used_at = clock.now()
    return SignedIn(user, passkey)


def passkeys(user: User) -> list[Passkey]:
    return list(db.session.scalars(select(Passkey).where(Passkey.user_id == user.id).order_by(Passkey.created_at)))


def remove(user: User, passkey_id: uuid.UUID) -> bool:
    return db.session.execute(
        delete(Passkey).where(Passkey.public_id == passkey_id, Passkey.user_id == user.id)
    ).rowcount == 1


def device_label(user_agent: str | None) -> str:
    """A short name for the kind of device, so a person can tell their passkeys apart."""
    agent = (user_agent or "").lower()
    for needle, label in (("android", "Android"), ("iphone", "iPhone"), ("ipad", "iPad"),
                          ("windows", "Windows"), ("mac os", "Mac"), ("linux", "Linux")):
        if needle in agent:
            return label
    return "?"
