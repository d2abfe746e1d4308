@testable import ScarCore
import Testing

/// Images built byte by byte (ScarCore tests do not link the shared test support).
private enum Build {
    static func be32(_ v: Int) -> [UInt8] { [UInt8((v >> 24) & 0xFF), UInt8((v >> 16) & 0xFF), UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }
    static func be16(_ v: Int) -> [UInt8] { [UInt8((v >> 8) & 0xFF), UInt8(v & 0xFF)] }

    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let body = Array(type.utf8) + data
        return be32(data.count) + body + be32(Int(CRC32.checksum(body)))
    }

    static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]

    static func png(width: Int, height: Int, ihdr: [UInt8]? = nil) -> [UInt8] {
        signature + chunk("IHDR", ihdr ?? (be32(width) + be32(height) + [8, 2, 0, 0, 0]))
            + chunk("IDAT", [0x78, 0x01, 0x01, 0x04, 0x00, 0xFB, 0xFF, 0x00, 0xC8, 0x5A, 0x50, 0x03, 0x53, 0x01, 0x73])
            + chunk("IEND", [])
    }

    static func sof(_ marker: UInt8 = 0xC0, width: Int, height: Int) -> [UInt8] {
        [0xFF, marker, 0x00, 0x11, 0x08] + be16(height) + be16(width) + [0x03, 0x01, 0x22, 0x00, 0x02, 0x11, 0x01, 0x03, 0x11, 0x01]
    }

    static let app0: [UInt8] = [0xFF, 0xE0, 0x00, 0x10] + Array("JFIF".utf8) + [0x00, 0x01, 0x01, 0x00, 0x00, 0x01, 0x00, 0x01, 0x00, 0x00]
    static let scan: [UInt8] = [0xFF, 0xDA, 0x00, 0x08, 0x01, 0x01, 0x00, 0x00, 0x3F, 0x00, 0x12, 0xFF, 0x00, 0x34]

    static func jpeg(width: Int, height: Int, marker: UInt8 = 0xC0) -> [UInt8] {
        [0xFF, 0xD8] + app0 + sof(marker, width: width, height: height) + scan + [0xFF, 0xD9]
    }
}

@Suite("Image sniffer")
struct ImageSnifferTests {
    @Test func readsPNGDimensions() throws {
        #expect(try ImageSniffer.inspect(Build.png(width: 1, height: 1)) == ImageInfo(mediaType: .png, width: 1, height: 1))
        #expect(try ImageSniffer.inspect(Build.png(width: 4032, height: 3024)) == ImageInfo(mediaType: .png, width: 4032, height: 3024))
    }

    @Test(arguments: [UInt8(0xC0), 0xC1, 0xC2, 0xC3])
    func readsJPEGDimensionsFromTheFrameHeader(marker: UInt8) throws {
        let info = try ImageSniffer.inspect(Build.jpeg(width: 3000, height: 2000, marker: marker))
        #expect(info == ImageInfo(mediaType: .jpeg, width: 3000, height: 2000))
    }

    @Test func minimalJPEGWithOnlySOIFrameAndEOIIsEnough() throws {
        let bytes: [UInt8] = [0xFF, 0xD8] + Build.sof(width: 2, height: 1) + [0xFF, 0xD9]
        #expect(try ImageSniffer.inspect(bytes) == ImageInfo(mediaType: .jpeg, width: 2, height: 1))
    }

    @Test func skipsFillBytesAndHuffmanTablesBeforeTheFrame() throws {
        // DHT (C4) shares the SOF range but is not a frame header; fill bytes may precede markers.
        let dht: [UInt8] = [0xFF, 0xC4, 0x00, 0x04, 0x00, 0x00]
        let bytes: [UInt8] = [0xFF, 0xD8, 0xFF, 0xFF] + Build.app0.dropFirst() + dht + Build.sof(width: 640, height: 480) + Build.scan + [0xFF, 0xD9]
        #expect(try ImageSniffer.inspect(bytes) == ImageInfo(mediaType: .jpeg, width: 640, height: 480))
    }

