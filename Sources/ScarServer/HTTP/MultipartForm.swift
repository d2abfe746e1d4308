import Foundation
import Hummingbird
import NIOCore

/// A `multipart/form-data` body (RFC 7578), parsed from memory with bounded sizes: the
/// boundary comes from the Content-Type, each part names itself in Content-Disposition.
/// Any malformed input is a `MultipartError` (a 400), never a crash or a 500.
public struct MultipartForm: Sendable {
    public struct Part: Sendable {
        public var name: String
        /// As the client sent it; informational only and never used to build a path.
        public var filename: String?
        public var contentType: String?
        public var body: [UInt8]
    }

    public struct Limits: Sendable {
        public var maxParts = 32
        public var maxHeaderBytes = 8 * 1024
        /// Text (non-file) fields are small; files are bounded by the body limit.
        public var maxFieldBytes = 64 * 1024
        public init() {}
    }

    public private(set) var parts: [Part] = []

    /// The first file part with this name.
    public func file(_ name: String) -> Part? { parts.first { $0.name == name && $0.filename != nil } }

    /// The first text part with this name, as UTF-8 (nil when absent or not text).
    public subscript(_ name: String) -> String? {
        guard let part = parts.first(where: { $0.name == name && $0.filename == nil }) else { return nil }
        return String(validating: part.body, as: UTF8.self)
    }

    /// Parts that are neither a known file nor valid UTF-8 text, for naming in an error.
    public func undecodableTextFields() -> [String] {
        parts.filter { $0.filename == nil && String(validating: $0.body, as: UTF8.self) == nil }.map(\.name)
    }

    // MARK: Content-Type

    /// The boundary parameter of a `multipart/form-data` Content-Type.
    public static func boundary(contentType: String?) throws(MultipartError) -> String {
        guard let contentType else { throw .notMultipart }
        let pieces = splitParameters(contentType)
        guard let type = pieces.first?.trimmingCharacters(in: .whitespaces).lowercased(), type == "multipart/form-data" else {
            throw .notMultipart
        }
        for piece in pieces.dropFirst() {
            guard let (key, value) = parameter(piece), key == "boundary" else { continue }
            // RFC 2046: 1 to 70 characters from a restricted set, not ending in a space.
            let allowed = Set("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789'()+_,-./:=? ")
            guard (1...70).contains(value.count), value.allSatisfy(allowed.contains), value.last != " " else {
                throw .malformed("the boundary in Content-Type is not valid")
            }
            return value
        }
        throw .missingBoundary
    }

    /// Splits `a; b="c;d"; e` on semicolons outside quotes.
    static func splitParameters(_ text: String) -> [String] {
        var result: [String] = []
        var current = ""
        var quoted = false
        var escaped = false
        for ch in text {
            if escaped { current.append(ch); escaped = false; continue }
            if quoted, ch == "\\" { current.append(ch); escaped = true; continue }
            if ch == "\"" { quoted.toggle() }
            if ch == ";", !quoted { result.append(current); current = ""; continue }
            current.append(ch)
        }
        result.append(current)
        return result
    }

    /// `key=value` or `key="quoted \" value"`; the key lower-cased.
    static func parameter(_ piece: String) -> (String, String)? {
        guard let eq = piece.firstIndex(of: "=") else { return nil }
        let key = piece[..<eq].trimmingCharacters(in: .whitespaces).lowercased()
        var raw = piece[piece.index(after: eq)...].trimmingCharacters(in: .whitespaces)
        if raw.hasPrefix("\"") {
            guard raw.count >= 2, raw.hasSuffix("\"") else { return nil }
            raw = String(raw.dropFirst().dropLast())
            var value = ""
            var escaped = false
            for ch in raw {
                if escaped { value.append(ch); escaped = false } else if ch == "\\" { escaped = true } else { value.append(ch) }
            }
            return (key, value)
        }
        return (key, raw)
    }

    // MARK: Body

    public static func parse(_ body: [UInt8], boundary: String, limits: Limits = Limits()) throws(MultipartError) -> MultipartForm {
        let dash = Array("--\(boundary)".utf8)
        var form = MultipartForm()
        var position = try firstPart(body, dash: dash)
        let delimiter = [13, 10] + dash
        while true {
            // After a delimiter: "--" closes the body, otherwise optional whitespace and CRLF.
            if position + 2 <= body.count, body[position] == 45, body[position + 1] == 45 { break }
            while position < body.count, body[position] == 32 || body[position] == 9 { position += 1 }
            guard position + 2 <= body.count, body[position] == 13, body[position + 1] == 10 else {
                throw .malformed("a boundary line is not followed by a line break (truncated?)")
            }
            position += 2
            guard form.parts.count < limits.maxParts else { throw .malformed("there are more than \(limits.maxParts) parts") }
            let (part, end) = try readPart(body, from: position, delimiter: delimiter, limits: limits)
            form.parts.append(part)
            position = end + delimiter.count
        }
        return form
    }

    /// Where the first part starts: the first delimiter begins the body or follows a preamble line.
    static func firstPart(_ body: [UInt8], dash: [UInt8]) throws(MultipartError) -> Int {
        if body.starts(with: dash) { return dash.count }
        if let found = find([13, 10] + dash, in: body, from: 0) { return found + 2 + dash.count }
        throw .malformed("the body does not contain the boundary")
    }

