import Foundation
import HTTPTypes
import ScarCore
import ScarServer
import ScarStore
import ScarTestSupport
import Testing

@Suite("Protocol template and treatment plan pages")
struct PlanPageTests {
    /// A patient screened and assessed through the API; returns its page URL.
    static func patient(_ h: Harness, intake: [String: Any] = ["fitzpatrick": 4, "fitzpatrickMethod": "clinician-assessed"]) async throws -> String {
        let token = try await h.token(.practitioner)
        return "/patients/" + (try await h.screenedPatient(token: token, intake: intake))
    }

    static func firstTemplateURL(_ h: Harness, _ s: PageSession) async throws -> String {
        let list = try await s.get(h, "/protocol-templates")
        guard let listStart = list.body.range(of: "id=\"template-list\""),
              let r = list.body[listStart.upperBound...].range(of: "href=\"/protocol-templates/") else { throw HarnessError("no template link") }
        let rest = list.body[r.upperBound...]
        return "/protocol-templates/" + rest.prefix { $0 != "\"" }
    }

    @Test func templatesListAndDetailShowExamplesWithSources() async throws {
        try await Harness.run { h in
            let s = try await PageSession.signIn(h, role: .practitioner)
            let list = try await s.get(h, "/protocol-templates")
            #expect(list.status == .ok)
            #expect(list.body.contains("Example — adjust before clinical use"))
            #expect(!list.body.contains("id=\"new-template\""), "only admins create templates")
            let url = try await Self.firstTemplateURL(h, s)
            let detail = try await s.get(h, url)
            #expect(detail.status == .ok)
            #expect(detail.body.contains("id=\"example-warning\""))
            #expect(detail.body.contains("Int J Womens Dermatol 2015"))
            #expect(detail.body.contains("21 CFR 878.4430"))
            #expect(!detail.body.contains("style="))
            #expect(try await s.get(h, url + "/edit").status == .forbidden)
        }
    }