    @Test(arguments: [
        Array("GIF89a\u{01}\u{00}\u{01}\u{00}\u{80}\u{00}\u{00}".utf8),
        Array("%PDF-1.7\n1 0 obj\n<< /Type /Catalog >>\nendobj\n".utf8),
        Array("<!DOCTYPE html><html><body><script>alert(1)</script></body></html>".utf8),
        Array("just some text someone named holiday.jpg".utf8),
        [0x42, 0x4D, 0x3A, 0x00, 0x00, 0x00],  // BMP
        [0xFF, 0xD8],  // too short for the JPEG signature
        [],
    ] as [[UInt8]])
    func refusesEverythingElse(bytes: [UInt8]) {
        #expect(throws: ImageSniffError.unsupportedType) { try ImageSniffer.inspect(bytes) }
        #expect(ImageSniffer.mediaType(of: bytes) == nil)
    }

    @Test func everyTruncationOfAPNGIsRefused() {
        let full = Build.png(width: 3, height: 2)
        for length in 0..<full.count {
            #expect(throws: ImageSniffError.self, "length \(length)") { try ImageSniffer.inspect(Array(full.prefix(length))) }
        }
    }

    @Test func everyTruncationOfAJPEGIsRefused() {
        let full = Build.jpeg(width: 3, height: 2)
        for length in 0..<full.count {
            #expect(throws: ImageSniffError.self, "length \(length)") { try ImageSniffer.inspect(Array(full.prefix(length))) }
        }
    }

    @Test func corruptPNGHeadersAreRefused() {
        var badCRC = Build.png(width: 5, height: 5)
        badCRC[29] ^= 0xFF
        #expect(throws: ImageSniffError.self) { try ImageSniffer.inspect(badCRC) }
        #expect(throws: ImageSniffError.self) { try ImageSniffer.inspect(Build.png(width: 0, height: 5)) }
        #expect(throws: ImageSniffError.self) { try ImageSniffer.inspect(Build.png(width: 40_000, height: 5)) }
        #expect(throws: ImageSniffError.self) { try ImageSniffer.inspect(Build.png(width: 1, height: 1, ihdr: [0, 0, 0, 1])) }
        // A huge declared chunk length must not be trusted.
        let lying = Build.signature + [0x7F, 0xFF, 0xFF, 0xFF] + Array("IHDR".utf8) + [UInt8](repeating: 0, count: 20)
        #expect(throws: ImageSniffError.self) { try ImageSniffer.inspect(lying) }
        // IHDR, then straight to IEND: no image data.
        let empty = Build.signature + Build.chunk("IHDR", Build.be32(1) + Build.be32(1) + [8, 2, 0, 0, 0]) + Build.chunk("IEND", [])
        #expect(throws: ImageSniffError.self) { try ImageSniffer.inspect(empty) }
    }

