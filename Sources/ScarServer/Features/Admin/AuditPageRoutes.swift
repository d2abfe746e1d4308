import Foundation
import HTTPTypes
import Hummingbird
import ScarCore
import ScarStore

/// `/audit`: administrators read their clinic's audit trail, filtered by member of staff,
/// patient, action and date range, newest first, 50 per page. Every filter is checked against
/// an allowlist (staff of the clinic, recorded actions) or parsed (UUID, date) and then bound
/// as a parameter; nothing from the query string reaches SQL text.
enum AuditPageRoutes {
    static let perPage = 50

    static func add(to routes: Routes, services: AppServices) {
        routes.page("/audit", .adminOnly, "Audit trail, filtered (administrators)") { request, context in
            let admin = context.user!
            let q = request.uri.queryParameters
            let users = try await services.staff.users(clinicId: admin.clinicId)
            let actions = try await services.audit.actions(clinicId: admin.clinicId)
            var errors: [String: String] = [:]
            var filter = AuditRepository.Filter()
            let entered = ["user", "patient", "action", "from", "to", "page"].reduce(into: [String: String]()) { out, key in
                out[key] = q.get(key).map { String($0.prefix(100)) }.flatMap { $0.isEmpty ? nil : $0 }
            }
            if let v = entered["user"] {
                if let id = UUID(uuidString: v), users.contains(where: { $0.id == id }) { filter.actorId = id } else { errors["user"] = "is not a member of this clinic's staff" }
            }
            if let v = entered["patient"] {
                if let id = UUID(uuidString: v) { filter.patientId = id } else { errors["patient"] = "must be a patient id (UUID)" }
            }
            if let v = entered["action"] {
                if actions.contains(v) { filter.action = v } else { errors["action"] = "is not a recorded action" }
            }
            for key in ["from", "to"] {
                guard let v = entered[key] else { continue }
                guard let day = ISODate(v), let start = startOfDay(day) else { errors[key] = "must be a date (YYYY-MM-DD)"; continue }
                if key == "from" { filter.from = start } else { filter.until = start.addingTimeInterval(86_400) }
            }
            var page = 1
            if let v = entered["page"] {
                if let p = Int(v), p >= 1, p <= 100_000 { page = p } else { errors["page"] = "must be a whole number from 1" }
            }
            let result = errors.isEmpty
                ? try await services.audit.search(clinicId: admin.clinicId, filter: filter, limit: perPage, offset: (page - 1) * perPage)
                : AuditRepository.Page(entries: [], total: 0)
            let pageCount = max(1, (result.total + perPage - 1) / perPage)
            let formatter = ISO8601DateFormatter()
            let rows: [[String: Any]] = result.entries.map { e in
                [
                    "seq": e.seq, "at": formatter.string(from: e.at), "actor": e.actor, "action": AuditPageRoutes.label(e.action),
                    "record": [e.recordType, e.recordId].compactMap { $0 }.joined(separator: " "),
                    "hasPatient": e.patientId != nil, "patientId": e.patientId?.lower ?? "",
                    "address": e.clientAddress, "details": e.details, "hasDetails": e.details != "{}",
                ]
            }
            func link(_ p: Int) -> String {
                var c = URLComponents()
                c.path = "/audit"
                c.queryItems = ["user", "patient", "action", "from", "to"].compactMap { k in entered[k].map { URLQueryItem(name: k, value: $0) } }
                    + [URLQueryItem(name: "page", value: String(p))]
                return c.string ?? "/audit"
            }
            let fieldErrors = errors.sorted { $0.key < $1.key }.map { ["field": $0.key, "message": $0.value] }
            return services.views.render("audit", title: "Audit trail", section: "audit", data: [
                "entries": rows, "hasEntries": !rows.isEmpty, "total": result.total, "page": page, "pageCount": pageCount,
                "hasPrevious": page > 1, "previousURL": link(page - 1), "hasNext": page < pageCount, "nextURL": link(page + 1),
                "userOptions": [["value": "", "label": "Anyone", "selected": filter.actorId == nil]]
                    + users.map { ["value": $0.id.lower, "label": "\($0.displayName) (\($0.email))", "selected": $0.id == filter.actorId] },
                "actionOptions": [["value": "", "label": "Any action", "selected": filter.action == nil]]
                    + actions.map { ["value": $0, "label": AuditPageRoutes.label($0), "selected": $0 == filter.action] },
                "patient": entered["patient"] ?? "", "from": entered["from"] ?? "", "to": entered["to"] ?? "",
                "hasErrors": !errors.isEmpty, "errors": fieldErrors,
            ], context: context, status: errors.isEmpty ? .ok : .unprocessableContent)
        }
    }

    /// Midnight UTC of a day (the audit trail stores UTC; the page says so).
    static func startOfDay(_ day: ISODate) -> Date? {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(from: DateComponents(year: day.year, month: day.month, day: day.day))
    }

    /// Plain words for sign-in and account actions, with the exact code beside them.
    static let accountActionLabels = [
        "auth.sign-in": "Signed in", "auth.sign-out": "Signed out", "auth.sign-in-failed": "Failed sign-in",
        "auth.2fa-enable": "Turned on two-factor sign-in", "auth.2fa-disable": "Turned off two-factor sign-in",
        "auth.2fa-failed": "Wrong two-factor code", "auth.2fa-recovery-code-used": "Used a two-factor recovery code",
    ]

    static func label(_ action: String) -> String {
        let friendly = accountActionLabels[action] ?? AuditActionLabels.all[action]
        return friendly.map { "\($0) (\(action))" } ?? action
    }
}