    @Test func adminSavesATemplateAsANewVersionAndAStaleFormIs409() async throws {
        try await Harness.run { h in
            let s = try await PageSession.signIn(h, role: .admin)
            let url = try await Self.firstTemplateURL(h, s)
            let form = try await s.get(h, url + "/edit")
            #expect(form.status == .ok)
            let version = try #require(PageSession.hiddenValue("version", in: form.body))
            var fields: [(String, String)] = [("version", version), ("name", "Clinic pen protocol"), ("modality", "microneedling"),
                                              ("deviceType", "pen"), ("sessionsMin", "3"), ("sessionsMax", "6"), ("sessionsDefault", "3"),
                                              ("intervalDaysMin", "14"), ("intervalDaysMax", "42"), ("intervalDaysDefault", "28"),
                                              ("deviceDepthLimitMm", "2.0"), ("depths.left-cheek", "1.5"), ("adjuncts", "prp")]
            let bad = try await s.post(h, url + "/edit", fields + [("depths.nose", "2.5")])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.body.contains("above the device depth limit"))
            let saved = try await s.post(h, url + "/edit", fields)
            #expect(saved.status == .seeOther)
            let detail = try await s.get(h, url)
            #expect(detail.body.contains("Clinic pen protocol"))
            #expect(detail.body.contains("Version 2"))
            #expect(!detail.body.contains("id=\"example-warning\""))
            fields[0] = ("version", version)
            let stale = try await s.post(h, url + "/edit", fields)
            #expect(stale.status == .conflict)
            #expect(stale.body.contains("changed by someone else"))
        }
    }

    @Test func planFormShowsHintsAndScreeningThenPlanIsApprovedAndShownOnThePatientPage() async throws {
        try await Harness.run { h in
            let patient = try await Self.patient(h)
            let s = try await PageSession.signIn(h, role: .practitioner)
            let form = try await s.get(h, patient + "/plans/new")
            #expect(form.status == .ok)
            #expect(form.body.contains("id=\"hint-rolling-consider-subcision\""))
            #expect(form.body.contains("id=\"hint-fitzpatrick-pih-guidance\""))
            #expect(form.body.contains("Bhargava S, et al. J Clin Aesthet Dermatol 2019"))
            #expect(form.body.contains("id=\"plan-screening-outcome\""))
            #expect(form.body.contains("no device depth limit", ) || form.body.contains("No device depth limit"))
            #expect(!form.body.contains("style="))
            let templateId = try #require(PageSession.hiddenValue("template", in: form.body))

            let bad = try await s.post(h, patient + "/plans", [("template", templateId), ("sessions", "9"), ("intervalDays", "28")])
            #expect(bad.status == .unprocessableContent)
            #expect(bad.body.contains("field-error"))

            let created = try await s.post(h, patient + "/plans", [("template", templateId), ("sessions", "4"), ("intervalDays", "28"),
                                                                   ("adjuncts", "subcision"),
                                                                   ("rationale", "Rolling-dominant; subcision with microneedling.")])
            #expect(created.status == .seeOther)
            let planURL = try #require(created.headers[.location])
            let page = try await s.get(h, planURL)
            #expect(page.status == .ok)
            #expect(page.body.contains("id=\"approve-plan\""))
            let version = try #require(PageSession.hiddenValue("version", in: page.body))
            let approved = try await s.post(h, planURL + "/approve", [("version", version)])
            #expect(approved.status == .seeOther)
            let after = try await s.get(h, planURL)
            #expect(after.body.contains("id=\"plan-status\">Approved"))
            #expect(after.body.contains("Approved</span>"))
            #expect(after.body.contains(h.staff[.practitioner]!.email))
            let patientPage = try await s.get(h, patient)
            #expect(patientPage.body.contains("id=\"treatment-plans\""))
            #expect(patientPage.body.contains(planURL))
        }
    }

    @Test func approvalRefusedForAContraindicationShowsTheReasonAndSource() async throws {
        try await Harness.run { h in
            let patient = try await Self.patient(h, intake: ["fitzpatrick": 2, "localInfectionInArea": true])
            let s = try await PageSession.signIn(h, role: .practitioner)
            let form = try await s.get(h, patient + "/plans/new")
            let templateId = try #require(PageSession.hiddenValue("template", in: form.body))
            let created = try await s.post(h, patient + "/plans", [("template", templateId), ("sessions", "3"), ("intervalDays", "28"),
                                                                   ("rationale", "Boxcar and rolling; standard course.")])
            let planURL = try #require(created.headers[.location])
            let page = try await s.get(h, planURL)
            #expect(page.body.contains("id=\"approval-blockers\""))
            #expect(!page.body.contains("id=\"approve-plan\""))
            #expect(page.body.contains("contraindicated"))
            // Posting anyway (an old tab) is refused with the reason.
            let refused = try await s.post(h, planURL + "/approve", [("version", "1")])
            #expect(refused.status == .conflict)
            #expect(refused.body.contains("cannot be approved"))
            #expect(refused.body.contains("Source:"))
        }
    }

    @Test func staleDraftEditIs409AndFrontDeskCannotApprove() async throws {
        try await Harness.run { h in
            let patient = try await Self.patient(h)
            let s = try await PageSession.signIn(h, role: .practitioner)
            let form = try await s.get(h, patient + "/plans/new")
            let templateId = try #require(PageSession.hiddenValue("template", in: form.body))
            let created = try await s.post(h, patient + "/plans", [("template", templateId), ("sessions", "3"), ("intervalDays", "28")])
            let planURL = try #require(created.headers[.location])
            let edit = try await s.get(h, planURL + "/edit")
            #expect(edit.status == .ok)
            #expect(try await s.post(h, planURL + "/edit", [("version", "1"), ("sessions", "4"), ("intervalDays", "28")]).status == .seeOther)
            let stale = try await s.post(h, planURL + "/edit", [("version", "1"), ("sessions", "5"), ("intervalDays", "28")])
            #expect(stale.status == .conflict)
            #expect(stale.body.contains("changed by someone else"))

            let desk = try await PageSession.signIn(h, role: .frontDesk)
            let page = try await desk.get(h, planURL)
            #expect(page.status == .ok)
            #expect(!page.body.contains("id=\"approve-plan\""))
            #expect(try await desk.post(h, planURL + "/approve", [("version", "2")]).status == .forbidden)
            #expect(try await desk.get(h, patient + "/plans/new").status == .forbidden)
        }
    }
}
