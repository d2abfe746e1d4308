import Foundation
import ScarCore
import ScarStore

/// The `adverse-event` page's view model: the facts in plain words, the follow-up notes, the
/// resolve form (open events) and the update form, each re-shown with what was typed and the
/// message beside the field when refused.
struct AdverseEventPage {
    struct LinkedSession {
        var sessionURL: String
        var sessionLabel: String
    }

    struct Note {
        var at: String
        var author: String
        var text: String
    }

    typealias Option = SelectOption

    /// The resolve form; an error is the message beside its field.
    struct Resolve {
        var outcomes: [Option]
        var resolvedOn: String
        var today: String
        var followUpNote: String
        var resolvedOnError: String?
        var outcomeError: String?
        var followUpNoteError: String?
    }

    /// The follow-up form; an error is the message beside its field.
    struct Update {
        var grades: [Option]
        var relatedness: [Option]
        var outcomes: [Option]
        var sessions: [Option]
        var noSession: Bool
        var serious: Bool
        var resolvedOn: String
        var today: String
        var actionTaken: String
        var followUpNote: String
        var gradeError: String?
        var relatednessError: String?
        var outcomeError: String?
        var resolvedOnError: String?
        var sessionIdError: String?
        var actionTakenError: String?
        var followUpNoteError: String?
    }

    var term: String
    var patientName: String
    var patientURL: String
    var onset: String
    var grade: String
    var serious: Bool
    var relatedness: String
    var outcome: String
    var isOpen: Bool
    var resolvedOn: String
    var action: String?
    var products: String?
    var recordNotes: String?
    var reportedBy: String
    var recordedAt: String
    var session: LinkedSession?
    var notes: [Note]
    var actionURL: String
    var version: Int
    var banner: String?
    var resolve: Resolve
    var update: Update
    var saved: Bool
    /// Where the forms return to (a follow-up visit), when they were opened from one.
    var next: String?
}

/// Builds an adverse event's page from the record, its notes and the patient's sessions.
enum AdverseEventView {
    static func url(_ id: UUID) -> String { "/adverse-events/\(id.lower)" }

    /// A refused form: which one, what was sent, why.
    struct Sent {
        var part: String
        var values: FormBody
        var errors: [FieldError]
        var banner: String?
    }

    static func page(_ e: AdverseEventRepository.Record, notes: [AdverseEventRepository.FollowUpNote], sessions: [SessionRecord],
                     form: Sent?, today: CalendarDate, zone: TimeZone, saved: Bool, next: String?) -> AdverseEventPage {
        let d = e.details
        let session = d.sessionId.flatMap { id in sessions.first { $0.id == id } }
        return AdverseEventPage(
            term: AETerm.find(d.term)?.label ?? d.term, patientName: e.patientName, patientURL: PatientLinks.url(e.patientId),
            onset: ViewDates.day(d.onsetOn), grade: d.grade.label, serious: d.serious, relatedness: d.relatedness.label,
            outcome: d.outcome.label, isOpen: e.isOpen, resolvedOn: d.resolvedOn.map(ViewDates.day) ?? "",
            action: d.actionTaken, products: d.products, recordNotes: d.notes, reportedBy: e.reportedBy,
            recordedAt: ViewDates.format(e.createdAt, zone, "d MMM yyyy HH:mm"),
            session: session.map { .init(sessionURL: SessionView.url($0.id), sessionLabel: label($0)) },
            notes: notes.map { .init(at: ViewDates.format($0.at, zone, "d MMM yyyy HH:mm"), author: $0.author, text: $0.text) },
            actionURL: url(e.id), version: e.version, banner: form?.banner,
            resolve: resolve(form, today: today), update: update(e, sessions: sessions, form: form, today: today), saved: saved, next: next)
    }

    /// What the refused form `part` sent for `name`, else `current`.
    static func sent(_ form: Sent?, _ part: String, _ name: String, _ current: String) -> String {
        guard let form, form.part == part else { return current }
        return form.values[name] ?? ""
    }

    static func error(_ form: Sent?, _ part: String, _ name: String) -> String? {
        form?.part == part ? form?.errors.first(where: { $0.field == name })?.message : nil
    }

    static func resolve(_ form: Sent?, today: CalendarDate) -> AdverseEventPage.Resolve {
        let resolvedOutcome = sent(form, "resolve", "outcome", AEOutcome.resolved.rawValue)
        return .init(
            outcomes: [AEOutcome.resolved, .resolvedWithSequelae].map { .init(value: $0.rawValue, label: $0.label, selected: $0.rawValue == resolvedOutcome) },
            resolvedOn: sent(form, "resolve", "resolvedOn", today.description), today: today.description,
            followUpNote: sent(form, "resolve", "followUpNote", ""),
            resolvedOnError: error(form, "resolve", "resolvedOn"), outcomeError: error(form, "resolve", "outcome"),
            followUpNoteError: error(form, "resolve", "followUpNote"))
    }

    static func update(_ e: AdverseEventRepository.Record, sessions: [SessionRecord], form: Sent?, today: CalendarDate) -> AdverseEventPage.Update {
        let d = e.details
        let outcome = sent(form, "update", "outcome", d.outcome.rawValue)
        let linkedSession = sent(form, "update", "sessionId", d.sessionId?.lower ?? "")
        let grade = sent(form, "update", "grade", String(d.grade.rawValue)), relatedness = sent(form, "update", "relatedness", d.relatedness.rawValue)
        return .init(
            grades: CTCAEGrade.allCases.map { .init(value: String($0.rawValue), label: $0.label, selected: String($0.rawValue) == grade) },
            relatedness: Relatedness.allCases.map { .init(value: $0.rawValue, label: $0.label, selected: $0.rawValue == relatedness) },
            outcomes: AEOutcome.allCases.map { .init(value: $0.rawValue, label: $0.label, selected: $0.rawValue == outcome) },
            sessions: sessions.map { .init(value: $0.id.lower, label: label($0), selected: $0.id.lower == linkedSession) },
            noSession: linkedSession.isEmpty,
            serious: form?.part == "update" ? form?.values["serious"] != nil : d.serious,
            resolvedOn: sent(form, "update", "resolvedOn", d.resolvedOn?.description ?? ""), today: today.description,
            actionTaken: sent(form, "update", "actionTaken", d.actionTaken ?? ""), followUpNote: sent(form, "update", "followUpNote", ""),
            gradeError: error(form, "update", "grade"), relatednessError: error(form, "update", "relatedness"),
            outcomeError: error(form, "update", "outcome"), resolvedOnError: error(form, "update", "resolvedOn"),
            sessionIdError: error(form, "update", "sessionId"), actionTakenError: error(form, "update", "actionTaken"),
            followUpNoteError: error(form, "update", "followUpNote"))
    }

    static func label(_ s: SessionRecord) -> String {
        "\(ViewDates.day(s.chart.performedOn)) · \(ScreeningLabels.modality(s.chart.modality))\(s.status == .draft ? " (not signed)" : "")"
    }
}
