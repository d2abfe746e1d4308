import Foundation
import ScarCore

/// A plain one-colour PNG standing in for a clinical photo in the demo clinic: no face, no
/// metadata, a shade per standard view so the views can be told apart on the page. Written
/// uncompressed (stored deflate blocks), which every PNG reader accepts.
enum DemoPhoto {
    static let side = 96

    static func png(for view: PhotoView) -> [UInt8] {
        let index = PhotoBatch.standardViews.firstIndex(of: view) ?? 0
        let rgb: [UInt8] = [UInt8(214 - 12 * index), UInt8(176 - 8 * index), UInt8(150 - 6 * index)]
        let row = [0] + Array([[UInt8]](repeating: rgb, count: side).joined())
        let raw = Array([[UInt8]](repeating: row, count: side).joined())
        var header: [UInt8] = be32(side) + be32(side)
        header += [8, 2, 0, 0, 0]  // 8-bit RGB, no interlace
        return [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
            + chunk("IHDR", header) + chunk("IDAT", zlibStored(raw)) + chunk("IEND", [])
    }

    static func chunk(_ type: String, _ data: [UInt8]) -> [UInt8] {
        let typeBytes = Array(type.utf8)
        return be32(data.count) + typeBytes + data + be32(Int(CRC32.checksum(typeBytes + data)))
    }

    /// A zlib stream of stored (uncompressed) deflate blocks of at most 65,535 bytes each.
    static func zlibStored(_ data: [UInt8]) -> [UInt8] {
        var out: [UInt8] = [0x78, 0x01]
        var offset = 0
        repeat {
            let n = min(65_535, data.count - offset)
            let final: UInt8 = offset + n == data.count ? 1 : 0
            out += [final, UInt8(n & 0xFF), UInt8(n >> 8), UInt8(~n & 0xFF), UInt8((~n >> 8) & 0xFF)]
            out += data[offset..<(offset + n)]
            offset += n
        } while offset < data.count
        var a: UInt32 = 1, b: UInt32 = 0
        for byte in data {
            a = (a + UInt32(byte)) % 65_521
            b = (b + a) % 65_521
        }
        return out + be32(Int(b << 16 | a))
    }

    static func be32(_ n: Int) -> [UInt8] { [UInt8((n >> 24) & 0xFF), UInt8((n >> 16) & 0xFF), UInt8((n >> 8) & 0xFF), UInt8(n & 0xFF)] }
}
