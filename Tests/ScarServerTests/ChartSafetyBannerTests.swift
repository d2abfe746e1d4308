import Foundation
import HTTPTypes
import ScarCore
import ScarTestSupport
import Testing

/// Issue 13, item 3: the patient banner stays in view on the visit's chart page (before-photos, today's
/// questions, the chart), as `SafetyBanner` decides it from the latest intake and the signed consents.
@Suite("the safety banner on the chart page")
struct ChartSafetyBannerTests {
    @Test func theChartPageShowsThePatientsSafetyBannerFromTheLatestIntakeAndConsents() async throws {
        try await Harness.run { h in
            let s = try await ClinicFixtures.readyToChart(h)
            let later = try await h.request(.post, "/api/v1/patients/\(s.patient)/intakes", json: [
                "fitzpatrick": 4, "herpesHistory": true, "anticoagulants": true, "metalAllergy": true, "metalAllergyDetail": "nickel"],
                token: s.practitioner)
            #expect(later.status == .created, "\(later.body)")
            let page = try await PageSession.signIn(h, role: .practitioner)

            let new = try await page.get(h, "/patients/\(s.patient)/sessions/new")
            #expect(new.status == .ok)
            let banner = try #require(new.body.components(separatedBy: #"id="chart-banner""#).dropFirst().first?
                .components(separatedBy: "</section>").first, "the new chart has the banner")
            #expect(new.body.contains(#"<section class="card course-banner chart-banner" id="chart-banner""#))
            #expect(banner.contains(#"id="banner-fitzpatrick"><span class="banner-label">Fitzpatrick</span> <strong>type IV</strong>"#),
                    "the latest intake's Fitzpatrick type")
            #expect(banner.contains(#"<li class="banner-item banner-alert" id="banner-hsv"><span class="banner-label">HSV</span> <strong>history of cold sores; no antiviral prophylaxis recorded</strong>"#))
            #expect(banner.contains(#"<li class="banner-item banner-alert" id="banner-anticoagulants">"#))
            #expect(banner.contains("metal (nickel)"))
            #expect(banner.contains(#"id="banner-photo-consent"><span class="banner-label">Photo use</span> <strong>no consent</strong>"#))
            let bannerAt = try #require(new.body.range(of: #"id="chart-banner""#)).lowerBound
            let photosAt = try #require(new.body.range(of: #"id="before-photos""#)).lowerBound
            #expect(bannerAt < photosAt, "the banner comes before the before-photos, the questions and the chart")

            // The draft and the checked draft keep it.
            let id = try await ClinicFixtures.draftSession(h, s)
            let shown = try await page.get(h, "/sessions/\(id)")
            #expect(shown.body.contains(#"id="chart-banner""#) && shown.body.contains("type IV"))
            let checked = try await page.post(h, "/sessions/\(id)/checklist", DayAnswers.fields.map { ("day.\($0)", "no") })
            #expect(checked.status == .ok && checked.body.contains(#"id="chart-banner""#))

            // Sticky in the one stylesheet, so it stays in view while scrolling on a tablet.
            let css = try await h.request(.get, "/static/app.css")
            #expect(css.body.contains(".chart-banner { position: sticky; top: 0;"))
        }
    }
}
