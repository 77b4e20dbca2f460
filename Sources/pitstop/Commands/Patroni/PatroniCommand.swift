import ArgumentParser
import Foundation
import PitstopCore
import PitstopEngine

/// `pitstop patroni …`: the steps of the Patroni runbooks (examples/runbooks/patroni-*), run by the engine
/// inside an attempt. Each reads its member from the attempt's environment (`PITSTOP_LABEL_PATRONI_URL`,
/// `PITSTOP_LABEL_PATRONI_MEMBER`, `PITSTOP_RESOURCE_ROLE`, `PITSTOP_PARAM_*`), or from the options when run
/// by hand; each prints what it did as its last line and exits non-zero when it could not.
struct PatroniCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "patroni", abstract: "The steps of the Patroni runbooks: live-role check, switchover, restart, setting change.",
        subcommands: [PatroniPrecheckCommand.self, PatroniSwitchoverCommand.self, PatroniRestartCommand.self, PatroniConfigChangeCommand.self])
}

/// Which member a step acts on, and the task's parameters: from the options, else the attempt's environment.
struct PatroniTargetOptions: ParsableArguments {
    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: "The member's REST API (default: PITSTOP_LABEL_PATRONI_URL).")
    var url: String?

    @Option(name: .long, help: "The member's name in Patroni (default: PITSTOP_LABEL_PATRONI_MEMBER).")
    var member: String?

    /// The member to act on; a missing label is a message saying how to get it (discover).
    func target(_ environment: [String: String] = ProcessInfo.processInfo.environment) throws -> PatroniTarget {
        guard let url = url ?? environment["PITSTOP_LABEL_PATRONI_URL"], !url.isEmpty else {
            throw CLIError("no Patroni URL: give --url, or the resource a label patroni_url (pitstop discover patroni sets it)")
        }
        guard let member = member ?? environment["PITSTOP_LABEL_PATRONI_MEMBER"], !member.isEmpty else {
            throw CLIError("no Patroni member name: give --member, or the resource a label patroni_member (pitstop discover patroni sets it)")
        }
        return PatroniTarget(client: PatroniClient(url), member: member, environment: environment)
    }
}

/// One member and the attempt's environment.
struct PatroniTarget {
    let client: PatroniClient
    let member: String
    let environment: [String: String]

    /// The role the task expects (`PITSTOP_RESOURCE_ROLE`), if any.
    var expectedRole: ResourceRole? { environment["PITSTOP_RESOURCE_ROLE"].flatMap(ResourceRole.init(rawValue:)) }

    /// A task parameter (`PITSTOP_PARAM_NAME`).
    func parameter(_ name: String) -> String? {
        environment["PITSTOP_PARAM_" + name.uppercased()].flatMap { $0.isEmpty ? nil : $0 }
    }

    /// A whole-number parameter, or its default; anything else is refused by name.
    func number(_ name: String, default value: Int64) throws -> Int64 {
        guard let text = parameter(name) else { return value }
        guard let number = Int64(text), number >= 0 else { throw CLIError("parameter \(name) must be a whole number (got \"\(text)\")") }
        return number
    }

    var dryRun: Bool { environment["PITSTOP_DRY_RUN"] == "1" }

    /// The cluster, asked of this member and, if it does not answer, of the others it last knew.
    func cluster() throws -> PatroniCluster {
        try client.cluster()
    }

    /// Prints `PITSTOP_PROGRESS=N` for the console's bar.
    static func progress(_ percent: Int) {
        print("PITSTOP_PROGRESS=\(percent)")
        fflush(nil)
    }

    /// Says `line` and `tries` until `check` holds or `seconds` pass (twice a second).
    static func wait(_ seconds: Double, _ check: () throws -> Bool) rethrows -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if try check() { return true }
            Thread.sleep(forTimeInterval: 0.5)
        }
        return try check()
    }
}

/// Prints `message` as the step's last line and ends with status 1: the engine records that line.
func refuse(_ message: String) -> ExitCode {
    print(message)
    fflush(nil)
    return ExitCode(1)
}
