import Foundation
import ScarClinic
import ScarCore
import ScarStore

/// The `portal-follow-up` page's view model: the follow-up visits whose questions are open, and
/// the form for the first one not answered yet (one group of four labelled choices per item).
struct FollowUpPage {
    struct Visit {
        var id: String
        var label: String
        var when: String
        var answered: Bool
    }

    struct Choice {
        var id: String
        var name: String
        var value: String
        var label: String
        var checked: Bool
    }

    struct Item {
        var id: String
        var number: Int
        var text: String
        var choices: [Choice]
        var error: String
        var hasError: Bool
    }

    var visits: [Visit]
    var hasVisits: Bool
    var current: Visit?
    var items: [Item]
    var instrument = FollowUpQuestions.instrument
    var version: String
    var source = FollowUpQuestions.source
    var opensDaysBefore = FollowUpQuestions.opensDaysBefore
    var closesDaysAfter = FollowUpQuestions.closesDaysAfter
    var sent: Bool
    var hasErrors: Bool

    init(_ view: ReadFollowUpQuestions.View, answers: [String: String], errors: [FieldError], sent: Bool, zone: TimeZone) {
        visits = view.open.map {
            Visit(id: $0.appointment.id.lower, label: $0.appointment.kind.label($0.appointment.number),
                  when: ViewDates.format($0.appointment.startsAt, zone, "EEEE d MMMM yyyy"), answered: $0.answered)
        }
        hasVisits = !visits.isEmpty
        current = visits.first { !$0.answered }
        version = view.setup.version
        items = view.setup.items.enumerated().map { i, item in
            let name = "answers.\(item.id)"
            return Item(id: item.id, number: i + 1, text: item.text,
                        choices: FollowUpQuestions.options.enumerated().map { j, o in
                            Choice(id: "q\(i + 1)-\(j)", name: name, value: o.value, label: o.label, checked: answers[item.id] == o.value)
                        },
                        error: errors.first { $0.field == name }?.message ?? "", hasError: errors.contains { $0.field == name })
        }
        self.sent = sent
        hasErrors = !errors.isEmpty
    }
}

/// The `portal-photos` page's view model: each standard view's first and latest photo.
struct PortalPhotosPage {
    struct Figure {
        var url: String
        var date: String
        var alt: String
    }

    struct Pair {
        var view: String
        var baseline: Figure
        /// Empty while the view has only one photo.
        var latest: [Figure]
    }

    var shown: Bool
    var pairs: [Pair]
    var hasPairs: Bool

    init(_ pairs: [PhotoPairs.Pair]?) {
        shown = pairs != nil
        func figure(_ p: Photo, _ which: String, _ view: String) -> Figure {
            Figure(url: "/portal/photos/\(p.id.lower)/image", date: p.capturedOn.description, alt: "\(view) view, \(which), \(p.capturedOn.description)")
        }
        self.pairs = (pairs ?? []).map { p in
            Pair(view: p.view.label, baseline: figure(p.baseline, "first photo", p.view.label),
                 latest: p.latest.map { [figure($0, "latest photo", p.view.label)] } ?? [])
        }
        hasPairs = !self.pairs.isEmpty
    }
}

/// `GET /api/v1/portal/follow-up-questions`: the questionnaire and the visits it is open for.
struct FollowUpQuestionsJSON: Encodable {
    struct Item: Encodable { var id: String; var text: String }
    struct Visit: Encodable { var appointmentId: String; var label: String; var startsAt: Date; var answered: Bool }
    var instrument: String
    var instrumentVersion: String
    var options: [String]
    var items: [Item]
    var followUps: [Visit]

    init(_ view: ReadFollowUpQuestions.View) {
        instrument = FollowUpQuestions.instrument
        instrumentVersion = view.setup.version
        options = FollowUpQuestions.options.map(\.value)
        items = view.setup.items.map { Item(id: $0.id, text: $0.text) }
        followUps = view.open.map {
            Visit(appointmentId: $0.appointment.id.lower, label: $0.appointment.kind.label($0.appointment.number),
                  startsAt: $0.appointment.startsAt, answered: $0.answered)
        }
    }
}

/// The outcome the patient recorded, as the portal API answers it.
struct PortalOutcomeJSON: Encodable {
    var id: String
    var instrument: String
    var instrumentVersion: String
    var responses: [String: String]
    var recordedOn: String
    var appointmentId: String?
    var enteredVia: String

    init(_ r: OutcomeRepository.Recorded) {
        id = r.id.lower
        instrument = r.outcome.instrument
        instrumentVersion = r.outcome.instrumentVersion
        responses = r.outcome.responses
        recordedOn = r.outcome.recordedOn.description
        appointmentId = r.appointmentId?.lower
        enteredVia = r.enteredVia
    }
}
