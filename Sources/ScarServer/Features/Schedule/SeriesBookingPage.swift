import Foundation
import ScarCore
import ScarStore

/// The `schedule-book` page's view model: the order as typed (or as an approved plan fixes it),
/// the choices, the errors, and the proposed dates to confirm.
struct SeriesBookingPage {
    struct Choice {
        var id: String
        var name: String
        var selected: Bool
    }

    typealias ModalityChoice = SelectOption

    struct Hidden {
        var name: String
        var value: String
    }

    /// Booking an approved plan: what the plan fixes, shown and sent back as hidden fields.
    struct Plan {
        var planURL: String
        var planVersionNumber: Int
        var planSessions: Int
        var planInterval: Int
        var planMinimum: Int
        var planModality: String
        var planDuration: Int
        var planTemplate: String
        var planApprovedBy: String
        var planHidden: [Hidden]
    }

    /// The proposed dates, each sent back as a hidden `item`, with the order's fields.
    struct Proposed {
        struct Appointment {
            var label: String
            var date: String
            var time: String
            var endTime: String
            var target: String
            var shifted: Bool
            var shift: String
            var item: String
            var isSession: Bool
            var day: String
        }

        var placed: Bool
        var unplacedReason: String
        var proposal: [Appointment]
        var hidden: [Hidden]
    }

    var patientName: String
    var patientURL: String
    var previewURL: String
    var bookURL: String
    var errors: [FieldError]
    var banner: String?
    var plan: Plan?
    var proposed: Proposed?

    var modalities: [ModalityChoice]
    var count: String
    var intervalDays: String
    var minimumIntervalDays: String
    var windowDays: String
    var date: String
    var time: String
    var followUpMonths: String
    var practitioners: [Choice]
    var rooms: [Choice]
    var devices: [Choice]
    var intervalSource: String
    var followUpSource: String
    var durationSource: String
}
