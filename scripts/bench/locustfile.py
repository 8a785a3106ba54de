"""The soak run's people (scripts/bench/soak.py starts locust with this file; not for the test suite).

BENCH_MANIFEST names the JSON file that scripts/bench/dataset.py's build() returned: who may sign
in, with which password, and the project's public id. Everyone signs in through the real form.

- Participants (40 of 50): the start page, the plan, the log, and saving an activity (POST /log,
  a new client id each time, answered with 303).
- Coaches (8): the caseload, and one of its participants' pages.
- The project leader (2 sessions): the goal report, and its CSV and XLSX exports.

Every answer other than the expected status is a failure, so a redirect to the sign-in page counts.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import os
import random
import re
import uuid
from pathlib import Path

from locust import HttpUser, between, task

MANIFEST = json.loads(Path(os.environ["BENCH_MANIFEST"]).read_text())
CSRF = re.compile(r'<meta name="csrf-token" content="([^"]+)"')
PARTICIPANT_LINK = re.compile(r'href="(/coach/participants/[0-9a-f-]{36})"')
NOTES = ["", "", "Sökte jobb på lagret.", "Praktik på förskolan, det gick bra.", "Trött idag."]
KINDS = ["job_application", "studies", "sfi", "work_training", "health", "personal_development"]


class SignedIn(HttpUser):
    abstract = True
    wait_time = between(1, 5)
    accounts: itertools.cycle

    def on_start(self) -> None:
        login = next(self.accounts)
        token = self.token(self.client.get("/sign-in", name="/sign-in"))
        with self.client.post("/sign-in", data={"login_name": login, "password": MANIFEST["password"],
                                                "csrf_token": token},
                              allow_redirects=False, catch_response=True, name="/sign-in") as answer:
            if answer.status_code != 303:
                answer.failure(f"signing in as {login}: {answer.status_code}")

    @staticmethod
    def token(answer) -> str:
        found = CSRF.search(answer.text or "")
        return found.group(1) if found else ""

    def page(self, path: str, name: str | None = None):
        with self.client.get(path, allow_redirects=False, catch_response=True, name=name or path) as answer:
            if answer.status_code != 200:
                answer.failure(f"{answer.status_code}")
            return answer


class Participant(SignedIn):
    weight = 40
    accounts = itertools.cycle(MANIFEST["participants"])

    @task(3)
    def home(self) -> None:
        self.page("/home")

    @task(2)
    def plan(self) -> None:
        self.page("/plan")

    @task(2)
    def log(self) -> None:
        self.page("/log")

    @task(3)
    def save_activity(self) -> None:
        token = self.token(self.page("/log"))
        fields = {"client_id": str(uuid.uuid4()), "occurred_on": dt.date.today().isoformat(),
                  "kind": random.choice(KINDS), "minutes": random.choice(["30", "60", "120"]),  # noqa: S311
                  "feeling": str(random.randint(1, 5)), "note": random.choice(NOTES), "step": "",  # noqa: S311
                  "csrf_token": token}
        with self.client.post("/log", data=fields, allow_redirects=False, catch_response=True,
                              name="/log") as answer:
            if answer.status_code != 303:
                answer.failure(f"{answer.status_code}")


class Coach(SignedIn):
    weight = 8
    accounts = itertools.cycle(MANIFEST["coaches"])
    participants: list[str]

    def on_start(self) -> None:
        super().on_start()
        self.participants = PARTICIPANT_LINK.findall(self.page("/coach").text or "")

    @task(3)
    def caseload(self) -> None:
        self.page("/coach")

    @task(2)
    def participant(self) -> None:
        if self.participants:
            self.page(random.choice(self.participants), name="/coach/participants/<id>")  # noqa: S311


class Leader(SignedIn):
    weight = 2
    accounts = itertools.cycle([MANIFEST["leader"]])

    @property
    def report(self) -> str:
        return f"/project/{MANIFEST['project_public_id']}/report"

    @task(3)
    def open_report(self) -> None:
        self.page(self.report, name="/project/<id>/report")

    @task(1)
    def export_csv(self) -> None:
        self.page(self.report + ".csv", name="/project/<id>/report.csv")

    @task(1)
    def export_xlsx(self) -> None:
        self.page(self.report + ".xlsx", name="/project/<id>/report.xlsx")
