import Foundation

/// The three colour classes of the seed service.
public enum StatusColorClass: String, Sendable {
    case gray, green, red
}
