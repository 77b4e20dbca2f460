import Foundation

/// Parameters of the simulated executor.
public struct SimulatedExecutor: Sendable, Equatable {
    /// Allowed durations in seconds, for import and for every read of a stored task: up to a day.
    public static let durationRange: ClosedRange<Double> = 0...86_400
    /// Allowed jitter and failure rate.
    public static let fractionRange: ClosedRange<Double> = 0...1

    /// Mean duration of one attempt in seconds.
    public var durationSeconds: Double
    /// Fraction of the duration by which an attempt may vary, 0–1.
    public var jitter: Double
    /// Probability that an attempt fails, 0–1.
    public var failureRate: Double
    /// Seed of the generator that decides durations and failures, for reproducible demos.
    public var seed: UInt64

    /// A simulated executor; five seconds, 20% jitter, never failing unless told.
    public init(durationSeconds: Double = 5, jitter: Double = 0.2, failureRate: Double = 0, seed: UInt64 = 0) {
        self.durationSeconds = durationSeconds
        self.jitter = jitter
        self.failureRate = failureRate
        self.seed = seed
    }
}
