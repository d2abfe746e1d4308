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

    /// An id read from its text (`8-4-4-4-12` hex digits, either case): the same UUID as
    /// `UUID(uuidString:)` gives; nil for any other text (callers that must accept whatever
    /// Foundation accepts fall back to it). Read straight from the UTF-8 bytes: an export reads
    /// several ids from every row, and Foundation's parser goes through `sscanf`.
    public init?(text: String) {
        var text = text
        var value: uuid_t = (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0)
        let parsed = text.withUTF8 { utf8 in withUnsafeMutableBytes(of: &value) { UUID.parse(utf8, into: $0) } }
        guard parsed else { return nil }
        self.init(uuid: value)
    }

    private static func parse(_ utf8: UnsafeBufferPointer<UInt8>, into out: UnsafeMutableRawBufferPointer) -> Bool {
        guard utf8.count == 36 else { return false }
        var i = 0
        for n in 0..<16 {
            if n == 4 || n == 6 || n == 8 || n == 10 {
                guard utf8[i] == 0x2D else { return false }
                i += 1
            }
            guard let high = hexValue(utf8[i]), let low = hexValue(utf8[i + 1]) else { return false }
            out[n] = high << 4 | low
            i += 2
        }
        return true
    }

    @inline(__always) private static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x41...0x46: c - 0x37
        case 0x61...0x66: c - 0x57
        default: nil
        }
    }
}
