// swift-tools-version:6.2
import PackageDescription

// Arrows point down only: scartrack → ScarServer → ScarClinic → ScarStore → ScarCore.
let package = Package(
    name: "scartrack",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "scartrack", targets: ["scartrack"]),
    ],
    dependencies: [
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/hummingbird-project/hummingbird-auth.git", from: "2.5.0"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "3.12.3"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
        // Already pulled in by Hummingbird; named so the SMTP sender can use NIOPosix directly.
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.81.0"),
        .package(url: "https://github.com/vapor/fluent-kit.git", from: "1.57.0"),
        .package(url: "https://github.com/vapor/fluent-sqlite-driver.git", from: "4.9.0"),
        .package(url: "https://github.com/vapor/fluent-postgres-driver.git", from: "2.14.0"),
        .package(url: "https://github.com/vapor/sql-kit.git", from: "3.36.0"),
        .package(url: "https://github.com/vapor/sqlite-nio.git", from: "1.13.2"),
        .package(url: "https://github.com/vapor/postgres-nio.git", from: "1.33.2"),
        // `/metrics`: Hummingbird's request metrics and ScarTrack's own, in Prometheus's text format.
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        // CSV import (issue 15): a streaming RFC 4180 reader.
        .package(url: "https://github.com/yaslab/CSV.swift.git", from: "2.5.2"),
        // Tests only: HTML snapshots of the busiest pages.
        .package(url: "https://github.com/pointfreeco/swift-snapshot-testing", from: "1.19.7"),
    ],
    targets: [
        .target(name: "ScarCore"),
        .target(
            name: "ScarStore",
            dependencies: [
                "ScarCore",
                .product(name: "FluentKit", package: "fluent-kit"),
                .product(name: "FluentSQLiteDriver", package: "fluent-sqlite-driver"),
                .product(name: "FluentPostgresDriver", package: "fluent-postgres-driver"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "SQLiteNIO", package: "sqlite-nio"),
                .product(name: "PostgresNIO", package: "postgres-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ]
        ),
        // One type per clinic workflow (use case): reads, decides with ScarCore, writes and audits
        // its intent in one transaction. Every adapter (API, pages, CLI) calls these.
        .target(name: "ScarClinic", dependencies: ["ScarCore", "ScarStore", .product(name: "CSV", package: "CSV.swift"),
                                                 .product(name: "Crypto", package: "swift-crypto")]),
        // FHIR R4: hand-written resource structs and pure mappings from ScarCore values and store
        // records (no SQL here, no FHIR shape stored).
        .target(name: "ScarFHIR", dependencies: ["ScarCore", "ScarStore"]),
        .target(
            name: "ScarServer",
            dependencies: [
                "ScarCore",
                "ScarStore",
                "ScarClinic",
                "ScarFHIR",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdAuth", package: "hummingbird-auth"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ],
            resources: [.copy("Resources/Templates"), .copy("Resources/Static"), .copy("Resources/API")]
        ),
        .executableTarget(
            name: "scartrack",
            dependencies: [
                "ScarCore",
                "ScarStore",
                "ScarClinic",
                "ScarServer",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
            ]
        ),
        // Shared test helpers: a fresh migrated database per test on either engine.
        .target(
            name: "ScarTestSupport",
            dependencies: ["ScarStore", "ScarCore", "ScarImageFixtures", .product(name: "SQLKit", package: "sql-kit"),
                           .product(name: "HummingbirdBcrypt", package: "hummingbird-auth")],
            path: "Tests/ScarTestSupport"
        ),
        // Images with camera metadata, byte by byte; no dependencies so ScarCore's tests can use them.
        .target(name: "ScarImageFixtures", path: "Tests/ScarImageFixtures"),
        .testTarget(name: "ScarCoreTests", dependencies: ["ScarCore", "ScarImageFixtures"]),
        .testTarget(name: "ScarStoreTests", dependencies: ["ScarStore", "ScarCore", "ScarTestSupport",
                                                          .product(name: "SQLKit", package: "sql-kit")]),
        .testTarget(
            name: "ScarServerTests",
            dependencies: [
                "ScarServer", "ScarClinic", "ScarStore", "ScarCore", "ScarFHIR", "ScarTestSupport",
                .product(name: "HummingbirdTesting", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "HummingbirdBcrypt", package: "hummingbird-auth"),
                .product(name: "SQLKit", package: "sql-kit"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "SnapshotTesting", package: "swift-snapshot-testing"),
            ]
        ),
    ]
)
