// swift-tools-version:6.0
// Baselines for `make bench`: the same fleet loaded from Pitstop's store, from SQLite (into C structs by a C
// loader, and into the Swift structs) and from Foundation's JSONDecoder, in one process, and the C loader as a command for the whole-process comparison. Kept out of the main package so the product has no SQLite.
import PackageDescription

let package = Package(
    name: "PitstopBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: "Pitstop", path: "..")],
    targets: [
        .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        // The C loader: SQLite rows into C structs, the bar SPEC §14 sets the store's open against.
        .target(name: "CSQLiteLoader", cSettings: [.unsafeFlags(["-O2"])], linkerSettings: [.linkedLibrary("sqlite3")]),
        .executableTarget(
            name: "pitstop-baselines",
            dependencies: ["CSQLite", "CSQLiteLoader", .product(name: "PitstopKit", package: "Pitstop")]),
        // The whole-process baseline (SPEC §21): the C loader as a command, timed beside `pitstop store info`.
        .executableTarget(name: "sqlite-load", dependencies: ["CSQLiteLoader"], cSettings: [.unsafeFlags(["-O2"])]),
    ],
    swiftLanguageModes: [.v6]
)
