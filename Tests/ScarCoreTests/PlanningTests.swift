import Foundation
import ScarCore
import Testing

/// A scar profile with these counts in one zone (the rest of the assessment minimal).
func profile(_ counts: [ScarType: Int]) throws -> ScarAssessmentDetails {
    var extra: [String: String] = [:]
    for (type, n) in counts { extra[ScarAssessmentInput.zoneField(.leftCheek, type)] = String(n) }
    return try minimalAssessmentInput(extra).validate(today: CalendarDate("2026-05-01")!).get()
}

/// A pen template with a device limit of 2.0 mm, sessions 3–6 and interval 7–42 days.
func penTemplate(limit: String? = "2.0") -> ProtocolTemplateDefinition {
    ProtocolTemplateDefinition(name: "Clinic pen protocol", isExample: false, modality: .microneedling, deviceType: .pen, adjuncts: [],
                               sessionsMin: 3, sessionsMax: 6, sessionsDefault: 3, intervalDaysDefault: 28, intervalDaysMin: 7,
                               intervalDaysMax: 42, deviceDepthLimit: limit.flatMap { try? NeedleDepth.parse($0).get() })
}

struct HintCase: Sendable, CustomTestStringConvertible {
    var name: String
    var counts: [ScarType: Int]
    var fitzpatrick: FitzpatrickType?
    var hints: [String]
    var testDescription: String { name }
}

@Suite("Treatment planning: depths, templates, plan validation, approval gate, hints")
struct PlanningTests {
    // MARK: Needle depth

    @Test(arguments: [("1.5", 150), ("1.55", 155), ("0.25", 25), (".5", 50), ("2", 200), ("1.500", 150), (" 0.05 ", 5)])
    func depthsAreReadInHundredths(_ raw: String, _ hundredths: Int) throws {
        #expect(try NeedleDepth.parse(raw).get().hundredths == hundredths)
    }

    @Test(arguments: ["1.52", "1.555", "0", "0.00", "-1", "abc", "1,5", "", "1.5.0", "."])
    func depthsOffTheStepOrNotPositiveAreRefused(_ raw: String) {
        #expect(throws: (any Error).self) { try NeedleDepth.parse(raw).get() }
    }

    @Test func depthDescriptionHasTwoDecimals() throws {
        #expect(try NeedleDepth.parse("1.5").get().description == "1.50")
        #expect(NeedleDepth(hundredths: 5).description == "0.05")
    }

    // MARK: Templates

    @Test func exampleTemplatesAreLabelledCiteSourcesAndHaveNoDepths() throws {
        #expect(ExampleTemplates.all.count >= 3)
        for t in ExampleTemplates.all {
            #expect(t.isExample)
            #expect(t.name.hasPrefix("Example — adjust before clinical use"))
            #expect(t.zoneDepths.isEmpty, "no hard-coded depths (Decision 4)")
            #expect(t.deviceDepthLimit == nil)
            for key in [TemplateSourceKey.sessions, .interval, .intervalRange, .depths, .postCare] {
                #expect(!(t.sources[key] ?? "").isEmpty, "\(t.name) cites a source for \(key)")
            }
            #expect((t.sessionsMin...t.sessionsMax).contains(t.sessionsDefault))
            #expect((t.intervalDaysMin...t.intervalDaysMax).contains(t.intervalDaysDefault))
            // Each example round-trips through the form input and validates.
            #expect(try ProtocolTemplateInput(t).validate().get() == t)
        }
        let harris = try #require(ExampleTemplates.all.first)
        #expect(harris.sessionsDefault == 3 && harris.intervalDaysDefault == 28)
        #expect(harris.sources[.sessions]!.contains("Int J Womens Dermatol 2015"))
        let rf = try #require(ExampleTemplates.all.first { $0.modality == .rfMicroneedling })
        #expect(rf.deviceType == nil && rf.rf == nil, "no invented RF defaults")
    }

    @Test func templateInputReportsEveryProblemAtOnce() {
        let input = ProtocolTemplateInput([
            "name": "", "modality": "microneedling", "sessionsMin": "5", "sessionsMax": "3", "sessionsDefault": "4",
            "intervalDaysMin": "7", "intervalDaysMax": "42", "intervalDaysDefault": "60", "depths.forehead": "1.0",
            "rf.pinCount": "24",
        ], adjuncts: ["prp", "magic"])
        guard case .failure(let f) = input.validate() else { Issue.record("accepted a bad template"); return }
        let fields = Set(f.errors.map(\.field))
        #expect(fields == ["name", "deviceType", "adjuncts", "sessionsMax", "intervalDaysDefault", "depths.forehead", "rf.pinCount"])
    }

    @Test func templateZoneDepthAboveTheDeviceLimitIsRefused() {
        let input = ProtocolTemplateInput(["name": "Pen", "modality": "microneedling", "deviceType": "pen", "sessionsMin": "3",
                                           "sessionsMax": "6", "sessionsDefault": "3", "intervalDaysMin": "7", "intervalDaysMax": "42",
                                           "intervalDaysDefault": "28", "deviceDepthLimitMm": "1.5", "depths.nose": "1.75",
                                           "depths.left-cheek": "1.5"])
        guard case .failure(let f) = input.validate() else { Issue.record("accepted a depth above the limit"); return }
        #expect(f.errors.map(\.field) == ["depths.nose"])
    }