    /// One part from its headers to the next delimiter; returns the part and where its content ends.
    static func readPart(_ body: [UInt8], from position: Int, delimiter: [UInt8], limits: Limits) throws(MultipartError) -> (Part, Int) {
        let (headerText, contentStart) = try headerBlock(body, from: position, limits: limits)
        var part = try parseHeaders(headerText)
        guard let contentEnd = find(delimiter, in: body, from: contentStart) else {
            throw .malformed("the body ends without its closing boundary (truncated?)")
        }
        if part.filename == nil, contentEnd - contentStart > limits.maxFieldBytes {
            throw .fieldTooLarge(part.name)
        }
        part.body = Array(body[contentStart..<contentEnd])
        return (part, contentEnd)
    }

    /// A part's headers end at the first empty line, within the header limit; returns them and
    /// where the content starts.
    static func headerBlock(_ body: [UInt8], from position: Int, limits: Limits) throws(MultipartError) -> (String, Int) {
        let crlf: [UInt8] = [13, 10]
        let searchEnd = min(body.count, position + limits.maxHeaderBytes + 4)
        guard !body[position...].starts(with: crlf) else { throw .malformed("a part has no headers") }
        guard let headerEnd = find([13, 10, 13, 10], in: body, from: position, to: searchEnd) else {
            if searchEnd - position > limits.maxHeaderBytes { throw .malformed("a part's headers are longer than \(limits.maxHeaderBytes) bytes") }
            throw .malformed("a part's headers do not end (truncated?)")
        }
        guard let headerText = String(validating: Array(body[position..<headerEnd]), as: UTF8.self) else {
            throw .malformed("a part's headers are not valid UTF-8")
        }
        return (headerText, headerEnd + 4)
    }

    static func parseHeaders(_ text: String) throws(MultipartError) -> Part {
        var part = Part(name: "", filename: nil, contentType: nil, body: [])
        var named = false
        for line in text.components(separatedBy: "\r\n") where !line.isEmpty {
            guard let colon = line.firstIndex(of: ":") else { throw .malformed("a part header has no colon") }
            let name = line[..<colon].trimmingCharacters(in: .whitespaces).lowercased()
            let value = String(line[line.index(after: colon)...]).trimmingCharacters(in: .whitespaces)
            switch name {
            case "content-disposition":
                let pieces = splitParameters(value)
                guard pieces.first?.trimmingCharacters(in: .whitespaces).lowercased() == "form-data" else {
                    throw .malformed("a part is not form-data")
                }
                for piece in pieces.dropFirst() {
                    guard let (key, v) = parameter(piece) else { throw .malformed("a Content-Disposition parameter is not valid") }
                    if key == "name" { part.name = v; named = true }
                    if key == "filename" { part.filename = v }
                }
            case "content-type":
                part.contentType = value
            default:
                continue
            }
        }
        guard named, !part.name.isEmpty else { throw .malformed("a part has no name in Content-Disposition") }
        return part
    }

    /// First index of `needle` in `haystack[from..<to]`.
    static func find(_ needle: [UInt8], in haystack: [UInt8], from: Int, to: Int? = nil) -> Int? {
        let end = min(to ?? haystack.count, haystack.count)
        guard !needle.isEmpty, end - from >= needle.count, from >= 0 else { return nil }
        let first = needle[0]
        return haystack.withUnsafeBufferPointer { h -> Int? in
            needle.withUnsafeBufferPointer { n -> Int? in
                var i = from
                let last = end - n.count
                while i <= last {
                    if h[i] == first {
                        var j = 1
                        while j < n.count, h[i + j] == n[j] { j += 1 }
                        if j == n.count { return i }
                    }
                    i += 1
                }
                return nil
            }
        }
    }

    /// Reads and parses the request body; `limit` bounds the whole body (413 beyond it).
    static func read(_ request: Request, limit: Int, limits: Limits = Limits()) async throws -> MultipartForm {
        let boundary: String
        do {
            boundary = try Self.boundary(contentType: request.headers[.contentType])
        } catch {
            throw error.appError
        }
        var request = request
        let buffer = try await request.collectBody(upTo: limit)
        let bytes = Array(buffer.readableBytesView)
        do {
            return try parse(bytes, boundary: boundary, limits: limits)
        } catch {
            throw error.appError
        }
    }
}

public enum MultipartError: Error, Sendable, Equatable {
    case notMultipart
    case missingBoundary
    case fieldTooLarge(String)
    case malformed(String)

    var appError: AppError {
        switch self {
        case .notMultipart:
            AppError(.unsupportedMediaType, "Unsupported form encoding", detail: "Send multipart/form-data.")
        case .missingBoundary:
            AppError.badRequest("The Content-Type has no multipart boundary.")
        case .fieldTooLarge(let name):
            AppError(.contentTooLarge, "Field too large", detail: "\(name) is longer than a form field may be.",
                     fields: [.init(name, "is too long")])
        case .malformed(let why):
            AppError.badRequest("The multipart body could not be read: \(why).")
        }
    }
}
