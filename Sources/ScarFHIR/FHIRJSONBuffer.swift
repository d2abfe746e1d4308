import Foundation

/// A FHIR value that writes its own JSON into a byte buffer: the bulk export's encoder. The
/// bytes are exactly what `FHIRJSON.encode` (JSONEncoder, sorted keys, `/` unescaped) gives for
/// the same value (`FHIRJSONWriterTests` encodes every resource type both ways), so each type's
/// `writeJSON` names its elements in that sorted order and leaves out nil ones.
public protocol FHIRJSONWritable {
    func writeJSON(to o: inout FHIRJSONBuffer)
}

/// JSON written straight into bytes, with no intermediate value tree, `Data` or `String`.
/// Objects and arrays are opened and closed around their members; commas are placed by the
/// writer (one flag: whether the next member needs a separator).
public struct FHIRJSONBuffer: Sendable {
    public var bytes: [UInt8]
    private var needsComma = false

    public init(capacity: Int = 0) {
        bytes = []
        bytes.reserveCapacity(capacity)
    }

    /// `value`'s JSON alone (what `FHIRJSON.encode` gives), e.g. for a test or one response.
    public static func encode(_ value: some FHIRJSONWritable) -> [UInt8] {
        var o = FHIRJSONBuffer(capacity: 1024)
        value.writeJSON(to: &o)
        return o.bytes
    }

    /// Starts the next line of an NDJSON file: the next value is not a member of the last one.
    public mutating func newLine() {
        bytes.append(0x0A)
        needsComma = false
    }

    public mutating func removeAll(keepingCapacity: Bool = true) {
        bytes.removeAll(keepingCapacity: keepingCapacity)
        needsComma = false
    }

    // MARK: Structure

    @inline(__always) private mutating func separate() {
        if needsComma { bytes.append(0x2C) }
    }

    public mutating func beginObject() {
        separate()
        bytes.append(0x7B)
        needsComma = false
    }

    public mutating func endObject() {
        bytes.append(0x7D)
        needsComma = true
    }

    mutating func beginArray() {
        separate()
        bytes.append(0x5B)
        needsComma = false
    }

    mutating func endArray() {
        bytes.append(0x5D)
        needsComma = true
    }

    /// `"key":` (keys are plain ASCII names, never escaped).
    mutating func key(_ key: StaticString) {
        separate()
        bytes.append(0x22)
        key.withUTF8Buffer { bytes.append(contentsOf: $0) }
        bytes.append(0x22)
        bytes.append(0x3A)
        needsComma = false
    }

    // MARK: Values

    /// A JSON string, escaped as JSONEncoder escapes: `"`, `\` and control characters (`\b`, `\t`,
    /// `\n`, `\f`, `\r`, else `\u00xx`); `/` and everything else as its UTF-8 bytes.
    mutating func string(_ value: String) {
        separate()
        bytes.append(0x22)
        var value = value
        value.withUTF8 { utf8 in
            var start = 0
            for i in 0..<utf8.count {
                let b = utf8[i]
                guard b < 0x20 || b == 0x22 || b == 0x5C else { continue }
                if start < i { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<i])) }
                escape(b)
                start = i + 1
            }
            if start < utf8.count { bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...])) }
        }
        bytes.append(0x22)
        needsComma = true
    }

    private mutating func escape(_ b: UInt8) {
        bytes.append(0x5C)
        switch b {
        case 0x22, 0x5C: bytes.append(b)
        case 0x08: bytes.append(0x62)
        case 0x09: bytes.append(0x74)
        case 0x0A: bytes.append(0x6E)
        case 0x0C: bytes.append(0x66)
        case 0x0D: bytes.append(0x72)
        default:
            let hex: [UInt8] = Array("0123456789abcdef".utf8)
            bytes.append(contentsOf: [0x75, 0x30, 0x30, hex[Int(b >> 4)], hex[Int(b & 0x0F)]])
        }
    }

    mutating func int(_ value: Int) {
        separate()
        if value >= 0 && value < 10 {
            bytes.append(0x30 + UInt8(value))
        } else {
            bytes.append(contentsOf: String(value).utf8)
        }
        needsComma = true
    }

    mutating func bool(_ value: Bool) {
        separate()
        bytes.append(contentsOf: value ? [0x74, 0x72, 0x75, 0x65] : [0x66, 0x61, 0x6C, 0x73, 0x65])
        needsComma = true
    }

    /// As JSONEncoder writes a Double: its shortest text, without a trailing `.0`.
    mutating func double(_ value: Double) {
        separate()
        let text = value.description
        bytes.append(contentsOf: (text.hasSuffix(".0") ? String(text.dropLast(2)) : text).utf8)
        needsComma = true
    }

    // MARK: Members (nil and absent arrays are left out, as JSONEncoder leaves out nil optionals)

    mutating func field(_ k: StaticString, _ v: String) { key(k); string(v) }
    mutating func field(_ k: StaticString, _ v: String?) { if let v { key(k); string(v) } }
    mutating func field(_ k: StaticString, _ v: Int) { key(k); int(v) }
    mutating func field(_ k: StaticString, _ v: Int?) { if let v { key(k); int(v) } }
    mutating func field(_ k: StaticString, _ v: Bool) { key(k); bool(v) }
    mutating func field(_ k: StaticString, _ v: Bool?) { if let v { key(k); bool(v) } }
    mutating func field(_ k: StaticString, _ v: Double?) { if let v { key(k); double(v) } }
    mutating func field(_ k: StaticString, _ v: some FHIRJSONWritable) { key(k); v.writeJSON(to: &self) }

    mutating func field<T: FHIRJSONWritable>(_ k: StaticString, _ v: T?) {
        if let v { key(k); v.writeJSON(to: &self) }
    }

    mutating func field<T: FHIRJSONWritable>(_ k: StaticString, _ v: [T]?) {
        guard let v else { return }
        key(k)
        beginArray()
        for element in v { element.writeJSON(to: &self) }
        endArray()
    }

    mutating func field(_ k: StaticString, _ v: [String]?) {
        guard let v else { return }
        key(k)
        beginArray()
        for element in v { string(element) }
        endArray()
    }
}
