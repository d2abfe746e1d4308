import Foundation
import HTTPTypes
import Hummingbird
import ScarCore
import ScarStore

/// `/audit`: administrators read their clinic's audit trail, filtered by member of staff,
/// patient, action and date range, newest first, 50 per page. Every filter is checked against
/// an allowlist (staff of the clinic, recorded actions) or parsed (UUID, date) and then bound
/// as a parameter; nothing from the query string reaches SQL text.
struct AuditPageController {
    static let perPage = 50

    let views: Views
    let staff: StaffRepository
    let audit: AuditRepository

    init(_ services: AppServices) {
        (views, staff, audit) = (services.views, services.staff, services.audit)
    }

    static func add(to routes: Routes, services: AppServices) {
        routes.page("/audit", .adminOnly, "Audit trail, filtered (administrators)", Self(services).trail)
    }

    /// What the query string asked for, once checked.
    struct Query {
        var entered: [String: String]
        var filter = AuditRepository.Filter()
        var page = 1
        var errors: [String: String] = [:]
    }

    @Sendable func trail(_ request: Request, _ context: AppContext) async throws -> Response {
        let admin = context.signedInUser
        let users = try await staff.users(clinicId: admin.clinicId)
        let actions = try await audit.actions(clinicId: admin.clinicId)
        let parameters = request.uri.queryParameters
        let q = Self.query({ parameters.get($0) }, staff: Set(users.map(\.id)), actions: actions)
        let (filter, page) = (q.filter, q.page)
        let result = q.errors.isEmpty
            ? try await audit.search(clinicId: admin.clinicId, filter: filter, limit: Self.perPage, offset: (page - 1) * Self.perPage)
            : AuditRepository.Page(entries: [], total: 0)
        let pageCount = max(1, (result.total + Self.perPage - 1) / Self.perPage)
        let names = Dictionary(users.map { ($0.id, $0.displayName) }, uniquingKeysWith: { first, _ in first })
        let trail = AuditTrailPage(
            entries: result.entries.map { AuditTrailPage.Entry($0, names: names, zone: context.clinicZone) },
            total: result.total, page: page, pageCount: pageCount,
            previousURL: page > 1 ? Self.link(q.entered, page: page - 1) : nil,
            nextURL: page < pageCount ? Self.link(q.entered, page: page + 1) : nil,
            userOptions: [.init(value: "", label: "Anyone", selected: filter.actorId == nil)]
                + users.map { .init(value: $0.id.lower, label: $0.displayName, selected: $0.id == filter.actorId) },
            actionOptions: [.init(value: "", label: "Any action", selected: filter.action == nil)]
                + actions.map { .init(value: $0, label: Self.label($0), selected: $0 == filter.action) },
            patient: q.entered["patient"] ?? "", from: q.entered["from"] ?? "", to: q.entered["to"] ?? "",
            errors: q.errors.sorted { $0.key < $1.key }.map { FieldError($0.key, $0.value) },
            zoneName: context.clinicZone.identifier)
        return views.render(.audit, title: "Audit trail", section: "audit", page: trail, context: context,
                            status: q.errors.isEmpty ? .ok : .unprocessableContent)
    }

    static func query(_ get: (String) -> String?, staff: Set<UUID>, actions: [String]) -> Query {
        var out = Query(entered: ["user", "patient", "action", "from", "to", "page"].reduce(into: [String: String]()) { out, key in
            out[key] = get(key).map { String($0.prefix(100)) }.flatMap { $0.isEmpty ? nil : $0 }
        })
        if let v = out.entered["user"] {
            if let id = UUID(uuidString: v), staff.contains(id) { out.filter.actorId = id } else { out.errors["user"] = "is not a member of this clinic's staff" }
        }
        if let v = out.entered["patient"] {
            if let id = UUID(uuidString: v) { out.filter.patientId = id } else { out.errors["patient"] = "must be a patient id (UUID)" }
        }
        if let v = out.entered["action"] {
            if actions.contains(v) { out.filter.action = v } else { out.errors["action"] = "is not a recorded action" }
        }
        for key in ["from", "to"] {
            guard let v = out.entered[key] else { continue }
            guard let day = CalendarDate(v), let start = startOfDay(day) else { out.errors[key] = "must be a date (YYYY-MM-DD)"; continue }
            if key == "from" { out.filter.from = start } else { out.filter.until = start.addingTimeInterval(86_400) }
        }
        if let v = out.entered["page"] {
            if let p = Int(v), p >= 1, p <= 100_000 { out.page = p } else { out.errors["page"] = "must be a whole number from 1" }
        }
        return out
    }

    /// The same filter on another page.
    static func link(_ entered: [String: String], page: Int) -> String {
        var c = URLComponents()
        c.path = "/audit"
        c.queryItems = ["user", "patient", "action", "from", "to"].compactMap { k in entered[k].map { URLQueryItem(name: k, value: $0) } }
            + [URLQueryItem(name: "page", value: String(page))]
        return c.string ?? "/audit"
    }

    /// Midnight UTC of a day (the audit trail stores UTC; the page says so).
    static func startOfDay(_ day: CalendarDate) -> Date? {
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
