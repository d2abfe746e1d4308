import Foundation
import ScarCore
import Testing

/// The course decisions that moved out of the routes and the store (issue 12): which plan a
/// session follows, what a new chart starts from, amendments, the completion cascade, a plan's
/// series and the appointment labels.
@Suite("Course decisions")
struct CourseDecisionTests {
    static let day = Date(timeIntervalSince1970: 1_790_000_000)

    static func approved(_ modality: Modality, plan: UUID = UUID(), number: Int = 1, daysAgo: Double) -> ApprovedPlanVersion {
        ApprovedPlanVersion(planId: plan, versionId: UUID(), number: number, modality: modality, approvedBy: "Dr Reed",
                            approvedAt: day.addingTimeInterval(-daysAgo * 86400))
    }

    @Test func aSessionFollowsTheLatestApprovedPlanOfItsOwnModality() {
        let older = Self.approved(.microneedling, daysAgo: 30)
        let newerRF = Self.approved(.rfMicroneedling, daysAgo: 1)
        let newer = Self.approved(.microneedling, number: 2, daysAgo: 5)
        let choice = SessionPlanChoice.choose(link: .none, modality: .microneedling, approved: [older, newerRF, newer])
        #expect(choice.version == newer, "never the RF plan, however recent")
        #expect(choice.reason.hasPrefix("Plan version 2 (microneedling) approved by Dr Reed on "))
        #expect(SessionPlanChoice.choose(link: .none, modality: .rfMicroneedling, approved: [older]).version == nil)
    }

    @Test func aLinkedPlanIsFollowedOnlyWhenApprovedForTheSessionsModality() {
        let rf = Self.approved(.rfMicroneedling, daysAgo: 3)
        let other = Self.approved(.microneedling, daysAgo: 1)
        #expect(SessionPlanChoice.choose(link: .plan(rf.planId), modality: .rfMicroneedling, approved: [rf, other]).version == rf)
        let wrong = SessionPlanChoice.choose(link: .plan(rf.planId), modality: .microneedling, approved: [rf, other])
        #expect(wrong.version == nil, "a linked plan is not replaced by another one")
        #expect(wrong.reason == "The linked plan's approved version is for rf-microneedling, not microneedling.")
        #expect(SessionPlanChoice.choose(link: .plan(UUID()), modality: .microneedling, approved: [other]).version == nil)
        #expect(SessionPlanChoice.choose(link: .foreignVersion, modality: .microneedling, approved: [other]).version == nil)
    }

    /// A chart as stored (the type has no public memberwise initialiser).
    static func chart() throws -> SessionChart {
        let json = """
            {"performedOn": "2026-11-02", "modality": "microneedling", "deviceId": "\(UUID().lower)", "cartridgeLotId": "\(UUID().lower)",
             "zones": [{"zone": "left-cheek", "depthMm": 1.5, "passes": 3, "endpoint": "pinpoint-bleeding"}], "topicals": [],
             "durationMinutes": 40, "reactions": {"erythema": true, "edema": false, "pinpointBleeding": false}, "notes": "Tolerated well"}
            """
        return try JSONDecoder().decode(SessionChart.self, from: Data(json.utf8))
    }

    @Test func aNewChartCarriesForwardThePreviousSessionButNotItsDayReactionsOrNotes() throws {
        let today = CalendarDate("2026-11-30")!
        let previous = try Self.chart()
        let defaults = SessionChartDefaults.decide(previous: (previous, previous.performedOn), plan: nil, today: today)
        #expect(defaults.input.performedOn == "2026-11-30")
        #expect(defaults.input.deviceId == previous.deviceId.lower && defaults.input.zones?.first?.depthMm == 1.5)
        #expect(defaults.input.reactions == nil && defaults.input.notes == nil && defaults.input.durationMinutes == 40)
        #expect(defaults.banner == "Defaults carried from the session of 2026-11-02. Check each value.")
        let blank = SessionChartDefaults.decide(previous: nil, plan: nil, today: today)
        #expect(blank.input == SessionChart.Input(performedOn: "2026-11-30") && blank.banner == nil)
    }

