import Foundation

/// Reads the `stats paired` input: CSV with the header `subject,a,b`, one row per subject.
/// A row with an empty value (or NA/NaN) is dropped and counted; anything else that is not
/// a number is an error naming its line.
public enum PairedCSV {
    public struct Parsed: Sendable, Equatable {
        public var subjects: [String]
        public var a: [Double]
        public var b: [Double]
        public var dropped: Int
    }

    public struct LineError: Error, Sendable, Equatable {
        public var line: Int
        public var message: String
    }

    static let missing: Set<String> = ["", "na", "nan", "null"]

    public static func parse(_ text: String) throws(LineError) -> Parsed {
        // `isNewline` also matches "\r\n", which Swift treats as one character.
        var lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map(String.init)
        if lines.last == "" { lines.removeLast() }
        guard let header = lines.first else { throw LineError(line: 1, message: "empty input: expected the header subject,a,b") }
        let columns = header.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
        guard columns == ["subject", "a", "b"] else {
            throw LineError(line: 1, message: "the header must be exactly subject,a,b")
        }
        var parsed = Parsed(subjects: [], a: [], b: [], dropped: 0)
        var seen = Set<String>()
        for (index, line) in lines.enumerated().dropFirst() {
            let number = index + 1
            if line.trimmingCharacters(in: .whitespaces).isEmpty { continue }
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map { $0.trimmingCharacters(in: .whitespaces) }
            guard fields.count == 3 else { throw LineError(line: number, message: "expected 3 fields (subject,a,b), found \(fields.count)") }
            guard !fields[0].isEmpty else { throw LineError(line: number, message: "the subject is empty") }
            guard seen.insert(fields[0]).inserted else { throw LineError(line: number, message: "subject \(fields[0]) appears twice") }
            func value(_ s: String, _ name: String) throws(LineError) -> Double? {
                if missing.contains(s.lowercased()) { return nil }
                guard let v = Double(s), v.isFinite else { throw LineError(line: number, message: "\(name) is not a number: \(s)") }
                return v
            }
            let a = try value(fields[1], "a")
            let b = try value(fields[2], "b")
            if let a, let b {
                parsed.subjects.append(fields[0])
                parsed.a.append(a)
                parsed.b.append(b)
            } else {
                parsed.dropped += 1
            }
        }
        return parsed
    }
}

/// `scartrack stats paired`: CSV in, one JSON object out (see `PairedAnalysis`).
public enum StatsCommand {
    public static func paired(input: Data) -> CommandOutput {
        guard let text = String(data: input, encoding: .utf8) else {
            return CommandOutput(stderr: "error: line 1: the input is not UTF-8 text\n", exitCode: CommandOutput.invalidInputExitCode)
        }
        let parsed: PairedCSV.Parsed
        do {
            parsed = try PairedCSV.parse(text)
        } catch {
            return CommandOutput(stderr: "error: line \(error.line): \(error.message)\n", exitCode: CommandOutput.invalidInputExitCode)
        }
        let r = PairedAnalysis.analyze(a: parsed.a, b: parsed.b, dropped: parsed.dropped)
        func number(_ v: Double?) -> JSONValue { v.map { $0.isFinite ? .double($0) : .null } ?? .null }
        let json = JSONValue.object([
            .init("n", .int(r.n)),
            .init("dropped", .int(r.dropped)),
            .init("meanDifference", number(r.meanDifference)),
            .init("ci95", r.ci95.map { .array([number($0.lower), number($0.upper)]) } ?? .array([.null, .null])),
            .init("tTest", .object([.init("statistic", number(r.tStatistic)), .init("p", number(r.tP)),
                                    .init("df", r.df.map { .int($0) } ?? .null)])),
            .init("wilcoxon", .object([.init("statistic", number(r.wilcoxonStatistic)), .init("p", number(r.wilcoxonP)),
                                       .init("method", r.wilcoxonMethod.map { .string($0.rawValue) } ?? .null)])),
        ])
        return .success(json)
    }
}
