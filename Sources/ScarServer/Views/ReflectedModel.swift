import Foundation
import Mustache

/// A view model as a template reads it. Mustache finds a name by reflecting (`Mirror`) every
/// struct on its section stack, innermost first, for every name it renders: most of a page's
/// rendering time went there (issue 16). This box reflects its struct once, on the first name
/// asked of it, and keeps its properties (each nested struct or array boxed the same way) by name.
/// What a template sees is unchanged: a nil optional is absent (so the name is looked up in the
/// enclosing sections), a struct rendered as `{{name}}` prints as before, arrays stay sections.
final class ReflectedModel: MustacheParent, CustomStringConvertible {
    private let value: Any
    private var properties: [String: Any?]?

    private init(_ value: Any) {
        self.value = value
    }

    var description: String { String(describing: value) }

    func child(named name: String) -> Any? {
        reflected()[name] ?? nil
    }

    /// Whether the model has a property of that name, even an empty optional (the page's own
    /// names hide the layout's, as they did).
    func hasProperty(_ name: String) -> Bool {
        reflected()[name] != nil
    }

    private func reflected() -> [String: Any?] {
        if let properties { return properties }
        var found: [String: Any?] = [:]
        for child in Mirror(reflecting: value).children {
            guard let label = child.label, found[label] == nil else { continue }
            found[label] = .some(Self.box(child.value))
        }
        properties = found
        return found
    }

    /// `value` as the template should see it: structs and classes boxed, arrays of them turned into
    /// arrays of boxes, an optional unwrapped (nil when empty); anything else as it is.
    static func box(_ value: Any?) -> Any? {
        guard let value else { return nil }
        if let optional = value as? OptionalValue { return box(optional.wrapped) }
        switch value {
        case is String, is Bool, is Int, is Double, is MustacheParent, is MustacheLambda, is MustacheTemplate,
             is MustacheCustomRenderable, is MustacheCustomRepresentation, is ReflectedModel:
            return value
        default:
            break
        }
        let mirror = Mirror(reflecting: value)
        switch mirror.displayStyle {
        case .struct, .class:
            return ReflectedModel(value)
        case .collection:
            guard let array = value as? [Any] else { return value }
            let boxed = array.map { element in box(element) ?? element }
            return boxed.contains(where: { $0 is ReflectedModel }) ? boxed : value
        default:
            return value
        }
    }
}

/// Any optional, whatever it wraps, so `box` can unwrap it without reflecting it.
private protocol OptionalValue {
    var wrapped: Any? { get }
}

extension Optional: OptionalValue {
    var wrapped: Any? { map { $0 as Any } }
}
