import Foundation
import ScarStore
import ScarTestSupport
import Testing

/// Issue 11, item 3, at the store: `reserve` counts and records in one serialized write, so
/// concurrent attempts can never all pass the count (both engines).
@Suite("Sign-in throttle reservations")
struct SignInThrottleTests {
    static func concurrentReservations(_ throttle: SignInThrottle, accounts: [String], address: String) async throws -> Int {
        try await withThrowingTaskGroup(of: Bool.self) { group in
            for account in accounts {
                group.addTask { try await throttle.reserve(account: account, clientAddress: address) != nil }
            }
            return try await group.reduce(0) { $0 + ($1 ? 1 : 0) }
        }
    }

    @Test func twelveConcurrentAttemptsFromOneAddressAcrossAccountsReserveExactlyTheAddressLimit() async throws {
        try await TestDatabase.with { db in
            let throttle = SignInThrottle(db, maxPerAccount: 5, maxPerAddress: 5)
            let accounts = (0..<12).map { "someone-\($0)@nowhere.example" }
            let reserved = try await Self.concurrentReservations(throttle, accounts: accounts, address: "192.0.2.7")
            #expect(reserved == 5)
            // Another address is not affected; this one stays at its limit.
            let elsewhere = try await throttle.reserve(account: "fresh@nowhere.example", clientAddress: "192.0.2.8")
            let here = try await throttle.reserve(account: "fresh@nowhere.example", clientAddress: "192.0.2.7")
            #expect(elsewhere != nil)
            #expect(here == nil)
        }
    }

    @Test func twelveConcurrentAttemptsForOneAccountReserveExactlyTheAccountLimit() async throws {
        try await TestDatabase.with { db in
            let throttle = SignInThrottle(db)
            let accounts = Array(repeating: "Front.Desk@Harbour.example", count: 12)
            let reserved = try await Self.concurrentReservations(throttle, accounts: accounts, address: "192.0.2.9")
            #expect(reserved == throttle.maxPerAccount)
        }
    }

    @Test func aSuccessClearsItsReservationAndTheAccountsFailures() async throws {
        try await TestDatabase.with { db in
            let throttle = SignInThrottle(db, maxPerAccount: 2, maxPerAddress: 20)
            let first = try #require(try await throttle.reserve(account: "a@b.example", clientAddress: "192.0.2.1"))
            try await throttle.failed(first, clinicId: nil, userId: nil)
            let second = try #require(try await throttle.reserve(account: "a@b.example", clientAddress: "192.0.2.1"))
            let third = try await throttle.reserve(account: "a@b.example", clientAddress: "192.0.2.1")
            #expect(third == nil, "two counted: at the limit")
            try await throttle.succeeded(second)
            let afterSuccess = try await throttle.reserve(account: "a@b.example", clientAddress: "192.0.2.1")
            #expect(afterSuccess != nil)
        }
    }
}
