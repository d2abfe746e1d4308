import Foundation
import ScarCore
import ScarStore

/// The patient page's sessions card: sessions, consents, adverse events and the serious-event flag.
struct ChartingPatientCard {
    struct Session {
        var url: String
        var date: String
        var modality: String
        var practitioner: String
        var status: String
        var amended: Bool
    }

    struct Consent {
        var url: String
        var kind: String
        var version: Int
        var withdrawn: Bool
    }

    struct Event {
        var onsetOn: String
        var term: String
        var grade: Int
        var outcome: String
        var serious: Bool
        var url: String
    }

    /// "The newest N of M sessions" with the link to the paged list, when there are more.
    struct MoreSessions {
        var shown: Int
        var total: Int
        var url: String
    }

    var canChart: Bool
    var newSessionURL: String
    var consentURL: String
    var newAEURL: String
    var sessions: [Session]
    var moreSessions: MoreSessions?
    var consents: [Consent]
    var events: [Event]
    /// The serious adverse events' terms, flagged at the top of the page, when there are any.
    var seriousTerms: String?

    /// The card from the page's records: the newest sessions (the rest on the paged list), every consent and adverse event.
    static func data(_ records: PatientPageRecords, context: AppContext) -> ChartingPatientCard {
        let patientId = records.patient.id, sessions = records.latestSessions, consents = records.consents, events = records.adverseEvents
        let serious = events.filter(\.details.serious)
        return ChartingPatientCard(
            canChart: AccessPolicy.clinicians.allows(context.user?.role),
            newSessionURL: PatientLinks.url(patientId) + "/sessions/new", consentURL: PatientLinks.url(patientId) + "/consents/new",
            newAEURL: PatientLinks.url(patientId) + "/adverse-events/new",
            sessions: sessions.map { s in
                .init(url: SessionView.url(s.id), date: s.performedOn.description, modality: s.modality.rawValue,
                      practitioner: s.practitionerName, status: s.status.rawValue, amended: s.amended)
            },
            moreSessions: records.sessionCount > sessions.count
                ? MoreSessions(shown: sessions.count, total: records.sessionCount, url: PatientLinks.url(patientId) + "/sessions") : nil,
            consents: consents.map { .init(url: "/consents/\($0.id.lower)", kind: $0.kind.label, version: $0.templateVersion, withdrawn: !$0.isValid) },
            events: events.map { e in
                .init(onsetOn: ViewDates.day(e.details.onsetOn), term: AETerm.find(e.details.term)?.label ?? e.details.term,
                      grade: e.details.grade.rawValue, outcome: e.details.outcome.label, serious: e.details.serious, url: AdverseEventView.url(e.id))
            },
            seriousTerms: serious.isEmpty ? nil : serious.map { AETerm.find($0.details.term)?.label ?? $0.details.term }.joined(separator: ", "))
    }
}
