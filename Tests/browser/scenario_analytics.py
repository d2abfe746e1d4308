"""Clinic analytics: `scartrack demo --courses` adds synthetic treated patients
(baseline, signed sessions, follow-up, some adverse events); an administrator
opens the dashboard, reads the numbers, filters by a day range, sees the
adverse-event rate beside the literature figure (18 of 246, with its source),
downloads the analytics CSV and the de-identified research export, and looks
at the page on desktop and tablet.
"""

import urllib.request

from harness import TABLET, TEST_PASSWORD, Context, check


def run(ctx: Context) -> None:
    made = ctx.server.cli("demo", "--patients", "1", "--courses", "40", "--seed", "7")
    check(made.returncode == 0, f"demo --courses failed: {made.stderr}")
    ctx.log(made.stdout.strip().splitlines()[-1])

    admin_email = f"analytics.{ctx.unique.lower()}@test.example"
    ctx.server.add_user(admin_email, TEST_PASSWORD, "admin")
    browser = ctx.browser(label="desktop")
    browser.sign_in(admin_email, TEST_PASSWORD)
    browser.go("/analytics")
    treated = int(browser.text("#patients-treated"))
    check(treated >= 40, f"the dashboard counts {treated} treated patients")
    check(int(browser.text("#sessions-signed")) >= treated, "at least one signed session per treated patient")
    check("18 of 246 patients in 10 studies" in browser.text("#literature-source"), "the literature figure is shown with its source")
    check(browser.has("#chart-ae") and browser.has("#chart-dominantType"), "the charts are drawn")
    check("not a clinical claim" in browser.text("#depth-bands"), "the depth bands say they are a product choice")
    check(browser.horizontal_overflow() <= 0, f"the dashboard overflows by {browser.horizontal_overflow()}px")
    browser.screenshot("analytics-desktop.png")

    # The CSV and the research export download with the browser's session.
    cookies = "; ".join(f"{c['name']}={c['value']}" for c in browser.driver.get_cookies())
    for path, first in [("/api/v1/analytics.csv", "metric,dimension"), ("/api/v1/research/export.csv", "pseudonym,assessment_number")]:
        request = urllib.request.Request(ctx.url(path), headers={"Cookie": cookies})
        with urllib.request.urlopen(request) as response:
            body = response.read().decode()
        check(body.startswith(first), f"{path} starts with {body[:40]!r}")
        check("Course-" not in body, f"{path} contains a patient name")

    # Filtering by a day range narrows the numbers.
    browser.fill("#analytics-filter", {"from": "2000-01-01", "to": "2000-12-31"})
    browser.click_and_wait("#analytics-apply")
    check(browser.text("#patients-treated") == "0", "a range before any session counts nobody")

    tablet = ctx.browser(TABLET, label="tablet")
    tablet.sign_in(admin_email, TEST_PASSWORD)
    tablet.go("/analytics")
    check(tablet.horizontal_overflow() <= 0, f"the dashboard overflows by {tablet.horizontal_overflow()}px at tablet width")
    tablet.screenshot("analytics-tablet.png")
