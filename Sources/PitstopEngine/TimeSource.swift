public import Foundation

/// The source of "now", injected so that tests can run hours of schedule in milliseconds.
public protocol TimeSource: Sendable {
    var now: Date { get }
}
