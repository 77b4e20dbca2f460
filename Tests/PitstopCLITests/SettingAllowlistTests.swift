import Foundation
import PitstopTestSupport
import Testing

/// `pitstop patroni config-change` (what the `patroni-config-change` runbook runs) keeps the owner's rules for
/// settings, as `pg-config-change` does (RealDatabaseTests): refused with exit 10 before Patroni is asked.
struct SettingAllowlistTests {
    func change(_ setting: String, allowed: String?) throws -> ProcessResult {
        var environment = ["PITSTOP_LABEL_PATRONI_URL": "http://127.0.0.1:1", "PITSTOP_LABEL_PATRONI_MEMBER": "pg1", "PITSTOP_RESOURCE_ROLE": "replica"]
        environment["PITSTOP_ALLOWED_SETTINGS"] = allowed
        return try runProcess(PitstopCommand.binary, ["patroni", "config-change", "--setting", setting, "--value", "x"], environment: environment)
    }

    @Test(arguments: [
        ("archive_command", nil, "runs a program"), ("shared_preload_libraries", nil, "runs a program"), ("log_directory", "log_*", "runs a program"),
        ("ssl_passphrase_command", "*", "runs a program"), ("shared_buffers", "work_mem,log_*", "is not among the settings"),
    ] as [(String, String?, String)])
    func isRefusedBeforePatroniIsAsked(setting: String, allowed: String?, why: String) throws {
        let result = try change(setting, allowed: allowed)
        #expect(result.status == 10 && result.stdout.hasPrefix("refused: \(setting) ") && result.stdout.contains(why), "\(result.status) \(result.stdout)")
    }

    @Test func aSettingTheOwnerNamesOrAnOrdinaryOneGoesOnToPatroni() throws {
        for (setting, allowed) in [("archive_command", "archive_command"), ("work_mem", nil), ("work_mem", "work_*")] as [(String, String?)] {
            let result = try change(setting, allowed: allowed)
            #expect(result.status != 10 && !result.stdout.contains("refused: \(setting) "), "\(setting): \(result.stdout)")
        }
    }
}
