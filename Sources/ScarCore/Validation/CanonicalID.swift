import Foundation

extension UUID {
    /// The one way ScarTrack writes an id: lower case, as PostgreSQL prints a `uuid`, so every
    /// id a client sees (JSON, pages, URLs, CSV) joins with every other by plain string
    /// comparison. `uuidString` is upper case and is never shown as is. Written straight from
    /// the sixteen bytes (the same text as `uuidString.lowercased()`, `CanonicalIDTests`): an
    /// export writes several for every resource, and the two strings in between cost more than
    /// the resource's other fields.
    public var lower: String {
        withUnsafeBytes(of: uuid) { raw in
            String(unsafeUninitializedCapacity: 36) { out in
                var i = 0
                for (n, byte) in raw.enumerated() {
                    if n == 4 || n == 6 || n == 8 || n == 10 {
                        out[i] = 0x2D
                        i += 1
                    }
                    out[i] = UUID.hexDigit(byte >> 4)
                    out[i + 1] = UUID.hexDigit(byte & 0x0F)
                    i += 2
                }
                return i
            }
        }
    }

    @inline(__always) private static func hexDigit(_ v: UInt8) -> UInt8 { v < 10 ? 0x30 + v : 0x57 + v }
}
