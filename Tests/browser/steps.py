"""Steps and data the scenarios share, in one place: scenarios import from here, never from
each other. Each step drives the real pages the way a member of staff would."""

from __future__ import annotations

import random
import struct
import zlib
from pathlib import Path

from harness import Browser, TestFailure

UUID = r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"
PATIENT_PAGE = rf"/patients/({UUID})"

# The domain reference's worked examples: G&B quantitative 16, ECCA 125, qualitative grade 3.
COUNTS = {
    "zones.left-cheek.ice-pick": "12", "zones.left-cheek.boxcar": "3", "zones.forehead.rolling": "25",
    "zones.right-cheek.rolling": "4", "zones.chin.macular": "2",
    "gbQuantitative.A1": "8", "gbQuantitative.B2": "15", "gbQuantitative.C1": "25", "gbQuantitative.D1": "3",
    "ecca.vShapedUnder2mm": "12", "ecca.uShaped2to4mm": "3", "ecca.mShapedOver4mm": "25",
    "notes": "Synthetic test assessment",
}
ANSWERS = {"contourChange": "yes", "obviousAt50cm": "yes", "coveredByMakeup": "no", "flattensOnStretch": "yes"}


def synthetic_patient(unique: str) -> dict[str, str]:
    """Obviously fake data; the unique suffix keeps runs from colliding."""
    return {
        "givenName": "Synthia",
        "familyName": f"Testpatient{unique}",
        # Random date so a date-of-birth search is meaningful even when other
        # scenarios have registered patients in the same server.
        "dateOfBirth": f"{random.randint(1940, 2005)}-{random.randint(1, 12):02d}-{random.randint(1, 28):02d}",
        "mrn": f"TEST-{unique.upper()}",
        "sex": "female",
        # UK numbers reserved for fiction (Ofcom 07700 900xxx).
        "phone": "+44 7700 900123",
        "email": f"synthia.{unique.lower()}@example.com",
    }


def fail_on_form_error(browser: Browser, doing: str) -> None:
    """Turns a rejected form into a readable failure listing the field errors."""
    if browser.has("#form-error") or browser.has(".field-error"):
        details = [element.text for element in browser.all("#form-error, .field-error")]
        raise TestFailure(f"{doing} was refused at {browser.path}: {details}")


def register_patient(browser: Browser, fields: dict[str, str]) -> str:
    """Registers a patient through the form; returns the new patient's id."""
    browser.go("/patients/new")
    browser.fill("#patient-form", fields)
    browser.click_and_wait("#patient-save")
    fail_on_form_error(browser, "registering a patient")
    return browser.wait_for_path(PATIENT_PAGE).group(1)


def record_intake(browser: Browser, patient_id: str, fields: dict[str, str]) -> None:
    """From the patient page: "Record intake", the fields given, save, back on the patient page."""
    browser.click_and_wait("#record-intake")
    browser.fill("#intake-form", fields)
    browser.click_and_wait("#intake-save")
    browser.wait_for_path(rf"/patients/{patient_id}")


def grade(browser: Browser) -> str:
    """From the patient page: a new assessment with COUNTS and ANSWERS; returns its id."""
    browser.click_and_wait("#new-assessment")
    browser.fill("#assessment-form", COUNTS)
    for key, answer in ANSWERS.items():
        browser.css(f"#q-{key}-{answer}").click()
    browser.click_and_wait("#assessment-save")
    return browser.wait_for_path(rf"/assessments/({UUID})").group(1)


def make_png(path: Path, width: int, height: int, tint: tuple[int, int, int]) -> Path:
    """A real, decodable RGB PNG: a soft gradient, like skin under clinic light."""
    rows = bytearray()
    for y in range(height):
        rows.append(0)
        for x in range(width):
            rows += bytes((min(255, tint[0] + x * 40 // width), min(255, tint[1] + y * 40 // height), tint[2]))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
    png += chunk(b"IDAT", zlib.compress(bytes(rows), 6)) + chunk(b"IEND", b"")
    path.write_bytes(png)
    return path


def upload(browser: Browser, patient_id: str, file: Path, values: dict[str, str]) -> None:
    """Uploads a photo through the "Add photo" form and waits for the patient page."""
    browser.go(f"/patients/{patient_id}/photos/new")
    browser.fill("#photo-form", values)
    browser.css("#photo").send_keys(str(file))
    browser.click_and_wait("#photo-save")
    fail_on_form_error(browser, f"uploading {file.name}")
    browser.wait_for_path(rf"/patients/{patient_id}")


class ClickCounter:
    """Counts what a member of staff does the way issue 13 counts it: each click (a link, a button, a tick,
    a file chooser, a signature drawn) and each field focused. A field that already holds the wanted value
    (carried forward, prefilled) costs nothing. `step` saves a screenshot of the page reached, numbered."""

    def __init__(self, browser: Browser, workflow: str, viewport: str):
        self.browser, self.workflow, self.viewport = browser, workflow, viewport
        self.clicks = 0
        self.steps = 0
        # (step name, clicks since the previous step), for the per-step report.
        self.per_step: list[tuple[str, int]] = []

    def go(self, path: str) -> None:
        """A link in the navigation or on the page (the scenario does not type addresses)."""
        self.clicks += 1
        self.browser.go(path)

    def click(self, selector: str) -> None:
        self.clicks += 1
        self.browser.tap(selector)

    def click_and_wait(self, selector: str) -> None:
        self.clicks += 1
        self.browser.click_and_wait(selector)

    def fill(self, form_selector: str, values: dict[str, str]) -> None:
        """Counts one focus per field whose value changes, then fills them."""
        from selenium.webdriver.support.ui import Select
        changed = {}
        for name, value in values.items():
            element = self.browser.css(f'{form_selector} [name="{name}"]')
            current = (Select(element).first_selected_option.get_attribute("value")
                       if element.tag_name.lower() == "select" else element.get_attribute("value")) or ""
            if current != value:
                changed[name] = value
        self.clicks += len(changed)
        if changed:
            self.browser.fill(form_selector, changed)

    def tick(self, selector: str, on: bool = True) -> None:
        """A checkbox or radio set to `on`; a click only if it is not already so."""
        element = self.browser.css(selector)
        if element.is_selected() != on:
            self.clicks += 1
            self.browser.tap(element)

    def choose_files(self, selector: str, paths: list[Path]) -> None:
        """One file chooser, however many files are picked in it."""
        self.clicks += 1
        self.browser.css(selector).send_keys("\n".join(str(p) for p in paths))

    def draw(self, selector: str) -> None:
        """A signature drawn on a pad: one gesture."""
        from selenium.webdriver.common.action_chains import ActionChains
        self.clicks += 1
        pad = self.browser.css(selector)
        self.browser.driver.execute_script("arguments[0].scrollIntoView({block: 'center'})", pad)
        ActionChains(self.browser.driver).move_to_element_with_offset(pad, -120, 0).click_and_hold().move_by_offset(60, -20) \
            .move_by_offset(60, 30).move_by_offset(60, -25).release().perform()

    def step(self, name: str) -> None:
        """Saves the step's screenshot; a page wider than the window fails (a tablet must not scroll sideways)."""
        self.steps += 1
        self.per_step.append((name, self.clicks - sum(n for _, n in self.per_step)))
        self.browser.screenshot(f"clicks-{self.viewport}-{self.workflow}-{self.steps:02d}-{name}.png")
        overflow = self.browser.horizontal_overflow()
        if overflow > 0:
            raise TestFailure(f"{self.browser.path} is {overflow}px wider than the {self.viewport} window ({self.workflow}, step {name})")