    @Test func corruptJPEGHeadersAreRefused() {
        let scanFirst: [UInt8] = [0xFF, 0xD8] + Build.scan + Build.sof(width: 2, height: 2) + [0xFF, 0xD9]
        #expect(throws: ImageSniffError.self) { try ImageSniffer.inspect(scanFirst) }
        let noFrame: [UInt8] = [0xFF, 0xD8] + Build.app0 + [0xFF, 0xD9]
        #expect(throws: ImageSniffError.self) { try ImageSniffer.inspect(noFrame) }
        let zeroHeight: [UInt8] = [0xFF, 0xD8] + Build.sof(width: 2, height: 0) + [0xFF, 0xD9]
        #expect(throws: ImageSniffError.self) { try ImageSniffer.inspect(zeroHeight) }
        let shortSegment: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x01, 0xFF, 0xD9]
        #expect(throws: ImageSniffError.self) { try ImageSniffer.inspect(shortSegment) }
        let garbageAfterSOI: [UInt8] = [0xFF, 0xD8, 0xFF, 0xE0, 0x00, 0x04, 0x00, 0x00, 0x12, 0x34, 0xFF, 0xD9]
        #expect(throws: ImageSniffError.self) { try ImageSniffer.inspect(garbageAfterSOI) }
    }

    /// Random bytes behind a real signature, and valid images with random bytes overwritten or cut
    /// off: each is either refused as malformed (of the type its signature names) or read with
    /// dimensions inside the allowed range. Seeded (SplitMix64), so a failure replays exactly.
    @Test func randomBytesBehindAValidSignatureAreRefusedOrReadSanely() {
        var generator = SplitMix64(seed: 0x5CA7_0017)
        var refused = 0, accepted = 0
        func check(_ bytes: [UInt8], _ type: ImageMediaType, _ label: String) {
            do {
                let info = try ImageSniffer.inspect(bytes)
                accepted += 1
                #expect(info.mediaType == type, "\(label): read as \(info.mediaType)")
                #expect((1...ImageSniffer.maxDimension).contains(info.width) && (1...ImageSniffer.maxDimension).contains(info.height),
                        "\(label): \(info.width)×\(info.height)")
            } catch {
                refused += 1
                if case .malformed(let t, _) = error { #expect(t == type, "\(label)") } else { Issue.record("\(label): \(error)") }
            }
        }
        for i in 0..<2000 {
            let type: ImageMediaType = i.isMultiple(of: 2) ? .png : .jpeg
            let prefix: [UInt8] = type == .png ? Build.signature : [0xFF, 0xD8, 0xFF]
            let tail = (0..<Int.random(in: 0...64, using: &generator)).map { _ in UInt8.random(in: 0...255, using: &generator) }
            check(prefix + tail, type, "random tail \(i)")
        }
        #expect(refused >= 1990, "random bytes behind a signature are almost never an image: \(refused) refused")
        // Every truncation of a valid image is refused (PNG needs its IEND, JPEG its EOI).
        let png = Build.png(width: 640, height: 480), jpeg = Build.jpeg(width: 640, height: 480)
        for (image, type) in [(png, ImageMediaType.png), (jpeg, .jpeg)] {
            for length in type.signatureLength..<image.count {
                #expect(throws: ImageSniffError.self, "\(type) cut at \(length)") { try ImageSniffer.inspect(Array(image.prefix(length))) }
            }
            for round in 0..<500 {
                var corrupt = image
                for _ in 0..<Int.random(in: 1...4, using: &generator) {
                    corrupt[Int.random(in: type.signatureLength..<corrupt.count, using: &generator)] = UInt8.random(in: 0...255, using: &generator)
                }
                check(corrupt, type, "\(type) corrupted \(round)")
            }
        }
        #expect(accepted > 0 && refused > 2000, "both outcomes occur: \(accepted) accepted, \(refused) refused")
    }
}

private extension ImageMediaType {
    var signatureLength: Int { self == .png ? 8 : 3 }
}

@Suite("Photo details")
struct PhotoDetailsTests {
    let today = CalendarDate("2026-03-10")!

    @Test func validCloseUpKeepsItsZone() throws {
        let d = try PhotoDetails.validate(.init(view: "close-up", zone: "left-cheek", capturedOn: "2026-03-10", notes: " rolling scars "),
                                          today: today).get()
        #expect(d.view == .closeUp)
        #expect(d.zone == .leftCheek)
        #expect(d.notes == "rolling scars")
    }

    @Test func aZoneIsOnlyKeptForCloseUps() throws {
        let d = try PhotoDetails.validate(.init(view: "frontal", zone: "chin", capturedOn: "2026-03-01"), today: today).get()
        #expect(d.zone == nil)
    }

    @Test func everyProblemIsReportedAtOnce() {
        let r = PhotoDetails.validate(.init(view: "close-up", capturedOn: "2026-03-12", assessmentId: "nope", notes: "a\u{07}b"), today: today)
        guard case .failure(let f) = r else { Issue.record("expected failure"); return }
        #expect(Set(f.errors.map(\.field)) == ["zone", "capturedOn", "assessmentId", "notes"])
    }

    @Test func captureDateMayBeTomorrowInUTCButNoLater() {
        #expect((try? PhotoDetails.validate(.init(view: "frontal", capturedOn: "2026-03-11"), today: today).get()) != nil)
        #expect((try? PhotoDetails.validate(.init(view: "frontal", capturedOn: "2026-03-12"), today: today).get()) == nil)
        #expect((try? PhotoDetails.validate(.init(view: "frontal", capturedOn: "2026-02-30"), today: today).get()) == nil)
        #expect((try? PhotoDetails.validate(.init(view: "sideways", capturedOn: "2026-03-01"), today: today).get()) == nil)
        #expect((try? PhotoDetails.validate(.init(capturedOn: "2026-03-01"), today: today).get()) == nil)
    }
}