    @Test func rfTemplateKeepsFreeParametersAndRefusesADeviceType() throws {
        var values = ["name": "RF", "modality": "rf-microneedling", "sessionsMin": "2", "sessionsMax": "6", "sessionsDefault": "3",
                      "intervalDaysMin": "7", "intervalDaysMax": "42", "intervalDaysDefault": "28", "rf.pinCount": "80",
                      "rf.energyPerPinMJ": "62.5", "rf.insulation": "non-insulated", "rf.electrode": "bipolar"]
        let d = try ProtocolTemplateInput(values).validate().get()
        #expect(d.rf == RFParameters(energyPerPinMJ: 62.5, pinCount: 80, insulation: .nonInsulated, electrode: .bipolar))
        values["deviceType"] = "pen"
        guard case .failure(let f) = ProtocolTemplateInput(values).validate() else { Issue.record("RF with a device type"); return }
        #expect(f.errors.map(\.field) == ["deviceType"])
    }

    @Test func definitionSurvivesJSON() throws {
        var d = penTemplate()
        d.zoneDepths = [.forehead: NeedleDepth(hundredths: 50), .leftCheek: NeedleDepth(hundredths: 150)]
        d.sources = [.depths: "clinic protocol 2026"]
        let data = try JSONEncoder().encode(d)
        #expect(try JSONDecoder().decode(ProtocolTemplateDefinition.self, from: data) == d)
    }

    // MARK: Plan validation

    @Test func planWithinTheTemplateIsAccepted() throws {
        let c = try PlanInput(["sessions": "4", "intervalDays": "21", "depths.left-cheek": "1.5", "depths.forehead": "0.5",
                               "rationale": "Rolling scars on both cheeks"], adjuncts: ["subcision"]).validate(against: penTemplate()).get()
        #expect(c.sessions == 4 && c.intervalDays == 21)
        #expect(c.zoneDepths == [.leftCheek: NeedleDepth(hundredths: 150), .forehead: NeedleDepth(hundredths: 50)])
        #expect(c.adjuncts == [.subcision])
    }

    @Test(arguments: [
        (["sessions": "2", "intervalDays": "28"], "sessions"),
        (["sessions": "7", "intervalDays": "28"], "sessions"),
        (["sessions": "3", "intervalDays": "6"], "intervalDays"),
        (["sessions": "3", "intervalDays": "43"], "intervalDays"),
        (["sessions": "3", "intervalDays": "28", "depths.nose": "1.52"], "depths.nose"),
        (["sessions": "3", "intervalDays": "28", "depths.nose": "2.05"], "depths.nose"),
        (["sessions": "3.5", "intervalDays": "28"], "sessions"),
        (["intervalDays": "28"], "sessions"),
    ])
    func planOutsideTheTemplateIsRefused(_ values: [String: String], _ field: String) {
        guard case .failure(let f) = PlanInput(values).validate(against: penTemplate()) else {
            Issue.record("accepted \(values)")
            return
        }
        #expect(f.errors.map(\.field) == [field])
    }

    @Test func depthAboveTheDeviceLimitSaysSo() {
        guard case .failure(let f) = PlanInput(["sessions": "3", "intervalDays": "28", "depths.chin": "2.5"]).validate(against: penTemplate())
        else { Issue.record("accepted"); return }
        #expect(f.errors.first?.message.contains("above the device depth limit of 2.00 mm") == true)
    }

    @Test func depthsCannotBePlannedWithoutADeviceLimit() {
        guard case .failure(let f) = PlanInput(["sessions": "3", "intervalDays": "28", "depths.chin": "0.5"]).validate(against: penTemplate(limit: nil))
        else { Issue.record("accepted a depth with no device limit"); return }
        #expect(f.errors.map(\.field) == ["depths.chin"])
    }

    // MARK: Approval gate

    func result(_ intake: Intake, _ modality: Modality = .microneedling) -> [ScreeningResult] {
        Modality.allCases.map { Screening.evaluate(intake: intake, modality: $0, asOf: screeningDay, ruleSet: .default) }
    }

    let goodContent = PlanContent(sessions: 3, intervalDays: 28, rationale: "Rolling-dominant, Fitzpatrick II; standard course.")

    @Test func cleanScreeningAndARationaleAllowApproval() {
        let check = PlanApproval.check(content: goodContent, template: penTemplate(), screening: result(cleanIntake()), acknowledgements: [])
        #expect(check.canApprove)
        #expect(check.blockers.isEmpty)
    }

    @Test func rationaleIsRequiredForApproval() {
        var content = goodContent
        content.rationale = "ok"
        let check = PlanApproval.check(content: content, template: penTemplate(), screening: result(cleanIntake()), acknowledgements: [])
        #expect(check.blockers.map(\.field) == ["rationale"])
    }

