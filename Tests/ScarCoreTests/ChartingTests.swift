import Foundation
import ScarCore
import Testing

@Suite("Session charting rules")
struct ChartingTests {
    static let today = CalendarDate("2026-03-10")!
    static let clinic = UUID()
    static let pen = Device(id: UUID(), clinicId: clinic, details: DeviceDetails(
        model: "Pen", manufacturer: "Acme", type: .motorizedPen, maxDepthMm: 2.0, needleGeometry: "36-pin round", needleCount: 36,
        punctureRate: nil, serialNumber: "SN-1", lastServiceOn: nil, nextServiceDue: nil, active: true), createdAt: Date(), version: 1)
    static func lot(_ kind: ConsumableKind, _ product: String, expires: String) -> Lot {
        Lot(id: UUID(), clinicId: clinic, details: LotDetails(kind: kind, product: product, lotNumber: "L-\(product)", expiresOn: CalendarDate(expires)!,
                                                              quantity: 10, receivedOn: CalendarDate("2026-01-01")!), createdAt: Date(), version: 1)
    }
    static let cartridge = lot(.cartridge, "Cartridge", expires: "2027-01-01")
    static let expired = lot(.cartridge, "Old cartridge", expires: "2026-03-09")
    static let serum = lot(.topical, "Vitamin C serum 15%", expires: "2027-01-01")

    func limits(clinicMax: Double? = nil, device: Device = pen) -> SessionChart.Limits {
        SessionChart.Limits(devices: [device.id: device], lots: [Self.cartridge.id: Self.cartridge, Self.expired.id: Self.expired, Self.serum.id: Self.serum],
                            clinicMaxDepthMm: clinicMax, today: Self.today)
    }

    func input(depth: Double = 1.5, lot: Lot = cartridge, device: Device = pen, reason: String? = nil) -> SessionChart.Input {
        SessionChart.Input(performedOn: "2026-03-10", deviceId: device.id.uuidString, cartridgeLotId: lot.id.uuidString,
                           zones: [.init(zone: "left-cheek", depthMm: depth, passes: 2, pattern: "crosshatch", endpoint: "pinpoint-bleeding", depthReason: reason)])
    }

    func errors(_ r: Result<SessionChart.Checked, ValidationFailure>) -> [String] {
        if case .failure(let f) = r { return f.errors.map(\.field) }
        return []
    }

    @Test func aValidChartPasses() throws {
        let checked = try SessionChart.validate(input(), limits: limits()).get()
        #expect(checked.chart.modality == .microneedling)
        #expect(checked.chart.zones.first?.depthMm == 1.5)
        #expect(checked.warnings.isEmpty)
        #expect(checked.chart.lotIds.map(\.id) == [Self.cartridge.id])
    }

    @Test func depthAboveTheDeviceMaximumIsRefused() {
        #expect(errors(SessionChart.validate(input(depth: 2.05), limits: limits())) == ["zones[0].depthMm"])
        #expect(errors(SessionChart.validate(input(depth: 2.0), limits: limits())).isEmpty)
    }

    @Test func depthMustBeInFiveHundredthsOfAMillimetre() {
        #expect(errors(SessionChart.validate(input(depth: 1.52), limits: limits())) == ["zones[0].depthMm"])
        #expect(errors(SessionChart.validate(input(depth: 0.35), limits: limits())).isEmpty)
    }

    @Test func depthAboveTheClinicMaximumNeedsAWrittenReason() {
        #expect(errors(SessionChart.validate(input(depth: 1.75), limits: limits(clinicMax: 1.5))) == ["zones[0].depthReason"])
        #expect(errors(SessionChart.validate(input(depth: 1.75, reason: "Deep rolling scars, discussed with patient"), limits: limits(clinicMax: 1.5))).isEmpty)
    }

    @Test func anExpiredLotIsRefused() {
        #expect(errors(SessionChart.validate(input(lot: Self.expired), limits: limits())) == ["cartridgeLotId"])
    }

    @Test func aDevicePastItsServiceDateOrRetiredIsRefused() {
        var overdue = Self.pen
        overdue.details.nextServiceDue = CalendarDate("2026-03-01")
        #expect(errors(SessionChart.validate(input(device: overdue), limits: limits(device: overdue))) == ["deviceId"])
        var retired = Self.pen
        retired.details.active = false
        #expect(errors(SessionChart.validate(input(device: retired), limits: limits(device: retired))) == ["deviceId"])
    }

    @Test func vitaminCOnNeedledSkinWarnsWithTheGranulomaSource() throws {
        var i = input()
        i.topicals = [.init(lotId: Self.serum.id.uuidString)]
        let checked = try SessionChart.validate(i, limits: limits()).get()
        #expect(checked.chart.topicals.first?.vitaminC == true)
        let warning = try #require(checked.warnings.first)
        #expect(warning.code == "vitamin-c-on-needled-skin")
        #expect(warning.source.contains("Soltani-Arabshahi 2014"))
        #expect(warning.source.contains("Friedmann"))
    }

