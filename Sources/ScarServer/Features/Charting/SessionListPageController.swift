import Foundation
import Hummingbird
import ScarClinic
import ScarCore
import ScarStore

/// `/patients/:id/sessions`: every session of a patient, newest first, a page at a time (the
/// patient page lists only the newest; issue 16). `?cursor=` comes from the "Older sessions" link.
struct SessionListPageController {
    static let perPage = 25

    let database: ScarDatabase
    let views: Views

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(database: services.database, views: services.views)
        routes.page("/patients/:id/sessions", .clinicalStaff, "All of a patient's sessions, newest first, a page at a time", c.list)
    }

    struct Row {
        var url: String
        var date: String
        var modality: String
        var practitioner: String
        var status: String
        var amended: Bool
    }

    struct Page {
        var patientName: String
        var patientURL: String
        var sessions: [Row]
        var hasSessions: Bool
        var isLaterPage: Bool
        var firstURL: String
        var hasNext: Bool
        var nextURL: String
    }

    @Sendable func list(_ request: Request, _ context: AppContext) async throws -> Response {
        let patientId = try context.pageUUID()
        let cursor = try ListPaging.read(request).cursor.map(ChartingHTTP.sessionCursor)
        let read = try await ReadSessionList(database)(patientId: patientId, after: cursor, limit: Self.perPage, by: context.clinician,
                                                       actor: context.auditActor, now: context.now)
        let url = PatientLinks.url(patientId) + "/sessions"
        let rows = read.sessions.map { s in
            Row(url: SessionView.url(s.id), date: s.chart.performedOn.description, modality: s.chart.modality.rawValue,
                practitioner: s.practitionerName, status: s.status.rawValue, amended: !s.amendments.isEmpty)
        }
        let page = Page(patientName: read.patient.fullName, patientURL: PatientLinks.url(patientId), sessions: rows, hasSessions: !rows.isEmpty,
                        isLaterPage: cursor != nil, firstURL: url, hasNext: read.next != nil,
                        nextURL: read.next.map { url + "?cursor=" + $0.text } ?? "")
        return views.render(.sessionList, title: "Sessions of \(read.patient.fullName)", section: "patients", page: page, context: context)
    }
}
