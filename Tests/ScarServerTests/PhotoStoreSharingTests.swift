import Foundation
import HTTPTypes
import Hummingbird
import HummingbirdTesting
import NIOCore
import ScarServer
import ScarStore
import ScarTestSupport
import Testing

/// Several app servers on one database (`SCARTRACK_PHOTO_STORE=database`): a photo uploaded
/// through one server is served by another with a data folder of its own, and no server keeps
/// the bytes on its disk. With the folder store the second server cannot serve it, which is
/// why the database store exists.
@Suite("Photos shared by several app servers")
struct PhotoStoreSharingTests {
    /// Runs a second app server on the harness's database (its own connections, as another
    /// process would have), with its own data folder and store.
    static func secondServer(_ h: Harness, photoStore: PhotoStoreKind,
                             _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void) async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("scartrack-second-\(UUID().uuidString.lowercased())")
        defer { try? FileManager.default.removeItem(at: dir) }
        var configuration = Harness.configuration()
        configuration.dataDirectory = dir.path
        configuration.photoStore = photoStore
        let database = try ScarDatabase(location: h.db.location, logger: TestDatabase.logger, connectionsPerEventLoop: 1, connectionTimeout: 60)
        let built = try await ScarApp.build(configuration: configuration, database: database, logger: TestDatabase.logger, metrics: Harness.metrics)
        do {
            try await built.application.test(.live) { client in try await body(client) }
        } catch {
            await database.shutdown()
            throw error
        }
        await database.shutdown()
    }

    static func image(_ client: any TestClientProtocol, photo: String, token: String) async throws -> (HTTPResponse.Status, [UInt8]) {
        let r = try await client.executeRequest(uri: "/photos/\(photo)/image", method: .get, headers: [.authorization: "Bearer \(token)"], body: nil)
        return (r.status, Array(r.body.readableBytesView))
    }

    @Test func aPhotoUploadedThroughOneServerIsServedByAnother() async throws {
        try await withPhotoHarness(photoStore: .database) { h, dir in
            let token = try await h.token(.practitioner)
            let patient = try await h.newPatient(token)
            let png = ImageFixtures.png(width: 4, height: 3)
            let r = try await h.upload(.photo(png), patient: patient, token: token)
            #expect(r.status == .created, "\(r.text)")
            let id = try #require(r.json["id"] as? String)
            #expect(filesUnder(dir).isEmpty, "the database store writes nothing to the server's disk")
            try await Self.secondServer(h, photoStore: .database) { other in
                let (status, bytes) = try await Self.image(other, photo: id, token: token)
                #expect(status == .ok)
                #expect(bytes == png)
            }
            // Identical content is stored once.
            let again = try await h.upload(.photo(png, view: "lateral-left"), patient: patient, token: token)
            #expect(again.status == .created, "\(again.text)")
            let blobs = try await h.db.read { sql in try await sql.raw("SELECT COUNT(*) AS n FROM photo_blobs").first()!.decode(column: "n", as: Int.self) }
            #expect(blobs == 1)
        }
    }

    @Test func withTheFolderStoreAnotherServerCannotServeThePhoto() async throws {
        try await withPhotoHarness(photoStore: .folder) { h, _ in
            let token = try await h.token(.practitioner)
            let patient = try await h.newPatient(token)
            let r = try await h.upload(.photo(ImageFixtures.png(width: 2, height: 2)), patient: patient, token: token)
            let id = try #require(r.json["id"] as? String)
            try await Self.secondServer(h, photoStore: .folder) { other in
                let (status, _) = try await Self.image(other, photo: id, token: token)
                #expect(status == .serviceUnavailable, "the bytes are on the first server's disk only")
            }
        }
    }
}
