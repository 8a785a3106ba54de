"""A participant list on its way in: the uploaded file, kept between upload, mapping, preview and
confirm (several app instances may serve one leader, so not in memory or the cookie)."""

from __future__ import annotations

import datetime as dt
import json
import uuid

from sqlalchemy import ForeignKey, Integer, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from webapp.models.base import Base, UTCDateTime, public_id, utcnow


class ParticipantImport(Base):
    """One upload by one leader for one project. The file's bytes are dropped when the import is
    done (only the ids of the people it made stay, for printing their codes); the row goes after
    a day."""

    __tablename__ = "participant_imports"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[uuid.UUID] = public_id()
    project_id: Mapped[int] = mapped_column(ForeignKey("projects.id", ondelete="CASCADE"), index=True)
    leader_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    filename: Mapped[str] = mapped_column(String(200))
    content: Mapped[bytes | None] = mapped_column(LargeBinary)
    # {Stegvis field: column number in the file} as JSON, once the leader has chosen.
    mapping_json: Mapped[str | None] = mapped_column("mapping", Text)
    imported_at: Mapped[dt.datetime | None] = mapped_column(UTCDateTime)
    imported_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # The participations the import made (a JSON list of their ids), for the result page and the codes.
    participation_ids_json: Mapped[str | None] = mapped_column("participation_ids", Text)
    created_at: Mapped[dt.datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)

    @property
    def mapping(self) -> dict[str, int]:
        return {str(k): int(v) for k, v in json.loads(self.mapping_json or "{}").items()}

    @mapping.setter
    def mapping(self, value: dict[str, int]) -> None:
        self.mapping_json = json.dumps(value)

    @property
    def participation_ids(self) -> list[str]:
        return [str(v) for v in json.loads(self.participation_ids_json or "[]")]

    @participation_ids.setter
    def participation_ids(self, value: list[str]) -> None:
        self.participation_ids_json = json.dumps(value)