    @Test func aFirstChartGetsTheClinicsOnlyUsableDeviceAndUnexpiredCartridgeLotButNeverAChoiceBetweenTwo() throws {
        let today = CalendarDate("2026-11-30")!
        func device(_ serial: String) throws -> Device {
            let d = try DeviceDetails.validate(.init(model: "Pen", manufacturer: "Acme", type: "motorized-pen", maxDepthMm: 2.5, needleGeometry: "round",
                                                     needleCount: 36, serialNumber: serial)).get()
            return Device(id: UUID(), clinicId: UUID(), details: d, createdAt: Self.day, version: 1)
        }
        func lot(_ number: String, expires: String) throws -> Lot {
            let d = try LotDetails.validate(.init(kind: "cartridge", product: "36-pin", lotNumber: number, expiresOn: expires, quantity: 10,
                                                  receivedOn: "2026-11-01"), today: today).get()
            return Lot(id: UUID(), clinicId: UUID(), details: d, createdAt: Self.day, version: 1)
        }
        let pen = try device("A1"), fresh = try lot("C1", expires: "2099-01-01"), expired = try lot("C0", expires: "2026-11-29")
        let one = SessionChart.Limits(devices: [pen.id: pen], lots: [fresh.id: fresh, expired.id: expired], clinicMaxDepthMm: nil, today: today)
        let first = SessionChartDefaults.decide(previous: nil, plan: nil, today: today, limits: one)
        #expect(first.input.deviceId == pen.id.lower && first.input.cartridgeLotId == fresh.id.lower, "the expired lot is not counted")
        #expect(first.banner?.contains("only device and cartridge lot") == true)
        let other = try device("B2"), second = try lot("C2", expires: "2099-01-01")
        let two = SessionChart.Limits(devices: [pen.id: pen, other.id: other], lots: [fresh.id: fresh, second.id: second], clinicMaxDepthMm: nil, today: today)
        let choose = SessionChartDefaults.decide(previous: nil, plan: nil, today: today, limits: two)
        #expect(choose.input.deviceId == nil && choose.input.cartridgeLotId == nil && choose.banner == nil)
        let previous = try Self.chart()
        let carried = SessionChartDefaults.decide(previous: (previous, previous.performedOn), plan: nil, today: today, limits: one)
        #expect(carried.input.deviceId == previous.deviceId.lower, "a repeat session keeps what it carried")
    }

    @Test func anAmendmentNeedsAReasonAndChangesOnlyAmendableFields() throws {
        let current = try Self.chart()
        #expect(SessionAmendment.requestProblems(reason: " short ", chart: nil).map(\.field) == ["reason", "chart"])
        var corrected = SessionChart.Input(current)
        corrected.notes = "Mild erythema, settled"
        let limits = SessionChart.Limits(devices: [:], lots: [:], clinicMaxDepthMm: nil, today: CalendarDate("2026-11-30")!)
        // Without the device in the limits the chart itself is refused, before any change is looked at.
        guard case .failure(let f) = SessionAmendment.decide(reason: "Notes were for another patient", chart: corrected, current: current, limits: limits)
        else { Issue.record("an amendment naming an unknown device was accepted"); return }
        #expect(f.errors.contains { $0.field == "deviceId" })
        let completed = SessionAmendment.completing(SessionChart.Input(notes: "x"), from: current)
        #expect(completed.deviceId == current.deviceId.lower && completed.performedOn == "2026-11-02" && completed.modality == "microneedling")
        #expect(completed.notes == "x", "what the form sent is kept")
    }

    static let london = TimeZone(identifier: "Europe/London")!

    static func at(_ day: String, _ clock: String = "10:00") -> Date {
        Availability(timeZone: london, weeklyHours: [:]).instant(CalendarDate(day)!, minutes: MinuteRange.minutes(clock)!)
    }

