import Foundation
import ScarCore
import ScarStore

/// What a new session chart starts from (reads only, one connection): the patient's latest
/// chart, else the approved plan the session will follow — chosen as signing chooses it
/// (`SessionPlanChoice`, by the appointment's modality; any modality while none is known) —
/// decided by `SessionChartDefaults`.
public struct NewSessionChart: Sendable {
    let database: ScarDatabase
    public init(_ database: ScarDatabase) { self.database = database }

    public func callAsFunction(patientId: UUID, appointmentId: UUID?, by clinician: Clinician) async throws -> SessionChartDefaults.Defaults {
        try await database.read(unitOfWork: { tx in
            let clinicId = clinician.clinicId
            if let previous = try await tx.latestSession(patientId: patientId, clinicId: clinicId) {
                return SessionChartDefaults.decide(previous: (previous.currentChart, previous.chart.performedOn), plan: nil, today: clinician.today)
            }
            let plan = try await Self.plan(patientId: patientId, appointmentId: appointmentId, clinicId: clinicId, in: tx)
            let (limits, _) = try await tx.chartLimits(clinicId: clinicId, today: clinician.today)
            return SessionChartDefaults.decide(previous: nil, plan: plan, today: clinician.today, limits: limits)
        })
    }

    static func plan(patientId: UUID, appointmentId: UUID?, clinicId: UUID, in tx: UnitOfWork) async throws -> PlanVersion? {
        var appointment: Appointment?
        if let appointmentId { appointment = try? await tx.appointment(id: appointmentId, clinicId: clinicId) }
        let (link, approved) = try await tx.planLink(patientId: patientId, clinicId: clinicId, planVersionId: nil,
                                                     appointmentId: appointment?.patientId == patientId ? appointment?.id : nil)
        let modalities = appointment.map { [$0.modality] } ?? Modality.allCases
        let choices = modalities.compactMap { SessionPlanChoice.choose(link: link, modality: $0, approved: approved).version }
        // With no appointment the modality is not known yet: the most recently approved plan of any modality.
        guard let chosen = choices.max(by: { ($0.approvedAt ?? .distantPast) < ($1.approvedAt ?? .distantPast) }) else { return nil }
        return try await tx.plan(id: chosen.planId, clinicId: clinicId).versions.first { $0.id == chosen.versionId }
    }
}
