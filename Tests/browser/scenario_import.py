"""Import: an administrator checks a CSV of patients, reads the dry run, imports it.

The file is what a European spreadsheet saves: a byte-order mark, `;` between fields,
day-first dates, a quoted name holding a `;`, an empty line, one bad date, and the same
person twice (held for review, never imported twice). The dry
run shows the counts and the error by row and writes nothing; Import registers the two
good patients; the page fits a laptop and a tablet.
"""

import tempfile
from pathlib import Path

from harness import DESKTOP, TABLET, Context, TEST_PASSWORD, check


def run(ctx: Context) -> None:
    admin_email = f"admin.import.{ctx.unique.lower()}@test.example"
    ctx.server.add_user(admin_email, TEST_PASSWORD, "admin")
    u = ctx.unique
    text = ("sourceId;givenName;familyName;dateOfBirth;email\r\n"
            f"IMP-{u}-1;Synthia;\"Testpatient{u}; Jr\";12/04/1991;synthia.{u.lower()}@example.com\r\n"
            "\r\n"
            f"IMP-{u}-2;Sam;Testpatient{u};01/02/1980;\r\n"
            f"IMP-{u}-3;Bad;Testpatient{u};1980-02-01;\r\n"
            f"IMP-{u}-4; sam ;testpatient{u};1/2/1980;\r\n")
    folder = Path(tempfile.mkdtemp(prefix="scartrack-import-"))
    file = folder / "clinic-export.csv"
    file.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))

    for size, label in ((DESKTOP, "desktop"), (TABLET, "tablet")):
        admin = ctx.browser(size, label=f"admin-{label}")
        admin.sign_in(admin_email, TEST_PASSWORD)
        admin.click_and_wait("#nav-import")
        admin.wait_for_path(r"/admin/import")
        admin.screenshot(f"import-form-{label}.png")
        admin.fill("#import-form", {"kind": "patients", "mapping": "scartrack", "dateFormat": "DD/MM/YYYY"})
        admin.css("#file").send_keys(str(file))
        admin.click_and_wait("#check-button")
        check(admin.has("#import-report"), "the dry run report is shown")
        counts = admin.text("#import-counts")
        if label == "desktop":
            check("Ready to import\n2" in counts or "Ready to import 2" in counts, f"two rows are ready: {counts!r}")
            check("must be a real date written DD/MM/YYYY" in admin.text("#import-errors"), "the bad date is reported by row")
            check("row 4 of this file" in admin.text("#import-duplicates"), "Sam twice in the file is held for review, not imported twice")
        check(admin.horizontal_overflow() <= 0, f"the import report is wider than the {label} window")
        admin.screenshot(f"import-dry-run-{label}.png")
        if label == "desktop":
            admin.click_and_wait("#import-button")
            check("Imported from clinic-export.csv" in admin.text("#import-report"), "the import is confirmed")
            admin.screenshot("import-done-desktop.png")
            admin.go(f"/patients?q=Testpatient{u}")
            check(f"Testpatient{u}; Jr" in admin.text("main"), "the quoted name with a ; arrived whole")
        else:
            already = admin.text("#import-counts")
            check("Already imported (unchanged)\n2" in already or "Already imported (unchanged) 2" in already,
                  f"the same file again changes nothing: {already!r}")
    ctx.log("admin checked and imported a ;-separated, BOM, day-first CSV; the re-check finds both rows already imported")
