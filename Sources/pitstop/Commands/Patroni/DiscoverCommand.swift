import ArgumentParser
import Foundation
import PitstopCore
import PitstopEngine

/// `pitstop discover patroni URL…`: an import document from what running systems say about themselves.
struct DiscoverCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "discover", abstract: "Print an import document from what running systems say (Patroni clusters).",
        subcommands: [DiscoverPatroniCommand.self])
}

/// Reads `GET /cluster` (and `GET /patroni` for the scope) of one member of each cluster and prints one task
/// with a resource per member: cluster, role, endpoint, host, tags as labels, and how to reach its Patroni.
struct DiscoverPatroniCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patroni", abstract: "An import document of Patroni clusters: one resource per member, roles as Patroni says.",
        discussion: """
            Give the REST API of one member of each cluster (http://HOST:8008). Each member becomes a resource with \
            its cluster (the scope), role (leader → primary; replica and sync_standby → replica), endpoint, host, its \
            tags as labels, and the labels patroni_url and patroni_member, by which the engine asks Patroni for the \
            member's live role before each attempt. The task's fields come from --task-template (a JSON object of \
            task fields, as in an import file, without resources); without one, a rolling restart through the \
            patroni-restart and patroni-switchover runbooks. Nothing is printed unless every URL answered.
            """)

    @OptionGroup var global: GlobalOptions

    @Argument(help: "The REST API of one member of each cluster, e.g. http://10.0.3.7:8008.")
    var urls: [String]

    @Option(name: .long, help: "A JSON file of task fields (id, title, executor, hooks, parameters…) for the task.")
    var taskTemplate: String?

    @Option(name: .long, help: "Seconds to wait for each member's answer.")
    var timeout: Double = 5

    func validate() throws {
        guard !urls.isEmpty else { throw ValidationError("give the REST API of at least one Patroni member, e.g. http://10.0.3.7:8008") }
        guard timeout > 0 else { throw ValidationError("--timeout must be more than 0 seconds") }
    }

    func run() throws {
        var task: [String: Any] = try taskTemplate.map(Self.template) ?? Self.defaultTask(now: Date())
        var resources: [[String: Any]] = []
        var failures: [String] = []
        var scopes: [String] = []
        for url in urls {
            do {
                let client = PatroniClient(url, timeout: timeout)
                let scope = try client.status().scope
                guard !scopes.contains(scope) else { continue }
                scopes.append(scope)
                resources += try client.cluster().members.map { Self.resource($0, scope: scope) }
            } catch {
                failures.append("\(error)")
            }
        }
        guard failures.isEmpty else {
            throw CLIError("nothing printed: " + failures.joined(separator: "; "))
        }
        if task["title"] == nil { task["title"] = "Rolling restart of Patroni cluster\(scopes.count == 1 ? "" : "s") \(scopes.joined(separator: ", "))" }
        task["resources"] = resources
        let document: [String: Any] = ["tasks": [task]]
        let data = try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        // What is printed must import: checked here with the import's own reader.
        do {
            _ = try ImportFormat.parse(data)
        } catch {
            throw CLIError("the document would not import: \(error)" + (taskTemplate.map { " (check \($0))" } ?? ""))
        }
        FileHandle.standardOutput.write(data + Data("\n".utf8))
    }

    /// One member as a resource of the import format.
    static func resource(_ member: PatroniMember, scope: String) -> [String: Any] {
        var labels = member.tags
        labels[PatroniCluster.urlLabel] = member.apiURL
        labels[PatroniCluster.memberLabel] = member.name
        return [
            "id": "\(scope)-\(member.name)", "name": "\(scope)/\(member.name)", "cluster": scope,
            "role": member.resourceRole.rawValue, "endpoint": member.endpoint, "host": member.host, "labels": labels,
        ]
    }

    /// The template's task fields; a file that is not a JSON object, or holds resources, is refused.
    static func template(_ path: String) throws -> [String: Any] {
        guard let data = FileManager.default.contents(atPath: path) else { throw CLIError("cannot read the task template \(path)") }
        guard let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any] else {
            throw CLIError("\(path) is not a JSON object of task fields")
        }
        guard object["resources"] == nil else { throw CLIError("\(path) has resources; the members of the clusters become them") }
        return object
    }

    /// A rolling restart through Patroni, recommended for tomorrow.
    static func defaultTask(now: Date) -> [String: Any] {
        [
            "id": "PATRONI-RESTART", "service": "PostgreSQL", "requirement": "recommended", "type": "config-change",
            "recommendedAt": InstantText.iso8601UTC(now.addingTimeInterval(86400)),
            "executor": ["kind": "runbook", "name": "patroni-restart", "timeoutSeconds": 900],
            "switchover": ["kind": "runbook", "name": "patroni-switchover"],
            "parameters": ["max_lag_bytes": "1048576"],
        ]
    }
}
