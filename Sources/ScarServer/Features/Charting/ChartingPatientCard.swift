import Foundation
import ScarCore
import ScarStore

/// The patient page's sessions card: sessions, consents, adverse events and the serious-event flag.
enum ChartingPatientCard {
    static func data(patientId: UUID, context: AppContext, services: AppServices) async throws -> [String: Any] {
        let charting = ChartingServices(services)
        let clinicId = context.signedInUser.clinicId
        let sessions = try await charting.sessions.list(patientId: patientId, clinicId: clinicId, by: context.auditActor)
        let consents = try await charting.consents.list(patientId: patientId, clinicId: clinicId, by: context.auditActor)
        let events = try await charting.adverseEvents.list(patientId: patientId, openOnly: false, clinicId: clinicId, by: context.auditActor)
        let serious = events.filter(\.details.serious)
        return [
            "canChart": ChartingHTTP.clinicians.allows(context.user?.role),
            "newSessionURL": PatientLinks.url(patientId) + "/sessions/new",
            "consentURL": PatientLinks.url(patientId) + "/consents/new",
            "newAEURL": PatientLinks.url(patientId) + "/adverse-events/new",
            "sessions": sessions.map { s in
                ["url": SessionView.url(s.id), "date": s.chart.performedOn.description, "modality": s.chart.modality.rawValue,
                 "practitioner": s.practitionerName, "status": s.status.rawValue, "amended": !s.amendments.isEmpty] as [String: Any]
            },
            "hasSessions": !sessions.isEmpty,
            "consents": consents.map { ["url": "/consents/\($0.id.lower)", "kind": $0.kind.label, "version": $0.templateVersion,
                                        "withdrawn": !$0.isValid] as [String: Any] },
            "hasConsents": !consents.isEmpty,
            "events": events.map { e in
                ["onsetOn": ViewDates.day(e.details.onsetOn), "term": AETerm.find(e.details.term)?.label ?? e.details.term,
                 "grade": e.details.grade.rawValue, "outcome": e.details.outcome.label, "serious": e.details.serious,
                 "url": AdverseEventView.url(e.id)] as [String: Any]
            },
            "hasEvents": !events.isEmpty,
            "hasSerious": !serious.isEmpty,
            "seriousTerms": serious.map { AETerm.find($0.details.term)?.label ?? $0.details.term }.joined(separator: ", "),
        ]
    }
}
