import Foundation
import HTTPTypes
import ScarCore
@testable import ScarServer
import ScarStore
import ScarTestSupport
import Testing

@Suite("Analytics API, CSV, research export and dashboard")
struct AnalyticsAPITests {
    /// Signs in a member of staff of the generated analytics clinic.
    static func token(_ h: Harness, _ ac: AnalyticsClinic, _ role: Role) async throws -> String {
        let user = try await Fixtures.staff(h.db, clinic: ac.clinic, role: role)
        return try await h.token(email: user.email)
    }

    @Test func jsonCarriesTheKnownAnswersAndTheLiteratureFigure() async throws {
        try await Harness.run { h in
            let ac = try await AnalyticsClinic.make(h.db)
            let token = try await Self.token(h, ac, .practitioner)
            let r = try await h.request(.get, "/api/v1/analytics", token: token)
            #expect(r.status == .ok, "\(r.body)")
            #expect(r.json["patientsTreated"] as? Int == 20)
            #expect(r.json["sessionsSigned"] as? Int == 62)
            #expect(r.json["completedCourses"] as? Int == 16)
            let groups = try #require(r.json["responders"] as? [[String: Any]])
            let overall = try #require(groups.first { $0["dimension"] as? String == "overall" })
            #expect(overall["responders"] as? Int == 14 && overall["evaluable"] as? Int == 18)
            let ae = try #require(r.json["adverseEvents"] as? [String: Any])
            let perPatient = try #require(ae["perPatient"] as? [String: Any])
            #expect(perPatient["numerator"] as? Int == 5 && perPatient["denominator"] as? Int == 20)
            #expect(abs((perPatient["lower"] as? Double ?? 0) - 0.111861701408) < 1e-9)
            let literature = try #require((r.json["literature"] as? [String: Any])?["perPatient"] as? [String: Any])
            #expect(literature["numerator"] as? Int == 18 && literature["denominator"] as? Int == 246)
            #expect(abs((literature["upper"] as? Double ?? 0) - 0.112684845234) < 1e-9)
            let definitions = try #require(r.json["definitions"] as? [String: Any])
            #expect((definitions["responderRule"] as? String)?.contains("Goodman & Baron qualitative grade better than baseline") == true)
            #expect(definitions["depthBandEdgesMm"] as? [Double] == [1.0, 1.5])

            let filtered = try await h.request(.get, "/api/v1/analytics?practitioner=\(ac.practitionerB.id.uuidString.lowercased())&from=2025-01-01&to=2025-12-31",
                                               token: token)
            #expect(filtered.json["patientsTreated"] as? Int == 7)
            let byTemplate = try await h.request(.get, "/api/v1/analytics?protocol=\(ac.template1.uuidString)", token: token)
            #expect(byTemplate.json["patientsTreated"] as? Int == 10)
            // Another clinic sees only its own patient.
            let other = try await h.token(email: h.otherClinicAdmin.email)
            #expect(try await h.request(.get, "/api/v1/analytics", token: other).json["patientsTreated"] as? Int == 0)
        }
    }

    /// One signed session of yesterday at 1.75 mm, corrected by amendment to 1.25 mm, and an
    /// adverse event linked to it with onset today (in a clinic of its own). Returns a
    /// practitioner's token, the session id and yesterday's day.
    static func amendedCourse(_ h: Harness) async throws -> (token: String, sessionId: UUID, yesterday: String) {
        let clinic = try await Fixtures.clinic(h.db, name: "Amendment Clinic")
        let practitioner = try await Fixtures.staff(h.db, clinic: clinic, role: .practitioner)
        let actor = AuditActor(user: practitioner, clientAddress: "127.0.0.1")
        let equipment = try await SyntheticCourses.equipment(h.db, clinicId: clinic.id)
        let today = CalendarDate.utc(Date()), yesterday = today.adding(days: -1)
        let details = try PatientDetails.validate(.init(givenName: "Amy", familyName: "Amended", dateOfBirth: "1990-02-03", sex: "female"),
                                                  today: CalendarDate.utc(Date())).get()
        let patient = try await SyntheticCourses.insert(
            SyntheticCourse(details: details, fitzpatrick: 2, start: yesterday, modality: .microneedling, plan: nil, assessments: [],
                            sessions: [.init(day: 0, depthMm: 1.75, practitionerId: practitioner.id)],
                            adverseEvents: [.init(day: 1, sessionIndex: 0)]),
            into: h.db, clinicId: clinic.id, raterId: practitioner.id, deviceId: equipment.deviceId, prpLotId: equipment.prpLotId, by: actor)
        let sessionId = try await h.db.read { sql in
            try await sql.raw("SELECT id FROM treatment_sessions WHERE patient_id = \(bind: patient)").first()!.decode(column: "id", as: UUID.self)
        }
        let sessions = SessionRepository(h.db)
        var corrected = try await sessions.find(id: sessionId, clinicId: clinic.id, by: nil).currentChart
        #expect(corrected.zones.map(\.depthMm) == [1.75])
        corrected.zones[0].depthMm = 1.25
        _ = try await sessions.amend(id: sessionId, clinicId: clinic.id, reason: "Depth was mistyped at signing", after: corrected,
                                     authorId: practitioner.id, by: actor)
        return (try await h.token(email: practitioner.email), sessionId, yesterday.description)
    }

