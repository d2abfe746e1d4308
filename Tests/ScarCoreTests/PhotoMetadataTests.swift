@testable import ScarCore
import ScarImageFixtures
import Testing

@Suite("Photo metadata stripping")
struct PhotoMetadataTests {
    @Test func jpegLosesExifXmpIptcCommentThumbnailAndTrailerButKeepsOrientationColourAndPixels() throws {
        let original = MetadataImages.jpeg(orientation: 6)
        for secret in MetadataImages.secrets where secret != MetadataImages.pngText {
            #expect(MetadataImages.contains(original, secret) || secret == "GPS-", "fixture carries \(secret)")
        }
        let stripped = try PhotoMetadata.strip(original)
        for secret in MetadataImages.secrets {
            #expect(!MetadataImages.contains(stripped.bytes, secret), "\(secret) survived")
        }
        #expect(stripped.orientation == 6)
        #expect(stripped.cameraCapturedAt == "2026-03-14T09:26:53")
        #expect(stripped.removed == ["thumbnail", "EXIF", "XMP", "IPTC", "comment", "data after the image"])
        // Upright: the only EXIF left is the orientation-only block, right after JFIF.
        let app1 = PhotoMetadata.orientationSegment(6)
        #expect(Array(stripped.bytes[20..<(20 + app1.count)]) == app1)
        #expect(MetadataImages.contains(stripped.bytes, "ICC_PROFILE"))
        // Same image: dimensions, and the scan with its stuffed byte and restart marker, unchanged.
        #expect(try ImageSniffer.inspect(stripped.bytes) == ImageInfo(mediaType: .jpeg, width: 4, height: 3))
        let scan: [UInt8] = [0x12, 0x34, 0xFF, 0x00, 0x56, 0xFF, 0xD0, 0x78, 0xFF, 0xD9]
        #expect(Array(stripped.bytes.suffix(scan.count)) == scan)
    }

    @Test func anUprightJpegKeepsNoExifAtAll() throws {
        let stripped = try PhotoMetadata.strip(MetadataImages.jpeg(orientation: 1))
        #expect(stripped.orientation == nil)
        #expect(!MetadataImages.contains(stripped.bytes, "Exif"))
    }

    @Test func pngLosesTextExifAndTimeChunksButKeepsGammaAndOrientation() throws {
        let original = MetadataImages.png(orientation: 8)
        #expect(MetadataImages.contains(original, MetadataImages.pngText))
        let stripped = try PhotoMetadata.strip(original)
        for secret in MetadataImages.secrets {
            #expect(!MetadataImages.contains(stripped.bytes, secret), "\(secret) survived")
        }
        for chunk in ["tEXt", "zTXt", "iTXt", "tIME"] { #expect(!MetadataImages.contains(stripped.bytes, chunk)) }
        #expect(MetadataImages.contains(stripped.bytes, "gAMA"))
        #expect(stripped.orientation == 8)
        #expect(stripped.cameraCapturedAt == "2026-03-14T09:26:53")
        #expect(stripped.removed == ["text", "EXIF", "modification time"])
        // The orientation-only eXIf sits before the image data, with a valid CRC (the sniffer checks the walk).
        let exif = PhotoMetadata.pngChunk("eXIf", PhotoMetadata.orientationTIFF(8))
        let idat = Array("IDAT".utf8)
        let exifAt = try #require(firstIndex(of: exif, in: stripped.bytes)), idatAt = try #require(firstIndex(of: idat, in: stripped.bytes))
        #expect(exifAt < idatAt)
        #expect(try ImageSniffer.inspect(stripped.bytes) == ImageInfo(mediaType: .png, width: 1, height: 1))
    }

    @Test func strippingTwiceChangesNothingMore() throws {
        for original in [MetadataImages.jpeg(orientation: 6), MetadataImages.jpeg(orientation: 1), MetadataImages.png(orientation: 8),
                         MetadataImages.png(orientation: 1)] {
            let once = try PhotoMetadata.strip(original)
            let twice = try PhotoMetadata.strip(once.bytes)
            #expect(twice.bytes == once.bytes)
            #expect(twice.removed.isEmpty)
            #expect(twice.orientation == once.orientation)
        }
    }

    @Test func hostileExifOffsetsAreIgnoredNotFollowed() throws {
        // IFD0 pointing past the end, an entry count far too large, and a date at an absurd offset.
        var tiff: [UInt8] = [0x49, 0x49, 0x2A, 0x00, 0xFF, 0xFF, 0xFF, 0x7F]
        var facts = ExifFacts()
        facts.read(tiff: tiff)
        #expect(facts.orientation == nil && facts.capturedAt == nil)
        tiff = [0x4D, 0x4D, 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08, 0xFF, 0xFF]
        facts.read(tiff: tiff)
        #expect(facts.orientation == nil)
        tiff = [0x4D, 0x4D, 0x00, 0x2A, 0x00, 0x00, 0x00, 0x08, 0x00, 0x01, 0x01, 0x32, 0x00, 0x02, 0x00, 0x00, 0x00, 0x14,
                0x7F, 0xFF, 0xFF, 0xFF, 0x00, 0x00, 0x00, 0x00]
        facts.read(tiff: tiff)
        #expect(facts.capturedAt == nil)
        #expect(ExifFacts.isoDateTime(Array("2026:13:01 10:00:00".utf8)) == nil)
        #expect(ExifFacts.isoDateTime(Array("2026:12:01 10:00:00".utf8)) == "2026-12-01T10:00:00")
    }

    @Test func truncatedImagesAreRefusedNotStrippedHalfway() {
        let jpeg = MetadataImages.jpeg()
        #expect(throws: ImageSniffError.self) { try PhotoMetadata.strip(Array(jpeg.prefix(40))) }
        let png = MetadataImages.png()
        #expect(throws: ImageSniffError.self) { try PhotoMetadata.strip(Array(png.prefix(png.count - 6))) }
    }

    private func firstIndex(of needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        return (0...(haystack.count - needle.count)).first { Array(haystack[$0..<($0 + needle.count)]) == needle }
    }
}
