/// Removes what cameras and photo apps write beside the picture — EXIF (names, capture times,
/// GPS), XMP, IPTC, comments, PNG text chunks, embedded thumbnails and trailing data — so that a
/// photo served to anyone, blinded raters included, carries the pixels and nothing else.
///
/// The picture stays upright: a non-default EXIF orientation is written back as a minimal EXIF
/// block holding only that tag. Colour information (ICC profile, Adobe colour transform, PNG
/// gamma/chromaticity/sRGB) is kept, since removing it would change how the face looks.
/// The bytes are walked structurally and never decoded, so the compressed image data is kept as is.
/// Stripping is idempotent: stripping a stripped image returns the same bytes.
public struct StrippedImage: Sendable, Equatable {
    public var bytes: [UInt8]
    /// The EXIF orientation kept in the stripped file (2–8); nil when the picture is upright as stored.
    public var orientation: Int?
    /// When the camera says the picture was taken ("YYYY-MM-DDTHH:MM:SS", the camera's local
    /// time, no zone), read before the metadata was removed.
    public var cameraCapturedAt: String?
    /// What was removed, in plain words and in file order, without repeats ("EXIF", "XMP", "comment", ...).
    /// Compare `bytes` with the input to know whether anything changed (segments may also be reordered).
    public var removed: [String]
}

public enum PhotoMetadata {
    /// The stripped image. Throws like `ImageSniffer.inspect` for bytes that are not a well-formed image.
    public static func strip(_ bytes: [UInt8]) throws(ImageSniffError) -> StrippedImage {
        switch try ImageSniffer.inspect(bytes).mediaType {
        case .jpeg: return try jpeg(bytes)
        case .png: return try png(bytes)
        }
    }

    // MARK: JPEG

    static func jpeg(_ b: [UInt8]) throws(ImageSniffError) -> StrippedImage {
        func bad(_ why: String) -> ImageSniffError { .malformed(.jpeg, why) }
        var jfif: [UInt8] = []
        var body: [UInt8] = []
        var removed = Removed()
        var exif = ExifFacts()
        var i = 2
        var ended = false
        while i < b.count {
            guard b[i] == 0xFF else { throw bad("a marker is missing where one was expected") }
            while i < b.count, b[i] == 0xFF { i += 1 }
            guard i < b.count else { throw bad("the file ends inside a marker (truncated)") }
            let marker = b[i]
            i += 1
            if marker == 0xD9 { ended = true; break }
            if marker == 0x01 || (0xD0...0xD7).contains(marker) { body += [0xFF, marker]; continue }
            guard marker != 0xD8, marker != 0x00 else { throw bad("an unexpected marker appears") }
            guard i + 2 <= b.count else { throw bad("the file ends inside a segment (truncated)") }
            let length = ImageSniffer.be16(b, i)
            guard length >= 2, i + length <= b.count else { throw bad("a segment runs past the end of the file (truncated)") }
            let data = b[(i + 2)..<(i + length)]
            let segment = [0xFF, marker] + b[i..<(i + length)]
            i += length
            switch marker {
            case 0xE0:
                // JFIF is kept without its thumbnail; JFXX (thumbnail extensions) and others go.
                if data.starts(with: Array("JFIF\0".utf8)), data.count >= 12, jfif.isEmpty {
                    let fields = Array(data.prefix(12))  // identifier, version, units, densities
                    jfif = [0xFF, 0xE0, 0x00, 0x10] + fields + [0x00, 0x00]
                    if data.dropFirst(12).contains(where: { $0 != 0 }) || data.count > 14 { removed.add("thumbnail") }
                } else {
                    removed.add("application data")
                }
            case 0xE1:
                if data.starts(with: Array("Exif\0\0".utf8)) {
                    exif.read(tiff: Array(data.dropFirst(6)))
                    // Our own orientation-only block is not reported as removed metadata.
                    if Array(segment) != orientationSegment(exif.orientation ?? 0) { removed.add("EXIF") }
                } else if data.starts(with: Array("http://ns.adobe.com/xap/1.0/".utf8)) || data.starts(with: Array("http://ns.adobe.com/xmp".utf8)) {
                    removed.add("XMP")
                } else {
                    removed.add("application data")
                }
            case 0xE2 where data.starts(with: Array("ICC_PROFILE\0".utf8)):
                body += segment
            case 0xEE where data.starts(with: Array("Adobe".utf8)):
                body += segment
            case 0xED:
                removed.add("IPTC")
            case 0xE2...0xEF:
                removed.add("application data")
            case 0xFE:
                removed.add("comment")
            case 0xF0...0xFD:
                removed.add("application data")
            case 0xDA:
                // Start of scan: copy the entropy-coded data up to the next real marker
                // (0xFF 0x00 is a stuffed byte, 0xFF 0xD0–D7 a restart marker).
                body += segment
                let start = i
                while i < b.count {
                    if b[i] == 0xFF, i + 1 < b.count {
                        let next = b[i + 1]
                        if next == 0x00 || (0xD0...0xD7).contains(next) { i += 2; continue }
                        break
                    }
                    i += 1
                }
                body += b[start..<i]
            default:
                body += segment
            }
        }
        guard ended else { throw bad("the file has no end-of-image marker (truncated)") }
        if i < b.count { removed.add("data after the image") }
        var out: [UInt8] = [0xFF, 0xD8] + jfif
        if let orientation = exif.orientation, orientation != 1 { out += orientationSegment(orientation) }
        out += body + [0xFF, 0xD9]
        return StrippedImage(bytes: out, orientation: exif.orientation.flatMap { $0 == 1 ? nil : $0 },
                             cameraCapturedAt: exif.capturedAt, removed: removed.items)
    }