    /// Issue 11 item 6: analytics read the chart with every amendment applied, as the API's
    /// current chart and the course report do.
    @Test func depthBandsUseTheAmendedChart() async throws {
        try await Harness.run { h in
            let course = try await Self.amendedCourse(h)
            let session = try await h.request(.get, "/api/v1/sessions/\(course.sessionId.uuidString.lowercased())", token: course.token)
            let current = try #require(session.json["currentChart"] as? [String: Any])
            #expect((current["zones"] as? [[String: Any]])?.first?["depthMm"] as? Double == 1.25)
            let r = try await h.request(.get, "/api/v1/analytics", token: course.token)
            #expect(r.status == .ok)
            let bands = (r.json["responders"] as? [[String: Any]] ?? []).filter { $0["dimension"] as? String == "depthBand" }
            #expect(bands.map { $0["group"] as? String } == ["b1"], "1.25 mm is in the 1.00–1.50 mm band: \(bands)")
            #expect(bands.first?["patients"] as? Int == 1)
            let csv = try await h.request(.get, "/api/v1/analytics.csv", token: course.token)
            #expect(csv.body.contains("responder_rate,depthBand,b1,"))
            #expect(!csv.body.contains("responder_rate,depthBand,b2,"), "not in the > 1.50 mm band")
        }
    }

    /// Issue 11 item 7: with `to` = yesterday, an adverse event with onset today is not counted,
    /// in any rate, nor in the CSV.
    @Test func adverseEventRatesCountByOnsetDayInTheFilter() async throws {
        try await Harness.run { h in
            let course = try await Self.amendedCourse(h)
            let r = try await h.request(.get, "/api/v1/analytics?to=\(course.yesterday)", token: course.token)
            #expect(r.status == .ok, "\(r.body)")
            #expect(r.json["sessionsSigned"] as? Int == 1)
            let ae = try #require(r.json["adverseEvents"] as? [String: Any])
            #expect(ae["events"] as? Int == 0)
            let perSession = try #require(ae["perSession"] as? [String: Any])
            #expect(perSession["numerator"] as? Int == 0 && perSession["denominator"] as? Int == 1, "\(perSession)")
            #expect((ae["perPatient"] as? [String: Any])?["numerator"] as? Int == 0)
            let csv = try await h.request(.get, "/api/v1/analytics.csv?to=\(course.yesterday)", token: course.token)
            let lines = csv.body.split(separator: "\r\n").map(String.init)
            #expect(lines.contains("adverse_events,overall,all,Adverse events recorded,,,0,,"))
            #expect(lines.contains { $0.hasPrefix("ae_rate_per_session,overall,all,Signed sessions with at least one adverse event,0,1,") }, "\(lines)")
            // Positive control: without the end day, the event counts everywhere.
            let all = try await h.request(.get, "/api/v1/analytics", token: course.token)
            let allAE = try #require(all.json["adverseEvents"] as? [String: Any])
            #expect(allAE["events"] as? Int == 1)
            #expect((allAE["perSession"] as? [String: Any])?["numerator"] as? Int == 1)
        }
    }

    @Test func badFiltersAreProblemsNamingTheField() async throws {
        try await Harness.run { h in
            let token = try await h.token(.admin)
            for (query, fields) in [("from=2025-02-30", ["from"]), ("to=soon", ["to"]), ("practitioner=bob", ["practitioner"]),
                                    ("protocol=1", ["protocol"]), ("from=2025-05-01&to=2025-04-01", ["to"]), ("frm=2025-01-01", ["frm"]),
                                    ("from=x&colour=red", ["colour", "from"])] {
                for path in ["/api/v1/analytics", "/api/v1/analytics.csv"] {
                    let r = try await h.request(.get, "\(path)?\(query)", token: token)
                    #expect(r.status == .unprocessableContent, "\(path)?\(query): \(r.status)")
                    #expect(r.isProblem)
                    #expect(Set(r.problemFields) == Set(fields), "\(path)?\(query): \(r.problemFields)")
                }
            }
            let export = try await h.request(.get, "/api/v1/research/export.csv?since=2025-01-01", token: token)
            #expect(export.status == .unprocessableContent && export.problemFields == ["since"])
        }
    }

    @Test func rolesGetWhatTheTableDecided() async throws {
        try await Harness.run { h in
            for role in Role.allCases {
                let token = try await h.token(role)
                let json = try await h.request(.get, "/api/v1/analytics", token: token)
                let csv = try await h.request(.get, "/api/v1/analytics.csv", token: token)
                let export = try await h.request(.get, "/api/v1/research/export.csv", token: token)
                let viewer = [.admin, .practitioner, .researcher].contains(role)
                #expect(json.status == (viewer ? .ok : .forbidden), "\(role) json")
                #expect(csv.status == (viewer ? .ok : .forbidden), "\(role) csv")
                #expect(export.status == ([.admin, .researcher].contains(role) ? .ok : .forbidden), "\(role) export")
            }
            #expect(try await h.request(.get, "/api/v1/analytics").status == .unauthorized)
        }
    }

