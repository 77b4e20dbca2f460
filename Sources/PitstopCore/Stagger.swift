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

    /// The reserved instant of the `position`-th resource when the first slot is `start`.
    public func instant(forPosition position: Int, start: Date) -> Date {
        start.addingTimeInterval(Double(position / max(perSlot, 1)) * spacing)
    }
}
