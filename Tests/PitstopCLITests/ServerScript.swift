import Foundation
import PitstopTestSupport

/// A script of `scripts/` that starts real servers in a directory (`start DIR`, printing `KEY=VALUE` lines)
/// and stops every one of them (`stop DIR`, safe to repeat): what the server fixtures share.
struct ServerScript {
    /// The script's path.
    let path: String
    let directory: String

    /// The script's name, for messages.
    var name: String { "scripts/" + URL(fileURLWithPath: path).lastPathComponent }

    /// Starts the servers and returns what the script printed, by key; when it fails, whatever it started is
    /// stopped and its own message thrown.
    func start() throws -> [String: String] {
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

    /// What to throw when the script printed less than the fixture needs: the servers are stopped first.
    func missing(_ values: [String: String]) -> FixtureError {
        stop()
        return FixtureError(message: "\(name) printed no endpoints: \(values)")
    }

    func stop() { _ = try? runProcess(path, ["stop", directory]) }
}
