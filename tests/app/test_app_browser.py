"""The app in a real headless Chromium (network cut): seed cohort to downloaded report,
and a cohort with errors listed. Screenshots at desktop and phone width go to
``$REMISSION_SCREENSHOTS`` when it is set (to look at them), else to a temporary folder.
"""

import time
import zipfile
from pathlib import Path

from browser import console_errors, need_browser, start_browser, wait_for

need_browser()

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select  # noqa: E402


def _tab(driver, label: str) -> None:
    link = next(a for a in driver.find_elements(By.CSS_SELECTOR, "a.nav-link")
                if a.get_attribute("textContent").strip() == label)  # fmt: skip
    driver.execute_script("window.scrollTo(0, 0); arguments[0].click();", link)


def _click(driver, element_id: str) -> None:
    el = driver.find_element(By.ID, element_id)
    driver.execute_script("arguments[0].scrollIntoView({block: 'center'});", el)
    wait_for(lambda: el.is_displayed() and el.is_enabled() and "disabled" not in
             (el.get_attribute("class") or ""), what=f"#{element_id} to be clickable")  # fmt: skip
    driver.execute_script("arguments[0].click();", el)


def _text(driver, element_id: str) -> str:
    return driver.find_element(By.ID, element_id).text


def _shoot(driver, folder: Path, name: str) -> None:
    for width in (1280, 390):
        driver.set_window_size(width, 900)
        time.sleep(0.3)
        height = driver.execute_script("return document.body.scrollHeight")
        driver.set_window_size(width, min(max(height + 120, 900), 6000))
        time.sleep(0.3)
        driver.save_screenshot(str(folder / f"{name}-{width}.png"))
        # nothing wider than the screen at phone width: tables scroll inside their box
        overflow = driver.execute_script(
            "return document.documentElement.scrollWidth - window.innerWidth"
        )
        assert overflow <= 1, f"{name} at {width} px is {overflow} px wider than the window"
    driver.set_window_size(1280, 900)


def test_seed_cohort_from_load_to_downloaded_report(live_app, tmp_path, shots):
    downloads = tmp_path / "downloads"
    downloads.mkdir()
    driver = start_browser(downloads)
    start = time.monotonic()
    try:
        driver.get(f"{live_app['url']}/?token={live_app['token']}")
        wait_for(lambda: driver.find_element(By.ID, "use_seed"), what="the load page")
        _click(driver, "use_seed")
        wait_for(lambda: "seed cohort" in _text(driver, "load_status"), what="the seed loaded")
        wait_for(lambda: "patient_id" in driver.find_element(By.ID, "study_text").get_attribute("value")
                 or "title" in driver.find_element(By.ID, "study_text").get_attribute("value"),
                 what="the study file shown")  # fmt: skip
        _shoot(driver, shots, "1-load")

        _tab(driver, "2 Check")
        _click(driver, "check")
        wait_for(lambda: "No blocking problems" in _text(driver, "check_result"),
                 what="the check to pass")  # fmt: skip
        assert "remission validate" in _text(driver, "check_result")
        _shoot(driver, shots, "2-check")

        _tab(driver, "3 Analyse")
        Select(driver.find_element(By.ID, "group")).select_by_value("sex")
        _click(driver, "analyse")
        wait_for(lambda: "Comparison" in _text(driver, "analysis"), what="the analysis")
        text = _text(driver, "analysis")
        assert "remission km" in text and "--endpoint EFS" in text and "--group sex" in text
        assert "remission plot km" in text and "Follow-up" in text and "logrank" in text
        figure = driver.find_element(By.CSS_SELECTOR, "#analysis .rm-figure img")
        assert figure.get_attribute("src").startswith("data:image/svg+xml;base64,")
        assert driver.execute_script("return arguments[0].naturalWidth", figure) > 100
        _shoot(driver, shots, "3-analyse")
        _click(driver, "dl_fig_pdf")
        pdf = wait_for(lambda: next(iter(downloads.glob("*.pdf")), None), what="the PDF figure")
        wait_for(lambda: not list(downloads.glob("*.crdownload")), what="the download to end")
        assert pdf.read_bytes().startswith(b"%PDF")

        _tab(driver, "4 Report")
        _click(driver, "build_report")
        frame = wait_for(lambda: driver.find_element(By.CSS_SELECTOR, "#report_view iframe"),
                         timeout=120, what="the report")  # fmt: skip
        assert "reproduced" in _text(driver, "report_view")
        driver.switch_to.frame(frame)
        wait_for(lambda: "Claims" in driver.find_element(By.TAG_NAME, "body").text,
                 what="the claims audit in the report")  # fmt: skip
        driver.switch_to.default_content()
        _shoot(driver, shots, "4-report")

        _tab(driver, "5 Export")
        _click(driver, "dl_report")
        zipped = wait_for(lambda: next(iter(downloads.glob("*.zip")), None), what="the download")
        wait_for(lambda: not list(downloads.glob("*.crdownload")), what="the download to end")
        with zipfile.ZipFile(zipped) as z:
            html = z.read("report.html").decode("utf-8")
            assert "report.docx" in z.namelist()
        assert "claims" in html.lower()
        _click(driver, "dl_tables")
        xlsx = wait_for(lambda: next(iter(downloads.glob("*.xlsx")), None), what="the tables")
        wait_for(lambda: not list(downloads.glob("*.crdownload")), what="the download to end")
        import openpyxl

        assert len(openpyxl.load_workbook(xlsx).sheetnames) >= 3
        _shoot(driver, shots, "5-export")
        assert "remission report" in _text(driver, "export_commands")
        assert console_errors(driver) == []
    finally:
        driver.quit()
    assert time.monotonic() - start < 120


def test_cohort_with_errors_lists_them(live_app, tmp_path, shots):
    bad = tmp_path / "bad.csv"
    bad.write_text("patient_id,sex,hsct_date,last_followup_date\n"
                   "A1,M,2019-02-30,2020-01-01\nA2,X,2019-03-01,2020-01-01\n")  # fmt: skip
    driver = start_browser(tmp_path)
    try:
        driver.get(f"{live_app['url']}/?token={live_app['token']}")
        upload = wait_for(lambda: driver.find_element(By.ID, "cohort_file"), what="the upload")
        upload.send_keys(str(bad))
        wait_for(lambda: "bad.csv" in _text(driver, "load_status"), what="the upload to load")
        _tab(driver, "2 Check")
        _click(driver, "check")
        wait_for(lambda: "to fix" in _text(driver, "check_result"), what="the problem list")
        rows = driver.find_elements(By.CSS_SELECTOR, "#check_result tbody tr")
        text = _text(driver, "check_result")
        assert len(rows) >= 2
        assert "A1" in text and "2019-02-30" in text and "A2" in text
        _shoot(driver, shots, "2-check-errors")
        _tab(driver, "3 Analyse")
        _click(driver, "analyse")
        wait_for(lambda: "Check the data first" in _text(driver, "analysis"),
                 what="analysis refused before the check passes")  # fmt: skip
        assert console_errors(driver) == []
    finally:
        driver.quit()
