public import Foundation

/// A fixture that could not be set up, with what went wrong.
public struct FixtureError: Error, CustomStringConvertible {
    public let message: String
    public var description: String { message }
    public init(message: String) { self.message = message }
}

/// A script of `scripts/` that starts real servers in a directory (`start DIR`, printing `KEY=VALUE` lines)
/// and stops every one of them (`stop DIR`, safe to repeat): what the server fixtures share.
public struct ServerScript: Sendable {
    /// The checkout, where `scripts/` and `examples/` are.
    public static let repository = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    /// The script's path.
    public let path: String
    public let directory: String

    /// `scripts/NAME` of the checkout, for servers in `directory`.
    public init(_ name: String, directory: String) {
        path = Self.repository.appendingPathComponent("scripts/\(name)").path
        self.directory = directory
    }

    /// The script's name, for messages.
    public var name: String { "scripts/" + URL(fileURLWithPath: path).lastPathComponent }

    /// Starts the servers and returns what the script printed, by key; when it fails, whatever it started is
    /// stopped and its own message thrown.
    public func start() throws -> [String: String] {
        let started = try runProcess(path, ["start", directory])
        guard started.status == 0 else {
            stop()
            throw FixtureError(message: "\(name) start failed (\(started.status)): \(started.stderr)")
        }
        var values: [String: String] = [:]
        for line in started.stdout.split(separator: "\n") {
            let parts = line.split(separator: "=", maxSplits: 1).map(String.init)
            if parts.count == 2 { values[parts[0]] = parts[1] }
        }
        return values
    }

    /// Runs another of the script's commands on the same directory (`kill DIR NAME`…), throwing its message.
    public func run(_ command: String, _ arguments: [String] = []) throws {
        let result = try runProcess(path, [command, directory] + arguments)
        guard result.status == 0 else { throw FixtureError(message: "\(name) \(command) failed (\(result.status)): \(result.stderr)") }
    }

    /// What to throw when the script printed less than the fixture needs: the servers are stopped first.
    public func missing(_ values: [String: String]) -> FixtureError {
        stop()
        return FixtureError(message: "\(name) printed no endpoints: \(values)")
    }

    public func stop() { _ = try? runProcess(path, ["stop", directory]) }
}
