import Foundation
import PitstopCore

/// One thing that floats over the panes: its own state, the keys it answers, what it derives from the fleet
/// and the clock, and how it draws. The reducer holds them in a stack (`OverlayStack`): a key goes to the top
/// one, every other message to all of them; what each answers (`OverlayOutcome`) is applied in one place.
///
/// Adding an overlay that a key opens from the panes: a file here with the component (and its `open`), a
/// binding in `KeyMap` (`.overlay(Component.self)`), a row in the README's key table.
protocol OverlayComponent: Equatable, Sendable {
    /// Opened from the panes by its `KeyMap` binding: the overlay for the screen as it is and what else to do,
    /// or nil when there is nothing to show (the notification then says why). Overlays opened otherwise (a
    /// confirmation, the editor) keep the default, nil.
    static func open(_ state: inout AppState, _ fleet: FleetState) -> (Self, [Effect])?

    /// A key, while this overlay is on top; it may change the screen's state (the filter, a notification).
    mutating func handle(_ key: Key, _ state: inout AppState, _ fleet: FleetState) -> OverlayOutcome

    /// Any message other than a key, to every open overlay, after the reducer handled it: the place where an
    /// overlay makes again what it derives (the editor's verdict, the calendar's lines) or takes a result
    /// meant for it (the plan preview, the output read from a file).
    mutating func receive(_ message: AppMessage, _ state: inout AppState, _ fleet: FleetState) -> OverlayOutcome

    /// Draws over the panes (and the footer's notification line, for the filter prompt).
    func draw(_ state: AppState, _ fleet: FleetState, into buffer: inout CellBuffer)

    /// The footer's key hints while this overlay is on top (from its mode's key table).
    var hints: [(String, String)] { get }
}

extension OverlayComponent {
    static func open(_ state: inout AppState, _ fleet: FleetState) -> (Self, [Effect])? { nil }

    mutating func receive(_ message: AppMessage, _ state: inout AppState, _ fleet: FleetState) -> OverlayOutcome { .keep }

    /// `open`, its overlay seen as any overlay (for a binding that holds only the type).
    static func opened(_ state: inout AppState, _ fleet: FleetState) -> (any OverlayComponent, [Effect])? {
        open(&state, fleet).map { ($0.0, $0.1) }
    }

    /// Equality across components of any type, for the stack's `==`.
    func isEqual(to other: any OverlayComponent) -> Bool { (other as? Self) == self }
}

/// What an overlay answered: what becomes of it on the stack, and what the loop must do.
struct OverlayOutcome: Sendable {
    /// What becomes of the overlay that answered.
    enum Next: Sendable {
        /// It stays (with whatever it changed in itself).
        case keep
        case close
        /// Another opens over it (the event log's Enter opens one event).
        case push(any OverlayComponent)
        /// Another takes its place (the editor's Enter on a DOWNTIME task asks to confirm).
        case replace(any OverlayComponent)
    }

    var next: Next
    var effects: [Effect] = []

    static let keep = OverlayOutcome(next: .keep)
    static let close = OverlayOutcome(next: .close)
    static func close(_ effects: [Effect]) -> OverlayOutcome { OverlayOutcome(next: .close, effects: effects) }
    static func push(_ overlay: any OverlayComponent) -> OverlayOutcome { OverlayOutcome(next: .push(overlay)) }
    static func replace(_ overlay: any OverlayComponent) -> OverlayOutcome { OverlayOutcome(next: .replace(overlay)) }
}

/// Which overlay a `KeyMap` binding opens: a component type, compared by identity.
struct OverlayOpener: Equatable, Sendable {
    let type: any OverlayComponent.Type

    init(_ type: any OverlayComponent.Type) { self.type = type }

    static func == (a: OverlayOpener, b: OverlayOpener) -> Bool { ObjectIdentifier(a.type) == ObjectIdentifier(b.type) }
}

/// The open overlays, bottom first.
struct OverlayStack: Equatable, Sendable {
    private(set) var items: [any OverlayComponent] = []

    var isEmpty: Bool { items.isEmpty }
    var top: (any OverlayComponent)? { items.last }

    /// The top overlay, if it is a `T`.
    func top<T: OverlayComponent>(as type: T.Type) -> T? { items.last as? T }

    /// Whether any open overlay is a `T`.
    func contains<T: OverlayComponent>(_ type: T.Type) -> Bool { items.contains { $0 is T } }

    mutating func push(_ overlay: any OverlayComponent) { items.append(overlay) }

    /// Closes every open `T` (a placeholder whose work failed).
    mutating func removeAll<T: OverlayComponent>(_ type: T.Type) { items.removeAll { $0 is T } }

    /// A key to the top overlay of `state`, its answer applied. The overlay is taken off the stack while it
    /// answers, so it may change the rest of the state freely.
    static func handle(_ key: Key, _ state: inout AppState, _ fleet: FleetState) -> [Effect] {
        guard var top = state.overlays.items.popLast() else { return [] }
        let outcome = top.handle(key, &state, fleet)
        state.overlays.items += placed(outcome, top)
        return outcome.effects
    }

    /// A message other than a key to every overlay of `state`, bottom first, each answer applied.
    static func receive(_ message: AppMessage, _ state: inout AppState, _ fleet: FleetState) -> [Effect] {
        let open = state.overlays.items
        guard !open.isEmpty else { return [] }
        state.overlays.items = []
        var kept: [any OverlayComponent] = []
        var effects: [Effect] = []
        for var overlay in open {
            let outcome = overlay.receive(message, &state, fleet)
            kept += placed(outcome, overlay)
            effects += outcome.effects
        }
        state.overlays.items = kept + state.overlays.items
        return effects
    }

    /// What stands where `overlay` stood, as its answer says.
    private static func placed(_ outcome: OverlayOutcome, _ overlay: any OverlayComponent) -> [any OverlayComponent] {
        switch outcome.next {
        case .keep: [overlay]
        case .close: []
        case .push(let next): [overlay, next]
        case .replace(let next): [next]
        }
    }

    static func == (a: OverlayStack, b: OverlayStack) -> Bool {
        a.items.count == b.items.count && zip(a.items, b.items).allSatisfy { $0.isEqual(to: $1) }
    }
}
