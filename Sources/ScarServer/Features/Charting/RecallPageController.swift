import Foundation
import HTTPTypes
import Hummingbird
import ScarClinic
import ScarCore
import ScarStore

/// `/recall` and `/recall.csv`: patients treated with a lot or a device, as a page and a CSV.
struct RecallPageController {
    let sessions: SessionRepository
    let views: Views

    init(_ services: AppServices) {
        sessions = SessionRepository(services.database)
        views = services.views
    }

    static func add(to routes: Routes, services: AppServices) {
        let c = Self(services)
        routes.page("/recall", AccessPolicy.clinicians, "Recall: patients treated with a lot or a device", c.search)
        routes.page("/recall.csv", AccessPolicy.clinicians, "Recall as a CSV download", c.csv)
    }

    @Sendable func search(_ request: Request, _ context: AppContext) async throws -> Response {
        let q = request.uri.queryParameters
        let lot = q.get("lot") ?? "", serial = q.get("serial") ?? ""
        let searched = Text.trimmed(lot) != nil || Text.trimmed(serial) != nil
        let rows = searched ? try await InventoryAPIController.recall(request, context: context, sessions: sessions) : []
        var csv = URLComponents()
        csv.path = "/recall.csv"
        csv.queryItems = [URLQueryItem(name: "lot", value: lot), URLQueryItem(name: "serial", value: serial)]
        let page = RecallPage(
            lot: lot, serial: serial, searched: searched, csvURL: csv.string ?? "/recall.csv",
            rows: rows.map { r in
                .init(patientName: r.patientName, mrn: r.mrn, patientURL: PatientLinks.url(r.patientId), performedOn: r.performedOn,
                      sessionURL: "/sessions/\(r.sessionId.lower)", status: r.status, practitioner: r.practitioner,
                      device: "\(r.deviceModel) SN \(r.deviceSerial)",
                      lot: r.lotNumber.map { "\($0) (\(r.product ?? ""), \(r.role ?? ""))" } ?? "—")
            })
        return views.render(.recall, title: "Recall", section: "recall", page: page, context: context)
    }

    @Sendable func csv(_ request: Request, _ context: AppContext) async throws -> Response {
        let rows = try await InventoryAPIController.recall(request, context: context, sessions: sessions)
        var csv = CSV.row(["session_id", "patient_id", "patient_name", "mrn", "performed_on", "status", "practitioner", "device_model",
                           "device_serial", "lot_number", "product", "role"])
        for r in rows {
            csv += CSV.row([r.sessionId.lower, r.patientId.lower, r.patientName, r.mrn, r.performedOn, r.status, r.practitioner,
                            r.deviceModel, r.deviceSerial, r.lotNumber ?? "", r.product ?? "", r.role ?? ""])
        }
        return CSVResponse.download(csv, filename: "recall.csv")
    }
}

/// The `recall` page's view model: the search and the sessions that used the lot or device.
struct RecallPage {
    struct Row {
        var patientName: String
        var mrn: String
        var patientURL: String
        var performedOn: String
        var sessionURL: String
        var status: String
        var practitioner: String
        var device: String
        var lot: String
    }

    var lot: String
    var serial: String
    var searched: Bool
    var csvURL: String
    var rows: [Row]
}
