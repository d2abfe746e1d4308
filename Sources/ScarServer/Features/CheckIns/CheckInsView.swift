import Foundation
import ScarClinic
import ScarCore
import ScarStore

/// The patient page's check-ins card: what the patient answered after each session, whether it
/// was as expected, and the photos they sent. Shown only when there are check-ins.
enum CheckInsView {
    static let patientPageCard = PatientPageCard(key: "checkIns", order: 35) { page, context in
        page.records.checkIns.isEmpty ? false : card(page.records.checkIns, zone: context.clinicZone) as Any
    }

    /// The card's typed view model (the patient page reads it by name under `checkIns`).
    struct Card { var items: [Row]; var count: Int }
    struct Row {
        struct Cited { var text: String; var source: String }
        struct Photo { var url: String }
        var id: String
        var day: Int
        var when: String
        var answers: String
        var note: String
        var hasNote: Bool
        var beyond: Bool
        var outcome: String
        var reasons: [Cited]
        var photos: [Photo]
        var hasPhotos: Bool
    }

    static func card(_ list: [CheckInRepository.CheckIn], zone: TimeZone) -> Card {
        Card(items: list.map { row($0, zone: zone) }, count: list.count)
    }

    static func row(_ c: CheckInRepository.CheckIn, zone: TimeZone) -> Row {
        let a = c.answers
        var answers = "Redness: \(a.redness.label.lowercased()) · swelling: \(a.swelling.label.lowercased()) · pain: \(a.pain.label.lowercased())"
        if !a.signs.isEmpty { answers += " · " + a.signs.map(\.label).joined(separator: ", ") }
        return Row(id: c.id.lower, day: c.day, when: ViewDates.format(c.checkedInAt, zone, "EEE d MMM HH:mm"), answers: answers,
                   note: a.note ?? "", hasNote: a.note != nil, beyond: c.beyondExpected,
                   outcome: c.beyondExpected ? "Beyond what is expected" : "As expected",
                   reasons: c.reasons.map { Row.Cited(text: $0.text, source: $0.source) },
                   photos: c.photoIds.map { Row.Photo(url: "/reported-photos/\($0.lower)/image") }, hasPhotos: !c.photoIds.isEmpty)
    }
}
