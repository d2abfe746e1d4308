import Foundation
import ScarCore
import Testing

/// Input that passes: the four qualitative answers and a date are all an assessment needs.
func minimalAssessmentInput(_ extra: [String: String] = [:]) -> ScarAssessmentInput {
    var values = ["assessedOn": "2026-05-01", "gbQualitative.contourChange": "yes", "gbQualitative.obviousAt50cm": "yes",
                  "gbQualitative.coveredByMakeup": "no", "gbQualitative.flattensOnStretch": "yes"]
    values.merge(extra) { _, new in new }
    return ScarAssessmentInput(values)
}

@Suite("Scar assessment input and dominant scar type")
struct ScarAssessmentTests {
    let today = CalendarDate("2026-05-01")!

    @Test func validInputBecomesDetailsWithEveryZoneAndTheScaleInputs() throws {
        let input = minimalAssessmentInput([
            "zones.left-cheek.ice-pick": "12", "zones.left-cheek.boxcar": " 3 ", "zones.left-cheek.sizeClass": "2-4mm",
            "zones.forehead.rolling": "25", "zones.chin.depthClass": "deep", "blinded": "yes", "notes": "Rated from photos\nleft side first",
            "hypertrophicAreaCm2": "4.9", "gbQuantitative.A1": "8", "gbQuantitative.C1": "25", "ecca.vShapedUnder2mm": "12",
        ])
        let details = try input.validate(today: today).get()
        #expect(details.zones.map(\.zone) == FacialZone.allCases)
        #expect(details.zone(.leftCheek).count(.icePick) == 12)
        #expect(details.zone(.leftCheek).count(.boxcar) == 3)
        #expect(details.zone(.leftCheek).sizeClass == .from2to4mm)
        #expect(details.zone(.chin).depthClass == .deep)
        #expect(details.zone(.nose).total == 0)
        #expect(details.blinded)
        #expect(details.notes == "Rated from photos\nleft side first")
        #expect(details.gbQuantitative.count(.c1) == 25)
        #expect(details.gbQuantitative.keloidAreaCm2 == 4.9)
        #expect(details.ecca.count(.vShapedUnder2mm) == 12)
        #expect(details.gbQualitative == .init(contourChange: true, obviousAt50cm: true, coveredByMakeup: false, flattensOnStretch: true))
    }

