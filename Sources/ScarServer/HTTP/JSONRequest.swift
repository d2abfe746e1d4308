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
/// Every such problem is named in one answer, together with what the input's own check finds
/// (`decode(_:from:limit:then:)`). Inputs declare optional properties for optional fields and
/// check what is required themselves, so a missing field is answered with its name like any
/// other refusal.
enum JSONRequest {
    static func decode<T: Decodable>(_ type: T.Type, from request: Request, limit: Int) async throws -> T {
        try await decode(type, from: request, limit: limit) { $0 }
    }

    /// Reads the body and runs the input's own check on it; the body's problems and the field
    /// errors the check throws (as `AppError.validation`) are refused together, the body's
    /// first where both name a field.
    static func decode<T: Decodable, R>(_ type: T.Type, from request: Request, limit: Int, then check: (T) throws -> R) async throws -> R {
        let (value, problems) = try await read(type, from: request, limit: limit)
        return try merging(problems) { try check(value) }
    }

    /// A JSON merge patch (RFC 7396) read strictly into an input whose properties are optional:
    /// the value and the top-level keys the body names, so that an absent key keeps the current
    /// value and a null clears it.
    static func mergePatch<T: Decodable>(_ type: T.Type, from request: Request, limit: Int) async throws -> (value: T, present: Set<String>) {
        let (value, problems, object) = try parse(type, data: try await JSONBody.data(request, limit: limit))
        if !problems.isEmpty { throw AppError.validation(problems) }
        return (value, Set(object.keys))
    }

    /// The value, and every field problem in the body (unknown keys, wrong types, nulls where a
    /// value is required), for callers that refuse them together with their own field errors.
    static func read<T: Decodable>(_ type: T.Type, from request: Request, limit: Int) async throws -> (value: T, problems: [FieldError]) {
        let (value, problems, _) = try parse(type, data: try await JSONBody.data(request, limit: limit))
        return (value, problems)
    }

    static func merging<R>(_ problems: [FieldError], _ check: () throws -> R) throws -> R {
        let result: R
        do {
            result = try check()
        } catch let error as AppError where !error.fields.isEmpty {
            throw AppError.validation(problems + error.fields.filter { e in !problems.contains { $0.field == e.field } })
        }
        if !problems.isEmpty { throw AppError.validation(problems) }
        return result
    }

    /// Decodes; a value the input cannot take is named, left out and the body decoded again, so
    /// one answer names every such field (a bounded number of passes: the body is size-limited).
    private static func parse<T: Decodable>(_ type: T.Type, data: Data) throws -> (value: T, problems: [FieldError], object: [String: Any]) {
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw AppError.badRequest("The body must be a JSON object.")
        }
        var problems: [FieldError] = []
        var current: Any = object
        var body = data  // re-serialized only after a bad member was left out
        for _ in 0..<64 {
            let codingPath: [any CodingKey], message: String
            do {
                let value = try JSONDecoder().decode(T.self, from: body)
                unknownKeys(json: object, value: value, path: "", into: &problems)
                return (value, problems, object)
            } catch let DecodingError.typeMismatch(_, context) {
                (codingPath, message) = (context.codingPath, "has the wrong type")
            } catch let DecodingError.valueNotFound(_, context) {
                (codingPath, message) = (context.codingPath, "must not be null")
            } catch let DecodingError.dataCorrupted(context) {
                (codingPath, message) = (context.codingPath, "is not valid")
            } catch {
                throw AppError.badRequest("The body could not be read.")
            }
            problems.append(FieldError(path(codingPath), message))
            // A bad array element takes its whole list out; anything else only its own member.
            var member = codingPath[...]
            while member.last?.intValue != nil { member = member.dropLast() }
            guard !member.isEmpty, let pruned = removing(member, from: current),
                  let next = try? JSONSerialization.data(withJSONObject: pruned) else { throw AppError.validation(problems) }
            (current, body) = (pruned, next)
        }
        throw AppError.validation(problems)
    }

    /// The JSON value without the object member at `path`; nil when the path does not lead to one.
    static func removing(_ path: ArraySlice<any CodingKey>, from json: Any) -> Any? {
        guard let key = path.first else { return nil }
        let rest = path.dropFirst()
        if var object = json as? [String: Any], let child = object[key.stringValue] {
            if rest.isEmpty { object[key.stringValue] = nil } else {
                guard let pruned = removing(rest, from: child) else { return nil }
                object[key.stringValue] = pruned
            }
            return object
        }
        if var array = json as? [Any], let i = key.intValue, array.indices.contains(i), !rest.isEmpty {
            guard let pruned = removing(rest, from: array[i]) else { return nil }
            array[i] = pruned
            return array
        }
        return nil
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
