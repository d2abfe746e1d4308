"""Trust: an admin adds a member of staff, who must replace the one-time password.

An administrator opens Staff, adds a front-desk account (its name carries script
payloads, which must render inert), reads the one-time password shown once; the
new colleague signs in, is sent to "Change password", cannot go anywhere else
until they choose their own, and then can. The admin finds the password change on
the Audit page by filtering by action. Staff and audit pages fit desktop and tablet.
"""

from harness import DESKTOP, TABLET, Context, TEST_PASSWORD, check

XSS_NAME = "Dee <script>document.body.dataset.pwned='1'</script><img src=x onerror=\"document.body.dataset.pwned='1'\">"
NEW_PASSWORD = "Quiet Harbour Morning Tide 42"


def assert_inert(browser, where: str) -> None:
    from selenium.common.exceptions import NoAlertPresentException
    try:
        browser.driver.switch_to.alert
        check(False, f"an alert opened on {where}")
    except NoAlertPresentException:
        pass
    check(browser.driver.execute_script("return document.body.dataset.pwned") is None, f"a script payload ran on {where}")
    check(not browser.has("img[src='x']"), f"a payload element was injected on {where}")


def run(ctx: Context) -> None:
    admin_email = f"admin.{ctx.unique.lower()}@test.example"
    ctx.server.add_user(admin_email, TEST_PASSWORD, "admin")
    desk_email = f"desk.{ctx.unique.lower()}@test.example"

    admin = ctx.browser(DESKTOP, label="admin")
    admin.sign_in(admin_email, TEST_PASSWORD)
    admin.click_and_wait("#nav-staff")
    admin.wait_for_path(r"/admin/staff")
    admin.fill("#staff-form", {"email": desk_email, "displayName": XSS_NAME, "role": "front-desk"})
    admin.click_and_wait("#staff-add")
    one_time = admin.text("#created-password").strip()
    check(len(one_time) == 23, f"the one-time password looks wrong: {one_time!r}")
    check(XSS_NAME.split(" ")[1][:8] in admin.text("#staff-table"), "the new name is not shown as text")
    assert_inert(admin, "the staff page")
    check(admin.horizontal_overflow() <= 0, "the staff page is wider than a desktop window")
    admin.screenshot("trust-staff-desktop.png")
    ctx.log("admin added a front-desk account with a one-time password")

    desk = ctx.browser(DESKTOP, label="new-colleague")
    desk.go("/signin")
    desk.fill("#signin-form", {"email": desk_email, "password": one_time})
    desk.click_and_wait("#signin-submit")
    desk.wait_for_path(r"/account/password")
    check(desk.has("#must-change"), "the one-time password notice is missing")
    desk.go("/patients")
    desk.wait_for_path(r"/account/password")
    desk.fill("#password-form", {"current": one_time, "new": "password1234", "confirm": "password1234"})
    desk.click_and_wait("#password-save")
    check(desk.has("#new-error"), "a common password was not refused beside the field")
    desk.screenshot("trust-password-refused.png")
    desk.fill("#password-form", {"current": one_time, "new": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    desk.click_and_wait("#password-save")
    desk.wait_for_path(r"/")
    check(desk.has("#password-set"), "a first password change does not lead on to the clinic's day with a confirmation")
    assert_inert(desk, "the account page (name in the header)")
    desk.go("/patients")
    desk.wait_for_path(r"/patients")
    ctx.log("the new colleague replaced the one-time password and reached the patient list")

    admin.go("/audit")
    admin.fill("#audit-filter", {"action": "staff.password-change"})
    admin.click_and_wait("#audit-apply")
    audit_text = admin.text("#audit-list")
    check(XSS_NAME.split(" ")[1][:8] in audit_text, "the password change is not on the audit page under the colleague's name")
    check(desk_email not in audit_text, "the audit page shows an e-mail address instead of the name")
    check(admin.horizontal_overflow() <= 0, "the audit page is wider than a desktop window")
    admin.screenshot("trust-audit-desktop.png")

    tablet = ctx.browser(TABLET, label="tablet")
    tablet.sign_in(admin_email, TEST_PASSWORD)
    for path, name in [("/admin/staff", "trust-staff-tablet.png"), ("/audit", "trust-audit-tablet.png")]:
        tablet.go(path)
        assert_inert(tablet, path)
        check(tablet.horizontal_overflow() <= 0, f"{path} is wider than a tablet ({tablet.horizontal_overflow()}px)")
        tablet.screenshot(name)
