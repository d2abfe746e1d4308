import Foundation
import ScarClinic
import ScarCore
import ScarStore

/// The portal's between-visits pages in plain words: the timeline with its sources cited as a
/// reader would, the check-in form (every question answered; nothing pre-ticked), the problem
/// report, and the questions before a session (yes / no / not sure). Typed view models.
enum PortalAftercareView {
    struct Choice { var id: String; var name: String; var value: String; var label: String; var checked: Bool }
    struct Field { var choices: [Choice]; var error: String; var hasError: Bool }
    struct Cited { var text: String; var source: String }
    struct Sign { var id: String; var value: String; var label: String; var checked: Bool }

    static func errorMap(_ errors: [FieldError]) -> [String: String] {
        Dictionary(errors.map { ($0.field, $0.message) }, uniquingKeysWith: { a, _ in a })
    }

    static func choices<T: RawRepresentable>(_ all: [T], name: String, chosen: String?, idPrefix: String? = nil, label: (T) -> String) -> [Choice]
        where T.RawValue == String {
        all.map { Choice(id: "\(idPrefix ?? name)-\($0.rawValue)", name: name, value: $0.rawValue, label: label($0), checked: $0.rawValue == chosen) }
    }

    static func signs(_ chosen: [String]?) -> [Sign] {
        let set = Set(chosen ?? [])
        return WarningSign.allCases.map { Sign(id: "sign-\($0.rawValue)", value: $0.rawValue, label: $0.label, checked: set.contains($0.rawValue)) }
    }

    static func photoError(_ errors: [FieldError]) -> String? { errors.first { $0.field.hasPrefix("photos") }?.message }

    /// `portal-aftercare`: the timeline and today's check-in.
    struct Page {
        struct Day { var day: Int; var title: String; var isToday: Bool; var isCheckInDay: Bool; var normal: [Cited]; var care: [Cited]; var hasCare: Bool }
        var hasSession: Bool
        var day: Int
        var sheetTitle: String
        var sheetVersion: String
        var timeline: [Day]
        var checkInDays: String
        var checkInOpen: Bool
        var checkInDue: Bool
        var checkedInToday: Bool
        var sentExpected: Bool
        var sentBeyond: Bool
        var redness: Field
        var swelling: Field
        var pain: Field
        var signs: [Sign]
        var unexpected: Field
        var note: String
        var noteError: String
        var hasNoteError: Bool
        var photoError: String
        var hasPhotoError: Bool
        var hasErrors: Bool
        var hasQuestions: Bool
    }

    static func page(_ care: ReadAftercare.Aftercare, sent: String?, input: CheckInAnswers.Input?, errors: [FieldError]) -> Page {
        let e = errorMap(errors)
        func field(_ name: String, _ chosen: String?) -> Field {
            Field(choices: choices(ReactionLevel.allCases, name: name, chosen: chosen) { $0.label }, error: e[name] ?? "", hasError: e[name] != nil)
        }
        return Page(
            hasSession: care.session != nil, day: care.day ?? 0,
            sheetTitle: care.sheet?.title ?? "", sheetVersion: care.sheet.map { "version \($0.version)" } ?? "",
            timeline: care.timeline.map { d in
                Page.Day(day: d.day, title: d.title, isToday: d.day == care.day, isCheckInDay: d.isCheckInDay,
                         normal: d.normal.map { Cited(text: $0.text, source: $0.source) }, care: d.care.map { Cited(text: $0.text, source: $0.source) },
                         hasCare: !d.care.isEmpty)
            },
            checkInDays: care.checkInDays.days.map(String.init).joined(separator: ", "),
            checkInOpen: care.checkInOpen, checkInDue: care.checkInDue,
            checkedInToday: care.day.map { care.checkedInDays.contains($0) } ?? false,
            sentExpected: sent == "expected", sentBeyond: sent == "beyond",
            redness: field("redness", input?.redness), swelling: field("swelling", input?.swelling), pain: field("pain", input?.pain),
            signs: signs(input?.signs),
            unexpected: Field(choices: choices(TriStateAnswer.allCases, name: "unexpected", chosen: input?.unexpected) { $0.label },
                              error: e["unexpected"] ?? "", hasError: e["unexpected"] != nil),
            note: input?.note ?? "", noteError: e["note"] ?? "", hasNoteError: e["note"] != nil,
            photoError: photoError(errors) ?? "", hasPhotoError: photoError(errors) != nil,
            hasErrors: !errors.isEmpty, hasQuestions: care.questionsFor != nil && !care.answered)
    }

    /// `portal-report`: report a problem.
    struct Report {
        var sent: Bool
        var description: String
        var descriptionError: String
        var hasDescriptionError: Bool
        var signs: [Sign]
        var photoError: String
        var hasPhotoError: Bool
        var maxPhotos = ProblemReport.maxPhotos
        var hasErrors: Bool
    }

    static func report(input: ProblemReport.Input?, errors: [FieldError], sent: Bool) -> Report {
        let e = errorMap(errors)
        return Report(sent: sent, description: input?.description ?? "", descriptionError: e["description"] ?? "",
                      hasDescriptionError: e["description"] != nil, signs: signs(input?.signs), photoError: photoError(errors) ?? "",
                      hasPhotoError: photoError(errors) != nil, hasErrors: !errors.isEmpty)
    }

    /// `portal-questions`: the questions before a session.
    struct Questions {
        struct Question { var id: String; var text: String; var error: String; var hasError: Bool; var choices: [Choice] }
        struct Flagged { var label: String; var answer: String; var meaning: String; var source: String }
        var open: Bool
        var windowHours = PreSessionQuestionnaire.windowHours
        var hasErrors: Bool
        var answered: Bool
        var appointmentId: String
        var when: String
        var questions: [Question]
        var allClear: Bool
        var flagged: [Flagged]
    }

    static func questions(_ appointment: Appointment?, answers: [String: String], errors: [FieldError], result: PreSessionQuestionnaire.Result?,
                          zone: TimeZone) -> Questions {
        let e = errorMap(errors)
        return Questions(
            open: appointment != nil && result == nil, hasErrors: !errors.isEmpty, answered: result != nil,
            appointmentId: appointment?.id.lower ?? "", when: appointment.map { ViewDates.format($0.startsAt, zone, "EEEE d MMMM 'at' HH:mm") } ?? "",
            questions: PreSessionQuestionnaire.questions.map { q in
                Questions.Question(id: q.id, text: q.text, error: e["answers.\(q.id)"] ?? "", hasError: e["answers.\(q.id)"] != nil,
                                   choices: choices(TriStateAnswer.allCases, name: "answers.\(q.id)", chosen: answers[q.id], idPrefix: q.id) { $0.label })
            },
            allClear: result?.outcome == .proceed,
            flagged: (result?.flagged ?? []).map { Questions.Flagged(label: $0.question.label, answer: $0.answer.label.lowercased(), meaning: $0.meaning,
                                                                      source: $0.source) })
    }
}
