public import PitstopStore

/// How an engine shares its fleet with the engines of other hosts (SPEC §18); nil when it is alone on its store.
/// One leads: it starts attempts, holds, reservations and notices, each write fenced by its leadership. Every
/// engine follows the attempts its host started and records their outcomes; each claims its attempts while
/// its host is alive, so the leader can tell an attempt whose host is gone.
public protocol EngineCoordination: AnyObject {
    /// Grants what the engine holds (its lease) and starts keeping it.
    func start() throws
    /// Gives it back, so that another engine may lead at once.
    func stop()
    /// Whether this engine leads now, with time enough left to start work (campaigns when nobody leads).
    func mayLead() -> Bool
    /// A fenced write was refused: another engine leads.
    func lostLeadership()
    /// What the leader's writes carry.
    var fence: (any StoreFence)? { get }
    /// This host runs attempt `attempt` (until its lease ends).
    func claim(attempt: UInt64) throws
    /// The attempts some live host claims.
    func claimedAttempts() throws -> Set<UInt64>
    /// The attempts claimed for this host (by this engine, or by the one before it here whose lease lives on).
    func ownClaims() throws -> Set<UInt64>
    /// `leader` or `standby`, and any trouble, for the log and the header.
    var status: String { get }
}