    @Test func noScreeningBlocksApproval() {
        let check = PlanApproval.check(content: goodContent, template: penTemplate(), screening: [], acknowledgements: [])
        #expect(check.blockers.map(\.field) == ["screening"])
    }

    @Test func contraindicatedForThePlansModalityBlocksWithTheSource() {
        let intake = cleanIntake { $0.activeHerpesLabialis = true }
        let check = PlanApproval.check(content: goodContent, template: penTemplate(), screening: result(intake), acknowledgements: [])
        let blocker = try? #require(check.blockers.first)
        #expect(check.blockers.map(\.field) == ["active-herpes-labialis"])
        #expect(blocker?.message.contains("contraindicated") == true)
        #expect(blocker?.source?.isEmpty == false)
    }

    @Test func contraindicationForAnotherModalityDoesNotBlock() {
        // A pacemaker contraindicates RF microneedling only.
        let intake = cleanIntake { $0.pacemakerOrImplantedDevice = true }
        #expect(PlanApproval.check(content: goodContent, template: penTemplate(), screening: result(intake), acknowledgements: []).canApprove)
        var rf = penTemplate()
        rf.modality = .rfMicroneedling
        rf.deviceType = nil
        #expect(!PlanApproval.check(content: goodContent, template: rf, screening: result(intake), acknowledgements: []).canApprove)
    }

    @Test func unacknowledgedFindingBlocksUntilAcknowledged() {
        let intake = cleanIntake { $0.isotretinoin = .current }
        let screening = result(intake)
        let before = PlanApproval.check(content: goodContent, template: penTemplate(), screening: screening, acknowledgements: [])
        #expect(!before.canApprove)
        let rule = try? #require(before.blockers.first?.field)
        #expect(before.blockers.first?.source?.contains("2017") == true)
        let ack = ScreeningAcknowledgement(rule: rule ?? "", modality: .microneedling, reason: "Discussed the 2017 consensus",
                                           acknowledgedBy: "dr@clinic.example", acknowledgedAt: Date())
        #expect(PlanApproval.check(content: goodContent, template: penTemplate(), screening: screening, acknowledgements: [ack]).canApprove)
    }

    @Test func deferIsACautionNotABlocker() {
        let intake = cleanIntake { $0.activeAcneInArea = true }
        let check = PlanApproval.check(content: goodContent, template: penTemplate(), screening: result(intake), acknowledgements: [])
        #expect(check.canApprove)
        #expect(check.cautions.map(\.field) == ["active-acne-in-area"])
    }

    // MARK: Hints

    static let hintCases: [HintCase] = [
        HintCase(name: "rolling-dominant", counts: [.rolling: 20, .boxcar: 5], hints: ["rolling-consider-subcision"]),
        HintCase(name: "ice-pick-dominant", counts: [.icePick: 12, .rolling: 3], hints: ["ice-pick-consider-tca-cross"]),
        HintCase(name: "hypertrophic-dominant", counts: [.hypertrophic: 4, .boxcar: 1], hints: ["raised-not-indicated"]),
        HintCase(name: "keloidal-dominant", counts: [.keloidal: 2], hints: ["raised-not-indicated"]),
        HintCase(name: "boxcar-dominant", counts: [.boxcar: 9, .icePick: 2], hints: []),
        HintCase(name: "Fitzpatrick IV", counts: [.boxcar: 3], fitzpatrick: .iv, hints: ["fitzpatrick-pih-guidance"]),
        HintCase(name: "Fitzpatrick VI", counts: [.boxcar: 3], fitzpatrick: .vi, hints: ["fitzpatrick-pih-guidance"]),
        HintCase(name: "Fitzpatrick III gives no PIH hint", counts: [.boxcar: 3], fitzpatrick: .iii, hints: []),
        HintCase(name: "tie rolling and ice pick gives both", counts: [.rolling: 6, .icePick: 6],
                 hints: ["rolling-consider-subcision", "ice-pick-consider-tca-cross"]),
        HintCase(name: "rolling-dominant in Fitzpatrick V", counts: [.rolling: 10], fitzpatrick: .v,
                 hints: ["rolling-consider-subcision", "fitzpatrick-pih-guidance"]),
        HintCase(name: "tie ice pick and keloidal in Fitzpatrick IV", counts: [.icePick: 3, .keloidal: 3], fitzpatrick: .iv,
                 hints: ["ice-pick-consider-tca-cross", "raised-not-indicated", "fitzpatrick-pih-guidance"]),
        HintCase(name: "no scars counted", counts: [:], hints: []),
    ]

    @Test(arguments: hintCases)
    func hintsFollowTheScarProfile(_ c: HintCase) throws {
        let intake = c.fitzpatrick.map { Intake(fitzpatrick: $0, fitzpatrickMethod: .clinicianAssessed) }
        let hints = PlanHints.hints(assessment: try profile(c.counts), intake: intake)
        #expect(hints.map(\.id) == c.hints)
        for h in hints { #expect(!h.source.isEmpty && !h.source.contains("§")) }
    }

    @Test func withoutAnAssessmentTheHintAsksForOne() {
        #expect(PlanHints.hints(assessment: nil, intake: nil).map(\.id) == ["no-assessment"])
    }
}
