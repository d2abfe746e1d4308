import Foundation
import Hummingbird
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

    /// What every patient list page does: the cursor from the query (refused as the API refuses it),
    /// one page read and audited by `load`, shown with the shared template at `/patients/{id}/{segment}`.
    static func respond<Item>(_ request: Request, _ context: AppContext, views: Views, list: PatientListCursor.List, segment: String,
                              heading: String, order: String, load: (UUID, PatientListCursor?) async throws -> PatientListPage<Item>,
                              row: (Item) -> Row) async throws -> Response {
        let patientId = try context.pageUUID()
        let cursor = try ListPaging.read(request).cursor(of: list)
        let page = try await load(patientId, cursor)
        let path = PatientLinks.url(patientId) + "/" + segment
        let view = PatientRecordListPage(
            heading: heading, order: order, listId: "all-" + segment, patientName: page.patientName, patientURL: PatientLinks.url(patientId),
            rows: page.items.map(row), hasRows: !page.items.isEmpty, isLaterPage: cursor != nil, firstURL: path, hasNext: page.next != nil,
            nextURL: page.next.map { path + "?cursor=" + $0.text } ?? "")
        return views.render(.patientRecordList, title: "\(heading) of \(page.patientName)", section: "patients", page: view, context: context)
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
