#if canImport(Glibc)
import Glibc
#endif
import Foundation
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization

/// Memory freed after a burst of requests stays with the C allocator (glibc keeps it in its
/// per-thread arenas) and the process keeps its peak size. Once the server has been quiet for a
/// moment, the free memory is handed back to the system, so an idle server's footprint falls
/// back after load (issue 16: under 60 MB idle). `SCARTRACK_RETURN_IDLE_MEMORY=false` turns it
/// off (for measuring).
public final class IdleMemory: Sendable {
    private let requests = Atomic<Int>(0)

    public init() {}

    /// Fewer arenas: with many threads glibc makes up to eight per core, each keeping its own free memory.
    public static func limitArenas() {
        #if canImport(Glibc)
        // `M_ARENA_MAX` from <malloc.h>, which Swift's Glibc module does not bring.
        if let mallopt = cFunction("mallopt", as: (@convention(c) (Int32, Int32) -> Int32).self) { _ = mallopt(-8, 2) }
        #endif
    }

    static func trim() {
        #if canImport(Glibc)
        if let trim = cFunction("malloc_trim", as: (@convention(c) (Int) -> Int32).self) { _ = trim(0) }
        releaseCodePages()
        #endif
    }

    /// Most of an idle server's resident size is code (the binary's and Foundation's), mapped
    /// page by page as requests first ran it. Unmapping the executable mappings of files lets the
    /// system count only what is used again: the pages stay in the page cache and the next request
    /// maps them back without reading the disk. Only `r-xp` file mappings: code is never written,
    /// so nothing but the mapping is dropped (never data, never anonymous memory).
    static func releaseCodePages() {
        #if canImport(Glibc)
        guard let maps = try? String(contentsOfFile: "/proc/self/maps", encoding: .utf8) else { return }
        for line in maps.split(separator: "\n") {
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 6, fields[1] == "r-xp", fields[5].hasPrefix("/") else { continue }
            let range = fields[0].split(separator: "-")
            guard range.count == 2, let start = UInt(range[0], radix: 16), let end = UInt(range[1], radix: 16), end > start,
                  let address = UnsafeMutableRawPointer(bitPattern: start) else { continue }
            _ = madvise(address, Int(end - start), MADV_DONTNEED)
        }
        #endif
    }

    #if canImport(Glibc)
    /// A glibc function looked up by name (<malloc.h> is not in Swift's Glibc module); nil elsewhere.
    static func cFunction<F>(_ name: String, as type: F.Type) -> F? {
        guard let symbol = dlsym(nil, name) else { return nil }
        return unsafeBitCast(symbol, to: type)
    }
    #endif

    func noteRequest() { requests.add(1, ordering: .relaxed) }

    /// Checks once a second; after a second without a request that followed a trim, trims.
    func watch() async {
        var seen = requests.load(ordering: .relaxed), trimmedAt = seen
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            try? await cancelOnGracefulShutdown { try await Task.sleep(for: .seconds(1)) }
            let now = requests.load(ordering: .relaxed)
            if now == seen && now != trimmedAt {
                Self.trim()
                trimmedAt = now
            }
            seen = now
        }
    }

    struct Watcher: Service {
        let memory: IdleMemory
        func run() async throws { await memory.watch() }
    }

    /// Counts requests, so the watcher knows when the server has gone quiet.
    struct Middleware: RouterMiddleware {
        typealias Context = AppContext
        let memory: IdleMemory

        func handle(_ request: Request, context: AppContext, next: (Request, AppContext) async throws -> Response) async throws -> Response {
            memory.noteRequest()
            return try await next(request, context)
        }
    }
}
