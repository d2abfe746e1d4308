"""Patients: register, find, open, edit, and the stale-edit conflict.

A practitioner signs in, registers an obviously synthetic patient, finds it by
family name, date of birth and MRN, edits the phone number, and then two tabs
edit the same record: the second save must be refused with a clear message
instead of silently overwriting the first (HTTP 409, #form-error).
"""

import re

from harness import TABLET, Browser, Context, check, shows_phone
from steps import PATIENT_PAGE, fail_on_form_error, synthetic_patient

CONFLICT_WORDS = re.compile(r"someone else|another user|changed|modified", re.IGNORECASE)


def full_name(patient: dict[str, str]) -> str:
    return f"{patient['givenName']} {patient['familyName']}"


def run(ctx: Context) -> None:
    patient = synthetic_patient(ctx.unique)
    browser = ctx.browser(label="desktop")
    browser.sign_in()
    ctx.log(f"signed in as {ctx.email}")

    patient_id = register(ctx, browser, patient)
    ctx.log(f"registered {full_name(patient)} as {patient_id}")

    for what in ("familyName", "dateOfBirth", "mrn"):
        search_finds(browser, patient[what], patient, patient_id, what)
    ctx.log("found by family name, date of birth and MRN")
    browser.screenshot("patients-list.png")

    open_from_list(browser, patient, patient_id)
    browser.screenshot("patient-page.png")

    edit_phone(browser, patient_id, "+44 7700 900456")
    ctx.log("edited phone number")

    stale_edit_in_two_tabs(browser, patient_id)
    stale_post_is_409(ctx, patient_id)
    ctx.log("stale edits are refused (browser tabs and HTTP 409)")

    tablet_views(ctx, patient, patient_id)

    browser.sign_out()
    browser.go("/patients")
    check(browser.has("#signin-form"), f"after sign-out, /patients shows no sign-in form (at {browser.path})")


def register(ctx: Context, browser: Browser, patient: dict[str, str]) -> str:
    browser.go("/patients")
    browser.click_and_wait("#register-patient")
    browser.wait_for_path(r"/patients/new")
    missing_names_are_refused(browser, patient)
    browser.fill("#patient-form", patient)
    browser.screenshot("patient-new.png")
    browser.click_and_wait("#patient-save")
    fail_on_form_error(browser, "registering a patient")
    patient_id = browser.wait_for_path(PATIENT_PAGE).group(1)
    heading = browser.text("h1")
    check(full_name(patient) in heading, f"patient page h1 is {heading!r}, expected {full_name(patient)!r}")
    return patient_id


def missing_names_are_refused(browser: Browser, patient: dict[str, str]) -> None:
    """The server itself must validate: drop the browser's `required` checks
    (forms must work without JavaScript anyway) and submit without names."""
    browser.driver.execute_script(
        "document.querySelectorAll('#patient-form [required]').forEach(e => e.removeAttribute('required'))")
    browser.fill("#patient-form", {**patient, "givenName": "", "familyName": ""})
    browser.click_and_wait("#patient-save")
    check(browser.has("#form-error"), f"registering without names showed no #form-error (at {browser.path})")
    check(browser.has(".field-error"), "registering without names showed no .field-error")
    check(browser.value("#patient-form", "mrn") == patient["mrn"],
          "the refused form did not keep what was typed (MRN lost)")
    browser.screenshot("patient-new-errors.png")


def search_finds(browser: Browser, query: str, patient: dict[str, str], patient_id: str, what: str) -> None:
    browser.go("/patients")
    browser.fill("#patient-search", {"q": query})
    browser.click_and_wait("#search-submit")
    links = browser.all("#patient-list a.patient-link")
    found = [(" ".join(link.text.split()), link.get_attribute("href") or "") for link in links]
    check(any(name == full_name(patient) and href.endswith(f"/patients/{patient_id}") for name, href in found),
          f"searching by {what} ({query!r}) did not list {full_name(patient)} -> /patients/{patient_id}; "
          f"got {found}")


