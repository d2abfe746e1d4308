import Foundation
import Hummingbird

/// Record ids in paths, read one way: an API answers a malformed id with 400 naming the
/// parameter; a page answers 404, exactly as for a record that does not exist.
extension AppContext {
    func apiUUID(_ name: String = "id") throws -> UUID {
        guard let raw = parameters.get(name), let id = UUID(uuidString: raw) else { throw AppError.badRequest("must be a UUID", field: name) }
        return id
    }

    func pageUUID(_ name: String = "id") throws -> UUID {
        guard let raw = parameters.get(name), let id = UUID(uuidString: raw) else { throw AppError.notFound }
        return id
    }
}
