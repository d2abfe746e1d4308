import Foundation
import HTTPTypes
import Hummingbird
import ScarCore

/// The one way an API reads a JSON body: straight into a `Decodable` input, strictly.
/// - not `application/json` (or a merge patch): 415, before anything is read;
/// - not a JSON object: 400;
/// - a value of the wrong type or a null where one is required: a field error named by its
///   path (`zones[0].depthMm`), never a 500;
/// - a key the input has no property for, at any depth: "is not a known field", so a typo is
///   refused instead of silently ignored.
/// Inputs declare optional properties for optional fields and check what is required
/// themselves, so a missing field is answered with its name like any other refusal.
enum JSONRequest {
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, limit: Int) async throws -> T {
        let (value, unknown) = try await read(type, from: request, limit: limit)
        if !unknown.isEmpty { throw AppError.validation(unknown) }
        return value
    }

    /// As `decode`, but the unknown keys are handed back so the caller can refuse them together
    /// with its own field errors, in one answer.
    static func read<T: Decodable>(_ type: T.Type, from request: Request, limit: Int) async throws -> (value: T, unknown: [FieldError]) {
        let data = try await JSONBody.data(request, limit: limit)
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw AppError.badRequest("The body must be a JSON object.")
        }
        let value: T
        do {
            value = try JSONDecoder().decode(T.self, from: data)
        } catch let DecodingError.typeMismatch(_, context) {
            throw AppError.validation([FieldError(path(context.codingPath), "has the wrong type")])
        } catch let DecodingError.valueNotFound(_, context) {
            throw AppError.validation([FieldError(path(context.codingPath), "must not be null")])
        } catch let DecodingError.dataCorrupted(context) {
            throw AppError.validation([FieldError(path(context.codingPath), "is not valid")])
        } catch {
            throw AppError.badRequest("The body could not be read.")
        }
        var unknown: [FieldError] = []
        unknownKeys(json: object, value: value, path: "", into: &unknown)
        return (value, unknown)
    }

    /// Keys the decoded value has no property for, at any depth. The known keys are the value's
    /// stored properties, so inputs use the synthesized coding keys.
    static func unknownKeys(json: Any, value: Any, path: String, into errors: inout [FieldError]) {
        var mirror = Mirror(reflecting: value)
        while mirror.displayStyle == .optional {
            guard let wrapped = mirror.children.first?.value else { return }
            mirror = Mirror(reflecting: wrapped)
        }
        switch mirror.displayStyle {
        case .struct, .class:
            guard let object = json as? [String: Any] else { return }
            var known: [String: Any] = [:]
            for child in mirror.children { if let label = child.label { known[label] = child.value } }
            for key in object.keys.sorted() {
                let keyPath = path.isEmpty ? key : "\(path).\(key)"
                if let child = known[key] {
                    unknownKeys(json: object[key]!, value: child, path: keyPath, into: &errors)
                } else {
                    errors.append(FieldError(keyPath, "is not a known field"))
                }
            }
        case .collection:
            guard let array = json as? [Any] else { return }
            for (i, (element, child)) in zip(array, mirror.children.map(\.value)).enumerated() {
                unknownKeys(json: element, value: child, path: "\(path)[\(i)]", into: &errors)
            }
        default:
            return
        }
    }

    static func path(_ keys: [any CodingKey]) -> String {
        var out = ""
        for key in keys {
            if let i = key.intValue { out += "[\(i)]" } else { out += out.isEmpty ? key.stringValue : ".\(key.stringValue)" }
        }
        return out.isEmpty ? "body" : out
    }
}
