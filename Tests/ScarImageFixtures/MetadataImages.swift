/// Images carrying the metadata cameras and photo apps write (EXIF with names, capture times and
/// GPS, XMP, IPTC, comments, thumbnails, PNG text chunks), built byte by byte so the stripping
/// tests know exactly what went in. Dependency-free: ScarCore's tests and the server tests share it.
public enum MetadataImages {
    public static let artist = "Dr Jane Example-Artist"
    public static let description = "Patient Zed Fixture left cheek"
    public static let takenAt = "2026:03:14 09:26:53"
    public static let modifiedAt = "2026:03:15 18:00:00"
    public static let xmpCreator = "xmp-creator-Zed-Fixture"
    public static let comment = "comment-Zed-Fixture"
    public static let pngText = "png-text-Zed-Fixture"
    /// Every marker string a stripped image must no longer contain.
    public static let secrets = [artist, description, takenAt, modifiedAt, xmpCreator, comment, pngText, "GPS-", "Photoshop 3.0"]

    /// A small JPEG (the scan bytes are a token, enough for structural tests) with APP0 + thumbnail,
    /// EXIF (orientation, description, artist, dates, GPS), XMP, IPTC, a comment and trailing bytes.
    public static func jpeg(orientation: Int = 6, width: Int = 4, height: Int = 3) -> [UInt8] {
        var out: [UInt8] = [0xFF, 0xD8]
        // JFIF with a 1×1 RGB thumbnail.
        let jfif = Array("JFIF\0".utf8) + [0x01, 0x02, 0x01, 0x00, 0x48, 0x00, 0x48, 0x01, 0x01, 0xAA, 0xBB, 0xCC]
        out += segment(0xE0, jfif)
        out += segment(0xE1, Array("Exif\0\0".utf8) + exifTIFF(orientation: orientation))
        out += segment(0xE1, Array("http://ns.adobe.com/xap/1.0/\0".utf8) + Array("<x:xmpmeta><dc:creator>\(xmpCreator)</dc:creator></x:xmpmeta>".utf8))
        out += segment(0xED, Array("Photoshop 3.0\0".utf8) + Array("8BIM-iptc".utf8))
        out += segment(0xE2, Array("ICC_PROFILE\0".utf8) + [0x01, 0x01] + Array("icc-profile-bytes".utf8))
        out += segment(0xDB, [0x00] + Array(repeating: 0x01, count: 64))
        out += segment(0xC0, [0x08] + be16(height) + be16(width) + [0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01])
        out += segment(0xC4, [0x00] + Array(repeating: 0x00, count: 15) + [0x00])
        out += segment(0xDA, [0x03, 0x01, 0x00, 0x02, 0x11, 0x03, 0x11, 0x00, 0x3F, 0x00])
        out += [0x12, 0x34, 0xFF, 0x00, 0x56, 0xFF, 0xD0, 0x78]  // entropy data with a stuffed byte and a restart marker
        out += segment(0xFE, Array(comment.utf8))
        out += [0xFF, 0xD9]
        out += Array("trailer-GPS-after-EOI".utf8)
        return out
    }

    /// A 1×1 PNG with tEXt, zTXt, iTXt, eXIf (orientation, artist, dates, GPS) and tIME, plus gAMA.
    public static func png(orientation: Int = 8) -> [UInt8] {
        var out: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
        out += chunk("IHDR", be32(1) + be32(1) + [8, 2, 0, 0, 0])
        out += chunk("gAMA", be32(45_455))
        out += chunk("tEXt", Array("Author\0\(pngText)".utf8))
        out += chunk("zTXt", Array("Comment\0\0".utf8) + [0x78, 0x01] + Array("GPS-z".utf8))
        out += chunk("iTXt", Array("Description\0\0\0\0\0\(description)".utf8))
        out += chunk("eXIf", exifTIFF(orientation: orientation))
        out += chunk("tIME", [0x07, 0xEA, 3, 15, 18, 0, 0])
        // Stored zlib stream of one filter byte + one RGB pixel.
        out += chunk("IDAT", [0x78, 0x01, 0x01, 0x04, 0x00, 0xFB, 0xFF, 0x00, 0xC8, 0x5A, 0x50, 0x03, 0x53, 0x01, 0x73])
        out += chunk("IEND", [])
        return out
    }

