public import Foundation

/// Spreads a bulk reservation over time so that replicas are not all down at once.
public struct Stagger: Sendable, Equatable {
    /// Time between one slot and the next.
    public var spacing: TimeInterval
    /// How many resources start in each slot.
    public var perSlot: Int

    /// Slots `spacing` apart, `perSlot` resources in each.
    public init(spacing: TimeInterval, perSlot: Int = 1) {
        self.spacing = spacing
        self.perSlot = perSlot
    }

    /// The widest spacing a stagger may have: a week between slots (a wider one is a new reservation, not a
    /// stagger). Checked by the planner for every writer, so no slot lands where a date cannot be shown.
    public static let longestSpacing: TimeInterval = 7 * 86400
    /// The latest instant any slot may take: the end of the year 9999, the last a date can be written in.
    public static let latestInstant = Date(timeIntervalSince1970: 253_402_300_799)

    /// The reserved instant of the `position`-th resource when the first slot is `start`.
    public func instant(forPosition position: Int, start: Date) -> Date {
        start.addingTimeInterval(Double(position / max(perSlot, 1)) * spacing)
    }
}
