import Foundation

/// One problem with one input field, named the way the API and the form name it.
public struct FieldError: Error, Sendable, Equatable, Codable {
    public var field: String
    public var message: String

    public init(_ field: String, _ message: String) {
        self.field = field
        self.message = message
    }
}

/// A list of field errors thrown together, so a form can show all of them at once.
public struct ValidationFailure: Error, Sendable, Equatable {
    public var errors: [FieldError]
    public init(_ errors: [FieldError]) { self.errors = errors }
}
