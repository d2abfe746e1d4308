import Foundation

/// Where a form sends the browser after saving when a guided visit asked for it (`next`): only a
/// follow-up visit's own page or a session chart (new or draft), rebuilt from ids, never an address taken as given.
enum ReturnPath {
    /// A follow-up visit or a session chart; `fragment` is where the page continues after the photos.
    static func guided(_ raw: String?) -> (path: String, fragment: String)? {
        if let visit = followUp(raw) { return (visit, "#assessment") }
        if let chart = chart(raw) { return (chart, "#day-questions") }
        return nil
    }

    /// `/sessions/{id}` or `/patients/{id}/sessions/new` (with `?appointment={id}`).
    static func chart(_ raw: String?) -> String? {
        guard let raw else { return nil }
        if raw.hasPrefix("/sessions/"), let id = UUID(uuidString: String(raw.dropFirst("/sessions/".count))) { return "/sessions/\(id.lower)" }
        guard raw.hasPrefix("/patients/") else { return nil }
        let rest = raw.dropFirst("/patients/".count)
        guard let slash = rest.firstIndex(of: "/"), let patient = UUID(uuidString: String(rest[..<slash])) else { return nil }
        let tail = rest[slash...]
        if tail == "/sessions/new" { return "/patients/\(patient.lower)/sessions/new" }
        guard tail.hasPrefix("/sessions/new?appointment="),
              let appointment = UUID(uuidString: String(tail.dropFirst("/sessions/new?appointment=".count))) else { return nil }
        return "/patients/\(patient.lower)/sessions/new?appointment=\(appointment.lower)"
    }

    static func followUp(_ raw: String?) -> String? {
        guard let raw, raw.hasPrefix("/appointments/"), raw.hasSuffix("/follow-up") else { return nil }
        let id = raw.dropFirst("/appointments/".count).dropLast("/follow-up".count)
        guard let uuid = UUID(uuidString: String(id)) else { return nil }
        return "/appointments/\(uuid.lower)/follow-up"
    }
}
