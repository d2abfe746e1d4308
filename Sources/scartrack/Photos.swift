import ArgumentParser
import Foundation
import ScarCore
import ScarStore

struct PhotosCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "photos", abstract: "Maintain stored clinical photos.",
                                                    subcommands: [StripMetadata.self])

    struct StripMetadata: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "strip-metadata",
            abstract: "Remove embedded metadata (EXIF, XMP, IPTC, comments, PNG text, thumbnails) from photos stored before uploads were stripped.",
            discussion: """
            Each stored file is checked against its SHA-256, stripped (orientation kept), written under \
            its new hash, and every record pointing at it is updated and audited (photo.strip-metadata) \
            in one transaction; the old file is removed once nothing points at it. The camera's capture \
            time, if the file had one, is kept on the record. Safe to run twice and while the server runs: \
            files already clean are left alone. Take a backup before and after; backups taken later list \
            the new hashes. Exit codes: 0 done, 1 some files were missing or damaged (listed, left alone).
            """)

        func run() async throws {
            let logger = CommandEnvironment.logger()
            let configuration = try CommandEnvironment.configuration()
            let database = try await CommandEnvironment.openDatabase(configuration, logger: logger)
            let summary: Summary
            do {
                summary = try await strip(PhotoRepository(database), files: configuration.photoFiles(database))
            } catch {
                await database.shutdown()
                throw error
            }
            await database.shutdown()
            print(summary.description)
            if !summary.problems.isEmpty { throw ExitCode(1) }
        }

        struct Summary: CustomStringConvertible {
            var files = 0, rewritten = 0, clean = 0, records = 0
            var bytesBefore = 0, bytesAfter = 0
            var removed: [String: Int] = [:]
            var problems: [String] = []
            var seconds = 0.0

            var description: String {
                var lines = ["Checked \(files) photo files in \(String(format: "%.1f", seconds)) s: \(rewritten) rewritten without metadata "
                    + "(\(records) photo records updated), \(clean) already clean, \(problems.count) missing or damaged."]
                if rewritten > 0 {
                    let kinds = removed.sorted { $0.key < $1.key }.map { "\($0.key) in \($0.value)" }.joined(separator: ", ")
                    lines.append("Removed: \(kinds). Size of the rewritten files: \(bytesBefore) → \(bytesAfter) bytes.")
                }
                lines += problems.map { "  not changed: \($0)" }
                return lines.joined(separator: "\n")
            }
        }

        func strip(_ photos: PhotoRepository, files: any PhotoFiles) async throws -> Summary {
            let started = Date()
            var summary = Summary()
            let stored = try await photos.storedFiles()
            let progress = Progress(label: "Photos", total: stored.count)
            for (index, file) in stored.enumerated() {
                defer { progress.update(index + 1) }
                summary.files += 1
                let bytes: [UInt8]
                do {
                    bytes = try await files.read(sha256: file.sha256, type: file.mediaType)
                } catch {
                    summary.problems.append("\(file.sha256) (\(file.photos.count) records): the file is missing")
                    continue
                }
                guard PhotoStore.sha256Hex(bytes) == file.sha256 else {
                    summary.problems.append("\(file.sha256): its content no longer matches its hash (damaged); restore it from a backup")
                    continue
                }
                let stripped: StrippedImage
                let info: ImageInfo
                do {
                    stripped = try PhotoMetadata.strip(bytes)
                    info = try ImageSniffer.inspect(stripped.bytes)
                } catch {
                    summary.problems.append("\(file.sha256): not a readable image (\(error))")
                    continue
                }
                if stripped.bytes == bytes { summary.clean += 1; continue }
                let saved = try await files.save(stripped.bytes, type: info.mediaType)
                let new = PhotoRepository.File(sha256: saved.sha256, mediaType: info.mediaType, byteSize: saved.byteSize,
                                               width: info.width, height: info.height, cameraCapturedAt: stripped.cameraCapturedAt)
                let changed = try await photos.replaceFile(file, with: new, removed: stripped.removed)
                if try await !photos.isReferenced(sha256: file.sha256, mediaType: file.mediaType) {
                    try await files.remove(sha256: file.sha256, type: file.mediaType)
                }
                summary.rewritten += 1
                summary.records += changed
                summary.bytesBefore += bytes.count
                summary.bytesAfter += stripped.bytes.count
                for kind in stripped.removed { summary.removed[kind, default: 0] += 1 }
            }
            progress.finish()
            summary.seconds = Date().timeIntervalSince(started)
            return summary
        }
    }
}
