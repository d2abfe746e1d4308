import Foundation
import ScarCore
import ScarStore

/// An adverse event's page as the template reads it: the facts in plain words, the follow-up notes,
/// the resolve form (open events) and the update form, each re-shown with what was typed and the
/// message beside the field when refused.
enum AdverseEventView {
    static func url(_ id: UUID) -> String { "/adverse-events/\(id.lower)" }

    /// A refused form: which one, what was sent, why.
    struct Sent {
        var part: String
        var values: FormBody
        var errors: [FieldError]
        var banner: String?
    }

    static func data(_ e: AdverseEventRepository.Record, notes: [AdverseEventRepository.FollowUpNote], sessions: [SessionRecord],
                     form: Sent?, today: CalendarDate, zone: TimeZone) -> [String: Any] {
        let d = e.details
        let session = d.sessionId.flatMap { id in sessions.first { $0.id == id } }
        func sent(_ part: String, _ name: String, _ current: String) -> String {
            guard let form, form.part == part else { return current }
            return form.values[name] ?? ""
        }
        func error(_ part: String, _ name: String) -> [String: Any] {
            let message = form?.part == part ? form?.errors.first(where: { $0.field == name })?.message : nil
            return ["has": message != nil, "message": message ?? ""]
        }
        let outcome = sent("update", "outcome", d.outcome.rawValue)
        let resolvedOutcome = sent("resolve", "outcome", AEOutcome.resolved.rawValue)
        let linkedSession = sent("update", "sessionId", d.sessionId?.lower ?? "")
        return [
            "term": AETerm.find(d.term)?.label ?? d.term, "patientName": e.patientName, "patientURL": PatientLinks.url(e.patientId),
            "onset": ViewDates.day(d.onsetOn), "grade": d.grade.label, "serious": d.serious, "relatedness": d.relatedness.label,
            "outcome": d.outcome.label, "isOpen": e.isOpen, "resolvedOn": d.resolvedOn.map(ViewDates.day) ?? "",
            "action": d.actionTaken ?? "", "products": d.products ?? "", "recordNotes": d.notes ?? "", "reportedBy": e.reportedBy,
            "hasAction": d.actionTaken != nil, "hasProducts": d.products != nil, "hasRecordNotes": d.notes != nil,
            "recordedAt": ViewDates.format(e.createdAt, zone, "d MMM yyyy HH:mm"),
            "hasSession": session != nil, "sessionURL": session.map { SessionView.url($0.id) } ?? "",
            "sessionLabel": session.map(label) ?? "",
            "notes": notes.map { ["at": ViewDates.format($0.at, zone, "d MMM yyyy HH:mm"), "author": $0.author, "text": $0.text] },
            "hasNotes": !notes.isEmpty, "actionURL": url(e.id), "version": e.version,
            "hasBanner": form?.banner != nil, "banner": form?.banner ?? "",
            "resolve": [
                "outcomes": [AEOutcome.resolved, .resolvedWithSequelae].map { ["value": $0.rawValue, "label": $0.label, "selected": $0.rawValue == resolvedOutcome] },
                "resolvedOn": sent("resolve", "resolvedOn", today.description), "today": today.description,
                "followUpNote": sent("resolve", "followUpNote", ""),
                "resolvedOnError": error("resolve", "resolvedOn"), "outcomeError": error("resolve", "outcome"),
                "followUpNoteError": error("resolve", "followUpNote"),
            ] as [String: Any],
            "update": [
                "grades": CTCAEGrade.allCases.map { ["value": $0.rawValue, "label": $0.label, "selected": String($0.rawValue) == sent("update", "grade", String(d.grade.rawValue))] },
                "relatedness": Relatedness.allCases.map { ["value": $0.rawValue, "label": $0.label, "selected": $0.rawValue == sent("update", "relatedness", d.relatedness.rawValue)] },
                "outcomes": AEOutcome.allCases.map { ["value": $0.rawValue, "label": $0.label, "selected": $0.rawValue == outcome] },
                "sessions": sessions.map { ["value": $0.id.lower, "label": label($0), "selected": $0.id.lower == linkedSession] },
                "noSession": linkedSession.isEmpty, "hasSessions": !sessions.isEmpty,
                "serious": form?.part == "update" ? form?.values["serious"] != nil : d.serious,
                "resolvedOn": sent("update", "resolvedOn", d.resolvedOn?.description ?? ""), "today": today.description,
                "actionTaken": sent("update", "actionTaken", d.actionTaken ?? ""), "followUpNote": sent("update", "followUpNote", ""),
                "gradeError": error("update", "grade"), "relatednessError": error("update", "relatedness"), "outcomeError": error("update", "outcome"),
                "resolvedOnError": error("update", "resolvedOn"), "sessionIdError": error("update", "sessionId"),
                "actionTakenError": error("update", "actionTaken"), "followUpNoteError": error("update", "followUpNote"),
            ] as [String: Any],
        ]
    }

    static func label(_ s: SessionRecord) -> String {
        "\(ViewDates.day(s.chart.performedOn)) · \(ScreeningLabels.modality(s.chart.modality))\(s.status == .draft ? " (not signed)" : "")"
    }
}