    @Test func aSessionDoneLateMovesTheRestOfItsSeriesAndOneOnTheDayMovesNothing() {
        let first = SeriesItem(id: UUID(), kind: .session, start: Self.at("2026-11-02"), end: Self.at("2026-11-02", "11:00"))
        let second = SeriesItem(id: UUID(), kind: .session, start: Self.at("2026-11-30"), end: Self.at("2026-11-30", "11:00"))
        let followUp = SeriesItem(id: UUID(), kind: .followUp, followUpMonths: 1, start: Self.at("2026-12-30"), end: Self.at("2026-12-30", "10:30"))
        let series = [first, second, followUp]
        #expect(CompletionCascade.decide(series: series, completed: first.id, performedOn: CalendarDate("2026-11-02")!, minimumIntervalDays: 28,
                                         timeZone: Self.london) == .onTheDay)
        guard case .moves(let moves) = CompletionCascade.decide(series: series, completed: first.id, performedOn: CalendarDate("2026-11-09")!,
                                                                minimumIntervalDays: 28, timeZone: Self.london)
        else { Issue.record("a late session moved nothing"); return }
        #expect(moves.map(\.id) == [second.id, followUp.id], "the completed one itself is not among the moves")
        #expect(moves.first?.start == Self.at("2026-12-07"), "28 days after the day it was really done")
    }

    @Test func aPlansSeriesTakesItsSessionsIntervalAndModality() throws {
        let definition = try #require(ExampleTemplates.all.first { $0.modality == .rfMicroneedling })
        let template = ProtocolTemplateVersion(id: UUID(), templateId: UUID(), version: 1, createdAt: Self.day, createdBy: "admin", definition: definition)
        let version = PlanVersion(id: UUID(), planId: UUID(), number: 1, supersedes: nil, status: .approved, template: template, assessmentId: nil,
                                  content: PlanContent(sessions: 4, intervalDays: 35), createdAt: Self.day, createdBy: "Dr Reed", updatedAt: Self.day,
                                  approval: nil)
        let plan = TreatmentPlan(id: version.planId, clinicId: UUID(), patientId: UUID(), version: 2, createdAt: Self.day, versions: [version])
        let order = SeriesOrder(modality: .microneedling, count: 1, intervalDays: 7, minimumIntervalDays: 7, windowDays: 7, durationMinutes: 60,
                                firstStart: Self.day, practitionerId: UUID(), roomId: UUID(), deviceId: nil, followUpMonths: [], planId: plan.id,
                                planVersionId: nil)
        #expect(order.following(plan: plan, clinicMinimumIntervalDays: 7, minutes: { _ in 45 })
            == .failure(ValidationFailure([FieldError("deviceId", "is required: the plan is for RF microneedling")])))
        var withDevice = order
        withDevice.deviceId = UUID()
        let followed = try withDevice.following(plan: plan, clinicMinimumIntervalDays: 7, minutes: { $0 == .rfMicroneedling ? 45 : 60 }).get()
        #expect(followed.modality == .rfMicroneedling && followed.count == 4 && followed.intervalDays == 35 && followed.durationMinutes == 45)
        #expect(followed.minimumIntervalDays == max(7, definition.intervalDaysMin) && followed.planVersionId == version.id)
        #expect(order.following(plan: nil, clinicMinimumIntervalDays: 7, minutes: { _ in 60 })
            == .failure(ValidationFailure([FieldError("planId", "is not a treatment plan of this patient")])))
    }

    @Test func appointmentsAreNamedOneWay() {
        #expect(ProposedAppointment.Kind.session.label(2) == "Session 2")
        #expect(ProposedAppointment.Kind.followUp.label(6) == "6-month follow-up")
        #expect(ProposedAppointment.Kind.followUp.subject(6) == "The 6-month follow-up")
        #expect(AppointmentStatus.booked.canMove && !AppointmentStatus.checkedIn.canMove)
    }
}
