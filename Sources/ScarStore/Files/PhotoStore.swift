import Crypto
import Foundation
import ScarCore
#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Photo files on disk, named only by the SHA-256 of their content:
/// `<data dir>/photos/<first 2 hex>/<sha256>.<jpg|png>`. No user input ever reaches a path;
/// the extension comes from the sniffed type. Files are written to a temporary name in the
/// same folder and renamed into place (atomic), readable by the server's user only
/// (0600 files, 0700 folders). Identical content is stored once.
public struct PhotoStore: Sendable {
    /// `<data dir>/photos`, outside any folder the server publishes.
    public let root: URL

    public init(dataDirectory: String) {
        root = URL(fileURLWithPath: dataDirectory, isDirectory: true).appendingPathComponent("photos", isDirectory: true)
    }

    public struct Stored: Sendable, Equatable {
        public var sha256: String
        public var byteSize: Int
        /// False when identical content was already stored.
        public var created: Bool
    }

    public static func sha256Hex(_ bytes: [UInt8]) -> String {
        SHA256Hex.of(Data(bytes))
    }

    /// True for exactly 64 lower-case hex digits: the only names this store ever builds paths from.
    public static func isHash(_ text: String) -> Bool {
        text.utf8.count == 64 && text.utf8.allSatisfy { (0x30...0x39).contains($0) || (0x61...0x66).contains($0) }
    }

    /// The file's location. Refuses anything but a hash, so a corrupt row cannot point elsewhere.
    public func url(sha256: String, type: ImageMediaType) throws -> URL {
        guard Self.isHash(sha256) else { throw StoreError.configuration("not a content hash") }
        return root.appendingPathComponent(String(sha256.prefix(2)), isDirectory: true)
            .appendingPathComponent("\(sha256).\(type.fileExtension)", isDirectory: false)
    }

    /// Stores the bytes (once per content) and returns their hash.
    public func save(_ bytes: [UInt8], type: ImageMediaType) throws -> Stored {
        let hash = Self.sha256Hex(bytes)
        let target = try url(sha256: hash, type: type)
        let folder = target.deletingLastPathComponent()
        try Self.makeFolder(root.deletingLastPathComponent())
        try Self.makeFolder(root)
        try Self.makeFolder(folder)
        if FileManager.default.fileExists(atPath: target.path) {
            return Stored(sha256: hash, byteSize: bytes.count, created: false)
        }
        let temp = folder.appendingPathComponent(".tmp-\(UUID().lower)", isDirectory: false)
        do {
            try Self.writeSynced(bytes, to: temp.path)
            guard rename(temp.path, target.path) == 0 else { throw Self.posixError("rename", errno) }
            Self.syncFolder(folder.path)
        } catch {
            unlink(temp.path)
            throw error
        }
        return Stored(sha256: hash, byteSize: bytes.count, created: true)
    }

    public func read(sha256: String, type: ImageMediaType) throws -> [UInt8] {
        let path = try url(sha256: sha256, type: type).path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw StoreError.unavailable("A photo file is missing from the data folder.")
        }
        return [UInt8](data)
    }

    /// Removes a file no record points at any more (after its metadata was stripped into a new one).
    public func remove(sha256: String, type: ImageMediaType) throws {
        let target = try url(sha256: sha256, type: type)
        guard unlink(target.path) == 0 || errno == ENOENT else { throw Self.posixError("unlink", errno) }
        Self.syncFolder(target.deletingLastPathComponent().path)
    }

    static func makeFolder(_ url: URL) throws {
        var isDirectory: ObjCBool = false
        if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDirectory) {
            guard isDirectory.boolValue else { throw StoreError.configuration("\(url.lastPathComponent) in the data folder is not a folder") }
            return
        }
        do {
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            // Another request may have created it a moment ago.
            guard FileManager.default.fileExists(atPath: url.path) else { throw error }
        }
    }

    /// Writes to a new file (never an existing one), 0600, and flushes it to disk before the rename.
    static func writeSynced(_ bytes: [UInt8], to path: String) throws {
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
        guard fd >= 0 else { throw posixError("open", errno) }
        defer { close(fd) }
        var written = 0
        try bytes.withUnsafeBytes { buffer in
            while written < buffer.count {
                let n = write(fd, buffer.baseAddress! + written, buffer.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    throw posixError("write", errno)
                }
                written += n
            }
        }
        guard fsync(fd) == 0 else { throw posixError("fsync", errno) }
    }

    /// Makes the rename itself durable; a failure here only weakens durability, so it is ignored.
    static func syncFolder(_ path: String) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }

    static func posixError(_ call: String, _ code: Int32) -> StoreError {
        .unavailable("Could not store the photo (\(call): \(String(cString: strerror(code)))).")
    }
}
