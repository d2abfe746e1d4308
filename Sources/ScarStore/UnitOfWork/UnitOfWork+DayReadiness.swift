import Foundation
import ScarCore
import SQLKit

/// What the day home judges every treatment visit's readiness on, read for all of the day's
/// patients at once: the same records the checklist reads at signing (`SessionChecklistReading`),
/// in a fixed handful of statements however many visits there are.
public struct DayReadinessRecords: Sendable {
    /// The newest chart started for each appointment.
    public var charts: [UUID: (id: UUID, signed: Bool)]
    /// Each patient's latest intake with its acknowledgements and the clinic's rule set.
    public var screening: [UUID: IntakeRepository.ScreeningInputs]
    /// Each patient's consents, newest first.
    public var consents: [UUID: [ConsentRepository.SignedConsent]]
    /// The standard views of each patient's photos of the day.
    public var photoViews: [UUID: [PhotoView]]
    public var settings: ChartingSettings
}

extension UnitOfWork {
    public func dayReadinessRecords(appointments: [Appointment], clinicId: UUID, day: CalendarDate) async throws -> DayReadinessRecords {
        let patientIds = Array(Set(appointments.map(\.patientId))).sorted { $0.uuidString < $1.uuidString }
        var charts: [UUID: (id: UUID, signed: Bool)] = [:]
        if !appointments.isEmpty {
            for row in try await sql.raw("""
                SELECT id, appointment_id, status FROM treatment_sessions
                WHERE clinic_id = \(bind: clinicId) AND appointment_id IN (\(binds: appointments.map(\.id)))
                ORDER BY created_at DESC
                """).all() {
                let appointmentId = try row.decode(column: "appointment_id", as: UUID.self)
                guard charts[appointmentId] == nil else { continue }
                charts[appointmentId] = (try row.decode(column: "id", as: UUID.self), try row.decode(column: "status", as: String.self) == "signed")
            }
        }
        let intakes = try await IntakeRepository.latestIntakes(patientIds: patientIds, on: sql)
        let acknowledgements = try await IntakeRepository.acknowledgements(intakeIds: intakes.values.map(\.id), on: sql)
        let ruleSet = try await IntakeRepository.ruleSet(clinicId: clinicId, on: sql)
        var screening: [UUID: IntakeRepository.ScreeningInputs] = [:]
        for id in patientIds {
            let intake = intakes[id]
            screening[id] = .init(intake: intake, acknowledgements: intake.flatMap { acknowledgements[$0.id] } ?? [], ruleSet: ruleSet)
        }
        let consents = Dictionary(grouping: try await ConsentRepository.consents(patientIds: patientIds, clinicId: clinicId, on: sql),
                                  by: \.patientId)
        return DayReadinessRecords(charts: charts, screening: screening, consents: consents,
                                   photoViews: try await PhotoRepository.views(patientIds: patientIds, clinicId: clinicId, capturedOn: day, on: sql),
                                   settings: try await chartingSettings(clinicId: clinicId))
    }
}
