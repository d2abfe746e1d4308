import Foundation
import ScarCore
import SQLKit

/// Where photo bytes live, named only by the SHA-256 of their content. One server keeps them in
/// its data folder (`PhotoStore`); several app servers behind a load balancer keep them in the
/// shared PostgreSQL database (`DatabasePhotoStore`), so a photo uploaded through one server is
/// served by every other (`SCARTRACK_PHOTO_STORE=database`). Both store identical content once,
/// and both are written before the transaction that records the photo's row: a file no row
/// points at is harmless, a row pointing at nothing is not.
public protocol PhotoFiles: Sendable {
    func save(_ bytes: [UInt8], type: ImageMediaType) async throws -> PhotoStore.Stored
    func read(sha256: String, type: ImageMediaType) async throws -> [UInt8]
    /// Removes content no record points at any more (after its metadata was stripped into a new one).
    func remove(sha256: String, type: ImageMediaType) async throws
}

extension PhotoStore: PhotoFiles {}

/// Photo bytes in the database (`photo_blobs`), content-addressed like the folder store.
public struct DatabasePhotoStore: PhotoFiles {
    let database: ScarDatabase

    public init(_ database: ScarDatabase) { self.database = database }

    public func save(_ bytes: [UInt8], type: ImageMediaType) async throws -> PhotoStore.Stored {
        let hash = PhotoStore.sha256Hex(bytes)
        let data = Data(bytes)
        let created = try await database.write { sql in
            let rows = try await sql.raw("""
                INSERT INTO photo_blobs (sha256, media_type, byte_size, bytes, created_at)
                VALUES (\(bind: hash), \(bind: type.rawValue), \(bind: bytes.count), \(bind: data), \(bind: Date()))
                ON CONFLICT (sha256) DO NOTHING RETURNING sha256
                """).all()
            return !rows.isEmpty
        }
        return PhotoStore.Stored(sha256: hash, byteSize: bytes.count, created: created)
    }

    public func read(sha256: String, type: ImageMediaType) async throws -> [UInt8] {
        guard PhotoStore.isHash(sha256) else { throw StoreError.configuration("not a content hash") }
        let row = try await database.read { sql in
            try await sql.raw("SELECT bytes FROM photo_blobs WHERE sha256 = \(bind: sha256)").first()
        }
        guard let row else { throw StoreError.unavailable("A photo is missing from the database's photo store.") }
        return [UInt8](try row.decode(column: "bytes", as: Data.self))
    }

    public func remove(sha256: String, type: ImageMediaType) async throws {
        try await database.write { sql in
            try await sql.raw("DELETE FROM photo_blobs WHERE sha256 = \(bind: sha256)").run()
        }
    }
}
