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
            #expect((definitions["responderRule"] as? String)?.contains("Decision 7") == true)
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
            #expect(lines.contains { $0.hasPrefix("ae_rate_per_patient_literature,literature,seed-S23,") && $0.hasSuffix(",18,246,0.073171,0.046782,0.112685") })
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
            #expect(r.body.contains("18/246 patients in 10 studies"))
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
