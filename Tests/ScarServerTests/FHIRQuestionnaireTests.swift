import Foundation
import ScarCore
import ScarFHIR
@testable import ScarStore
import ScarTestSupport
import SQLKit
import Testing

/// Intakes and patient-reported outcomes as QuestionnaireResponses answering Questionnaires the
/// server also serves: every linkId answered is asked, with the answer type the item declares.
@Suite("FHIR questionnaires")
struct FHIRQuestionnaireTests {
    static let mapping = FHIRMapping(codes: FHIRCodes())
    static func isFHIRId(_ s: String) -> Bool {
        (1...64).contains(s.count) && s.allSatisfy { $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "-" || $0 == ".") }
    }

    /// linkId → item type, through groups.
    static func types(_ items: [FHIRQuestionnaire.Item]?) -> [String: String] {
        var out: [String: String] = [:]
        for item in items ?? [] {
            out[item.linkId] = item.type
            out.merge(types(item.item)) { a, _ in a }
        }
        return out
    }

    /// Every answered linkId with the value field its answer fills.
    static func answers(_ items: [FHIRQuestionnaireResponse.Item]?) -> [(String, String)] {
        (items ?? []).flatMap { item -> [(String, String)] in
            let own = (item.answer ?? []).map { a -> (String, String) in
                let field = a.valueBoolean != nil ? "boolean" : a.valueInteger != nil ? "integer" : a.valueDate != nil ? "date"
                    : a.valueCoding != nil ? "coding" : "string"
                return (item.linkId, field)
            }
            return own + answers(item.item)
        }
    }

    static func accepts(_ type: String?, _ field: String) -> Bool {
        switch type {
        case "choice": field == "coding"
        case "open-choice": field == "coding" || field == "string"
        case "string", "text": field == "string"
        default: type == field
        }
    }

    @Test func everyIntakeAnswerIsAnItemOfTheIntakeQuestionnaireWithItsType() throws {
        let q = Self.mapping.intakeQuestionnaire(created: Date(timeIntervalSince1970: 0))
        let types = Self.types(q.item)
        let full = Intake(fitzpatrick: .iv, fitzpatrickMethod: .selfReported, activeAcneInArea: true, eczemaPsoriasisInArea: .mild,
                          isotretinoin: .stopped(on: CalendarDate("2025-01-10")!), metalAllergy: true, metalAllergyDetail: "nickel",
                          anestheticAllergy: true, anestheticAllergyDetail: "lidocaine", retinoidStoppedOn: CalendarDate("2025-02-01")!,
                          recentProcedures: [RecentProcedure(kind: .laser, on: CalendarDate("2025-03-01")!),
                                             RecentProcedure(kind: .chemicalPeel, on: CalendarDate("2025-03-05")!)])
        let intake = FHIRIntake(id: UUID(), recordedOn: "2026-01-02", recordedAt: Date(timeIntervalSince1970: 1_767_312_000), recordedBy: UUID(),
                                fitzpatrick: 4, answers: full, enteredVia: "clinic")
        let r = try #require(Self.mapping.intakeResponse(intake, patientId: UUID()))
        let answered = Self.answers(r.item)
        #expect(answered.count == 20 + 12, "20 flags, 3 choices, isotretinoin and its date, the retinoid date, 2 procedures × 2 answers, 2 details")
        for (link, field) in answered { #expect(Self.accepts(types[link], field), "\(link): \(field) answer for a \(types[link] ?? "missing") item") }
        #expect(IntakeQuestions.groups.flatMap(\.flags).allSatisfy { IntakeQuestions.flag($0.name, of: full) != nil })
        #expect(r.questionnaire == q.url && r.authored == "2026-01-02T00:00:00.000Z" && r.author?.reference.hasPrefix("Practitioner/") == true)
        let portal = try #require(Self.mapping.intakeResponse(FHIRIntake(id: UUID(), recordedOn: "2026-01-02", recordedAt: Date(), recordedBy: nil,
                                                                          fitzpatrick: nil, answers: Intake(), enteredVia: "portal"), patientId: UUID()))
        #expect(portal.author?.reference == portal.subject.reference, "the patient filled it in")
        #expect(Self.mapping.intakeResponse(FHIRIntake(id: UUID(), recordedOn: "2026-01-02", recordedAt: Date(), recordedBy: nil, fitzpatrick: nil),
                                            patientId: UUID()) == nil, "no stored answers, no response")
    }

    @Test func outcomeQuestionnairesListTheClinicsItemsAndNeverComeOutEmpty() throws {
        let setup = FollowUpQuestions.Setup(version: "2019", items: [.init(id: "s1", text: "Clinic item one"), .init(id: "s2", text: "Clinic item two")])
        let at = Date(timeIntervalSince1970: 1_767_312_000)
        let forms = [FHIRReportedOutcomeForm(instrument: "ACNE-Q", version: "2019", itemIds: ["s1", "x9"], hasSatisfaction: false, lastRecordedAt: at),
                     FHIRReportedOutcomeForm(instrument: "Clinic survey", version: "1", itemIds: [], hasSatisfaction: false, lastRecordedAt: at)]
        let qs = Self.mapping.outcomeQuestionnaires(setup: setup, forms: forms, created: at)
        #expect(qs.count == 2)
        let acneQ = qs[0]
        #expect(acneQ.item?.map(\.linkId) == ["s1", "s2", "x9"] && acneQ.item?.first?.text == "Clinic item one" && acneQ.version == "2019")
        #expect(acneQ.item?.first?.answerOption?.compactMap { $0.valueCoding.display } == ["not at all", "a little", "quite a bit", "very much"])
        #expect(qs[1].item?.map(\.type) == ["display"], "nothing recorded yet: one display item, never an empty Questionnaire")
        #expect(qs.allSatisfy { Self.isFHIRId($0.id) && $0.url.hasSuffix("/Questionnaire/\($0.id)") })
        #expect(Self.mapping.outcomeQuestionnaires(setup: setup, forms: [], created: at).first?.item?.count == 2, "the portal's setup alone is published")
        #expect(Self.mapping.outcomeQuestionnaires(setup: .init(version: "", items: []), forms: [], created: at).isEmpty)
        #expect(FHIRMapping.outcomeQuestionnaireId(instrument: "A-B", version: "1") != FHIRMapping.outcomeQuestionnaireId(instrument: "A", version: "B-1"))

        let pro = PatientReportedOutcome(instrument: "ACNE-Q", instrumentVersion: "2019", responses: ["s1": "quite a bit", "x9": "sometimes"],
                                         satisfaction: 7, recordedOn: CalendarDate("2026-01-02")!)
        let r = Self.mapping.outcomeResponse(FHIRReportedOutcome(record: .init(id: UUID(), outcome: pro, recordedAt: at, enteredVia: "portal"),
                                                                 recordedBy: nil), patientId: UUID())
        #expect(r.questionnaire == acneQ.url + "|2019")
        #expect(r.item?.first?.answer?.first?.valueCoding?.code == "quite-a-bit")
        #expect(r.item?[1].answer?.first?.valueString == "sometimes", "an answer outside the four options stays text")
        #expect(r.item?.last?.answer?.first?.valueInteger == 7 && r.author?.reference == r.subject.reference)
        let withRating = Self.mapping.outcomeQuestionnaires(setup: setup, forms: [FHIRReportedOutcomeForm(
            instrument: "ACNE-Q", version: "2019", itemIds: ["s1", "x9"], hasSatisfaction: true, lastRecordedAt: at)], created: at)[0]
        let types = Self.types(withRating.item)
        for (link, field) in Self.answers(r.item) { #expect(Self.accepts(types[link], field), "\(link)") }
    }

    @Test func responsesAreSearchedByPatientAuthoredAndQuestionnaireAndBringTheirQuestionnaire() async throws {
        try await Harness.run { h in
            let s = try await ClinicFixtures.readyToChart(h)
            let settings = try await h.request(.put, "/api/v1/portal-settings", json: [
                "showPhotos": false, "changeNoticeHours": 24, "outcomeVersion": "2019", "outcomeItems": [["id": "s1", "text": "Clinic item one"]]],
                token: s.admin)
            #expect(settings.status == .ok, "\(settings.body)")
            for body: [String: Any] in [["instrument": "ACNE-Q", "instrumentVersion": "2019", "responses": ["s1": "a little"]],
                                        ["instrument": "Clinic survey", "instrumentVersion": "1", "responses": ["q1": "3"], "satisfaction": 8]] {
                let r = try await h.request(.post, "/api/v1/patients/\(s.patient)/reported-outcomes", json: body, token: s.practitioner)
                #expect(r.status == .created, "\(r.body)")
            }
            let token = s.practitioner
            let all = try await h.request(.get, "/fhir/QuestionnaireResponse?subject=Patient/\(s.patient)", token: token)
            #expect(all.status == .ok && all.json["total"] as? Int == 3, "one intake and two outcomes: \(all.body)")
            let acneQ = FHIRMapping(codes: FHIRCodes()).outcomeCanonical(instrument: "ACNE-Q", version: "2019")
            let today = CalendarDate.utc(Date()).description
            for (query, total) in [("questionnaire=\(acneQ)", 1), ("questionnaire=\(acneQ.split(separator: "|")[0])", 1),
                                   ("questionnaire=https://scartrack.example/fhir/Questionnaire/intake", 1), ("authored=ge\(today)", 3),
                                   ("authored=lt\(today)", 0), ("status=completed", 3)] {
                let q = query.replacingOccurrences(of: "|", with: "%7C")
                let r = try await h.request(.get, "/fhir/QuestionnaireResponse?patient=\(s.patient)&\(q)", token: token)
                #expect(r.json["total"] as? Int == total, "\(query): \(r.body)")
            }
            let closed = try await h.request(.get, "/fhir/QuestionnaireResponse?patient=\(s.patient)&_include=QuestionnaireResponse:*", token: token)
            let entries = (closed.json["entry"] as? [[String: Any]] ?? []).compactMap { $0["resource"] as? [String: Any] }
            let urls = Set(entries.filter { $0["resourceType"] as? String == "Questionnaire" }.compactMap { $0["url"] as? String })
            let named = Set(entries.compactMap { ($0["questionnaire"] as? String)?.split(separator: "|").first.map(String.init) })
            #expect(named.count == 3 && named == urls, "each response's Questionnaire comes along: \(named) vs \(urls)")
            let intakeQ = try await h.request(.get, "/fhir/Questionnaire/intake", token: token)
            #expect(intakeQ.status == .ok && intakeQ.headers[.eTag] == "W/\"1\"")
            let everything = try await h.request(.get, "/fhir/Patient/\(s.patient)/$everything", token: token)
            let types = (everything.json["entry"] as? [[String: Any]] ?? []).compactMap { ($0["resource"] as? [String: Any])?["resourceType"] as? String }
            #expect(types.filter { $0 == "Questionnaire" }.count == 3 && types.filter { $0 == "QuestionnaireResponse" }.count == 3)
            let response = try #require(entries.first { $0["resourceType"] as? String == "QuestionnaireResponse" }?["id"] as? String)
            let other = try await h.token(email: h.otherClinicAdmin.email)
            #expect(try await h.request(.get, "/fhir/QuestionnaireResponse/\(response)", token: other).status == .notFound)
            #expect(try await h.request(.get, "/fhir/QuestionnaireResponse/\(response)", token: token).status == .ok)
            for role in [Role.researcher, .blindedRater] {
                let t = try await h.token(role)
                #expect(try await h.request(.get, "/fhir/QuestionnaireResponse?patient=\(s.patient)", token: t).status == .forbidden)
                #expect(try await h.request(.get, "/fhir/Questionnaire", token: t).status == .forbidden)
            }
        }
    }
    @Test func theClinicsFormsAreKeptAsAnswersArriveAndMatchWhatTheMigrationSumsUp() async throws {
        try await Harness.run { h in
            let s = try await ClinicFixtures.readyToChart(h)
            for body: [String: Any] in [["instrument": "ACNE-Q", "instrumentVersion": "2019", "responses": ["s2": "a little", "s1": "no"]],
                                        ["instrument": "ACNE-Q", "instrumentVersion": "2019", "responses": ["s3": "a lot"], "satisfaction": 7],
                                        ["instrument": "Clinic survey", "instrumentVersion": "1", "responses": ["q1": "3"]]] {
                let r = try await h.request(.post, "/api/v1/patients/\(s.patient)/reported-outcomes", json: body, token: s.practitioner)
                #expect(r.status == .created, "\(r.body)")
            }
            let engine = h.db.engine, clinicId = h.clinic.id
            let kept = try await h.db.read { sql in try await FHIRReadRepository.outcomeForms(clinicId: clinicId, on: sql) }
            #expect(kept.map(\.instrument) == ["ACNE-Q", "Clinic survey"])
            #expect(kept.first?.itemIds == ["s1", "s2", "s3"] && kept.first?.hasSatisfaction == true && kept.last?.hasSatisfaction == false)
            // The migration's summing-up of stored answers gives the same forms.
            let rebuilt = try await h.db.write { sql in
                try await sql.raw("DELETE FROM outcome_forms").run()
                try await sql.raw(SQLQueryString(stringLiteral: Migration0034OutcomeForms.rebuild(engine))).run()
                return try await FHIRReadRepository.outcomeForms(clinicId: clinicId, on: sql)
            }
            #expect(rebuilt.map(\.itemIds) == kept.map(\.itemIds) && rebuilt.map(\.hasSatisfaction) == kept.map(\.hasSatisfaction))
            #expect(zip(rebuilt, kept).allSatisfy { abs($0.lastRecordedAt.timeIntervalSince($1.lastRecordedAt)) < 0.002 })
        }
    }
}
