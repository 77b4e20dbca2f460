public import Foundation

/// Who acts, when, and in which zone times are written in messages.
public struct MutationContext: Sendable {
    /// The instant the rules are checked at and events are stamped with.
    public var now: Date
    /// Who acts, as the audit log names them.
    public var actor: String
    /// The zone times are written in, in messages.
    public var timeZone: TimeZone

    /// A context for one mutation.
    public init(now: Date, actor: String, timeZone: TimeZone = .current) {
        self.now = now
        self.actor = actor
        self.timeZone = timeZone
    }
}
