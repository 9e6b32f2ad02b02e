"""The HTML pages as a reader sees them: rendered by headless Chromium, offline, every chart and table visible.

Marked ``browser``: skipped with the reason where Debian's Chromium is missing; CI installs it and runs them.
"""

from pathlib import Path

import pytest
from typer.testing import CliRunner

from stance.cli import app
from tests.conftest import TINY_ARTICLES

CHROMIUM = Path("/usr/bin/chromium")
pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(not CHROMIUM.is_file(), reason="needs Debian's chromium (apt-get install chromium)")]
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]


@pytest.fixture
def report_page(tmp_path, tiny_model) -> Path:
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, (text, _) in TINY_ARTICLES.items():
        (folder / f"{name}.txt").write_text(text, encoding="utf-8")
    meta = tmp_path / "meta.csv"
    meta.write_text("article,outlet\nt1_pro_musk,Tribune\nt2_pro_openai,Analyse\nt3_neutral,Dépêche\n", encoding="utf-8")
    out = tmp_path / "report.html"
    result = CliRunner().invoke(app, ["report", str(folder), "--meta", str(meta), "--by", "outlet",
                                      "-o", str(out), "-m", str(tiny_model)])
    assert result.exit_code == 0, result.output
    return out


def test_every_chart_and_table_is_visible_and_nothing_is_fetched(report_page):
    from playwright.sync_api import sync_playwright

    url = report_page.as_uri()
    requests = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1280, "height": 900})
            page.on("request", lambda request: requests.append(request.url))
            page.goto(url, wait_until="load")
            charts = page.locator("figure > svg")
            tables = page.locator("table")
            assert charts.count() == 4
            assert tables.count() == 3  # comparison, corpus cross-table, flagged differences
            for element in [*charts.all(), *tables.all()]:
                box = element.bounding_box()
                assert box is not None and box["width"] > 100 and box["height"] > 50, box
            assert page.locator("h1").inner_text() == "Framing comparison report"
            assert page.locator("table.comparison tbody tr").count() == 3
            page.screenshot(path=str(report_page.with_suffix(".png")), full_page=True)
        finally:
            browser.close()
    assert requests == [url]
    assert report_page.with_suffix(".png").stat().st_size > 10_000


HOSTILE = "Titre\n<script>alert(1)</script> Musk dénonce la trahison d'OpenAI. Altman se moque de Musk & de son offre."


def test_the_article_page_shows_each_sentence_with_its_labels_and_details_on_focus(tmp_path, tiny_model):
    from playwright.sync_api import sync_playwright

    text = tmp_path / "article.txt"
    text.write_text(HOSTILE, encoding="utf-8")
    out = tmp_path / "article.html"
    result = CliRunner().invoke(app, ["show", str(text), "-o", str(out), "-m", str(tiny_model)])
    assert result.exit_code == 0, result.output
    requests, dialogs = [], []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 1100, "height": 900})
            page.on("request", lambda request: requests.append(request.url))
            page.on("dialog", lambda dialog: dialogs.append(dialog.message))
            page.goto(out.as_uri(), wait_until="load")
            sentences = page.locator(".text .s")
            assert sentences.count() == 3
            assert "<script>" in sentences.nth(1).inner_text()  # shown as text, never run
            for i in range(3):
                badge = sentences.nth(i).locator(".badge").inner_text()
                stance = sentences.nth(i).get_attribute("data-stance")
                assert badge == {"pro_musk": "M", "pro_openai": "O", "neutral": "N"}[stance]  # readable without colour
            tip = sentences.nth(1).locator(".tip")
            assert not tip.is_visible()
            page.keyboard.press("Tab")
            page.keyboard.press("Tab")
            assert tip.is_visible() and "Stance:" in tip.inner_text() and "Frame:" in tip.inner_text()
            assert page.locator("table tr").count() >= 11  # lean, 3 stance and 5 frame shares, dominant frame
            page.screenshot(path=str(out.with_suffix(".png")), full_page=True)
        finally:
            browser.close()
    assert requests == [out.as_uri()] and dialogs == []
    assert out.with_suffix(".png").stat().st_size > 10_000
