"""A cohort with one bad row through the app: the check lists it; ticking "exclude rows
with problems" lets the analyses and the report run without it, each saying so."""

import pytest
from browser import console_errors, need_browser, start_browser, wait_for
from test_app_browser import _click, _shoot, _tab, _text

need_browser()

from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support.ui import Select  # noqa: E402

STUDY = """title: One bad row
data_cutoff_date: 2019-12-31
interventions:
  blinatumomab:
    start: blinatumomab_start_date
columns:
  blinatumomab_start_date: {type: date}
"""


@pytest.fixture()
def bad_cohort(tmp_path):
    import remission.datasets

    lines = remission.datasets.seed_cohort_path().read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[4].split(",")
    cells[header.index("sex")] = "unknown"
    cohort = tmp_path / "bad.csv"
    cohort.write_text("\n".join([*lines[:4], ",".join(cells), *lines[5:]]) + "\n",
                      encoding="utf-8")  # fmt: skip
    study = tmp_path / "study.yaml"
    study.write_text(STUDY, encoding="utf-8")
    return cohort, study, cells[header.index("patient_id")]


def test_excluded_rows_stay_excluded_in_analyses_and_report(live_app, tmp_path, shots,
                                                             bad_cohort):  # fmt: skip
    cohort, study, pid = bad_cohort
    driver = start_browser(tmp_path)
    try:
        driver.get(f"{live_app['url']}/?token={live_app['token']}")
        wait_for(lambda: driver.find_element(By.ID, "cohort_file")).send_keys(str(cohort))
        wait_for(lambda: "bad.csv" in _text(driver, "load_status"), what="the upload")
        driver.find_element(By.ID, "study_file").send_keys(str(study))
        wait_for(lambda: "One bad row" in driver.find_element(By.ID, "study_text")
                 .get_attribute("value"), what="the study file")  # fmt: skip

        _tab(driver, "2 Check")
        _click(driver, "check")
        wait_for(lambda: "to fix" in _text(driver, "check_result"), what="the problem")
        assert "missing-value word" in _text(driver, "check_result")
        driver.find_element(By.ID, "drop_invalid").click()
        _click(driver, "check")
        wait_for(lambda: "No blocking problems" in _text(driver, "check_result"),
                 what="the check with the row excluded")  # fmt: skip
        assert "1 row excluded" in _text(driver, "check_result")

        _tab(driver, "3 Analyse")
        Select(driver.find_element(By.ID, "origin")).select_by_value("blinatumomab")
        _click(driver, "analyse")
        wait_for(lambda: "Follow-up" in _text(driver, "analysis"), what="the analysis")
        text = _text(driver, "analysis")
        assert "--drop-invalid" in text and "Problem" not in text, text
        assert f"excluded 1: invalid input (--drop-invalid) 1 ({pid})" in text
        _shoot(driver, shots, "drop-invalid-analyse")

        _tab(driver, "4 Report")
        _click(driver, "build_report")
        wait_for(lambda: driver.find_element(By.CSS_SELECTOR, "#report_view iframe"),
                 timeout=180, what="the report")  # fmt: skip
        assert console_errors(driver) == []
        driver.switch_to.frame(driver.find_element(By.CSS_SELECTOR, "#report_view iframe"))
        page = wait_for(lambda: driver.find_element(By.ID, "flow").find_element(
            By.XPATH, "..").text, what="the report's patient flow")  # fmt: skip
        assert "Row passes validation" in page and pid in page
        driver.switch_to.default_content()
    finally:
        driver.quit()