    /// Little-endian TIFF: IFD0 (description, artist, date, orientation, Exif and GPS pointers),
    /// the Exif IFD (DateTimeOriginal) and the GPS IFD (latitude reference and value).
    public static func exifTIFF(orientation: Int) -> [UInt8] {
        let descriptionBytes = Array(description.utf8) + [0]
        let artistBytes = Array(artist.utf8) + [0]
        let modified = Array(modifiedAt.utf8) + [0]
        let taken = Array(takenAt.utf8) + [0]
        let gpsNote = Array("GPS-latitude".utf8) + [0]
        let ifd0Count = 6, exifCount = 1, gpsCount = 3
        let ifd0At = 8
        let exifAt = ifd0At + 2 + ifd0Count * 12 + 4
        let gpsAt = exifAt + 2 + exifCount * 12 + 4
        var dataAt = gpsAt + 2 + gpsCount * 12 + 4
        var data: [UInt8] = []
        func place(_ bytes: [UInt8]) -> Int { let at = dataAt; data += bytes; dataAt += bytes.count; return at }
        let descriptionAt = place(descriptionBytes), artistAt = place(artistBytes), modifiedAt = place(modified)
        let takenAt = place(taken), noteAt = place(gpsNote)
        let latitudeAt = place(le32(51) + le32(1) + le32(30) + le32(1) + le32(0) + le32(1))
        func entry(_ tag: Int, _ type: Int, _ count: Int, _ value: [UInt8]) -> [UInt8] { le16(tag) + le16(type) + le32(count) + value }
        var t: [UInt8] = [0x49, 0x49, 0x2A, 0x00] + le32(ifd0At)
        t += le16(ifd0Count)
        t += entry(0x010E, 2, descriptionBytes.count, le32(descriptionAt))
        t += entry(0x0112, 3, 1, le16(orientation) + [0, 0])
        t += entry(0x0132, 2, modified.count, le32(modifiedAt))
        t += entry(0x013B, 2, artistBytes.count, le32(artistAt))
        t += entry(0x8769, 4, 1, le32(exifAt))
        t += entry(0x8825, 4, 1, le32(gpsAt))
        t += le32(0)
        t += le16(exifCount) + entry(0x9003, 2, taken.count, le32(takenAt)) + le32(0)
        t += le16(gpsCount)
        t += entry(0x0001, 2, 2, Array("N".utf8) + [0, 0, 0])
        t += entry(0x0002, 5, 3, le32(latitudeAt))
        t += entry(0x001B, 7, gpsNote.count, le32(noteAt))
        t += le32(0)
        return t + data
    }

    public static func segment(_ marker: UInt8, _ data: [UInt8]) -> [UInt8] { [0xFF, marker] + be16(data.count + 2) + data }

    public static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        return be32(data.count) + body + be32(Int(crc32(body)))
    }

    public static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xFFFF_FFFF
        for byte in bytes {
            c ^= UInt32(byte)
            for _ in 0..<8 { c = c & 1 != 0 ? 0xEDB8_8320 ^ (c >> 1) : c >> 1 }
        }
        return c ^ 0xFFFF_FFFF
    }

    /// True when `needle` occurs in `haystack` (bytes), for "no secret left" assertions.
    public static func contains(_ haystack: [UInt8], _ needle: String) -> Bool {
        let n = Array(needle.utf8)
        guard !n.isEmpty, haystack.count >= n.count else { return false }
        for i in 0...(haystack.count - n.count) where haystack[i] == n[0] && Array(haystack[i..<(i + n.count)]) == n { return true }
        return false
    }

    static func be32(_ v: Int) -> [UInt8] { [UInt8((v >> 24) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }
    static func be16(_ v: Int) -> [UInt8] { [UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }
    static func le32(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8((v >> 24) & 0xFF)] }
    static func le16(_ v: Int) -> [UInt8] { [UInt8(v & 0xFF), UInt8((v >> 8) & 0xFF)] }
}
