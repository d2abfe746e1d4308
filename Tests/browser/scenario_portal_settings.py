"""The clinic sets up its patient portal on a page (issue 14): photos side by side, the notice for a
change, the outcome questions from its licensed copy. A refused value is shown beside its field
and kept; nothing is saved (the shared clinic's portal settings are left as they were).
"""

from harness import DESKTOP, TABLET, Context, check


def run(ctx: Context) -> None:
    admin_email = f"portal-admin-{ctx.unique}@test.example"
    ctx.server.add_user(admin_email, ctx.password, "admin")
    for size, label in ((DESKTOP, "desktop"), (TABLET, "tablet")):
        browser = ctx.browser(size, label=label)
        browser.sign_in(admin_email, ctx.password)
        browser.go("/admin/clinic")
        browser.click_and_wait("#portal-settings-link")
        browser.wait_for_path(r"/admin/portal")
        check("Show patients their photos side by side" in browser.text("#portal-settings-form"), "the portal's settings are on the page")
        check(browser.horizontal_overflow() <= 0, f"the portal settings page scrolls sideways at {label}")
        browser.screenshot(f"portal-settings-{label}.png")
        browser.fill("#portal-settings-form", {"changeNoticeHours": "999"})
        browser.click_and_wait("#portal-settings-save")
        check("from 0 to 336" in browser.text("#changeNoticeHours-error"), "the refusal is beside the notice field")
        check(browser.value("#portal-settings-form", "changeNoticeHours") == "999", "the typed value is kept")
        browser.screenshot(f"portal-settings-{label}-refused.png")
        browser.close()
    ctx.log("portal settings page at 1366x900 and 820x1180, a refused notice shown beside its field")
