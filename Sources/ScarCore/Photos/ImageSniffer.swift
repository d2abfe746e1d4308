/// What an uploaded file really is, decided from its bytes alone (never the file name or the
/// client's Content-Type), and its pixel size read from the PNG IHDR or JPEG SOF header.
/// Pure Swift, no image library: the file is walked structurally, never decoded.
public enum ImageMediaType: String, Sendable, Codable, CaseIterable {
    case jpeg = "image/jpeg"
    case png = "image/png"

    /// The extension of the stored file; derived from the sniffed type, never from input.
    public var fileExtension: String {
        switch self {
        case .jpeg: "jpg"
        case .png: "png"
        }
    }

    public var label: String {
        switch self {
        case .jpeg: "JPEG"
        case .png: "PNG"
        }
    }
}

public struct ImageInfo: Sendable, Equatable {
    public var mediaType: ImageMediaType
    public var width: Int
    public var height: Int

    public init(mediaType: ImageMediaType, width: Int, height: Int) {
        self.mediaType = mediaType
        self.width = width
        self.height = height
    }
}

public enum ImageSniffError: Error, Sendable, Equatable {
    /// Neither a JPEG nor a PNG signature.
    case unsupportedType
    /// The signature is right but the structure is not: truncated, corrupt or disguised.
    case malformed(ImageMediaType, String)
}

public enum ImageSniffer {
    static let pngSignature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    static let jpegSignature: [UInt8] = [0xFF, 0xD8, 0xFF]
    /// Larger than any camera produces; refuses absurd headers (decompression bombs downstream).
    public static let maxDimension = 30_000

    /// The type named by the leading magic bytes, or nil.
    public static func mediaType(of bytes: [UInt8]) -> ImageMediaType? {
        if bytes.starts(with: pngSignature) { return .png }
        if bytes.starts(with: jpegSignature) { return .jpeg }
        return nil
    }

    /// Type and dimensions; throws when the bytes are not a well-formed JPEG or PNG.
    public static func inspect(_ bytes: [UInt8]) throws(ImageSniffError) -> ImageInfo {
        switch mediaType(of: bytes) {
        case .png: return try png(bytes)
        case .jpeg: return try jpeg(bytes)
        case nil: throw .unsupportedType
        }
    }

    static func be32(_ b: [UInt8], _ i: Int) -> Int {
        Int(b[i]) << 24 | Int(b[i + 1]) << 16 | Int(b[i + 2]) << 8 | Int(b[i + 3])
    }

    static func be16(_ b: [UInt8], _ i: Int) -> Int {
        Int(b[i]) << 8 | Int(b[i + 1])
    }

    /// PNG: signature, then chunks (length, type, data, CRC). IHDR must come first with a
    /// correct CRC; the chunk walk must reach IEND inside the file (a truncated file does not).
    static func png(_ b: [UInt8]) throws(ImageSniffError) -> ImageInfo {
        func bad(_ why: String) -> ImageSniffError { .malformed(.png, why) }
        var offset = 8
        var info: ImageInfo?
        var sawData = false
        while true {
            guard offset + 8 <= b.count else { throw bad("the file ends before its IEND chunk (truncated)") }
            let length = be32(b, offset)
            let type = Array(b[(offset + 4)..<(offset + 8)])
            guard length <= 0x7FFF_FFFF, offset + 12 + length <= b.count else {
                throw bad("a chunk runs past the end of the file (truncated)")
            }
            guard type.allSatisfy({ (0x41...0x5A).contains($0) || (0x61...0x7A).contains($0) }) else {
                throw bad("a chunk has an invalid type")
            }
            let typeName = String(decoding: type, as: UTF8.self)
            let dataStart = offset + 8
            if info == nil {
                guard typeName == "IHDR", length == 13 else { throw bad("the first chunk is not a 13-byte IHDR") }
                let crc = UInt32(truncatingIfNeeded: be32(b, dataStart + length))
                guard CRC32.checksum(b[(offset + 4)..<(dataStart + length)]) == crc else { throw bad("the IHDR checksum is wrong") }
                let width = be32(b, dataStart), height = be32(b, dataStart + 4)
                guard (1...maxDimension).contains(width), (1...maxDimension).contains(height) else {
                    throw bad("the image size \(width)×\(height) is out of range")
                }
                info = ImageInfo(mediaType: .png, width: width, height: height)
            } else if typeName == "IHDR" {
                throw bad("the file has a second IHDR chunk")
            }
            if typeName == "IDAT" { sawData = true }
            if typeName == "IEND" {
                guard sawData else { throw bad("the file has no image data") }
                return info!
            }
            offset = dataStart + length + 4
        }
    }

    /// JPEG: SOI, then marker segments up to the first frame header (SOF0–SOF15 except DHT,
    /// JPG and DAC), whose height and width are read; an EOI marker must follow it.
    static func jpeg(_ b: [UInt8]) throws(ImageSniffError) -> ImageInfo {
        func bad(_ why: String) -> ImageSniffError { .malformed(.jpeg, why) }
        var offset = 2
        while true {
            guard offset < b.count else { throw bad("the file ends before its frame header (truncated)") }
            guard b[offset] == 0xFF else { throw bad("a marker is missing where one was expected") }
            // Any number of 0xFF fill bytes may precede a marker.
            while offset < b.count, b[offset] == 0xFF { offset += 1 }
            guard offset < b.count else { throw bad("the file ends inside a marker (truncated)") }
            let marker = b[offset]
            offset += 1
            switch marker {
            case 0xD8, 0x00:
                throw bad("an unexpected marker appears in the header")
            case 0xD9:
                throw bad("the image ends before any frame header")
            case 0x01, 0xD0...0xD7:
                continue  // standalone markers carry no length
            case 0xDA:
                throw bad("the scan starts before any frame header")
            default:
                break
            }
            guard offset + 2 <= b.count else { throw bad("the file ends inside a segment (truncated)") }
            let length = be16(b, offset)
            guard length >= 2, offset + length <= b.count else { throw bad("a segment runs past the end of the file (truncated)") }
            let isFrame = (0xC0...0xCF).contains(marker) && ![0xC4, 0xC8, 0xCC].contains(marker)
            if isFrame {
                guard length >= 8 else { throw bad("the frame header is too short") }
                let height = be16(b, offset + 3), width = be16(b, offset + 5)
                guard (1...maxDimension).contains(width), (1...maxDimension).contains(height) else {
                    throw bad("the image size \(width)×\(height) is out of range")
                }
                // The entropy-coded data may contain anything but FF D9; the file must end with
                // an EOI marker somewhere after the frame header (trailing padding is tolerated).
                var i = b.count - 2
                let frameEnd = offset + length
                var foundEnd = false
                while i >= frameEnd {
                    if b[i] == 0xFF, b[i + 1] == 0xD9 { foundEnd = true; break }
                    i -= 1
                }
                guard foundEnd else { throw bad("the file has no end-of-image marker (truncated)") }
                return ImageInfo(mediaType: .jpeg, width: width, height: height)
            }
            offset += length
        }
    }
}

/// CRC-32 as PNG uses it (ISO 3309 / ITU-T V.42, polynomial 0xEDB88320).
public enum CRC32 {
    static let table: [UInt32] = (0..<256).map { n in
        var c = UInt32(n)
        for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        return c
    }

    static func checksum(_ bytes: ArraySlice<UInt8>) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for byte in bytes { c = table[Int((c ^ UInt32(byte)) & 0xFF)] ^ (c >> 8) }
        return c ^ 0xFFFF_FFFF
    }

    public static func checksum(_ bytes: [UInt8]) -> UInt32 { checksum(bytes[...]) }
}
