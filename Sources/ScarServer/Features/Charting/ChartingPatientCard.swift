import Foundation
import ScarCore
import ScarStore

/// The patient page's sessions card: sessions, consents, adverse events and the serious-event flag.
enum ChartingPatientCard {
    /// The card from the page's records: the newest sessions (the rest on the paged list), every consent and adverse event.
    static func data(_ records: PatientPageRecords, context: AppContext) -> [String: Any] {
        let patientId = records.patient.id, sessions = records.latestSessions, consents = records.consents, events = records.adverseEvents
        let serious = events.filter(\.details.serious)
        return [
            "canChart": ChartingHTTP.clinicians.allows(context.user?.role),
            "newSessionURL": PatientLinks.url(patientId) + "/sessions/new",
            "consentURL": PatientLinks.url(patientId) + "/consents/new",
            "newAEURL": PatientLinks.url(patientId) + "/adverse-events/new",
            "sessions": sessions.map { s in
                ["url": SessionView.url(s.id), "date": s.performedOn.description, "modality": s.modality.rawValue,
                 "practitioner": s.practitionerName, "status": s.status.rawValue, "amended": s.amended] as [String: Any]
            },
            "hasSessions": !sessions.isEmpty,
            "sessionCount": records.sessionCount, "shownSessions": sessions.count, "hasMoreSessions": records.sessionCount > sessions.count,
            "allSessionsURL": PatientLinks.url(patientId) + "/sessions",
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