    @Test func everyProblemIsNamedAtOnce() {
        let bad = SessionChart.Input(performedOn: "2026-02-30", zones: [.init(zone: "elbow", depthMm: -1, passes: 0, endpoint: "blood")],
                                     reactions: .init(painScore: 11))
        let fields = Set(errors(SessionChart.validate(bad, limits: limits())))
        #expect(fields.isSuperset(of: ["performedOn", "deviceId", "zones[0].zone", "zones[0].depthMm", "zones[0].passes", "zones[0].endpoint",
                                       "reactions.painScore"]))
    }

    // MARK: Checklist

    func checklist(intake: Intake? = Intake(fitzpatrick: .ii), day: DayAnswers? = DayAnswers(), consent: Bool = true,
                   photos: [PhotoView] = BeforePhotoRequirement.default.views, plan: Bool? = nil,
                   acks: [ScreeningAcknowledgement] = []) -> PreSessionChecklist.Result {
        PreSessionChecklist.evaluate(.init(modality: .microneedling, asOf: Self.today, intake: intake, dayAnswers: day, acknowledgements: acks,
                                           consentValid: consent, photosToday: photos, planApproved: plan))
    }

    @Test func aCleanDayPasses() {
        let r = checklist()
        #expect(r.passed, "\(r.failures)")
    }

    @Test func activeHerpesTodayStopsTheSessionWithItsReason() {
        let r = checklist(day: DayAnswers(activeHerpesLabialis: true))
        #expect(!r.passed)
        let stop = r.failures.first { $0.id == "rescreening" }
        #expect(stop != nil)
        #expect(stop?.source?.isEmpty == false)
    }

    @Test func missingConsentPhotosOrAnUnapprovedPlanFail() {
        #expect(checklist(consent: false).failures.map(\.id) == ["consent"])
        #expect(checklist(photos: [.frontal]).failures.map(\.id) == ["before-photos"])
        #expect(checklist(plan: false).failures.map(\.id) == ["plan"])
        #expect(checklist(plan: true).passed)
        #expect(checklist(day: DayAnswers(newMedications: true)).failures.map(\.id) == ["new-medications"])
        #expect(checklist(day: nil).failures.map(\.id) == ["rescreening"])
        #expect(checklist(intake: nil).failures.map(\.id) == ["rescreening"])
    }

    @Test func openAcknowledgeFindingsMustBeAcknowledged() {
        let intake = Intake(fitzpatrick: .ii, isotretinoin: .current)
        let open = checklist(intake: intake)
        #expect(open.failures.map(\.id).contains("acknowledgements"))
        let rule = open.screening?.findings.first { $0.outcome == .acknowledge }?.rule ?? ""
        let ack = ScreeningAcknowledgement(rule: rule, modality: .microneedling, reason: "Discussed with dermatologist", acknowledgedBy: "dr",
                                           acknowledgedAt: Date())
        #expect(!checklist(intake: intake, acks: [ack]).failures.map(\.id).contains("acknowledgements"))
    }

    // MARK: Adverse-event promotion (the 72 h clinic threshold)

    @Test func erythemaBecomesAnAdverseEventOnlyPastTheThreshold() {
        let erythema = AETerm.find("erythema")!
        #expect(!SequelaPromotion.decide(term: erythema, durationHours: 48, grade: .mild, thresholds: .default).isAdverseEvent)
        #expect(!SequelaPromotion.decide(term: erythema, durationHours: 72, grade: .mild, thresholds: .default).isAdverseEvent)
        #expect(SequelaPromotion.decide(term: erythema, durationHours: 73, grade: .mild, thresholds: .default).isAdverseEvent)
        let custom = SequelaThresholds(erythemaHours: 96, edemaHours: 48)
        #expect(!SequelaPromotion.decide(term: erythema, durationHours: 80, grade: .mild, thresholds: custom).isAdverseEvent)
        #expect(SequelaPromotion.decide(term: AETerm.find("edema")!, durationHours: 50, grade: .mild, thresholds: custom).isAdverseEvent)
        #expect(SequelaPromotion.decide(term: AETerm.find("granuloma")!, durationHours: nil, grade: .mild, thresholds: .default).isAdverseEvent)
        #expect(SequelaThresholds.default.erythemaHours == 72)
    }

    @Test func anExpectedSequelaWithinTheWindowIsRefusedAsAnAdverseEvent() {
        let input = AdverseEventDetails.Input(term: "edema", onsetOn: "2026-03-09", grade: 1, relatedness: "probable", durationHours: 24)
        guard case .failure(let f) = AdverseEventDetails.validate(input, today: Self.today, thresholds: .default) else {
            Issue.record("expected a refusal"); return
        }
        #expect(f.errors.map(\.field) == ["term"])
        #expect(f.errors[0].message.contains("Clinic threshold, default 72 h"))
    }
}
