import Foundation
import SQLKit

extension ScarDatabase {
    /// Outbox messages by state across the installation, for `/metrics`.
    public func outboxCounts() async throws -> [(status: String, count: Int)] {
        try await read { sql in
            try await sql.raw("SELECT status, COUNT(*) AS n FROM message_outbox GROUP BY status ORDER BY status").all().map {
                (try $0.decode(column: "status", as: String.self), try $0.decode(column: "n", as: Int.self))
            }
        }
    }
}
