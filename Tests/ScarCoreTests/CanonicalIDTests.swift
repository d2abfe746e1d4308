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
}
