import Foundation

/// Where a form sends the browser after saving when a guided visit asked for it (`next`): only a
/// follow-up visit's own page, rebuilt from its id, never an address taken as given.
enum ReturnPath {
    static func followUp(_ raw: String?) -> String? {
        guard let raw, raw.hasPrefix("/appointments/"), raw.hasSuffix("/follow-up") else { return nil }
        let id = raw.dropFirst("/appointments/".count).dropLast("/follow-up".count)
        guard let uuid = UUID(uuidString: String(id)) else { return nil }
        return "/appointments/\(uuid.lower)/follow-up"
    }
}
