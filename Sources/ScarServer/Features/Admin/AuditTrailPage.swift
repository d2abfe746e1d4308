import Foundation
import ScarCore
import ScarStore

/// The `audit` page's view model: the filter form and one page of entries, times in the
/// clinic's zone and staff by display name (the entry keeps the sign-in e-mail it was made with).
struct AuditTrailPage {
    struct Option {
        var value: String
        var label: String
        var selected: Bool
    }

    struct Entry {
        var seq: Int
        var at: String
        var actor: String
        var action: String
        var details: String?
        var record: String
        var patientId: String?
        var address: String

        init(_ e: AuditEntry, names: [UUID: String], zone: TimeZone) {
            seq = e.seq
            at = ViewDates.format(e.at, zone, "yyyy-MM-dd HH:mm:ss")
            actor = Self.actor(e, names: names)
            action = AuditPageController.label(e.action)
            details = e.details == "{}" ? nil : e.details
            record = [e.recordType, e.recordId].compactMap { $0 }.joined(separator: " ")
            patientId = e.patientId?.lower
            address = e.clientAddress
        }

        /// Who, in words: a member of staff by name (a former one by the e-mail recorded), the
        /// patient in the portal, the command line or the system.
        static func actor(_ e: AuditEntry, names: [UUID: String]) -> String {
            if let id = e.actorId, let name = names[id] { return name }
            switch e.actor {
            case "patient": return "The patient (portal)"
            case "cli": return "Command line"
            case "system": return "System"
            case "anonymous": return "Not signed in"
            default: return e.actor
            }
        }
    }

    var entries: [Entry]
    var total: Int
    var page: Int
    var pageCount: Int
    var previousURL: String?
    var nextURL: String?
    var userOptions: [Option]
    var actionOptions: [Option]
    var patient: String
    var from: String
    var to: String
    var errors: [FieldError]
    var zoneName: String
}
