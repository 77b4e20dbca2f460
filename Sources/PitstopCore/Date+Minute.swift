public import Foundation

extension Date {
    /// This instant rounded up to the next whole minute (itself when already on one): reservations are
    /// made in whole minutes.
    public var roundedUpToMinute: Date {
        Date(timeIntervalSince1970: (timeIntervalSince1970 / 60).rounded(.up) * 60)
    }
}

extension Policy {
    /// The earliest reservation the lead-time rule allows at `now`: `now + minLeadTime`, rounded up to the minute.
    public func earliestReservation(at now: Date) -> Date {
        now.addingTimeInterval(minLeadTime).roundedUpToMinute
    }
}