    /// APP1 with a big-endian TIFF header and one IFD holding only the orientation.
    static func orientationSegment(_ orientation: Int) -> [UInt8] {
        [0xFF, 0xE1, 0x00, 0x22] + Array("Exif\0\0".utf8) + orientationTIFF(orientation)
    }

    static func orientationTIFF(_ orientation: Int) -> [UInt8] {
        [0x4D, 0x4D, 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08,  // "MM", 42, IFD0 at 8
         0x00, 0x01,  // one entry
         0x01, 0x12, 0x00, 0x03, 0x00, 0x00, 0x00, 0x01, 0x00, UInt8(orientation & 0xFF), 0x00, 0x00,  // Orientation SHORT ×1
         0x00, 0x00, 0x00, 0x00]  // no next IFD
    }

    // MARK: PNG

    /// Chunks needed to show the picture as it was meant to look; everything else (text,
    /// eXIf, tIME, animation, private chunks) is removed.
    static let keptPNGChunks: Set<String> = ["IHDR", "PLTE", "IDAT", "IEND", "tRNS", "gAMA", "cHRM", "sRGB", "iCCP", "sBIT",
                                             "pHYs", "bKGD", "hIST", "cICP", "mDCv", "cLLi"]

    static func png(_ b: [UInt8]) throws(ImageSniffError) -> StrippedImage {
        var removed = Removed()
        var exif = ExifFacts()
        var chunks: [(type: String, bytes: ArraySlice<UInt8>)] = []
        var offset = 8
        var ended = false
        while offset + 12 <= b.count {
            let length = ImageSniffer.be32(b, offset)
            let type = String(decoding: b[(offset + 4)..<(offset + 8)], as: UTF8.self)
            let end = offset + 12 + length
            guard length <= 0x7FFF_FFFF, end <= b.count else { throw .malformed(.png, "a chunk runs past the end of the file (truncated)") }
            chunks.append((type, b[offset..<end]))
            if type == "eXIf" { exif.read(tiff: Array(b[(offset + 8)..<(offset + 8 + length)])) }
            offset = end
            if type == "IEND" { ended = true; break }
        }
        guard ended else { throw .malformed(.png, "the file ends before its IEND chunk (truncated)") }
        if offset < b.count { removed.add("data after the image") }
        var out: [UInt8] = Array(b[0..<8])
        var wroteOrientation = false
        for chunk in chunks {
            if chunk.type == "IDAT", !wroteOrientation {
                if let orientation = exif.orientation, orientation != 1 { out += pngChunk("eXIf", orientationTIFF(orientation)) }
                wroteOrientation = true
            }
            if keptPNGChunks.contains(chunk.type) {
                out += chunk.bytes
            } else if chunk.type == "eXIf" {
                if Array(chunk.bytes) != pngChunk("eXIf", orientationTIFF(exif.orientation ?? 0)) { removed.add("EXIF") }
            } else {
                removed.add(pngLabel(chunk.type))
            }
        }
        return StrippedImage(bytes: out, orientation: exif.orientation.flatMap { $0 == 1 ? nil : $0 },
                             cameraCapturedAt: exif.capturedAt, removed: removed.items)
    }

