"""A new 3,000-patient, 12-centre cohort through the app (network cut): upload, starter
study file, the mapping form, check, analyse by centre, report. Each step answers within a
few seconds; the browser-side waits are what a clinician would see."""

import time

import pytest
from browser import console_errors, need_browser, start_browser, wait_for
from test_app_browser import _click, _shoot, _tab, _text

need_browser()

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select  # noqa: E402


@pytest.fixture()
def demo(tmp_path):
    from remission.datasets.demo import write_demo_cohort

    cohort, study = write_demo_cohort(tmp_path / "demo", n=3000, centres=12, seed=1)
    return cohort, study


def _set(driver, element_id: str, value: str) -> None:
    el = driver.find_element(By.ID, element_id)
    el.clear()
    el.send_keys(value)


def test_new_cohort_through_the_form(live_app, tmp_path, shots, demo):
    cohort, study = demo
    driver = start_browser(tmp_path)
    timings = {}
    try:
        driver.get(f"{live_app['url']}/?token={live_app['token']}")
        wait_for(lambda: driver.find_element(By.ID, "cohort_file")).send_keys(str(cohort))
        wait_for(lambda: "cohort.csv" in _text(driver, "load_status"), what="the upload")
        start = time.monotonic()
        _click(driver, "make_study")
        wait_for(lambda: "rename:" in driver.find_element(By.ID, "study_text").get_attribute("value"),
                 what="the starter study file")  # fmt: skip
        timings["init"] = time.monotonic() - start
        _click(driver, "show_form")
        wait_for(lambda: driver.find_element(By.ID, "map_title"), what="the mapping form")
        headers = [
            td.text for td in driver.find_elements(By.CSS_SELECTOR, ".rm-map tbody td:first-child")
        ]
        assert "Date of Tx" in headers and "risk_group" in headers
        i = headers.index("risk_group")
        _set(driver, f"map_levels_{i}", "very low, low, standard, intermediate, high, very high")
        _set(driver, f"map_ref_{i}", "standard")
        _set(driver, "map_cutoff", "2024-06-30")
        _set(driver, "map_title", "Demo registry")
        _shoot(driver, shots, "1-map-form")
        _click(driver, "apply_form")
        wait_for(lambda: "reference: standard" in driver.find_element(By.ID, "study_text")
                 .get_attribute("value"), what="the form applied")  # fmt: skip
        text = driver.find_element(By.ID, "study_text").get_attribute("value")
        assert "data_cutoff_date: 2024-06-30" in text and "Date of Tx: hsct_date" in text
        _click(driver, "save_study")
        wait_for(lambda: "saved" in _text(driver, "study_status"), what="the study saved")

        _tab(driver, "2 Check")
        start = time.monotonic()
        _click(driver, "check")
        wait_for(lambda: "No blocking problems" in _text(driver, "check_result")
                 or "to fix" in _text(driver, "check_result"), what="the check")  # fmt: skip
        timings["check"] = time.monotonic() - start
        _shoot(driver, shots, "2-check-demo")
        assert "No blocking problems" in _text(driver, "check_result"), _text(
            driver, "check_result"
        )
        assert "3000 patients" in _text(driver, "check_result").replace(",", "")

        _tab(driver, "3 Analyse")
        options = [
            o.get_attribute("value") for o in Select(driver.find_element(By.ID, "group")).options
        ]
        assert "centre" in options and "hsct_date" in options  # headers as the study renames them
        origins = [o.get_attribute("value")
                   for o in Select(driver.find_element(By.ID, "origin")).options]  # fmt: skip
        # the starter study's interventions (CAR-T, inotuzumab) beside HSCT and diagnosis
        assert origins[0] == "hsct" and origins[-1] == "diagnosis"  # the demo has transplants
        assert "inotuzumab" in origins and "car_t" in origins and len(origins) == 4
        Select(driver.find_element(By.ID, "group")).select_by_value("risk_group")
        start = time.monotonic()
        _click(driver, "analyse")
        wait_for(lambda: "Comparison" in _text(driver, "analysis"), what="the analysis")
        timings["analyse"] = time.monotonic() - start
        text = _text(driver, "analysis")
        assert "very low" in text and "--group risk_group" in text
        _shoot(driver, shots, "3-analyse-demo")

        _tab(driver, "4 Report")
        start = time.monotonic()
        _click(driver, "build_report")
        wait_for(lambda: driver.find_element(By.CSS_SELECTOR, "#report_view iframe"),
                 timeout=180, what="the report")  # fmt: skip
        timings["report"] = time.monotonic() - start
        _shoot(driver, shots, "4-report-demo")
        assert console_errors(driver) == []
    finally:
        driver.quit()
    print("timings (s):", {k: round(v, 1) for k, v in timings.items()})
