import Foundation
import ScarClinic
import ScarCore
import ScarStore

/// The portal's between-visits pages in plain words: the timeline with its sources cited as a
/// reader would, the check-in form (every question answered; nothing pre-ticked), the problem
/// report, and the questions before a session (yes / no / not sure).
enum PortalAftercareView {
    static func errorMap(_ errors: [FieldError]) -> [String: String] {
        Dictionary(errors.map { ($0.field, $0.message) }, uniquingKeysWith: { a, _ in a })
    }

    static func choices<T: RawRepresentable>(_ all: [T], name: String, chosen: String?, label: (T) -> String) -> [[String: Any]]
        where T.RawValue == String {
        all.map { ["name": name, "value": $0.rawValue, "label": label($0), "id": "\(name)-\($0.rawValue)", "checked": $0.rawValue == chosen] }
    }

    static func page(_ care: ReadAftercare.Aftercare, sent: String?, input: CheckInAnswers.Input?, errors: [FieldError]) -> [String: Any] {
        let e = errorMap(errors)
        func field(_ name: String, _ chosen: String?) -> [String: Any] {
            ["choices": choices(ReactionLevel.allCases, name: name, chosen: chosen) { $0.label }, "error": e[name] ?? "", "hasError": e[name] != nil]
        }
        let signs = Set(input?.signs ?? [])
        return [
            "hasSession": care.session != nil, "day": care.day ?? 0,
            "sheetTitle": care.sheet?.title ?? "", "sheetVersion": care.sheet.map { "version \($0.version)" } ?? "",
            "timeline": care.timeline.map { d in
                ["day": d.day, "title": d.title, "isToday": d.day == care.day, "isCheckInDay": d.isCheckInDay,
                 "normal": d.normal.map { ["text": $0.text, "source": $0.source] }, "care": d.care.map { ["text": $0.text, "source": $0.source] },
                 "hasCare": !d.care.isEmpty] as [String: Any]
            },
            "checkInDays": care.checkInDays.days.map(String.init).joined(separator: ", "),
            "checkInOpen": care.checkInOpen, "checkInDue": care.checkInDue,
            "checkedInToday": care.day.map { care.checkedInDays.contains($0) } ?? false,
            "sentExpected": sent == "expected", "sentBeyond": sent == "beyond",
            "redness": field("redness", input?.redness), "swelling": field("swelling", input?.swelling), "pain": field("pain", input?.pain),
            "signs": WarningSign.allCases.map { ["value": $0.rawValue, "label": $0.label, "id": "sign-\($0.rawValue)", "checked": signs.contains($0.rawValue)] },
            "unexpected": ["choices": choices(TriStateAnswer.allCases, name: "unexpected", chosen: input?.unexpected) { $0.label },
                           "error": e["unexpected"] ?? "", "hasError": e["unexpected"] != nil] as [String: Any],
            "note": input?.note ?? "", "noteError": e["note"] ?? "", "hasNoteError": e["note"] != nil,
            "photoError": errors.first { $0.field.hasPrefix("photos") }?.message ?? "", "hasPhotoError": errors.contains { $0.field.hasPrefix("photos") },
            "hasErrors": !errors.isEmpty,
            "hasQuestions": care.questionsFor != nil && !care.answered,
        ]
    }

    static func report(input: ProblemReport.Input?, errors: [FieldError], sent: Bool) -> [String: Any] {
        let e = errorMap(errors)
        let signs = Set(input?.signs ?? [])
        return ["sent": sent, "description": input?.description ?? "", "descriptionError": e["description"] ?? "", "hasDescriptionError": e["description"] != nil,
                "signs": WarningSign.allCases.map { ["value": $0.rawValue, "label": $0.label, "id": "sign-\($0.rawValue)", "checked": signs.contains($0.rawValue)] },
                "photoError": errors.first { $0.field.hasPrefix("photos") }?.message ?? "", "hasPhotoError": errors.contains { $0.field.hasPrefix("photos") },
                "maxPhotos": ProblemReport.maxPhotos, "hasErrors": !errors.isEmpty]
    }

    static func questions(_ appointment: Appointment?, answers: [String: String], errors: [FieldError], result: PreSessionQuestionnaire.Result?,
                          zone: TimeZone) -> [String: Any] {
        let e = errorMap(errors)
        var data: [String: Any] = ["open": appointment != nil && result == nil, "windowHours": PreSessionQuestionnaire.windowHours,
                                   "hasErrors": !errors.isEmpty, "answered": result != nil]
        if let a = appointment {
            data["appointmentId"] = a.id.lower
            data["when"] = ViewDates.format(a.startsAt, zone, "EEEE d MMMM 'at' HH:mm")
        }
        data["questions"] = PreSessionQuestionnaire.questions.map { q in
            ["id": q.id, "text": q.text, "error": e["answers.\(q.id)"] ?? "", "hasError": e["answers.\(q.id)"] != nil,
             "choices": TriStateAnswer.allCases.map { ["name": "answers.\(q.id)", "value": $0.rawValue, "label": $0.label, "id": "\(q.id)-\($0.rawValue)",
                                                      "checked": answers[q.id] == $0.rawValue] }] as [String: Any]
        }
        if let result {
            data["allClear"] = result.outcome == .proceed
            data["flagged"] = result.flagged.map { ["label": $0.question.label, "answer": $0.answer.label.lowercased(), "meaning": $0.meaning, "source": $0.source] }
        }
        return data
    }
}