    @Test func everyBadFieldIsReportedAtOnce() {
        let input = ScarAssessmentInput([
            "assessedOn": "2026-05-02", // tomorrow
            "zones.left-cheek.ice-pick": "-2", "zones.nose.boxcar": "1.5", "zones.chin.rolling": "many",
            "zones.forehead.sizeClass": "huge", "hypertrophicAreaCm2": "-1", "gbQuantitative.B2": "10000",
            "ecca.uShaped2to4mm": "2.0", "gbQualitative.contourChange": "maybe", "blinded": "perhaps",
            "notes": "bell\u{7}",
        ])
        guard case .failure(let failure) = input.validate(today: today) else {
            Issue.record("expected a validation failure")
            return
        }
        #expect(Set(failure.errors.map(\.field)) == [
            "assessedOn", "zones.left-cheek.ice-pick", "zones.nose.boxcar", "zones.chin.rolling", "zones.forehead.sizeClass",
            "hypertrophicAreaCm2", "gbQuantitative.B2", "ecca.uShaped2to4mm", "gbQualitative.contourChange",
            "gbQualitative.obviousAt50cm", "gbQualitative.coveredByMakeup", "gbQualitative.flattensOnStretch", "blinded", "notes",
        ])
        #expect(failure.errors.first { $0.field == "assessedOn" }?.message == "must not be in the future")
        #expect(failure.errors.first { $0.field == "zones.nose.boxcar" }?.message.contains("whole number") == true)
        #expect(failure.errors.first { $0.field == "gbQualitative.obviousAt50cm" }?.message.contains("required") == true)
    }

    @Test func missingAndMalformedDatesAreRefused() {
        for (raw, message) in [(nil, "is required"), ("2026-02-30", "must be a real date written YYYY-MM-DD"), ("01.05.2026", "must be a real date written YYYY-MM-DD")] {
            var input = minimalAssessmentInput()
            input["assessedOn"] = raw
            guard case .failure(let f) = input.validate(today: today) else { Issue.record("accepted \(raw ?? "nil")"); continue }
            #expect(f.errors == [FieldError("assessedOn", message)])
        }
    }

    @Test func emptyCellsCountAsZeroAndTodayIsAllowed() throws {
        let details = try minimalAssessmentInput(["zones.nose.boxcar": "", "hypertrophicAreaCm2": "  ", "assessedOn": "2026-05-01"])
            .validate(today: today).get()
        #expect(details.zone(.nose).total == 0)
        #expect(details.hypertrophicAreaCm2 == 0)
        #expect(details.dominantScarType == .none)
    }

    @Test func dominantTypeIsTheLargestTotalOverAllZones() {
        let zones = [ZoneFinding(zone: .leftCheek, counts: [.icePick: 4, .rolling: 6]),
                     ZoneFinding(zone: .rightCheek, counts: [.icePick: 5, .boxcar: 2])]
        let details = ScarAssessmentDetails(assessedOn: today, blinded: false, notes: nil, zones: zones, hypertrophicAreaCm2: 0,
                                            gbQuantitative: try! .init(), ecca: try! .init(),
                                            gbQualitative: .init(contourChange: false, obviousAt50cm: false, coveredByMakeup: false, flattensOnStretch: false))
        #expect(details.typeTotals[.icePick] == 9)
        #expect(details.dominantScarType == .single(.icePick, count: 9))
    }

    @Test func tiedTypesAreReportedAsATieInTypeOrder() {
        let dominant = DominantScarType([.rolling: 7, .icePick: 7, .boxcar: 3, .macular: 0])
        #expect(dominant == .tie([.icePick, .rolling], count: 7))
        #expect(dominant.isTie)
        #expect(dominant.summary == "Tie: Ice pick, Rolling (7 each)")
        #expect(DominantScarType([:]) == .none)
        #expect(DominantScarType([.boxcar: 0]).types.isEmpty)
    }

    @Test func scoresUseTheScaleCodeAndRecordIdAndVersion() throws {
        // The domain reference's worked examples (§3.2: 16; §3.3: 125).
        let details = try minimalAssessmentInput([
            "gbQuantitative.A1": "8", "gbQuantitative.B2": "15", "gbQuantitative.C1": "25", "gbQuantitative.D1": "3",
            "ecca.vShapedUnder2mm": "12", "ecca.uShaped2to4mm": "3", "ecca.mShapedOver4mm": "25",
        ]).validate(today: today).get()
        let scores = AssessmentScores.compute(details)
        #expect(scores.gbQuantitative.total == 16)
        #expect(scores.gbQuantitative.total == GoodmanBaronQuantitative.score(details.gbQuantitative).total)
        #expect(scores.gbQuantitative.scaleId == "gb-quantitative")
        #expect(scores.gbQuantitative.version == GoodmanBaronQuantitative.version)
        #expect(scores.ecca.total == 125)
        #expect(scores.ecca.scaleId == "ecca")
        #expect(scores.gbQualitative.total == 3)
        #expect(scores.gbQualitative.result == .moderate)
    }

    @Test func jsonBodyIsReadStrictlyWithFieldNames() {
        let body = """
            {"assessedOn":"2026-04-30","blinded":true,"zones":{"left-cheek":{"ice-pick":3,"boxcar":"2","sizeClass":"2-4mm"},"ear":{}},
             "gbQuantitative":{"A1":3.0,"D2":1},"ecca":{"vShapedUnder2mm":1.5},"gbQualitative":{"contourChange":1},"shoeSize":9}
            """
        guard case .read(let input, let errors) = ScarAssessmentInput.read(json: Data(body.utf8)) else {
            Issue.record("expected the body to be read")
            return
        }
        #expect(input["zones.left-cheek.ice-pick"] == "3")
        #expect(input["gbQuantitative.A1"] == "3")
        #expect(input["ecca.vShapedUnder2mm"] == "1.5")
        #expect(input["blinded"] == "yes")
        #expect(Set(errors.map(\.field)) == ["zones.left-cheek.boxcar", "zones.ear", "gbQuantitative.D2", "gbQualitative.contourChange", "shoeSize"])
        guard case .unreadable = ScarAssessmentInput.read(json: Data("{nope".utf8)) else {
            Issue.record("expected unreadable")
            return
        }
    }
}
