public import Foundation

/// Who acts, when, and in which zone times are written in messages.
public struct MutationContext: Sendable {
    public var now: Date
    public var actor: String
    public var timeZone: TimeZone

    public init(now: Date, actor: String, timeZone: TimeZone = .current) {
        self.now = now
        self.actor = actor
        self.timeZone = timeZone
    }
}
