import Foundation
import ScarCore
import Testing

/// `UUID.lower` writes the id from its bytes; it must stay exactly `uuidString.lowercased()`.
@Suite("Canonical ids")
struct CanonicalIDTests {
    @Test func lowerIsTheLowerCasedUUIDString() {
        var ids = [UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)),
                   UUID(uuid: (255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255, 255)),
                   UUID(uuidString: "0123456789ABCDEF0123456789ABCDEF".enumerated().reduce(into: "") { s, c in
                       if [8, 12, 16, 20].contains(c.offset) { s += "-" }
                       s.append(c.element)
                   })!]
        for _ in 0..<1000 { ids.append(UUID()) }
        for id in ids { #expect(id.lower == id.uuidString.lowercased()) }
    }

    /// `UUID(text:)` reads what `UUID(uuidString:)` reads (either case) and refuses what it refuses (a text it
    /// refuses that Foundation would read still decodes: `SnapshotSQLiteRow` falls back to the driver).
    @Test func textIsReadAsUUIDStringReadsIt() {
        for _ in 0..<1000 {
            let id = UUID()
            #expect(UUID(text: id.uuidString) == id)
            #expect(UUID(text: id.lower) == id)
        }
        let odd = ["", "0", "00000000-0000-0000-0000-00000000000", "00000000-0000-0000-0000-0000000000000", "00000000x0000-0000-0000-000000000000",
                   "0000000g-0000-0000-0000-000000000000", "{00000000-0000-0000-0000-00000000000}",
                   "00000000-0000-0000-0000-00000000000\u{e9}", "00000000000000000000000000000000", "fFfFfFfF-AaAa-bBbB-CcCc-dDdDeEeEfFfF"]
        for text in odd { #expect(UUID(text: text) == UUID(uuidString: text), "\(text)") }
    }
}
