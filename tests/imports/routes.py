"""The imports routes in the access matrix, and real ids to build their URLs (tests/access_matrix.py
merges both). MATRIX: {endpoint: who may open it}; args(rule_args, world): {argument: value}."""

from __future__ import annotations

MATRIX: dict[str, str] = {
    "imports.upload": "leader",
    "imports.columns": "leader",
    "imports.preview": "leader",
    "imports.confirm": "leader",
    "imports.result": "leader",
    "imports.codes": "leader",
}


def valid_csv(world) -> bytes:
    """A list of one person that world.project can import."""
    return ("Namn;Kön;Födelseår;Kommun;Inskriven;Coach\n"
            f"Nora Nyström;kvinna;1991;Piteå;2026-01-15;{world.coach.email}\n").encode()


class _UploadId:
    """world.leader's upload of valid_csv for world.project, columns chosen, not imported: made
    when the URL is built (url_for runs in an app context); the same upload for every URL of one world."""

    def __init__(self, world):
        self.world = world

    def __str__(self) -> str:
        made = self.world.__dict__.get("_import_upload_id")
        if made is None:
            from webapp import clock
            from webapp.extensions import db
            from webapp.imports.mapping import FIELDS
            from webapp.models import ParticipantImport, Project

            project = db.session.get(Project, self.world.project.id)
            upload = ParticipantImport(project_id=project.id, leader_id=self.world.leader.id, filename="lista.csv",
                                       content=valid_csv(self.world), mapping={n: i for i, n in enumerate(FIELDS)},
                                       created_at=clock.now())
            db.session.add(upload)
            db.session.commit()
            made = self.world.__dict__["_import_upload_id"] = str(upload.public_id)
        return made


def args(rule_args: set[str], world) -> dict:
    found = {}
    if "project_id" in rule_args:
        found["project_id"] = world.project.public_id
    if "upload_id" in rule_args:
        found["upload_id"] = _UploadId(world)
    return found
