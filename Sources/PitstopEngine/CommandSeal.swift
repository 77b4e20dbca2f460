public import PitstopStore

/// The engine's side of the owner's seal (SPEC §29): on a team store, whose journal and snapshot its members
/// can write by hand, a command runs only if it carries a valid seal of the store's owner (`OwnerKey`); a store
/// no one else can write runs its owner's commands as they are.
public struct CommandSeal {
    /// The store directory.
    let storeDirectory: String

    /// Why the command whose sealed content is `content` and whose seal is `seal` must not run; nil when it may.
    /// `sealing` is the command that seals it (`pitstop store seal MT-9`), for the owner's fix.
    func refusal(content: [UInt8]?, seal: String?, sealing: String) -> String? {
        Self.reason(SealVerdict.of(content: content, seal: seal, storeDirectory: storeDirectory), sealing: sealing)
    }

    /// A verdict in words, with the command that seals it; nil for a trusted command.
    public static func reason(_ verdict: SealVerdict, sealing: String) -> String? {
        let fix = "the store's owner runs `\(sealing)` once they have checked it"
        switch verdict {
        case .trusted:
            return nil
        case .unsealed:
            return "it carries no seal of the store's owner: it reached the store's files without the owner's pitstop (only the owner brings in commands); \(fix)"
        case .mismatch:
            return "its seal does not match what it runs: it was changed after the store's owner sealed it, or sealed with another key; \(fix)"
        case .noKey(let path):
            return "the store has no owner's seal key (\(path)), so no command of this team store is trusted; \(fix), which makes one"
        case .keyRefused(let error):
            return "\(error); no command of this team store is trusted without it"
        }
    }
}