def open_from_list(browser: Browser, patient: dict[str, str], patient_id: str) -> None:
    """Opens the patient by clicking the result link, as a user would."""
    browser.css(f'#patient-list a.patient-link[href$="/patients/{patient_id}"]').click()
    browser.wait_for_path(rf"/patients/{patient_id}")
    check(full_name(patient) in browser.text("h1"), f"h1 on patient page is {browser.text('h1')!r}")


def edit_phone(browser: Browser, patient_id: str, phone: str) -> None:
    browser.go(f"/patients/{patient_id}")
    browser.click_and_wait("#edit-patient")
    browser.wait_for_path(rf"/patients/{patient_id}/edit")
    check(browser.has('#patient-form input[name="version"]'), "edit form has no hidden version field")
    browser.screenshot("patient-edit.png")
    browser.fill("#patient-form", {"phone": phone})
    browser.click_and_wait("#patient-save")
    fail_on_form_error(browser, "saving the phone number")
    browser.wait_for_path(rf"/patients/{patient_id}")
    check(shows_phone(browser.text(), phone), f"patient page does not show the new phone {phone!r}")


def stale_edit_in_two_tabs(browser: Browser, patient_id: str) -> None:
    """Tab A opens the form, tab B opens and saves, then tab A saves: refused."""
    driver = browser.driver
    edit_path = f"/patients/{patient_id}/edit"
    browser.go(edit_path)
    tab_a = driver.current_window_handle

    driver.switch_to.new_window("tab")
    browser.go(edit_path)
    saved_phone = "+44 7700 900789"
    browser.fill("#patient-form", {"phone": saved_phone})
    browser.click_and_wait("#patient-save")
    fail_on_form_error(browser, "saving in the second tab")
    browser.wait_for_path(rf"/patients/{patient_id}")
    driver.close()

    driver.switch_to.window(tab_a)
    browser.fill("#patient-form", {"phone": "+44 7700 900999"})
    browser.click_and_wait("#patient-save")
    check(browser.has("#form-error"), f"stale save was accepted (no #form-error; now at {browser.path})")
    message = browser.text("#form-error")
    check(CONFLICT_WORDS.search(message) is not None,
          f"#form-error does not say the record was changed by someone else: {message!r}")
    check(shows_phone(browser.driver.page_source, saved_phone),
          f"conflict page does not show the current phone {saved_phone!r}")
    browser.screenshot("patient-conflict.png")


def stale_post_is_409(ctx: Context, patient_id: str) -> None:
    """Same conflict without a browser, to check the status code itself."""
    http = ctx.http()
    edit_page = http.get(f"/patients/{patient_id}/edit")
    check(edit_page.status == 200, f"GET edit form returned {edit_page.status}")
    first = http.submit(edit_page, "patient-form", {"phone": "+44 7700 900321"})
    check(first.status == 200 and re.fullmatch(PATIENT_PAGE, first.path) is not None,
          f"fresh save returned {first.status} at {first.path}")
    stale = http.submit(edit_page, "patient-form", {"phone": "+44 7700 900654"})
    check(stale.status == 409, f"stale save returned HTTP {stale.status}, expected 409")
    check('id="form-error"' in stale.body, "409 page has no #form-error")


def tablet_views(ctx: Context, patient: dict[str, str], patient_id: str) -> None:
    tablet = ctx.browser(TABLET, label="tablet")
    tablet.sign_in()
    tablet.go(f"/patients?q={patient['familyName']}")
    check(tablet.has(f'#patient-list a.patient-link[href$="/patients/{patient_id}"]'),
          "patient list at tablet size does not show the patient")
    warn_if_overflowing(ctx, tablet, "patient list")
    tablet.screenshot("patients-list-tablet.png")
    tablet.go(f"/patients/{patient_id}")
    warn_if_overflowing(ctx, tablet, "patient page")
    tablet.screenshot("patient-page-tablet.png")


def warn_if_overflowing(ctx: Context, browser: Browser, page: str) -> None:
    # Not a failure (no layout contract yet), but worth seeing in CI output.
    overflow = browser.horizontal_overflow()
    if overflow > 0:
        ctx.log(f"WARNING: {page} is {overflow}px wider than the {browser.label} window")
