// swift-tools-version:6.0
import PackageDescription

let strict: [SwiftSetting] = [.enableUpcomingFeature("ExistentialAny"), .enableUpcomingFeature("MemberImportVisibility"), .enableUpcomingFeature("InternalImportsByDefault")]

let package = Package(
    name: "Pitstop",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "pitstop", targets: ["pitstop"]),
        // The owner of one attempt, installed beside `pitstop` (SPEC §10; see README "What happens when…").
        .executable(name: "pitstop-supervisor", targets: ["pitstop-supervisor"]),
        // For the benchmark package in Benchmarks/, which compares the store with SQLite and JSON.
        .library(name: "PitstopKit", targets: ["PitstopCore", "PitstopStore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .target(name: "PitstopCore", swiftSettings: strict),
        // Terminal column widths and safe printing, for the console and the command line's tables alike.
        .target(name: "PitstopText", dependencies: ["PitstopCore"], swiftSettings: strict),
        .target(name: "CPitstopCRC", cSettings: [.unsafeFlags(["-O2"])]),
        .target(name: "PitstopStore", dependencies: ["PitstopCore", "CPitstopCRC"], swiftSettings: strict),
        .target(name: "CPitstopSpawn"),
        // Linked statically: a dynamic link would load the Swift runtime (which this C program never calls) into
        // every supervisor, and spend 1.8 ms of CPU per start where a static one spends 0.3 ms. glibc's link
        // warning about dlopen comes from that runtime, and it does not run here.
        .executableTarget(
            name: "pitstop-supervisor", cSettings: [.unsafeFlags(["-O2", "-Wall", "-Wextra"])],
            linkerSettings: [.unsafeFlags(["-static-executable"])]),
        // HTTP and HTTPS with client certificates (Patroni's REST API, etcd's JSON gateway): libcurl, which
        // Debian ships, loaded with dlopen at the first request (its headers only at build time).
        .target(name: "CPitstopCurl"),
        .target(name: "PitstopEngine", dependencies: ["PitstopCore", "PitstopStore", "CPitstopSpawn", "CPitstopCurl"], swiftSettings: strict),
        .systemLibrary(
            name: "CNcursesw",
            providers: [.apt(["libncursesw5-dev"])]
        ),
        .target(
            name: "PitstopTUI",
            dependencies: ["PitstopCore", "PitstopText", "PitstopStore", "PitstopEngine", "CNcursesw"],
            swiftSettings: strict
        ),
        .executableTarget(
            name: "pitstop",
            dependencies: [
                "PitstopCore", "PitstopText", "PitstopStore", "PitstopEngine", "PitstopTUI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: strict
        ),
        // A writer that the crash tests kill with SIGKILL; not shipped to users.
        .executableTarget(
            name: "pitstop-torture",
            dependencies: ["PitstopCore", "PitstopStore"],
            swiftSettings: strict
        ),
        // The fuzz targets (make fuzz builds pitstop-fuzz with libFuzzer; make test runs a short seeded pass).
        .target(name: "PitstopFuzzing", dependencies: ["PitstopCore", "PitstopStore", "PitstopTUI"], swiftSettings: strict),
        .executableTarget(name: "pitstop-fuzz", dependencies: ["PitstopFuzzing"], swiftSettings: strict),
        .target(name: "PitstopTestSupport", swiftSettings: strict),
        .testTarget(name: "PitstopCoreTests", dependencies: ["PitstopCore"], swiftSettings: strict),
        .testTarget(name: "PitstopStoreTests", dependencies: ["PitstopCore", "PitstopStore", "PitstopTestSupport"], swiftSettings: strict),
        .testTarget(name: "PitstopEngineTests", dependencies: ["PitstopCore", "PitstopStore", "PitstopEngine", "PitstopTestSupport"], swiftSettings: strict),
        .testTarget(name: "PitstopTUITests", dependencies: ["PitstopTUI", "PitstopText", "PitstopCore", "PitstopStore", "PitstopEngine", "PitstopTestSupport"], exclude: ["Golden"], swiftSettings: strict),
        .testTarget(name: "PitstopCLITests", dependencies: ["PitstopCore", "PitstopStore", "PitstopTestSupport"], swiftSettings: strict),
        .testTarget(name: "PitstopFuzzTests", dependencies: ["PitstopFuzzing", "PitstopCore", "PitstopStore"], swiftSettings: strict),
    ],
    swiftLanguageModes: [.v6]
)
