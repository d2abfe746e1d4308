import Foundation
import Testing
import ScarCore

@Suite("scartrack score: command contract")
struct ScaleCommandTests {
    func run(_ scale: String, _ json: String) -> CommandOutput { ScaleCommand.run(scale: scale, input: Data(json.utf8)) }

    func object(_ output: CommandOutput) throws -> [String: Any] {
        try #require(try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any])
    }

    @Test func quantitativePrintsTotalAndElevenRows() throws {
        let output = run("gb-quantitative", #"{"A1":8,"B2":15,"C1":25,"D1":3,"D2AreaCm2":4.99}"#)
        #expect(output.exitCode == 0)
        #expect(output.stderr.isEmpty)
        #expect(output.stdout.hasPrefix(#"{"scale":"gb-quantitative","version":"1","total":22,"rows":[{"row":"A1","label":"#))
        #expect(output.stdout.hasSuffix(#"{"row":"D2","label":"Keloidal / hypertrophic scars (banded by area in cm²)","areaCm2":4.99,"points":6}]}"# + "\n"))
        let json = try object(output)
        #expect(Set(json.keys) == ["scale", "version", "total", "rows"])
        let rows = try #require(json["rows"] as? [[String: Any]])
        #expect(rows.count == 11)
        for row in rows.dropLast() { #expect(Set(row.keys) == ["row", "label", "count", "points"]) }
        #expect(Set(rows[10].keys) == ["row", "label", "areaCm2", "points"])
    }

    @Test func quantitativeMissingRowsAreZero() throws {
        let json = try object(run("gb-quantitative", "{}"))
        #expect(json["total"] as? Int == 0)
    }

    @Test func eccaPrintsTotalAndSixRows() throws {
        let output = run("ecca", #"{"vShapedUnder2mm":12,"uShaped2to4mm":3,"mShapedOver4mm":25}"#)
        #expect(output.exitCode == 0)
        #expect(output.stdout.hasPrefix(#"{"scale":"ecca","version":"1","total":125,"rows":[{"row":"vShapedUnder2mm","label":"Atrophic scars < 2 mm, V-shaped (ice pick)","count":12,"points":30}"#))
        let rows = try #require(try object(output)["rows"] as? [[String: Any]])
        #expect(rows.count == 6)
        for row in rows { #expect(Set(row.keys) == ["row", "label", "count", "points"]) }
    }

    @Test func eccaMaximumThroughTheCommand() throws {
        let json = try object(run("ecca", #"{"vShapedUnder2mm":21,"uShaped2to4mm":21,"mShapedOver4mm":21,"superficialElastolysis":21,"hypertrophicInflammatory":21,"keloidOrHypertrophicMature":21}"#))
        #expect(json["total"] as? Int == 540)
    }

    @Test func qualitativePrintsGradeAndAnswerRows() throws {
        let output = run("gb-qualitative", #"{"contourChange":true,"obviousAt50cm":true,"coveredByMakeup":false,"flattensOnStretch":false}"#)
        #expect(output.exitCode == 0)
        #expect(output.stdout.hasPrefix(#"{"scale":"gb-qualitative","version":"1","grade":4,"rows":[{"row":"contourChange","label":"#))
        let json = try object(output)
        #expect(Set(json.keys) == ["scale", "version", "grade", "rows"])
        let rows = try #require(json["rows"] as? [[String: Any]])
        #expect(rows.map { $0["row"] as? String } == ["contourChange", "obviousAt50cm", "coveredByMakeup", "flattensOnStretch"])
        for row in rows { #expect(Set(row.keys) == ["row", "label", "input"]) }
    }

    @Test func countWrittenAsAWholeDecimalIsAccepted() throws {
        #expect(try object(run("ecca", #"{"vShapedUnder2mm":5.0}"#))["total"] as? Int == 30)
    }

    struct Invalid: Sendable, CustomTestStringConvertible {
        var scale: String
        var json: String
        var field: String
        var testDescription: String { "\(scale): \(json)" }
    }

    static let invalidInputs: [Invalid] = [
        .init(scale: "gb-quantitative", json: #"{"A1":-1}"#, field: "A1"),
        .init(scale: "gb-quantitative", json: #"{"B2":1.5}"#, field: "B2"),
        .init(scale: "gb-quantitative", json: #"{"C3":"3"}"#, field: "C3"),
        .init(scale: "gb-quantitative", json: #"{"D1":true}"#, field: "D1"),
        .init(scale: "gb-quantitative", json: #"{"A1":1e400}"#, field: "input"),
        .init(scale: "gb-quantitative", json: #"{"A1":2,"E1":3}"#, field: "E1"),
        .init(scale: "gb-quantitative", json: #"{"D2":3}"#, field: "D2"),
        .init(scale: "gb-quantitative", json: #"{"D2AreaCm2":-0.1}"#, field: "D2AreaCm2"),
        .init(scale: "gb-quantitative", json: #"{"D2AreaCm2":"big"}"#, field: "D2AreaCm2"),
        .init(scale: "gb-quantitative", json: #"{"A1":1,"A1":2}"#, field: "A1"),
        .init(scale: "gb-quantitative", json: #"[1,2]"#, field: "input"),
        .init(scale: "gb-quantitative", json: #"{"A1":1"#, field: "input"),
        .init(scale: "ecca", json: #"{"vShapedUnder2mm":-3}"#, field: "vShapedUnder2mm"),
        .init(scale: "ecca", json: #"{"uShaped2to4mm":2.5}"#, field: "uShaped2to4mm"),
        .init(scale: "ecca", json: #"{"mShapedOver4mm":"7"}"#, field: "mShapedOver4mm"),
        .init(scale: "ecca", json: #"{"superficialElastolysis":false}"#, field: "superficialElastolysis"),
        .init(scale: "ecca", json: #"{"iceP1ck":4}"#, field: "iceP1ck"),
        .init(scale: "gb-qualitative", json: #"{"contourChange":true,"obviousAt50cm":true,"coveredByMakeup":false}"#, field: "flattensOnStretch"),
        .init(scale: "gb-qualitative", json: #"{"contourChange":"yes","obviousAt50cm":true,"coveredByMakeup":false,"flattensOnStretch":true}"#, field: "contourChange"),
        .init(scale: "gb-qualitative", json: #"{"contourChange":true,"obviousAt50cm":1,"coveredByMakeup":false,"flattensOnStretch":true}"#, field: "obviousAt50cm"),
        .init(scale: "gb-qualitative", json: #"{"contourChange":true,"obviousAt50cm":true,"coveredByMakeup":false,"flattensOnStretch":true,"grade":3}"#, field: "grade"),
        .init(scale: "sca-r-s", json: "{}", field: "scale"),
    ]

    @Test(arguments: invalidInputs)
    func invalidInputExitsTwoNamingTheField(_ invalid: Invalid) {
        let output = run(invalid.scale, invalid.json)
        #expect(output.exitCode == 2)
        #expect(output.stdout.isEmpty)
        #expect(output.stderr.contains("field '\(invalid.field)'"), "stderr was: \(output.stderr)")
    }
}
