import Foundation

/// What a finished child process printed and how it exited.
public struct ProcessRun: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// The one way tests run a child process (the built `scartrack`): arguments, an environment
/// built from the test's own, optional stdin; both output streams read at once, so a chatty
/// stderr cannot fill its pipe and stall the child while stdout is being read.
public enum ProcessRunner {
    /// `scartrack`, built beside the test bundle.
    public static var scartrack: URL {
        var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        if dir.lastPathComponent.hasSuffix(".xctest") { dir.deleteLastPathComponent() }
        return dir.appendingPathComponent("scartrack")
    }

    /// Runs `executable` (`scartrack` unless named) to the end. `environment` is applied over the test process's own
    /// (nil removes a variable), so a caller names only what it sets or must not inherit.
    public static func run(_ arguments: [String], executable: URL = scartrack, environment: [String: String?] = [:],
                           stdin: String? = nil) throws -> ProcessRun {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        var env = ProcessInfo.processInfo.environment
        for (name, value) in environment { env[name] = value }
        process.environment = env
        let input = Pipe(), output = Pipe(), error = Pipe()
        process.standardInput = stdin == nil ? FileHandle.nullDevice : input
        process.standardOutput = output
        process.standardError = error
        try process.run()
        let errors = Collected()
        let reader = Thread { errors.data = error.fileHandleForReading.readDataToEndOfFile(); errors.done.signal() }
        reader.start()
        if let stdin {
            input.fileHandleForWriting.write(Data(stdin.utf8))
            try input.fileHandleForWriting.close()
        }
        let out = output.fileHandleForReading.readDataToEndOfFile()
        errors.done.wait()
        process.waitUntilExit()
        return ProcessRun(status: process.terminationStatus, stdout: String(decoding: out, as: UTF8.self),
                          stderr: String(decoding: errors.data, as: UTF8.self))
    }

    private final class Collected: @unchecked Sendable {
        var data = Data()
        let done = DispatchSemaphore(value: 0)
    }
}
