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
