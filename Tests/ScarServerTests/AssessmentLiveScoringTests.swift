import Foundation
import HTTPTypes
import ScarCore
import ScarServer
import ScarTestSupport
import Testing

/// The assessment form's live totals: every number the page's script adds up with is written into the form
/// from the ScarCore scale definitions, and adding up with those numbers gives the totals the saved
/// assessment shows.
@Suite("Live scale scores on the assessment form")
struct AssessmentLiveScoringTests {
    /// The form's `data-scoring` JSON, read as any client would.
    static func scoring(_ h: Harness, _ s: PageSession, patient: String) async throws -> [String: Any] {
        let form = try await s.get(h, patient + "/assessments/new")
        #expect(form.status == .ok)
        let start = try #require(form.body.range(of: #"data-scoring=""#))
        let rest = form.body[start.upperBound...]
        let end = try #require(rest.firstIndex(of: "\""))
        var json = String(rest[..<end])
        for (entity, char) in [("&quot;", "\""), ("&#34;", "\""), ("&#39;", "'"), ("&#x27;", "'"), ("&lt;", "<"), ("&gt;", ">"), ("&amp;", "&")] {
            json = json.replacingOccurrences(of: entity, with: char)
        }
        return try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    }

    static func factor(_ n: Int, _ bands: [[String: Any]]) -> Int {
        bands.reduce(0) { f, b in n >= (b["from"] as! Int) ? b["factor"] as! Int : f }
    }

    static func areaFactor(_ a: Double, _ bands: [[String: Any]]) -> Int {
        bands.reduce(0) { f, b in
            let t = (b["threshold"] as! NSNumber).doubleValue
            return ((b["includesThreshold"] as! Bool) ? a >= t : a > t) ? b["factor"] as! Int : f
        }
    }

    @Test func formCarriesThePointsWeightsBandsAndGradesOfScarCoresScaleDefinitions() async throws {
        try await Harness.run { h in
            let s = try await PageSession.signIn(h, role: .practitioner)
            let patient = try await AssessmentPageTests.patientURL(h, s)
            let scoring = try await Self.scoring(h, s, patient: patient)

            let gbq = try #require(scoring["gbQuantitative"] as? [String: Any])
            let rows = try #require(gbq["rows"] as? [[String: Any]])
            #expect(rows.map { $0["field"] as? String } == GoodmanBaronQuantitative.Row.countedRows.map { ScarAssessmentInput.gbQuantitativeField($0) })
            #expect(rows.map { $0["points"] as? Int } == GoodmanBaronQuantitative.Row.countedRows.map(\.pointsPerType))
            #expect(gbq["areaPoints"] as? Int == GoodmanBaronQuantitative.Row.d2.pointsPerType)
            #expect(gbq["maximum"] as? Int == GoodmanBaronQuantitative.maximum)
            let gbqBands = try #require(gbq["countBands"] as? [[String: Any]])
            for n in 0...40 { #expect(Self.factor(n, gbqBands) == GoodmanBaronQuantitative.multiplier(count: n), "G&B count \(n)") }
            let areaBands = try #require(gbq["areaBands"] as? [[String: Any]])
            for a in [0, 0.01, 4.99, 5, 12.5, 20, 20.01, 300] {
                #expect(Self.areaFactor(a, areaBands) == GoodmanBaronQuantitative.multiplier(areaCm2: a), "area \(a) cm²")
            }

            let ecca = try #require(scoring["ecca"] as? [String: Any])
            let items = try #require(ecca["items"] as? [[String: Any]])
            #expect(items.map { $0["field"] as? String } == ECCA.Item.allCases.map { ScarAssessmentInput.eccaField($0) })
            #expect(items.map { $0["points"] as? Int } == ECCA.Item.allCases.map(\.weight))
            #expect(ecca["maximum"] as? Int == ECCA.maximum)
            let eccaBands = try #require(ecca["countBands"] as? [[String: Any]])
            for n in 0...40 { #expect(Self.factor(n, eccaBands) == ECCA.countGrade(n), "ECCA count \(n)") }

            let gbl = try #require(scoring["gbQualitative"] as? [String: Any])
            #expect(gbl["fields"] as? [String] == ScarAssessmentInput.qualitativeKeys.map { ScarAssessmentInput.gbQualitativeField($0) })
            let grades = try #require(gbl["grades"] as? [[String: Any]])
            #expect(grades.count == 16)
            for g in grades {
                let a = try #require(g["answers"] as? [String]).map { $0 == "yes" }
                let expected = GoodmanBaronQualitative.grade(.init(contourChange: a[0], obviousAt50cm: a[1], coveredByMakeup: a[2], flattensOnStretch: a[3]))
                #expect(g["grade"] as? Int == expected.rawValue && g["level"] as? String == expected.level, "answers \(a)")
            }
            #expect(scoring["maxCount"] as? Int == ScarAssessmentInput.maxCount)
        }
    }

    @Test func addingUpWithThePagesNumbersGivesTheTotalsTheSavedAssessmentShows() async throws {
        try await Harness.run { h in
            let s = try await PageSession.signIn(h, role: .practitioner)
            let patient = try await AssessmentPageTests.patientURL(h, s)
            let scoring = try await Self.scoring(h, s, patient: patient)
            var typed = Dictionary(AssessmentPageTests.workedExampleForm, uniquingKeysWith: { _, last in last })
            typed["hypertrophicAreaCm2"] = "5"
            typed["gbQualitative.coveredByMakeup"] = "yes"
            let count = { (field: String) in Int(typed[field] ?? "") ?? 0 }

            let gbq = scoring["gbQuantitative"] as! [String: Any], ecca = scoring["ecca"] as! [String: Any]
            let gbqLive = (gbq["rows"] as! [[String: Any]]).reduce(0) { t, r in
                t + (r["points"] as! Int) * Self.factor(count(r["field"] as! String), gbq["countBands"] as! [[String: Any]])
            } + (gbq["areaPoints"] as! Int) * Self.areaFactor(5, gbq["areaBands"] as! [[String: Any]])
            let eccaLive = (ecca["items"] as! [[String: Any]]).reduce(0) { t, r in
                t + (r["points"] as! Int) * Self.factor(count(r["field"] as! String), ecca["countBands"] as! [[String: Any]])
            }
            let gbl = scoring["gbQualitative"] as! [String: Any]
            let answers = (gbl["fields"] as! [String]).map { typed[$0] ?? "" }
            let gradeLive = try #require((gbl["grades"] as! [[String: Any]]).first { $0["answers"] as! [String] == answers }?["grade"] as? Int)

            let saved = try #require(try await s.post(h, patient + "/assessments", typed.map { ($0.key, $0.value) }).headers[.location])
            let page = try await s.get(h, saved)
            #expect(page.body.contains(#"id="gbq-total">\#(gbqLive)<"#), "G&B quantitative \(gbqLive)")
            #expect(page.body.contains(#"id="ecca-total">\#(eccaLive)<"#), "ECCA \(eccaLive)")
            #expect(page.body.contains(#"id="gbl-grade">\#(gradeLive)<"#), "G&B qualitative \(gradeLive)")
            #expect(gbqLive == 16 + 12 && eccaLive == 125 && gradeLive == 2, "the worked example with 5 cm² and scars covered by makeup")
        }
    }
}
