import ArgumentParser
import Foundation
import PitstopCore
import PitstopEngine

/// Changes one PostgreSQL setting in the cluster's dynamic configuration (`PATCH /config`) and, once this
/// member has taken it, restarts the member through Patroni if the setting needs it. Run on every member in
/// Pitstop's order (replicas first, the primary after its switchover): the first attempt changes the
/// setting, the others find it changed, and each member restarts once, in its turn.
struct PatroniConfigChangeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "config-change", abstract: "Set a PostgreSQL parameter through Patroni, then restart this member if it needs it.")

    @OptionGroup var target: PatroniTargetOptions

    @Option(name: .long, help: "The setting (default: PITSTOP_PARAM_SETTING).")
    var setting: String?

    @Option(name: .long, help: "Its new value (default: PITSTOP_PARAM_VALUE).")
    var value: String?

    func run() throws {
        let target = try target.target()
        guard let setting = setting ?? target.parameter("setting") else { throw refuse("no setting: give the task a parameter \"setting\" (e.g. shared_buffers)") }
        guard setting.allSatisfy({ $0.isLetter || $0.isNumber || $0 == "_" || $0 == "." }) else { throw refuse("\"\(setting)\" is not a PostgreSQL setting name") }
        if let refusal = SettingAllowlist(ProcessInfo.processInfo.environment["PITSTOP_ALLOWED_SETTINGS"]).refusal(setting) {
            print(refusal)
            fflush(nil)
            throw ExitCode(10)
        }
        guard let value = value ?? target.parameter("value") else { throw refuse("no value: give the task a parameter \"value\"") }
        PatroniTarget.progress(2)
        let config: [String: Any]
        do { config = try target.client.config() } catch { throw refuse("cannot read the cluster's configuration: \(error)") }
        let current = ((config["postgresql"] as? [String: Any])?["parameters"] as? [String: Any])?[setting].map { "\($0)" }
        let loopWait = (config["loop_wait"] as? NSNumber)?.doubleValue ?? 10
        if current == value {
            print("\(setting) is already \(value) in Patroni's configuration")
        } else if target.dryRun {
            print("dry run: would set \(setting) from \(current ?? "its default") to \(value), then restart \(target.member) if it needs it; nothing changed")
            return
        } else {
            do { _ = try target.client.patchConfig(["postgresql": ["parameters": [setting: value]]]) } catch {
                throw refuse("Patroni did not take \(setting) = \(value): \(error)")
            }
            print("set \(setting) from \(current ?? "its default") to \(value) in Patroni's configuration")
        }
        PatroniTarget.progress(10)
        // Patroni applies the configuration on its next loop: wait for this member to report a pending restart,
        // or, for a setting that needs none, for two loops to pass.
        var pending = false
        _ = PatroniTarget.wait(loopWait * 2 + 2) {
            pending = (try? target.client.status())?.pendingRestart ?? false
            return pending
        }
        if target.dryRun {
            print("dry run: \(target.member) \(pending ? "would restart" : "needs no restart"); nothing changed")
            return
        }
        guard pending else {
            PatroniTarget.progress(100)
            let since = (try? target.client.status())?.postmasterStart ?? "?"
            print("\(setting) = \(value) in effect on \(target.member), no restart pending (up since \(since))")
            return
        }
        try PatroniRestartCommand.restart(target, onlyIfPending: true)
    }
}
