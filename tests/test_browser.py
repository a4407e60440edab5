"""The review desk in a real browser: headless Chromium driven by selenium on the local file.

Marked ``browser`` and run separately by .ci/run (``pytest -m browser``), which installs
Debian's chromium and chromium-driver and sets MTAUDIT_REQUIRE_BROWSER=1 so that a missing
browser fails CI instead of skipping. Elsewhere the tests skip with the reason.
"""

from __future__ import annotations

import dataclasses
import io
import json
import os
import shutil
import time
from pathlib import Path

import pytest
from conftest import require_shared

pytestmark = pytest.mark.browser

SEED = ("seeds", "002_cb8cd2417e8937b2.txt")


def _unavailable(reason: str):
    if os.environ.get("MTAUDIT_REQUIRE_BROWSER") == "1":
        pytest.fail(f"browser tests required (MTAUDIT_REQUIRE_BROWSER=1) but {reason}")
    pytest.skip(f"no browser: {reason}")


@pytest.fixture(scope="module")
def downloads(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("downloads")


@pytest.fixture(scope="module")
def driver(downloads):
    try:
        from selenium import webdriver
        from selenium.webdriver.chrome.service import Service
    except ImportError:
        _unavailable("selenium is not installed (pip install -e '.[test]')")
    binary = shutil.which("chromium") or shutil.which("chromium-browser") or shutil.which("google-chrome")
    chromedriver = shutil.which("chromedriver")
    if not binary or not chromedriver:
        _unavailable("no Chromium and chromedriver on PATH (apt-get install chromium chromium-driver)")
    options = webdriver.ChromeOptions()
    options.binary_location = binary
    for arg in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage", "--window-size=1400,1000",
                "--force-device-scale-factor=1", "--lang=ar"):
        options.add_argument(arg)
    options.add_experimental_option("prefs", {"download.default_directory": str(downloads),
                                              "download.prompt_for_download": False})
    try:
        drv = webdriver.Chrome(service=Service(chromedriver), options=options)
    except Exception as exc:  # noqa: BLE001 - any start-up failure means: no usable browser
        _unavailable(f"Chromium did not start: {exc}")
    try:
        drv.execute_cdp_cmd("Page.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(downloads)})
    except Exception:  # noqa: BLE001 - older drivers: the textarea fallback is read instead
        pass
    yield drv
    drv.quit()


@pytest.fixture(scope="module")
def seed_report(tmp_path_factory):
    """Seed 002 audited by the full pipeline, its report written (and the result kept)."""
    path = require_shared(*SEED)
    from mtaudit.gate.verdict import GatePolicy
    from mtaudit.inputs.readers import read_inputs
    from mtaudit.reports.tables import write_reports
    from mtaudit.run.pipeline import AuditConfig, audit

    inputs = read_inputs([path], None, None)
    result = audit(inputs.articles, AuditConfig())
    out = tmp_path_factory.mktemp("seed002")
    write_reports(result, out, GatePolicy())
    return out, result, path


def _open(driver, path: Path):
    driver.get(path.resolve().as_uri())
    driver.execute_script("window.localStorage.clear()")
    driver.get(path.resolve().as_uri())
    for _ in range(100):
        if driver.execute_script("return document.body.getAttribute('data-ready')") == "1":
            # Milliseconds from navigation to the end of the load event (the script has run by then).
            return driver.execute_script("return performance.getEntriesByType('navigation')[0].loadEventEnd")
        time.sleep(0.05)
    raise AssertionError(f"the page's script did not run: {driver.get_log('browser')}")


def _visual_order(driver, selector: str) -> tuple[float, float]:
    """x of the first and of the last character of the element's text as laid out."""
    return tuple(driver.execute_script(
        """var el = document.querySelector(arguments[0]); var t = el.firstChild;
        while (t && t.nodeType !== 3) t = t.firstChild;
        var r = document.createRange(); r.setStart(t, 0); r.setEnd(t, 1); var a = r.getBoundingClientRect().left;
        r.setStart(t, t.length - 1); r.setEnd(t, t.length); var b = r.getBoundingClientRect().left; return [a, b];""",
        selector,
    ))


def test_seed_renders_right_to_left_with_ids_paths_and_english_intact(driver, seed_report):
    out, result, path = seed_report
    _open(driver, out / "report.html")
    assert driver.execute_script("return getComputedStyle(document.body).direction") == "rtl"
    # An id that starts with digits keeps them first (on the left, as written).
    first, last = _visual_order(driver, "section.art h2 bdi")
    assert first < last
    assert driver.find_element("css selector", "section.art h2 bdi").text == result.articles[0].article.id
    # A path keeps its leading slash at its start.
    first, last = _visual_order(driver, "section.art p.meta bdi")
    assert first < last
    # An English message reads left to right inside the Arabic page.
    driver.execute_script("document.querySelector('li.finding details.more').open = true")
    first, last = _visual_order(driver, "li.finding details.more p.orig")
    assert first < last


def test_every_mark_sits_on_its_span(driver, seed_report):
    out, result, _ = seed_report
    _open(driver, out / "report.html")
    spans = driver.execute_script(
        """var out = {}; document.querySelectorAll('section.art mark[data-f]').forEach(function (m) {
             var c = m.cloneNode(true); c.querySelectorAll('sup').forEach(function (s) { s.remove(); });
             c.querySelectorAll('.inv').forEach(function (s) {
               s.replaceWith(String.fromCodePoint(parseInt(s.title.slice(2), 16))); });
             m.getAttribute('data-f').split(' ').forEach(function (n) { out[n] = (out[n] || '') + c.textContent; });
           }); return out;"""
    )
    findings = [f for f in result.articles[0].findings if f.end > f.start]
    assert len(spans) == len(findings)
    for n, f in enumerate(result.articles[0].findings, 1):
        if f.end > f.start:
            assert spans[str(n)] == f.text, (n, f.check)


def test_screenshot_marks_are_coloured_and_on_the_right(driver, seed_report, tmp_path):
    from PIL import Image

    out, _, _ = seed_report
    _open(driver, out / "report.html")
    # The headline's first mark: in a right-to-left paragraph it starts at the right edge.
    box = driver.execute_script(
        """var m = document.querySelector('section.art .text .headline mark'); m.scrollIntoView({block: 'center'});
        var r = m.getBoundingClientRect(), p = m.closest('p').getBoundingClientRect();
        return {x: r.left + 3, y: r.top + r.height / 2, right: r.right, pright: p.right, pleft: p.left,
                colour: getComputedStyle(m).backgroundColor};"""
    )
    assert box["pright"] - box["right"] < 0.25 * (box["pright"] - box["pleft"]), box
    png = driver.get_screenshot_as_png()
    (tmp_path / "seed002.png").write_bytes(png)
    image = Image.open(io.BytesIO(png)).convert("RGB")
    expected = tuple(int(v) for v in box["colour"][box["colour"].index("(") + 1 : -1].split(",")[:3])
    # Sample a few pixels inside the mark: its background colour must be there.
    pixels = {image.getpixel((int(box["x"]) + dx, int(box["y"]) + dy)) for dx in range(0, 6) for dy in (-3, 0, 3)}
    assert any(sum(abs(a - b) for a, b in zip(p, expected)) < 12 for p in pixels), (pixels, expected)


def test_filter_to_one_check_shows_only_its_findings(driver, seed_report):
    out, result, _ = seed_report
    _open(driver, out / "report.html")
    from selenium.webdriver.support.ui import Select

    Select(driver.find_element("id", "f-check")).select_by_value("name-garbled")
    shown = driver.execute_script(
        "return Array.from(document.querySelectorAll('li.finding')).filter(function (li) { return !li.hidden; })"
        ".map(function (li) { return li.getAttribute('data-check'); })"
    )
    expected = sum(1 for f in result.findings if f.check == "name-garbled")
    assert expected and shown == ["name-garbled"] * expected
    lit = driver.execute_script("return document.querySelectorAll('section.art mark[data-f]:not(.off)').length")
    assert 0 < lit < driver.execute_script("return document.querySelectorAll('section.art mark[data-f]').length")


def test_click_mark_jumps_to_finding_and_back_and_keys_move(driver, seed_report):
    out, _, _ = seed_report
    _open(driver, out / "report.html")
    mark = driver.find_elements("css selector", "section.art .text mark[data-f]")[3]
    n = mark.get_attribute("data-f").split()[0]
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", mark)
    mark.click()
    current = driver.find_element("css selector", "li.finding.current")
    assert current.get_attribute("data-n") == n
    _click(driver, current.find_element("css selector", "a.num"))
    assert driver.execute_script("return document.querySelector('mark.current').getAttribute('data-f')").split()[0] == n
    body = driver.find_element("tag name", "body")
    body.send_keys("j")
    after = driver.find_element("css selector", "li.finding.current").get_attribute("id")
    body.send_keys("k")
    back = driver.find_element("css selector", "li.finding.current").get_attribute("id")
    assert after != back and back == f"f0-{n}"


def _click(driver, element) -> None:
    """Click as an editor would: with the element scrolled clear of the sticky toolbar."""
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", element)
    element.click()


def _export(driver, downloads: Path, button: str, name: str) -> str:
    target = downloads / name
    if target.exists():
        target.unlink()
    _click(driver, driver.find_element("id", button))
    for _ in range(40):
        if target.exists() and target.stat().st_size:
            return target.read_text(encoding="utf-8")
        time.sleep(0.05)
    return driver.find_element("id", "export-out").get_attribute("value")


def test_not_an_error_round_trip_and_accept_into_fix(driver, seed_report, downloads, tmp_path):
    from mtaudit.gate.fingerprint import fingerprints
    from mtaudit.reports.fix import fix_result, load_decisions

    out, result, path = seed_report
    _open(driver, out / "report.html")
    driver.find_element("id", "author").send_keys("editor")
    items = driver.find_elements("css selector", "li.finding[data-check='name-garbled']")
    reject = items[0]
    reject_fp = reject.get_attribute("data-fp")
    _click(driver, reject.find_element("css selector", "button[data-d='reject']"))
    assert "d-reject" in reject.get_attribute("class")
    for li in items[1:]:
        _click(driver, li.find_element("css selector", "button[data-d='accept']"))
    # Decisions survive a reload (local storage).
    driver.refresh()
    assert len(driver.find_elements("css selector", "li.finding.d-accept")) == len(items) - 1
    suppressions = json.loads(_export(driver, downloads, "export-suppressions", "mtaudit-suppressions.json"))
    decisions_text = _export(driver, downloads, "export-decisions", "mtaudit-decisions.json")
    art = result.articles[0]
    fps = fingerprints(art.findings, art.article.text)
    entry = suppressions["suppressions"][0]
    assert len(suppressions["suppressions"]) == 1 and entry["fingerprint"] == reject_fp
    assert entry["fingerprint"] in fps and entry["author"] == "editor" and entry["reason"]
    try:
        from mtaudit import suppressions as sup_mod  # the gate's reader (mtaudit.gate.suppressions)
    except ImportError:
        sup_mod = None
    if sup_mod is not None:
        parsed = sup_mod.parse(json.dumps(suppressions), "exported")
        assert [p.fingerprint for p in parsed] == [entry["fingerprint"]]
    else:
        assert set(entry) == {"fingerprint", "check", "article_id", "text", "reason", "author", "date"}
    # The accepted names go into `mtaudit fix`.
    dec_file = tmp_path / "decisions.json"
    dec_file.write_text(decisions_text, encoding="utf-8")
    fixed = fix_result(result, load_decisions(dec_file), None)[0]
    accepted = [f for f, fp in zip(art.findings, fps) if f.check == "name-garbled" and fp != entry["fingerprint"]]
    assert fixed.applied == len(accepted)
    rejected = next(f for f, fp in zip(art.findings, fps) if fp == entry["fingerprint"])
    assert fixed.text[rejected.start : rejected.end] == rejected.text  # not an error: left as written


def test_big_batch_opens_and_filters_fast(driver, tmp_path, capsys):
    """2,000 articles: the index page opens and filters; timings are reported, not asserted."""
    from test_desk import _result

    from mtaudit.gate.verdict import GatePolicy
    from mtaudit.reports.tables import write_reports

    one = _result("art")
    base = one.articles[0]
    one.articles = [
        dataclasses.replace(base, article=dataclasses.replace(base.article, id=f"{i:04d}_batch", origin=f"/in/{i:04d}_batch.txt"),
                            findings=[dataclasses.replace(f, article_id=f"{i:04d}_batch") for f in base.findings])
        for i in range(2000)
    ]
    started = time.perf_counter()
    write_reports(one, tmp_path, GatePolicy())
    written = time.perf_counter() - started
    loaded = _open(driver, tmp_path / "report.html")
    filtered = driver.execute_script(
        """var t = performance.now(); var s = document.getElementById('f-check'); s.value = 'repeated-word';
        s.dispatchEvent(new Event('change')); document.body.offsetHeight; return performance.now() - t;"""
    )
    rows = driver.execute_script("return document.querySelectorAll('tr.arow:not([hidden])').length")
    assert rows == 2000
    page = tmp_path / "articles" / "01999.html"
    article_loaded = _open(driver, page)
    size = (tmp_path / "report.html").stat().st_size
    with capsys.disabled():
        print(f"\n[big batch] 2,000 articles: reports written in {written:.1f}s; index page {size / 1e6:.2f} MB loaded "
              f"in {loaded / 1000:.2f}s, filtered to one check in {filtered / 1000:.3f}s; an article page loaded in "
              f"{article_loaded / 1000:.2f}s (navigation timing)")


def test_invisible_group_is_collapsed_and_decided_at_once(driver, seed_report):
    out, result, _ = seed_report
    _open(driver, out / "report.html")
    group = driver.find_element("css selector", "details.inv-group")
    assert group.get_attribute("open") is None  # collapsed by default
    size = len(group.find_elements("css selector", "li.finding"))
    assert size == sum(1 for f in result.findings if f.check == group.get_attribute("data-check") and f.text.strip() == f.suggestion.strip())
    _click(driver, group.find_element("css selector", "summary"))
    _click(driver, group.find_element("css selector", ".group-decide button[data-g='reject']"))
    assert len(group.find_elements("css selector", "li.finding.d-reject")) == size


def test_a_name_typed_after_the_decisions_signs_them(driver, seed_report, downloads):
    out, _, _ = seed_report
    _open(driver, out / "report.html")
    box = driver.find_element("id", "author")
    box.clear()
    items = driver.find_elements("css selector", "li.finding[data-check='name-garbled']")
    box.send_keys("Sami")
    _click(driver, items[0].find_element("css selector", "button[data-d='accept']"))  # signed as it is made
    box.clear()
    _click(driver, items[1].find_element("css selector", "button[data-d='reject']"))  # no name yet
    _click(driver, items[2].find_element("css selector", "button[data-d='accept']"))
    box.send_keys("Hana")  # typed after the decisions
    decisions = json.loads(_export(driver, downloads, "export-decisions", "mtaudit-decisions.json"))["decisions"]
    by_fp = {d["fingerprint"]: d["author"] for d in decisions}
    fps = [li.get_attribute("data-fp") for li in items[:3]]
    assert [by_fp[fp] for fp in fps] == ["Sami", "Hana", "Hana"]
    suppressions = json.loads(_export(driver, downloads, "export-suppressions", "mtaudit-suppressions.json"))["suppressions"]
    assert [s["author"] for s in suppressions] == ["Hana"]


def test_a_name_typed_later_does_not_sign_an_earlier_visits_decisions(driver, seed_report, downloads):
    out, _, _ = seed_report
    _open(driver, out / "report.html")
    box = driver.find_element("id", "author")
    box.clear()
    item = driver.find_elements("css selector", "li.finding[data-check='name-garbled']")[3]
    fp = item.get_attribute("data-fp")
    _click(driver, item.find_element("css selector", "button[data-d='accept']"))  # unsigned, saved in the browser
    driver.refresh()  # another visit (the browser keeps the decision), perhaps another editor on a shared browser
    for _ in range(100):
        if driver.execute_script("return document.body.getAttribute('data-ready')") == "1":
            break
        time.sleep(0.05)
    driver.find_element("id", "author").send_keys("Omar")
    decisions = json.loads(_export(driver, downloads, "export-decisions", "mtaudit-decisions.json"))["decisions"]
    assert {d["fingerprint"]: d["author"] for d in decisions}[fp] == ""
