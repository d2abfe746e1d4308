import Foundation
import HTTPTypes
import ScarCore
import ScarServer
import ScarStore
import ScarTestSupport
import Testing

@Suite("Scar assessment pages")
struct AssessmentPageTests {
    /// The reference's worked examples (§3.2 → 16, §3.3 → 125) as typed into the form.
    static let workedExampleForm: [(String, String)] = [
        ("assessedOn", "2026-05-01"), ("blinded", "yes"), ("notes", "Baseline <before> session 1"),
        ("zones.left-cheek.ice-pick", "12"), ("zones.left-cheek.boxcar", "3"), ("zones.forehead.rolling", "25"),
        ("zones.left-cheek.sizeClass", "under-2mm"), ("zones.forehead.depthClass", ""), ("hypertrophicAreaCm2", ""),
        ("gbQuantitative.A1", "8"), ("gbQuantitative.B2", "15"), ("gbQuantitative.C1", "25"), ("gbQuantitative.D1", "3"),
        ("ecca.vShapedUnder2mm", "12"), ("ecca.uShaped2to4mm", "3"), ("ecca.mShapedOver4mm", "25"),
        ("gbQualitative.contourChange", "yes"), ("gbQualitative.obviousAt50cm", "yes"), ("gbQualitative.coveredByMakeup", "no"),
        ("gbQualitative.flattensOnStretch", "yes"),
    ]

    static func patientURL(_ h: Harness, _ s: PageSession) async throws -> String {
        let created = try await s.post(h, "/patients", [("givenName", "Mara"), ("familyName", "Icepick"), ("dateOfBirth", "1993-03-03"), ("sex", "female")])
        return try #require(created.headers[.location])
    }

    @Test func formShowsTheZoneGridTheYesNoQuestionsAndEachScalesCitation() async throws {
        try await Harness.run { h in
            let s = try await PageSession.signIn(h, role: .practitioner)
            let patient = try await Self.patientURL(h, s)
            let form = try await s.get(h, patient + "/assessments/new")
            #expect(form.status == .ok)
            #expect(form.body.contains("name=\"zones.right-jawline.macular\""))
            #expect(form.body.contains("name=\"gbQuantitative.C4\""))
            #expect(form.body.contains("name=\"ecca.keloidOrHypertrophicMature\""))
            #expect(form.body.contains("type=\"radio\" id=\"q-flattensOnStretch-no\""))
            #expect(form.body.contains("10.1111/j.1473-2165.2006.00222.x"))
            #expect(form.body.contains("Dréno B"))
            #expect(form.body.contains("PubMed 17199653"))
            #expect(form.body.contains("cannot be edited"))
            #expect(!form.body.contains("field-error"))
            #expect(!form.body.contains("style="))
        }
    }

    @Test func formCreatesAnAssessmentWhosePageShowsTheBreakdownAndTheFaceDiagram() async throws {
        try await Harness.run { h in
            let s = try await PageSession.signIn(h, role: .practitioner)
            let patient = try await Self.patientURL(h, s)
            let saved = try await s.post(h, patient + "/assessments", Self.workedExampleForm)
            #expect(saved.status == .seeOther)
            let url = try #require(saved.headers[.location])
            #expect(url.hasPrefix("/assessments/"))
            let page = try await s.get(h, url)
            #expect(page.status == .ok)
            // Totals equal the scale code's computation for the same input.
            var input = ScarAssessmentInput()
            for (k, v) in Self.workedExampleForm { input[k] = v }
            let expected = AssessmentScores.compute(try input.validate(today: CalendarDate("2026-05-01")!).get())
            #expect(expected.gbQuantitative.total == 16 && expected.ecca.total == 125)
            #expect(page.body.contains("<span class=\"score-value\" id=\"gbq-total\">\(expected.gbQuantitative.total)</span>"))
            #expect(page.body.contains("<span class=\"score-value\" id=\"ecca-total\">\(expected.ecca.total)</span>"))
            #expect(page.body.contains("<span class=\"score-value\" id=\"gbl-grade\">\(expected.gbQualitative.total)</span>"))
            // Row-by-row breakdown with version and citation.
            #expect(page.body.contains("data-row=\"C1\""))
            #expect(page.body.contains("data-row=\"D2\""))
            #expect(page.body.contains("Punched-out scars with deep but normal bases"))
            #expect(page.body.contains("version \(GoodmanBaronQuantitative.version)"))
            #expect(page.body.contains("10.1111/j.1473-2165.2006.00222.x"))
            // The face diagram, with the left cheek's count (12 + 3) as a labelled zone.
            #expect(page.body.contains("<svg"))
            #expect(page.body.contains("aria-label=\"Left cheek: 15 scars\""))
            #expect(page.body.contains("aria-label=\"Forehead: 25 scars\""))
            #expect(page.body.contains("aria-label=\"Nose: 0 scars\""))
            #expect(page.body.contains("Baseline &lt;before&gt; session 1"))
            #expect(page.body.contains("cannot be edited"))
            #expect(!page.body.contains("style="))

            let patientPage = try await s.get(h, patient)
            #expect(patientPage.body.contains("id=\"scar-assessments\""))
            #expect(patientPage.body.contains("href=\"\(url)\""))
            #expect(patientPage.body.contains(patient + "/assessments/new"))
        }
    }

