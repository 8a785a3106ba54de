"""Demo consents: Amina agreed in the app to share with Arbetsförmedlingen, and her coach shared
once; Erik signed a paper for Försäkringskassan (the activity summary only, for two months)."""

from __future__ import annotations

import datetime as dt

from webapp import clock
from webapp.extensions import db
from webapp.models import Consent, ConsentShare, Participation, User


def load(participations: dict[str, Participation], coaches: dict[str, User]) -> None:
    now, today = clock.now(), clock.today()
    amina, erik = participations["amina"], participations["erik"]
    to_af = Consent(
        participation_id=amina.id, recipient="Arbetsförmedlingen Piteå", share_plan=True, share_activity_summary=True,
        purpose="Planera min praktik", given_by_id=amina.participant_id, given_at=now - dt.timedelta(days=10),
    )
    db.session.add(to_af)
    db.session.add(Consent(
        participation_id=erik.id, recipient="Försäkringskassan", share_plan=False, share_activity_summary=True,
        valid_until=today + dt.timedelta(days=60), on_paper=True, given_by_id=coaches["Arvidsjaur"].id,
        given_at=now - dt.timedelta(days=4),
    ))
    db.session.flush()
    db.session.add(ConsentShare(
        consent_id=to_af.id, participation_id=amina.id, share_plan=True, share_activity_summary=False,
        shared_by_id=amina.coach_id, shared_at=now - dt.timedelta(days=7),
    ))
