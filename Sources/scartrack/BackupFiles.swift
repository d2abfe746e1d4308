import Foundation
import ScarStore
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

private func systemRename(_ from: String, _ to: String) -> Int32 {
    rename(from, to)
}

enum BackupFiles {
    static func requireEmptyFolder(_ folder: URL) throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: folder.path, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else { throw BackupError(.targetNotEmpty, "\(folder.path) is a file, not a folder") }
        if hasEntries(folder) { throw BackupError(.targetNotEmpty, "\(folder.path) is not empty; choose a new or empty folder") }
    }

    static func hasEntries(_ folder: URL) -> Bool {
        !((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).isEmpty
    }

    static func makeFolder(_ folder: URL) throws {
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw BackupError(.failed, "cannot create \(folder.path): \(error.localizedDescription)")
        }
    }

    static func size(_ path: String) throws -> Int {
        ((try FileManager.default.attributesOfItem(atPath: path))[.size] as? NSNumber)?.intValue ?? 0
    }

    static func rename(_ from: String, to: String) throws {
        guard systemRename(from, to) == 0 else {
            throw BackupError(.failed, "cannot rename \(from): \(String(cString: strerror(errno)))")
        }
        syncFolder((to as NSString).deletingLastPathComponent)
    }

    static func syncFolder(_ path: String) {
        let fd = open(path, O_RDONLY)
        guard fd >= 0 else { return }
        _ = fsync(fd)
        close(fd)
    }

    /// Relative, no `..`, no absolute path: a manifest cannot make restore write elsewhere.
    static func isSafeRelativePath(_ path: String) -> Bool {
        !path.isEmpty && !path.hasPrefix("/") && !path.split(separator: "/").contains { $0 == ".." || $0 == "." }
    }

    /// Copies one file, checking its SHA-256 against the expected one, writing 0600 with fsync
    /// through a temporary name. Returns the size.
    static func copyVerified(from source: URL, to target: URL, sha256: String, what: String) throws -> Int {
        guard let data = FileManager.default.contents(atPath: source.path) else {
            throw BackupError(.verificationFailed, "\(what) is missing")
        }
        guard PhotoStore.sha256Hex([UInt8](data)) == sha256 else {
            throw BackupError(.verificationFailed, "\(what) does not match its SHA-256 (damaged or altered)")
        }
        try makeFolder(target.deletingLastPathComponent())
        let temp = target.path + ".partial"
        let fd = open(temp, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        guard fd >= 0 else { throw BackupError(.failed, "cannot write \(temp): \(String(cString: strerror(errno)))") }
        var failure: String?
        data.withUnsafeBytes { buffer in
            var written = 0
            while written < buffer.count {
                let n = write(fd, buffer.baseAddress! + written, buffer.count - written)
                if n < 0 {
                    if errno == EINTR { continue }
                    failure = String(cString: strerror(errno))
                    return
                }
                written += n
            }
        }
        if failure == nil, fsync(fd) != 0 { failure = String(cString: strerror(errno)) }
        close(fd)
        if let failure {
            unlink(temp)
            throw BackupError(.failed, "cannot write \(target.path): \(failure)")
        }
        try rename(temp, to: target.path)
        return data.count
    }

    static func writeManifest(_ manifest: BackupManifest, to folder: URL) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = try encoder.encode(manifest)
        let temp = folder.appendingPathComponent(".manifest.json.partial")
        do { try data.write(to: temp); chmod(temp.path, 0o600) } catch { throw BackupError(.failed, "cannot write the manifest: \(error.localizedDescription)") }
        try rename(temp.path, to: folder.appendingPathComponent("manifest.json").path)
    }

    static func readManifest(in folder: URL) throws -> BackupManifest {
        let path = folder.appendingPathComponent("manifest.json").path
        guard let data = FileManager.default.contents(atPath: path) else {
            throw BackupError(.verificationFailed, "\(path) is missing: not a complete backup")
        }
        do {
            return try JSONDecoder().decode(BackupManifest.self, from: data)
        } catch {
            throw BackupError(.verificationFailed, "manifest.json cannot be read: \(error)")
        }
    }
}

/// pg_dump / pg_restore: found on PATH, in PG_BIN, or in Debian's PostgreSQL 15 folder. The
/// password never goes on the command line (other users could read it); it goes in PGPASSWORD.
enum PostgresTools {
    static func find(_ tool: String) throws -> String {
        let environment = ProcessInfo.processInfo.environment
        var folders = (environment["PATH"] ?? "").split(separator: ":").map(String.init)
        if let bin = environment["PG_BIN"] { folders.insert(bin, at: 0) }
        folders.append("/usr/lib/postgresql/15/bin")
        for folder in folders {
            let path = (folder as NSString).appendingPathComponent(tool)
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        throw BackupError(.failed, "\(tool) was not found on PATH, in PG_BIN or in /usr/lib/postgresql/15/bin (install the PostgreSQL client tools)")
    }

    static func run(_ tool: String, _ arguments: [String], url: String) async throws {
        var components = URLComponents(string: url)
        var environment = ProcessInfo.processInfo.environment
        if let password = components?.password {
            environment["PGPASSWORD"] = password
            components?.password = nil
        }
        let connection = components?.string ?? url
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments + ["--dbname=\(connection)"]
        process.environment = environment
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("scartrack-\((tool as NSString).lastPathComponent)-\(UUID().uuidString).log")
        FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let handle = try FileHandle(forWritingTo: log)
        process.standardError = handle
        process.standardOutput = handle
        let status: Int32 = try await withCheckedThrowingContinuation { continuation in
            process.terminationHandler = { continuation.resume(returning: $0.terminationStatus) }
            do { try process.run() } catch { continuation.resume(throwing: error) }
        }
        try? handle.close()
        guard status == 0 else {
            let output = (try? String(contentsOf: log, encoding: .utf8)) ?? ""
            throw BackupError(.failed, "\((tool as NSString).lastPathComponent) exited \(status): \(output.trimmingCharacters(in: .whitespacesAndNewlines))")
        }
    }
}
