public import PitstopStore

/// The engine's side of the owner's seal (SPEC §29): on a team store, whose journal and snapshot its members
/// can write by hand, a command runs only if it carries a valid seal of the store's owner (`OwnerKey`); a store
/// no one else can write runs its owner's commands as they are.
public struct CommandSeal {
    /// The store directory.
    let storeDirectory: String

    /// Why the command whose sealed content is `content` and whose seal is `seal` must not run; nil when it may.
    func refusal(content: [UInt8]?, seal: String?) -> String? {
        Self.reason(SealVerdict.of(content: content, seal: seal, storeDirectory: storeDirectory))
    }

    /// A verdict in words; nil for a trusted command.
    public static func reason(_ verdict: SealVerdict) -> String? {
        switch verdict {
        case .trusted:
            return nil
        case .unsealed:
            return "it carries no seal of the store's owner: it reached the store's files without the owner's pitstop (only the owner brings in commands); the owner re-imports it to run it"
        case .mismatch:
            return "its seal does not match what it runs: it was changed after the store's owner sealed it, or sealed with another key; the owner re-imports it to run it"
        case .noKey(let path):
            return "the store has no owner's seal key (\(path)), so no command of this team store is trusted; the store's owner re-imports the command, which makes one"
        case .keyRefused(let error):
            return "\(error); no command of this team store is trusted without it"
        }
    }
}
