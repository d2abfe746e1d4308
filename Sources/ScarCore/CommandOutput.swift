import Foundation

/// What a command-line command produces, as a value: the `scartrack` executable writes
/// `stdout` and `stderr` verbatim (each already ends with a newline when not empty) and exits
/// with `exitCode`. Keeping the contract a pure function lets tests check it without a process.
public struct CommandOutput: Sendable, Equatable {
    public var stdout: String
    public var stderr: String
    public var exitCode: Int32

    public init(stdout: String = "", stderr: String = "", exitCode: Int32) {
        self.stdout = stdout
        self.stderr = stderr
        self.exitCode = exitCode
    }

    /// Exit status for input the contract refuses.
    public static let invalidInputExitCode: Int32 = 2

    static func success(_ json: JSONValue) -> CommandOutput {
        CommandOutput(stdout: json.rendered + "\n", exitCode: 0)
    }

    /// One line per problem, each naming its field, so a script or a person can fix the input.
    static func invalidInput(_ errors: [FieldError]) -> CommandOutput {
        let lines = errors.map { "error: field '\($0.field)' \($0.message)\n" }
        return CommandOutput(stderr: lines.joined(), exitCode: invalidInputExitCode)
    }
}