    static func pngLabel(_ type: String) -> String {
        switch type {
        case "tEXt", "zTXt", "iTXt": "text"
        case "tIME": "modification time"
        case "acTL", "fcTL", "fdAT": "animation"
        default: "application data"
        }
    }

    static func pngChunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typeBytes = Array(type.utf8)
        let crc = CRC32.checksum(typeBytes + data)
        return be32(data.count) + typeBytes + data + be32(Int(crc))
    }

    static func be32(_ v: Int) -> [UInt8] { [UInt8((v >> 24) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }

    struct Removed {
        var items: [String] = []
        mutating func add(_ item: String) { if !items.contains(item) { items.append(item) } }
    }
}

/// The two EXIF facts worth keeping, read defensively from a TIFF structure (any offset may
/// point anywhere in a hostile file; every read is bounds-checked and each IFD read once).
struct ExifFacts {
    var orientation: Int?
    var capturedAt: String?

    mutating func read(tiff t: [UInt8]) {
        guard t.count >= 8 else { return }
        let little: Bool
        switch (t[0], t[1]) {
        case (0x49, 0x49): little = true
        case (0x4D, 0x4D): little = false
        default: return
        }
        func u16(_ i: Int) -> Int? {
            guard i >= 0, i + 2 <= t.count else { return nil }
            return little ? Int(t[i]) | Int(t[i + 1]) << 8 : Int(t[i]) << 8 | Int(t[i + 1])
        }
        func u32(_ i: Int) -> Int? {
            guard let a = u16(i), let b = u16(i + 2) else { return nil }
            return little ? a | b << 16 : a << 16 | b
        }
        /// Entries of one IFD as (tag, type, count, value-or-offset position).
        func entries(at offset: Int) -> [(tag: Int, type: Int, count: Int, at: Int)] {
            guard let n = u16(offset), n <= 1000, offset + 2 + n * 12 <= t.count else { return [] }
            return (0..<n).compactMap { k in
                let e = offset + 2 + k * 12
                guard let tag = u16(e), let type = u16(e + 2), let count = u32(e + 4) else { return nil }
                return (tag, type, count, e + 8)
            }
        }
        func ascii(_ entry: (tag: Int, type: Int, count: Int, at: Int)) -> String? {
            guard entry.type == 2, entry.count >= 19, entry.count <= 64 else { return nil }
            let position: Int? = entry.count > 4 ? u32(entry.at) : entry.at
            guard let start = position, start + 19 <= t.count else { return nil }
            return Self.isoDateTime(Array(t[start..<(start + 19)]))
        }
        guard Array(t[2...3]) == (little ? [0x2A, 0x00] : [0x00, 0x2A]), let ifd0 = u32(4) else { return }
        var exifIFD: Int?
        var fallback: String?
        for entry in entries(at: ifd0) {
            switch entry.tag {
            case 0x0112 where entry.type == 3 && entry.count == 1:
                if let value = u16(entry.at), (1...8).contains(value) { orientation = value }
            case 0x8769 where entry.type == 4 || entry.type == 13:
                exifIFD = u32(entry.at)
            case 0x0132:
                fallback = ascii(entry)
            default:
                break
            }
        }
        var original: String?, digitized: String?
        if let exifIFD, exifIFD != ifd0 {
            for entry in entries(at: exifIFD) {
                if entry.tag == 0x9003 { original = ascii(entry) }
                if entry.tag == 0x9004 { digitized = ascii(entry) }
            }
        }
        capturedAt = original ?? digitized ?? fallback
    }

    /// "YYYY:MM:DD HH:MM:SS" → "YYYY-MM-DDTHH:MM:SS", or nil when it is not a plausible time.
    static func isoDateTime(_ bytes: [UInt8]) -> String? {
        let text = String(decoding: bytes, as: UTF8.self)
        let c = Array(text)
        guard c.count == 19, c[4] == ":", c[7] == ":", c[10] == " ", c[13] == ":", c[16] == ":" else { return nil }
        let digits = [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18]
        guard digits.allSatisfy({ c[$0].isASCII && c[$0].isNumber }) else { return nil }
        let month = Int(String(c[5...6]))!, day = Int(String(c[8...9]))!, hour = Int(String(c[11...12]))!
        let minute = Int(String(c[14...15]))!, second = Int(String(c[17...18]))!
        guard (1...12).contains(month), (1...31).contains(day), hour < 24, minute < 60, second < 61, String(c[0...3]) != "0000" else { return nil }
        return String(c[0...3]) + "-" + String(c[5...6]) + "-" + String(c[8...9]) + "T" + String(c[11...18])
    }
}
