import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// What the store's owner lets tasks change (SPEC §29), the same rules as the shell runbooks'
/// (`pg-config-change`): `PITSTOP_ALLOWED_SETTINGS`, from the engine's environment, lists names or globs; a
/// setting that runs a program, loads a library or names a file or directory is refused unless named exactly.
struct SettingAllowlist {
    /// Settings a member's task could turn into code or a file written as the database's user.
    static let dangerous = ["*_command", "*librar*", "*_file", "*_files", "*_directory", "*_directories", "*_dir", "*_path", "*_keyfile",
                            "log_filename", "jit_provider", "unix_socket_*"]
    let patterns: [String]

    /// The allowlist `PITSTOP_ALLOWED_SETTINGS` gives (comma- or space-separated); none when unset.
    init(_ text: String?) {
        patterns = (text ?? "").split(whereSeparator: { $0 == "," || $0 == " " }).map(String.init)
    }

    static func matches(_ setting: String, _ pattern: String) -> Bool { fnmatch(pattern, setting, 0) == 0 }

    /// Why a task may not change `setting`; nil when it may.
    func refusal(_ setting: String) -> String? {
        if !patterns.isEmpty, !patterns.contains(where: { Self.matches(setting, $0) }) {
            return "refused: \(setting) is not among the settings the store's owner allows (PITSTOP_ALLOWED_SETTINGS)"
        }
        if Self.dangerous.contains(where: { Self.matches(setting, $0) }), !patterns.contains(setting) {
            return "refused: \(setting) runs a program, loads a library or names a file or directory; the store's owner allows it only by naming it in PITSTOP_ALLOWED_SETTINGS"
        }
        return nil
    }
}
