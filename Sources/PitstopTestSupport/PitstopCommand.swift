public import Foundation

/// The built `pitstop` run as a real process against one store. Every suite that starts processes goes
/// through it, so they all run the binary the same way: `TZ=UTC`, output captured, daemons quiet.
public struct PitstopCommand: Sendable {
    /// The store every command is given with `--store`.
    public let store: String
    /// Variables added to the test's own environment.
    public var environment: [String: String]

    /// Commands on `store`, with `environment` added to `TZ=UTC`.
    public init(store: String, environment: [String: String] = [:]) {
        self.store = store
        self.environment = ["TZ": "UTC"].merging(environment) { $1 }
    }

    /// The `pitstop` binary of this build.
    public static var binary: String { BuiltProducts.path("pitstop") }

    /// Runs `pitstop --store STORE ARGUMENTS…` to completion.
    @discardableResult
    public func run(_ arguments: [String], environment extra: [String: String] = [:], input: String? = nil) throws -> ProcessResult {
        try runProcess(Self.binary, ["--store", store] + arguments, environment: environment.merging(extra) { $1 }, input: input)
    }

    /// Starts `pitstop daemon` on the store in the background, with `environment`; stop it with `interrupt()`
    /// or SIGKILL.
    public func startDaemon(interval: Double = 0.1) throws -> Process {
        try startInBackground(Self.binary, ["--store", store, "daemon", "--interval", String(interval)], environment: environment)
    }
}
