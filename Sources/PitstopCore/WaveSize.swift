import Foundation

/// How far a wave reaches, cumulatively, into a task's resources in reservation order: a count (`1`) or a
/// share (`"10%"`). `[1, "10%", "50%", "100%"]` is a canary, then a tenth, then half, then the rest.
public enum WaveSize: Sendable, Equatable {
    case count(Int)
    case percent(Double)

    /// The number of resources the wave reaches of `total`: a share rounds up, and every wave reaches at least one.
    public func reach(of total: Int) -> Int {
        switch self {
        case .count(let n): min(total, max(1, n))
        case .percent(let p): min(total, max(1, Int((Double(total) * p / 100).rounded(.up))))
        }
    }

    /// As written: `5` or `10%`.
    public var text: String {
        switch self {
        case .count(let n): String(n)
        case .percent(let p): (p == p.rounded() ? String(Int(p)) : String(p)) + "%"
        }
    }
}