    @Test func zoneCountsFeedTheItemsTheScalesDefineByTypeAndASavedDifferenceIsNamed() async throws {
        try await Harness.run { h in
            let s = try await PageSession.signIn(h, role: .practitioner)
            let patient = try await Self.patientURL(h, s)
            let form = try await s.get(h, patient + "/assessments/new")
            #expect(form.body.contains(#"id="zones.left-cheek.ice-pick" name="zones.left-cheek.ice-pick" type="text" inputmode="numeric" pattern="[0-9]*" autocomplete="off" value="" aria-label="Left cheek, Ice pick" data-feeds="ecca.vShapedUnder2mm""#))
            #expect(form.body.contains(#"aria-label="Left cheek, Macular" data-feeds="gbQuantitative.A1""#))
            #expect(!form.body.contains(#"aria-label="Left cheek, Hypertrophic" data-feeds"#), "no item is defined by hypertrophic counts")
            #expect(form.body.contains(#"data-disagree-for="ecca.mShapedOver4mm""#) && form.body.contains(#"data-disagree-for="gbQuantitative.A1""#))
            #expect(!form.body.contains(#"data-disagree-for="gbQuantitative.B2""#), "depth-dependent rows are typed, never filled")
            #expect(form.body.contains("Filled from the rolling counts above"))

            // The worked example types A1 = 8 with no macular scar in the grid: saved as typed, and named.
            let differing = try await s.get(h, try #require(try await s.post(h, patient + "/assessments", Self.workedExampleForm).headers[.location]))
            #expect(differing.body.contains(#"id="count-disagreements""#))
            #expect(differing.body.contains("Goodman &amp; Baron A1 Macular erythematous or pigmented scars: 8 entered, the zone counts give 0 macular scars."),
                    "\(differing.body)")
            #expect(!differing.body.contains("ECCA: Atrophic"), "the ECCA items match the grid")

            let matching = Self.workedExampleForm.filter { $0.0 != "gbQuantitative.A1" }
            let agreed = try await s.get(h, try #require(try await s.post(h, patient + "/assessments", matching).headers[.location]))
            #expect(agreed.status == .ok && !agreed.body.contains(#"id="count-disagreements""#))
        }
    }

    @Test func invalidFormComesBackWithEachBadFieldNamedAndNothingIsSaved() async throws {
        try await Harness.run { h in
            let s = try await PageSession.signIn(h, role: .frontDesk)
            let patient = try await Self.patientURL(h, s)
            var fields = Self.workedExampleForm.filter { $0.0 != "gbQualitative.obviousAt50cm" }
            fields.append(("zones.nose.boxcar", "1.5"))
            fields.append(("zones.chin.rolling", "-3"))
            let r = try await s.post(h, patient + "/assessments", fields)
            #expect(r.status == .unprocessableContent)
            #expect(r.body.contains("id=\"form-error\""))
            #expect(r.body.contains("href=\"#zones.nose.boxcar\""))
            #expect(r.body.contains("href=\"#zones.chin.rolling\""))
            #expect(r.body.contains("href=\"#gbQualitative.obviousAt50cm\""))
            #expect(r.body.contains("value=\"1.5\""), "the typed value is kept")
            #expect(r.body.contains("3 fields need correcting"))
            let patientPage = try await s.get(h, patient)
            #expect(patientPage.body.contains("No scar assessments yet."))
        }
    }

    @Test func formWithoutCSRFTokenIsRefused() async throws {
        try await Harness.run { h in
            let s = try await PageSession.signIn(h, role: .practitioner)
            let patient = try await Self.patientURL(h, s)
            let r = try await s.post(h, patient + "/assessments", Self.workedExampleForm, includeCSRF: false)
            #expect(r.status == .forbidden)
            #expect(try await s.get(h, patient).body.contains("No scar assessments yet."))
        }
    }

    @Test func anotherClinicsAssessmentPageIsNotFound() async throws {
        try await Harness.run { h in
            let s = try await PageSession.signIn(h, role: .practitioner)
            let patient = try await Self.patientURL(h, s)
            let url = try #require(try await s.post(h, patient + "/assessments", Self.workedExampleForm).headers[.location])
            let theirs = try await h.token(email: h.otherClinicAdmin.email)
            #expect(try await h.request(.get, url, token: theirs, headers: [.accept: "text/html"]).status == .notFound)
            #expect(try await h.request(.get, patient + "/assessments/new", token: theirs, headers: [.accept: "text/html"]).status == .notFound)
        }
    }
}
