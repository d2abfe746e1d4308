import Foundation
import Hummingbird

/// The record ids in a route's path (`/patients/:id`), read one way for every feature: the API
/// answers 400 naming the parameter, a page 404 (a mistyped address is a page that is not there).
enum PathParameters {
    static func uuid(_ context: AppContext, _ name: String = "id") throws -> UUID {
        guard let raw = context.parameters.get(name), let id = UUID(uuidString: raw) else {
            throw AppError.badRequest("must be a UUID", field: name)
        }
        return id
    }

    static func pageUUID(_ context: AppContext, _ name: String = "id") throws -> UUID {
        guard let raw = context.parameters.get(name), let id = UUID(uuidString: raw) else { throw AppError.notFound }
        return id
    }
}
