import Foundation

/// What the seam makes of a call.
package enum FaultAction: Equatable, Sendable {
    /// Make the call.
    case proceed
    /// Do nothing and fail with this errno.
    case fail(Int32)
    /// For a write: write only this many bytes and report them (the caller must write the rest).
    case shortWrite(Int)
    /// Do nothing and report success: a call whose effect never reached the disk.
    case pretend
}
