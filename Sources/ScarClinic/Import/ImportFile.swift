import CSV
import Crypto
import Foundation
import ScarCore

/// A CSV file handed in for import, read the way other systems write them: UTF-8 with or without
/// a byte-order mark, or else Windows-1252 (a superset of Latin-1, what spreadsheets on Windows save
/// as "CSV"), which is decoded correctly and said so; `,`, `;` or tab between fields (detected from
/// the header row); quoted fields holding separators, quotes and line breaks (RFC 4180, parsed by
/// yaslab/CSV.swift from a stream, so a 100 MB file never sits in memory whole).
public struct ImportFile: Sendable {
    public enum Encoding: String, Sendable { case utf8 = "UTF-8", utf8WithBOM = "UTF-8 with a byte-order mark", windows1252 = "Windows-1252 (Latin-1)" }

    /// The file as given (for the report), its SHA-256 (names the file in the audit trail and the batch table).
    public let name: String
    public let sha256: String
    public let encoding: Encoding
    public let separator: Unicode.Scalar
    /// The UTF-8 text actually parsed: the file itself, or a decoded copy that `close()` removes.
    let parsed: URL
    let isCopy: Bool

    /// A sentence for people when the file was not plain UTF-8.
    public var notice: String? {
        encoding == .windows1252 ? "The file is not UTF-8; it was read as Windows-1252 (Latin-1), the encoding spreadsheets on Windows save in. "
            + "Check a few accented names in the report; to be certain, save the file as \"CSV UTF-8\"." : nil
    }

    /// Reads the file once (hash, encoding), decoding a copy when it is not UTF-8. Throws
    /// `ImportFileError` with a sentence for people for a file that cannot be read as text.
    public static func open(_ url: URL, name: String) throws -> ImportFile {
        guard let input = InputStream(url: url) else { throw ImportFileError("The file could not be opened.") }
        input.open()
        defer { input.close() }
        var hasher = SHA256()
        var checker = UTF8Check()
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        var first: [UInt8] = []
        var total = 0
        while true {
            let n = input.read(&buffer, maxLength: buffer.count)
            if n < 0 { throw ImportFileError("The file could not be read.") }
            if n == 0 { break }
            let chunk = buffer[0..<n]
            hasher.update(data: chunk)
            if first.count < 4 { first += chunk.prefix(4 - first.count) }
            checker.feed(chunk)
            total += n
        }
        checker.finish()
        if first.starts(with: [0xFF, 0xFE]) || first.starts(with: [0xFE, 0xFF]) {
            throw ImportFileError("The file is UTF-16 text. Save it as \"CSV UTF-8\" (or plain CSV) and upload it again.")
        }
        guard total > 0 else { throw ImportFileError("The file is empty.") }
        let sha = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        let bom = first.starts(with: [0xEF, 0xBB, 0xBF])
        var parsed = url
        var encoding: Encoding = bom ? .utf8WithBOM : .utf8
        if !checker.valid {
            parsed = try decodeWindows1252(url)
            encoding = .windows1252
        }
        let separator = try detectSeparator(parsed)
        return ImportFile(name: name, sha256: sha, encoding: encoding, separator: separator, parsed: parsed, isCopy: parsed != url)
    }

    /// Removes the decoded copy, if one was made.
    public func close() {
        if isCopy { try? FileManager.default.removeItem(at: parsed) }
    }

    /// A streaming reader over the data rows; `header` is the first row.
    func reader() throws -> CSVReader {
        guard let stream = InputStream(url: parsed) else { throw ImportFileError("The file could not be opened.") }
        do {
            return try CSVReader(stream: stream, hasHeaderRow: true, trimFields: false, delimiter: separator)
        } catch {
            throw ImportFileError("The file has no header row.")
        }
    }

    /// `,`, `;` or tab, whichever appears most often outside quotes in the header row.
    static func detectSeparator(_ url: URL) throws -> Unicode.Scalar {
        guard let input = InputStream(url: url) else { throw ImportFileError("The file could not be opened.") }
        input.open()
        defer { input.close() }
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        let n = max(0, input.read(&buffer, maxLength: buffer.count))
        var counts: [UInt8: Int] = [:]
        var quoted = false
        for byte in buffer[0..<n] {
            if byte == UInt8(ascii: "\"") { quoted.toggle() }
            if quoted { continue }
            if byte == UInt8(ascii: "\n") { break }
            if byte == UInt8(ascii: ",") || byte == UInt8(ascii: ";") || byte == UInt8(ascii: "\t") { counts[byte, default: 0] += 1 }
        }
        let best = counts.max { a, b in a.value < b.value || (a.value == b.value && a.key != UInt8(ascii: ",")) }?.key ?? UInt8(ascii: ",")
        return Unicode.Scalar(best)
    }

    /// A UTF-8 copy of a Windows-1252 file (one byte per character, so chunks decode on their own).
    static func decodeWindows1252(_ url: URL) throws -> URL {
        let copy = FileManager.default.temporaryDirectory.appendingPathComponent("scartrack-import-\(UUID().uuidString.lowercased()).csv")
        guard let input = InputStream(url: url), let output = OutputStream(url: copy, append: false) else {
            throw ImportFileError("The file could not be opened.")
        }
        input.open()
        output.open()
        defer { input.close(); output.close() }
        var buffer = [UInt8](repeating: 0, count: 1 << 20)
        while true {
            let n = input.read(&buffer, maxLength: buffer.count)
            if n <= 0 { break }
            guard let text = String(data: Data(buffer[0..<n]), encoding: .windowsCP1252) else {
                throw ImportFileError("The file is neither UTF-8 nor Windows-1252 text. Save it as \"CSV UTF-8\" and upload it again.")
            }
            let bytes = Array(text.utf8)
            if output.write(bytes, maxLength: bytes.count) != bytes.count { throw ImportFileError("The file could not be decoded (disk full?).") }
        }
        return copy
    }
}

/// Why a file cannot be imported at all, in words for people.
public struct ImportFileError: Error, Sendable, Equatable, CustomStringConvertible {
    public var description: String
    public init(_ description: String) { self.description = description }
}

/// UTF-8 validity over a stream of chunks: a sequence cut by a chunk boundary is carried over.
struct UTF8Check {
    private(set) var valid = true
    private var carry: [UInt8] = []

    mutating func feed(_ chunk: ArraySlice<UInt8>) {
        guard valid else { return }
        var bytes = carry + chunk
        var cut = bytes.count
        // Back off over an incomplete sequence at the end (at most 3 bytes).
        var back = 0
        while back < 3, cut - back - 1 >= 0, bytes[cut - back - 1] & 0xC0 == 0x80 { back += 1 }
        if cut - back - 1 >= 0, bytes[cut - back - 1] >= 0xC0 { cut = cut - back - 1 }
        carry = Array(bytes[cut...])
        bytes.removeLast(bytes.count - cut)
        if String(validating: bytes, as: UTF8.self) == nil { valid = false }
    }

    /// The end of the stream: what was carried must be whole.
    mutating func finish() {
        if valid, !carry.isEmpty, String(validating: carry, as: UTF8.self) == nil { valid = false }
        carry = []
    }
}