    @Test func analyticsCSVHasOneMetricPerRowAndIsAudited() async throws {
        try await Harness.run { h in
            let ac = try await AnalyticsClinic.make(h.db)
            let token = try await Self.token(h, ac, .researcher)
            let r = try await h.request(.get, "/api/v1/analytics.csv", token: token)
            #expect(r.status == .ok)
            #expect(r.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(r.headers[.contentDisposition]?.contains("attachment") == true)
            let lines = r.body.split(separator: "\r\n").map(String.init)
            #expect(lines[0] == "metric,dimension,group,label,numerator,denominator,value,ci_low,ci_high")
            #expect(lines.contains("patients_treated,overall,all,Patients treated,,,20,,"))
            #expect(lines.contains { $0.hasPrefix("responder_rate,overall,all,All patients,14,18,0.777778,0.547854,0.909991") })
            #expect(lines.contains { $0.hasPrefix("ae_rate_per_patient,overall,all,Patients with at least one adverse event,5,20,0.250000,0.111862,0.468701") })
            #expect(lines.contains { $0.hasPrefix("ae_rate_per_patient_literature,literature,harris-2015,") && $0.hasSuffix(",18,246,0.073171,0.046782,0.112685") })
            for value in ac.identifiers { #expect(!r.body.contains(value)) }
            let audited = try await h.db.read { sql in
                try await sql.raw("SELECT COUNT(*) AS n FROM audit_log WHERE action = 'analytics.export'").first()!.decode(column: "n", as: Int.self)
            }
            #expect(audited == 1)
        }
    }

    @Test func researchExportThroughTheAPIHasNoIdentifiersAndStableIds() async throws {
        try await Harness.run { h in
            let ac = try await AnalyticsClinic.make(h.db)
            let token = try await Self.token(h, ac, .researcher)
            let first = try await h.request(.get, "/api/v1/research/export.csv", token: token)
            let second = try await h.request(.get, "/api/v1/research/export.csv", token: token)
            #expect(first.status == .ok && first.headers[.contentType] == "text/csv; charset=utf-8")
            #expect(first.body == second.body)
            for value in ac.identifiers { #expect(!first.body.contains(value), "export contains \(value)") }
            #expect(!first.body.contains("Analytics Clinic") && !first.body.contains("@"))
            let pseudonyms = Set(first.body.split(separator: "\r\n").dropFirst().map { $0.split(separator: ",")[0] })
            #expect(pseudonyms.count == 21)
        }
    }

    @Test func dashboardShowsNumbersChartsAndSources() async throws {
        try await Harness.run { h in
            let ac = try await AnalyticsClinic.make(h.db)
            let own = try await PageSession.signIn(h, email: try await Fixtures.staff(h.db, clinic: ac.clinic, role: .admin).email)
            let filled = try await own.get(h, "/analytics")
            #expect(filled.status == .ok)
            #expect(filled.body.contains("id=\"patients-treated\">20<"), "the generated clinic's known answer")
            #expect(filled.body.contains("id=\"sessions-signed\">62<"))
            let page = try await PageSession.signIn(h, role: .admin)
            let r = try await page.get(h, "/analytics")
            #expect(r.status == .ok)
            #expect(r.body.contains("id=\"patients-treated\">0<"), "the harness clinic has no courses")
            #expect(r.body.contains("<svg") && r.body.contains("chart-ae"))
            #expect(r.body.contains("18 of 246 patients in 10 studies"))
            #expect(r.body.contains("not a clinical claim"))
            #expect(r.body.contains("id=\"research-export\""))
            #expect(!r.body.contains("style="), "no inline style (CSP)")
            let bad = try await page.get(h, "/analytics?from=nonsense")
            #expect(bad.status == .unprocessableContent && bad.body.contains("id=\"form-error\""))

            let version = try #require(PageSession.hiddenValue("version", in: r.body))
            let saved = try await page.post(h, "/analytics/settings", [("depthBandEdges", "0.75, 1.25"), ("version", version)])
            #expect(saved.status == .seeOther)
            let after = try await page.get(h, "/analytics")
            #expect(after.body.contains("≤ 0.75 mm"))
            let stale = try await page.post(h, "/analytics/settings", [("depthBandEdges", "1.0"), ("version", version)])
            #expect(stale.status == .conflict)
            let invalid = try await page.post(h, "/analytics/settings", [("depthBandEdges", "2.0, 1.0"), ("version", "2")])
            #expect(invalid.status == .unprocessableContent && invalid.body.contains("id=\"settings-error\""))

            let practitioner = try await PageSession.signIn(h, role: .practitioner)
            let p = try await practitioner.get(h, "/analytics")
            #expect(p.status == .ok && !p.body.contains("id=\"research-export\"") && !p.body.contains("id=\"band-form\""))
            let desk = try await PageSession.signIn(h, role: .frontDesk)
            #expect(try await desk.get(h, "/analytics").status == .forbidden)
        }
    }
}
