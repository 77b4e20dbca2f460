public import PitstopCore
#if canImport(Glibc)
import Glibc
#endif

/// Whether a team store may run a command (SPEC §29), as a fact: what the engine refuses to run and what
/// `store check` flags.
public enum SealVerdict: Sendable, Equatable {
    /// The owner's seal matches what it runs, or no seal is needed (no command of its own, or a store that no
    /// one but its owner can write).
    case trusted
    /// It carries no seal: it reached the store's files without the owner's pitstop.
    case unsealed
    /// Its seal is not the owner's seal of what it runs: changed after sealing, or sealed with another key.
    case mismatch
    /// The store has no seal key, so nothing is trusted.
    case noKey(path: String)
    /// The key file cannot be trusted.
    case keyRefused(StoreError)

    /// The verdict for a command of the store in `directory` whose sealed content is `content` (nil: it runs no
    /// command of its own) and whose seal is `seal`; `key` is the store's key as loaded (loaded here when nil).
    public static func of(content: [UInt8]?, seal: String?, storeDirectory directory: String,
                          key: Result<OwnerKey?, StoreError>? = nil) -> SealVerdict {
        guard let content, case .group = StoreSharing.of(directory: directory) else { return .trusted }
        let loaded = key ?? Result { () throws(StoreError) in try OwnerKey.load(storeDirectory: directory) }
        switch loaded {
        case .failure(let error): return .keyRefused(error)
        case .success(nil): return .noKey(path: directory + "/" + OwnerKey.fileName)
        case .success(let key?):
            if key.verifies(seal, of: content) { return .trusted }
            return seal == nil ? .unsealed : .mismatch
        }
    }

    /// The commands of `state` that the engine of the team store in `directory` would refuse to run: each task
    /// with its verdict (nil task id for the notification command); nil when this process may not read the key
    /// (a member: only the owner can check the seals).
    public static func untrusted(in state: FleetState, storeDirectory directory: String) -> [(taskID: String?, verdict: SealVerdict)]? {
        guard case .group = StoreSharing.of(directory: directory) else { return [] }
        let path = directory + "/" + OwnerKey.fileName
        if access(path, R_OK) != 0 && errno == EACCES { return nil }
        let key = Result { () throws(StoreError) in try OwnerKey.load(storeDirectory: directory) }
        var found: [(taskID: String?, verdict: SealVerdict)] = []
        for task in state.tasks {
            let verdict = of(content: task.sealedContent, seal: task.ownerSeal, storeDirectory: directory, key: key)
            if verdict != .trusted { found.append((task.id, verdict)) }
        }
        let policy = state.policy
        let notify = of(content: policy.notifySealedContent, seal: policy.notifyCommandSeal, storeDirectory: directory, key: key)
        if notify != .trusted { found.append((nil, notify)) }
        return found
    }
}
