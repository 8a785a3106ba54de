"""Two devices edit the same step (REL-05): one save goes through, the other gets a conflict (409)
with both texts kept, and nothing is silently overwritten.

Each goal and step has a version (SQLAlchemy's version_id_col). An edit form carries the version
it was loaded with. A later save based on an older version is refused, by the form check when
the other save came first, and by the database's UPDATE … WHERE version = <read> when both saves
run at the same moment (PostgreSQL; SQLite runs writing requests one at a time)."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from tests import factories
from tests.html import parse, textarea_value
from webapp.extensions import db
from webapp.models import Goal, Step, StepState, StepStatus
from webapp.plan import services
from webapp.plan.services import StepData

CONFLICT_MESSAGE = "This step was changed on another device"


def _device(new_client, world):
    """A phone or a computer with the participant signed in, in English (the tests read English)."""
    client = new_client()
    client.sign_in(world.p.login)
    client.set_cookie("lang", "en")
    return client


@pytest.fixture
def phone(new_client, world):
    return _device(new_client, world)


@pytest.fixture
def laptop(new_client, world):
    return _device(new_client, world)


def _form(html: str) -> dict[str, str]:
    """What a browser would send for the (only) form in this page or fragment, as it is shown."""
    form = parse(html).find("form", id=lambda value: value and value.startswith(("step-form-", "goal-form-")))
    data = {}
    for control in form.find_all(["input", "textarea", "select"]):
        name = control.get("name")
        if not name:
            continue
        if control.name == "textarea":
            data[name] = textarea_value(control)
        elif control.name == "select":
            chosen = control.find("option", selected=True) or control.find("option")
            data[name] = chosen.get("value", "")
        elif control.get("type") == "radio":
            if control.has_attr("checked"):
                data[name] = control["value"]
        else:
            data[name] = control.get("value", "")
    return data


def _open_step(client, step, hx: bool = False) -> dict[str, str]:
    url = f"/plan/steps/{step}/edit"
    response = client.hx_get(url) if hx else client.get(url)
    assert response.status_code == 200
    return _form(response.get_data(as_text=True))


def _typed(form: dict[str, str], step, **fields) -> dict[str, str]:
    prefix = f"edit-step-{step.hex[:8]}-"
    return {**form, **{prefix + name: value for name, value in fields.items()}}


def _saved(read, step) -> tuple:
    return read(lambda: (lambda s: (s.text, s.note, s.status, s.version))(db.session.get(Step, step)))


def _saved_now(html: str) -> str:
    return parse(html).select_one(".conflict").get_text(" ", strip=True)


def _field(html: str, step, name: str) -> str:
    return _form(html)[f"edit-step-{step.hex[:8]}-{name}"]


def test_two_devices_edit_the_same_step_the_later_save_gets_both_texts_and_overwrites_nothing(
        phone, laptop, build, read, world):
    step = build(factories.step, world.p, build(factories.goal, world.p), text="Ringa AF")
    on_phone, on_laptop = _open_step(phone, step), _open_step(laptop, step)

    first = phone.post_form(f"/plan/steps/{step}/edit", _typed(on_phone, step, text="Ringa AF på måndag"))
    assert first.status_code == 303
    second = laptop.post_form(f"/plan/steps/{step}/edit",
                              _typed(on_laptop, step, text="Mejla AF i dag", note="Fråga om praktik"))

    assert second.status_code == 409
    page = second.get_data(as_text=True)
    assert CONFLICT_MESSAGE in page
    assert "Ringa AF på måndag" in _saved_now(page), "what is saved now is shown"
    assert _field(page, step, "text") == "Mejla AF i dag", "the person's own text is still in the form"
    assert _field(page, step, "note") == "Fråga om praktik"
    assert parse(page).select_one(".conflict").has_attr("data-focus")
    assert _saved(read, step) == ("Ringa AF på måndag", None, StepStatus.NOT_STARTED, 2), "nothing overwritten"
    assert _field(page, step, "base_version") == "2", "the form now carries the version saved now"

    # Saving again is a choice made with both texts in view: it goes through.
    again = laptop.post_form(f"/plan/steps/{step}/edit", _form(page))
    assert again.status_code == 303
    assert _saved(read, step) == ("Mejla AF i dag", "Fråga om praktik", StepStatus.NOT_STARTED, 3)
    assert "The step is saved." in laptop.get(again.location).get_data(as_text=True)


def test_the_same_conflict_with_htmx_comes_back_as_the_form_in_place(phone, laptop, build, read, world):
    step = build(factories.step, world.p, build(factories.goal, world.p), text="Ringa AF")
    on_phone, on_laptop = _open_step(phone, step, hx=True), _open_step(laptop, step, hx=True)
    assert phone.post_form(f"/plan/steps/{step}/edit", _typed(on_phone, step, text="Från telefonen"),
                           hx=True).status_code == 200

    response = laptop.post_form(f"/plan/steps/{step}/edit", _typed(on_laptop, step, text="Från datorn"), hx=True)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert parse(html).find("html") is None, "a fragment: the form replaces itself"
    assert "HX-Retarget" not in response.headers
    assert parse(html).find("form")["id"] == f"step-form-{step}"
    assert CONFLICT_MESSAGE in html and "Från telefonen" in _saved_now(html)
    assert _field(html, step, "text") == "Från datorn"
    assert _saved(read, step)[0] == "Från telefonen"

    again = laptop.post_form(f"/plan/steps/{step}/edit", _form(html), hx=True)
    assert again.status_code == 200 and again.headers["HX-Retarget"] == "#plan"
    assert _saved(read, step)[0] == "Från datorn"


def test_a_stale_form_after_a_status_tap_on_another_device_is_a_conflict(phone, laptop, build, read, world):
    """The form holds a status too: saving it blindly would undo the tap."""
    step = build(factories.step, world.p, build(factories.goal, world.p), text="Ringa AF")
    on_laptop = _open_step(laptop, step)
    assert phone.post_form(f"/plan/steps/{step}/status", {"status": "doing"}).status_code == 303
    response = laptop.post_form(f"/plan/steps/{step}/edit", _typed(on_laptop, step, text="Ringa AF i dag"))
    assert response.status_code == 409
    assert "Doing" in _saved_now(response.get_data(as_text=True))
    assert _saved(read, step)[:3] == ("Ringa AF", None, StepStatus.DOING)


def test_sending_the_same_form_twice_is_not_a_conflict(phone, build, read, world):
    """A retry after a lost answer sends the same form again: there is nothing to overwrite."""
    step = build(factories.step, world.p, build(factories.goal, world.p), text="Ringa AF")
    form = _typed(_open_step(phone, step), step, text="Ringa AF på måndag")
    assert phone.post_form(f"/plan/steps/{step}/edit", form).status_code == 303
    assert phone.post_form(f"/plan/steps/{step}/edit", form).status_code == 303
    assert _saved(read, step)[::3] == ("Ringa AF på måndag", 2)


def test_a_step_deleted_on_another_device_keeps_the_text_being_written(phone, laptop, build, read, world):
    step = build(factories.step, world.p, build(factories.goal, world.p), text="Ringa AF")
    on_laptop = _typed(_open_step(laptop, step), step, text="Ringa AF och fråga om praktik")
    assert phone.post_form(f"/plan/steps/{step}/delete").status_code == 303

    response = laptop.post_form(f"/plan/steps/{step}/edit", on_laptop)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "This step was deleted on another device" in html
    assert _field(html, step, "text") == "Ringa AF och fråga om praktik"
    assert read(lambda: db.session.get(Step, step).deleted_at) is not None, "still deleted"

    assert laptop.post_form(f"/plan/steps/{step}/edit", _form(html)).status_code == 303  # bring it back
    assert read(lambda: (lambda s: (s.text, s.deleted_at))(db.session.get(Step, step))) == (
        "Ringa AF och fråga om praktik", None)


@pytest.mark.parametrize("version", [None, "", "abc", "0", "99"])
def test_a_form_without_its_version_never_overwrites(phone, build, read, world, version):
    step = build(factories.step, world.p, build(factories.goal, world.p), text="Ringa AF")
    form = _typed(_open_step(phone, step), step, text="Något annat")
    key = f"edit-step-{step.hex[:8]}-base_version"
    if version is None:
        del form[key]
    else:
        form[key] = version
    response = phone.post_form(f"/plan/steps/{step}/edit", form)
    assert response.status_code == 409
    assert _saved(read, step)[0] == "Ringa AF"
    assert _field(response.get_data(as_text=True), step, "text") == "Något annat"


def test_two_devices_edit_the_same_goal(phone, laptop, build, read, world):
    goal = build(factories.goal, world.p, "Få ett jobb")
    url = f"/plan/goals/{goal}/edit"
    on_phone, on_laptop = _form(phone.get(url).get_data(as_text=True)), _form(laptop.get(url).get_data(as_text=True))
    text = f"edit-goal-{goal.hex[:8]}-text"
    assert phone.post_form(url, {**on_phone, text: "Få ett jobb i en butik"}).status_code == 303
    response = laptop.post_form(url, {**on_laptop, text: "Få ett jobb på ett lager"})
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "This goal was changed on another device" in html
    assert "Få ett jobb i en butik" in _saved_now(html)
    assert _form(html)[text] == "Få ett jobb på ett lager"
    assert read(lambda: db.session.get(Goal, goal).text) == "Få ett jobb i en butik"
    assert laptop.post_form(url, _form(html)).status_code == 303
    assert read(lambda: db.session.get(Goal, goal).text) == "Få ett jobb på ett lager"


@pytest.mark.parametrize("typed", ["Få ett jobb på ett lager", "Få ett jobb"], ids=["changed", "unchanged"])
def test_a_goal_deleted_on_another_device_keeps_the_text_being_written(phone, laptop, build, read, world, typed):
    """Not a 404 that loses the text: a conflict that says so, and saving brings the goal back with
    its steps. Also when the text was not changed: "saved" must not leave the goal deleted."""
    goal = build(factories.goal, world.p, "Få ett jobb")
    step = build(factories.step, world.p, goal, text="Ringa AF")
    url, text = f"/plan/goals/{goal}/edit", f"edit-goal-{goal.hex[:8]}-text"
    on_laptop = {**_form(laptop.get(url).get_data(as_text=True)), text: typed}
    assert phone.post_form(f"/plan/goals/{goal}/delete").status_code == 303

    response = laptop.post_form(url, on_laptop)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "This goal was deleted on another device" in html
    assert _form(html)[text] == typed
    assert read(lambda: db.session.get(Goal, goal).deleted_at) is not None, "still deleted"

    assert laptop.post_form(url, _form(html)).status_code == 303  # bring it back
    assert read(lambda: (lambda g: (g.text, g.deleted_at))(db.session.get(Goal, goal))) == (typed, None)
    plan = laptop.get("/plan").get_data(as_text=True)
    assert typed in plan and "Ringa AF" in plan, "the goal is back with its step"
    assert read(lambda: db.session.get(Step, step).deleted_at) is None


def test_a_goal_deleted_on_another_device_with_htmx_is_the_form_in_place(phone, laptop, build, read, world):
    goal = build(factories.goal, world.p, "Få ett jobb")
    url, text = f"/plan/goals/{goal}/edit", f"edit-goal-{goal.hex[:8]}-text"
    on_laptop = {**_form(laptop.hx_get(url).get_data(as_text=True)), text: "Få ett jobb i en butik"}
    assert phone.post_form(f"/plan/goals/{goal}/delete").status_code == 303
    response = laptop.post_form(url, on_laptop, hx=True)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert parse(html).find("html") is None, "a fragment: the form replaces itself"
    assert parse(html).find("form")["id"] == f"goal-form-{goal}"
    assert "This goal was deleted on another device" in html
    assert _form(html)[text] == "Få ett jobb i en butik"


def test_every_change_of_a_step_counts_as_a_new_version(phone, build, read, world):
    """So that a form loaded before any of them is stale after it. (Coaches only suggest steps, as
    new rows: no coach page changes a saved step.)"""
    goal = build(factories.goal, world.p)
    step, other = build(factories.step, world.p, goal), build(factories.step, world.p, goal, "Skriva CV", 2)

    def version():
        return read(lambda: db.session.get(Step, step).version)

    assert version() == 1
    phone.post_form(f"/plan/steps/{step}/status", {"status": "doing"})
    assert version() == 2
    phone.post_form(f"/plan/steps/{step}/move", {"direction": "down"})
    assert version() == 3
    assert read(lambda: [s.text for s in db.session.scalars(select(Step).order_by(Step.position))]) == [
        "Skriva CV", "Ringa Arbetsförmedlingen"], "the move happened"
    phone.post_form(f"/plan/steps/{step}/delete")
    phone.post_form(f"/plan/steps/{step}/restore")
    assert version() == 5
    assert read(lambda: db.session.get(Step, other).version) == 2, "its neighbour moved too"

    suggestion = build(factories.step, world.p, goal, "Gå på mässan", state=StepState.SUGGESTED,
                       suggested_by=world.coach)
    assert phone.post_form(f"/plan/suggestions/{suggestion}/accept").status_code == 303
    assert read(lambda: db.session.get(Step, suggestion).version) == 2


def test_the_database_refuses_a_write_based_on_an_older_version(app, build, read, world):
    """The guarantee under the form check: a step read at version 1 and written after someone else
    wrote version 2 is refused by the database (UPDATE … WHERE version = 1 finds no row), even
    though the check against the version in memory passed."""
    step_id = build(factories.step, world.p, None, text="Ringa AF")
    with app.app_context():
        stale = db.session.get(Step, step_id)
        db.session.expunge(stale)  # keeps what it read (version 1) ...
        db.session.commit()  # ... with no transaction left open (SQLite would refuse the write)
        with Session(db.engine) as other:
            other.get(Step, step_id).text = "Från den andra telefonen"
            other.commit()
        db.session.add(stale)
        assert stale.version == 1
        with pytest.raises(services.Conflict) as refused:
            services.update_step(stale, StepData("Från den här telefonen"), None, base_version=1)
        assert isinstance(refused.value.__cause__, StaleDataError), "the database, not the form check"
        db.session.rollback()
    assert _saved(read, step_id)[::3] == ("Från den andra telefonen", 2)


def test_two_saves_at_the_same_moment_one_wins_the_other_is_a_conflict_never_a_500(
        phone, laptop, build, read, world, app, monkeypatch):
    """Two requests sent at once. On PostgreSQL both read version 1 and pass the form check (they
    wait for each other just before writing), so only the database's version check can stop the
    second. SQLite takes the write lock at the start of each writing request: the second waits and
    then reads version 2."""
    step = build(factories.step, world.p, build(factories.goal, world.p), text="Ringa AF")
    forms = {"phone": _typed(_open_step(phone, step), step, text="Från telefonen"),
             "laptop": _typed(_open_step(laptop, step), step, text="Från datorn")}
    postgres = read(lambda: db.engine.dialect.name) == "postgresql"
    both_read = threading.Barrier(2, timeout=10)
    real_update = services.update_step
    reached = []

    def update_together(*args, **kwargs):
        reached.append(args[0].version)
        if postgres:
            both_read.wait()  # both have read the step and passed the form check
        return real_update(*args, **kwargs)

    monkeypatch.setattr(services, "update_step", update_together)
    answers = {}

    def save(name, client):
        answers[name] = client.post_form(f"/plan/steps/{step}/edit", forms[name])

    threads = [threading.Thread(target=save, args=("phone", phone)), threading.Thread(target=save, args=("laptop", laptop))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(a.status_code for a in answers.values()) == [303, 409], answers
    if postgres:
        assert reached == [1, 1], "both passed the form check: the database made the difference"
    winner = next(name for name, a in answers.items() if a.status_code == 303)
    loser = next(name for name, a in answers.items() if a.status_code == 409)
    winning_text = forms[winner][f"edit-step-{step.hex[:8]}-text"]
    assert _saved(read, step)[::3] == (winning_text, 2)
    page = answers[loser].get_data(as_text=True)
    assert winning_text in _saved_now(page)
    assert _field(page, step, "text") == forms[loser][f"edit-step-{step.hex[:8]}-text"]


def test_a_tap_that_meets_a_change_written_in_between_is_a_409_not_a_500(phone, build, read, world, monkeypatch):
    """The status button carries no version. If another request writes the step between this
    one's read and its write, the database refuses the write: the plan is shown as it is now."""
    step = build(factories.step, world.p, build(factories.goal, world.p), text="Ringa AF")
    real_set_status = services.set_status

    def set_status_while_another_writes(item, status):
        real_set_status(item, status)
        # Another request's write, on this request's own connection so that SQLite allows it.
        db.session.connection().execute(
            update(Step.__table__).where(Step.__table__.c.id == item.id)
            .values(text="Ändrad på datorn", version=Step.__table__.c.version + 1)
        )

    monkeypatch.setattr(services, "set_status", set_status_while_another_writes)
    response = phone.post_form(f"/plan/steps/{step}/status", {"status": "doing"}, hx=True)
    assert response.status_code == 409
    html = response.get_data(as_text=True)
    assert "changed on another device at the same moment" in html
    assert parse(html).find(id="plan") is not None, "the plan as it is now"
    assert response.headers["HX-Retarget"] == "#plan"
    # Nothing of this request is written (the other write was rolled back with it here, since it
    # shared the connection; what matters is that the tap did not go through half-done).
    assert _saved(read, step)[::2] == ("Ringa AF", StepStatus.NOT_STARTED)
