"""Page invariants, checked on every HTML page or fragment a test fetches.

One <h1>; <html lang dir>; a <title> that contains the <h1>; unique ids; every input
labelled; every POST form has an action. A fragment (an htmx answer) is checked for what
applies to a part of a page.
"""

from __future__ import annotations

from bs4 import BeautifulSoup

UNLABELLED_TYPES = {"hidden", "submit", "button", "reset", "image"}


class PageProblem(AssertionError):
    pass


def parse(html: str) -> BeautifulSoup:
    return BeautifulSoup(html, "html.parser")


def _page_problems(soup: BeautifulSoup) -> list[str]:
    problems = []
    root = soup.find("html")
    if not root.get("lang"):
        problems.append("<html> has no lang")
    if root.get("dir") not in ("ltr", "rtl"):
        problems.append("<html> has no dir")
    h1s = soup.find_all("h1")
    if len(h1s) != 1:
        problems.append(f"{len(h1s)} <h1> elements, not one")
    title = soup.find("title")
    if title is None or not title.get_text(strip=True):
        problems.append("no <title>")
    elif h1s and _without_swedish_words(h1s[0]) not in title.get_text(" ", strip=True):
        problems.append("the <title> does not contain the <h1>")
    return problems


def _without_swedish_words(tag) -> str:
    """The text of an element without the SFI mode's Swedish words (they are not in <title>)."""
    copy = BeautifulSoup(str(tag), "html.parser")
    for echo in copy.select(".sv-echo"):
        echo.decompose()
    return copy.get_text(" ", strip=True)


def _is_labelled(control, labels_for: set) -> bool:
    if control.name == "input" and control.get("type", "text") in UNLABELLED_TYPES:
        return True
    if control.has_attr("hidden") or control.get("aria-label") or control.get("aria-labelledby"):
        return True
    return bool(control.get("id")) and control["id"] in labels_for


def _part_problems(soup: BeautifulSoup) -> list[str]:
    problems = []
    ids = [tag["id"] for tag in soup.find_all(id=True)]
    duplicates = sorted({i for i in ids if ids.count(i) > 1})
    if duplicates:
        problems.append(f"duplicate ids: {duplicates}")
    labels_for = {label.get("for") for label in soup.find_all("label")}
    for control in soup.find_all(["input", "select", "textarea"]):
        if not _is_labelled(control, labels_for):
            problems.append(f"unlabelled {control.name} name={control.get('name')!r}")
    for form in soup.find_all("form"):
        if form.get("method", "get").lower() == "post" and not form.get("action"):
            problems.append(f"POST form without action (id={form.get('id')!r})")
    return problems


def check(html: str, url: str = "") -> BeautifulSoup:
    soup = parse(html)
    problems = (_page_problems(soup) if soup.find("html") is not None else []) + _part_problems(soup)
    if problems:
        raise PageProblem(f"{url}: " + "; ".join(problems))
    return soup


def textarea_value(tag) -> str:
    """What a browser shows in a <textarea>: HTML drops one newline right after the tag."""
    text = tag.get_text()
    for newline in ("\r\n", "\n"):
        if text.startswith(newline):
            return text[len(newline):]
    return text
