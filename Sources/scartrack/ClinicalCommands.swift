import ArgumentParser
import Foundation
import ScarCore

/// `scartrack screen` and `scartrack score`: stable JSON-in, JSON-out contracts for
/// researchers and integrators. The logic is ScarCore's; these only move bytes.
enum CommandIO {
    static func readStandardInput() -> Data {
        FileHandle.standardInput.readDataToEndOfFile()
    }

    static func emit(_ output: CommandOutput) throws {
        if !output.stdout.isEmpty { FileHandle.standardOutput.write(Data(output.stdout.utf8)) }
        if !output.stderr.isEmpty { FileHandle.standardError.write(Data(output.stderr.utf8)) }
        if output.exitCode != 0 { throw ExitCode(output.exitCode) }
    }
}

struct Screen: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Screen one intake (JSON on stdin) against the default contraindication rules; prints one JSON result.",
        discussion: "Exit 0 on success, 2 naming the offending field on invalid input. Supports clinical decisions; not medical advice.")

    func run() throws {
        try CommandIO.emit(ScreeningCommand.run(input: CommandIO.readStandardInput()))
    }
}

struct Score: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Score a validated acne-scar scale from JSON on stdin: gb-quantitative, gb-qualitative or ecca.",
        discussion: "Prints {\"scale\",\"version\",\"total\" (or \"grade\"),\"rows\"}; exit 2 naming the field on invalid input.")

    @Argument(help: "gb-quantitative, gb-qualitative or ecca") var scale: String

    func run() throws {
        try CommandIO.emit(ScaleCommand.run(scale: scale, input: CommandIO.readStandardInput()))
    }
}
