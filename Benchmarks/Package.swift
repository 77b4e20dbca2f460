// swift-tools-version:6.0
// Baselines for `make bench`: the same fleet loaded from Pitstop's store, from SQLite (C API) and from
// Foundation's JSONDecoder, in one process. Kept out of the main package so the product has no SQLite.
import PackageDescription

let package = Package(
    name: "PitstopBenchmarks",
    platforms: [.macOS(.v14)],
    dependencies: [.package(name: "Pitstop", path: "..")],
    targets: [
        .systemLibrary(name: "CSQLite", providers: [.apt(["libsqlite3-dev"])]),
        .executableTarget(
            name: "pitstop-baselines",
            dependencies: ["CSQLite", .product(name: "PitstopKit", package: "Pitstop")]),
    ],
    swiftLanguageModes: [.v6]
)
