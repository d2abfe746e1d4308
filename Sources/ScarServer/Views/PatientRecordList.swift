import Foundation
import ScarClinic
import ScarStore

/// A page of one of a patient's lists — appointments, photos, scar assessments (issue 16: every
/// list is paged) — as the shared `patient-record-list` template shows it, a page at a time by the
/// opaque cursor of the API's `Link` header (`?cursor=`); the patient page's cards show the
/// newest few and link here (`MoreRecords`).
struct PatientRecordListPage {
    static let perPage = 25

    struct Row {
        var url: String
        var date: String
        var detail: String
        var imageURL: String?
    }

    var heading: String
    var order: String
    var listId: String
    var patientName: String
    var patientURL: String
    var rows: [Row]
    var hasRows: Bool
    var isLaterPage: Bool
    var firstURL: String
    var hasNext: Bool
    var nextURL: String

    /// The page for `path` (`/patients/{id}/appointments`, …) from one page of the list.
    init<Item>(heading: String, order: String, path: String, patientId: UUID, page: PatientListPage<Item>, isLaterPage: Bool,
               row: (Item) -> Row) {
        (self.heading, self.order, listId) = (heading, order, "all-" + (path.split(separator: "/").last.map(String.init) ?? "records"))
        (patientName, patientURL) = (page.patientName, PatientLinks.url(patientId))
        rows = page.items.map(row)
        hasRows = !rows.isEmpty
        self.isLaterPage = isLaterPage
        (firstURL, hasNext, nextURL) = (path, page.next != nil, page.next.map { path + "?cursor=" + $0.text } ?? "")
    }
}

/// "The newest 10 of 37 photos. All photos" under a patient-page card, when the card shows only some.
struct MoreRecords {
    /// How many rows a patient-page card lists at most; the rest are on the paged list.
    static let cardRows = ReadPatientPage.cardRows

    var shown: Int
    var total: Int
    var what: String
    var url: String

    /// nil when the card shows everything.
    static func of(shown: Int, total: Int, what: String, url: String) -> MoreRecords? {
        total > shown ? MoreRecords(shown: shown, total: total, what: what, url: url) : nil
    }
}
