import Foundation

/// The scrolling every list overlay shares (help, event log, one event, calendar, output, plan): the keys of
/// `OverlayKeys.list`, the mouse wheel, and the rows a box of a given height shows.
struct ScrollingList: Equatable, Sendable {
    /// How far from the start (or, for the output, from the end) the list is scrolled.
    var scroll = 0

    /// What a key did to the list.
    enum Answer: Equatable { case scrolled, open, close, ignored }

    /// Scrolls for a key, at most to `limit`; says when the key opens the row or closes the list.
    mutating func handle(_ key: Key, limit: Int) -> Answer {
        if case .mouse(let event) = key {
            switch event.kind {
            case .wheelDown: scroll = min(max(0, limit), scroll + 3)
            case .wheelUp: scroll = max(0, scroll - 3)
            case .click: return .ignored
            }
            return .scrolled
        }
        switch OverlayKeys.list.command(for: key) {
        case .close?: return .close
        case .open?: return .open
        case .scroll(let delta)?: scroll = max(0, min(max(0, limit), scroll + delta))
        case .top?: scroll = 0
        case nil: return .ignored
        }
        return .scrolled
    }

    /// The first row shown in a box of `rows` rows over `count` lines: never past the last full page.
    func first(rows: Int, count: Int) -> Int { max(0, min(scroll, count - rows)) }

    /// The answer of a list that only scrolls: Enter and the closing keys close it.
    mutating func simple(_ key: Key, limit: Int) -> OverlayOutcome {
        switch handle(key, limit: limit) {
        case .open, .close: .close
        case .scrolled, .ignored: .keep
        }
    }

    /// Footer hints of a list whose Enter only closes.
    static var hints: [(String, String)] { OverlayKeys.list.footer.filter { $0.0 != "Enter" } }
}

extension ScrollingList {
    /// The rows of text in a list box as large as the screen allows (`OverlayViews.frame` at the screen's
    /// size less 4, less its border).
    static func pageRows(_ screenHeight: Int) -> Int { max(1, min(screenHeight - 4, screenHeight - 2) - 2) }
}
