import Foundation
import ScarTestSupport
import Testing

/// The `screen` and `score` command-line contracts, through the built executable: JSON on
/// stdin, one JSON object on stdout, exit 2 naming the field on invalid input.
@Suite("Command-line contracts")
struct CommandLineTests {
    /// `scartrack` is built beside the test bundle.
    static var executable: URL { ProcessRunner.scartrack }

    static func run(_ arguments: [String], stdin: String) throws -> ProcessRun {
        try ProcessRunner.run(arguments, stdin: stdin)
    }

    @Test func screenPrintsOneJSONResult() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.executable.path), "build scartrack first")
        let r = try Self.run(["screen"], stdin: #"{"asOf":"2026-11-21","modality":"rf-microneedling","pacemakerOrImplantedDevice":true}"#)
        #expect(r.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        #expect(json["outcome"] as? String == "contraindicated")
        #expect(Set(json.keys) == ["modality", "outcome", "deferUntil", "ruleSetVersion", "findings"])
    }

    @Test func screenRefusesABadFieldWithExit2NamingIt() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.executable.path), "build scartrack first")
        let r = try Self.run(["screen"], stdin: #"{"asOf":"2026-02-30","modality":"microneedling"}"#)
        #expect(r.status == 2)
        #expect(r.stderr.contains("asOf"))
    }

    @Test func scoreComputesAScaleAndRefusesNegativeCounts() throws {
        try #require(FileManager.default.isExecutableFile(atPath: Self.executable.path), "build scartrack first")
        let ok = try Self.run(["score", "gb-quantitative"], stdin: #"{"A1":21,"D2AreaCm2":20.5}"#)
        #expect(ok.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(ok.stdout.utf8)) as? [String: Any])
        #expect(json["scale"] as? String == "gb-quantitative")
        #expect(json["total"] as? Int == 3 + 18)
        let bad = try Self.run(["score", "ecca"], stdin: #"{"uShaped2to4mm":-1}"#)
        #expect(bad.status == 2)
        #expect(bad.stderr.contains("uShaped2to4mm"))
    }
}
