"""Draw the app icons (PNG) from the same shapes as static/icons/stegvis.svg, in Chromium.

Run once when the logo changes: .venv/bin/python scripts/make_icons.py
The maskable icon keeps the steps inside the middle 80 % (the safe zone phones may crop to).
"""

from __future__ import annotations

from pathlib import Path

from playwright.sync_api import sync_playwright

ICONS = Path(__file__).resolve().parents[1] / "webapp" / "static" / "icons"
STEPS = '<path d="M12 50h12V38h12V26h12V14h6v42H12z" fill="#ffffff"/>'
ROUNDED = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64">'
           f'<rect width="64" height="64" rx="12" fill="#073f7a"/>{STEPS}</svg>')
# Full bleed, and the steps scaled to 60 % around the centre.
MASKABLE = ('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 64 64"><rect width="64" height="64" fill="#073f7a"/>'
            f'<g transform="translate(32 32) scale(0.6) translate(-33 -35)">{STEPS}</g></svg>')


def main() -> None:
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path="/usr/bin/chromium", args=["--headless", "--no-sandbox"])
        for name, svg, size in (("icon-192.png", ROUNDED, 192), ("icon-512.png", ROUNDED, 512),
                                ("icon-maskable-512.png", MASKABLE, 512)):
            page = browser.new_page(viewport={"width": size, "height": size})
            page.set_content(f'<style>html,body{{margin:0;background:transparent}}svg{{display:block;width:{size}px;'
                             f'height:{size}px}}</style>{svg}')
            page.screenshot(path=ICONS / name, omit_background=True)
            page.close()
        browser.close()


if __name__ == "__main__":
    main()
