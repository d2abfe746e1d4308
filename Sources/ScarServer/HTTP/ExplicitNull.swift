/// An optional API field written as `null` when it has no value instead of being left out, so
/// clients see every documented field. The one way to get explicit nulls: mark the property
/// `@ExplicitNull` and let Swift synthesize `encode(to:)` (no hand-written encoders).
@propertyWrapper
struct ExplicitNull<Value: Encodable>: Encodable {
    var wrappedValue: Value?

    init(wrappedValue: Value?) { self.wrappedValue = wrappedValue }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        if let wrappedValue { try c.encode(wrappedValue) } else { try c.encodeNil() }
    }
}

extension ExplicitNull: Sendable where Value: Sendable {}
extension ExplicitNull: Equatable where Value: Equatable {}
