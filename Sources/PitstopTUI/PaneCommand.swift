/// What a key does in the task list and the resource pane; `KeyMap` says which keys do it.
enum PaneCommand: Equatable, Sendable {
    case move(Int)
    case page(up: Bool)
    case jump(toFirst: Bool)
    /// Tab and Shift-Tab switch; an explicit direction (→, ←) goes to the resources (true) or the tasks.
    case switchPane(toResources: Bool?)
    case open
    /// Open an overlay (its component's `open` says what it shows, or why nothing).
    case overlay(OverlayOpener)
    case back
    /// `s`: the focused pane's next sort column; `S` (reverse): the other direction.
    case sort(reverse: Bool)
    case theme
    case quit
    /// Clear the terminal and draw it whole (`Ctrl-L`).
    case repaint
    case mark
    case markAll
    case reserve
    case reserveWholeTask
    case clear
    case excludeOrInclude
    case retry
    case resume
    case cancel
    /// Dry-run the selected resources (or the task's) now, in the background (`pitstop rehearse`).
    case rehearse
    /// Copy the selected ids to the clipboard (OSC 52).
    case copy
    /// Put back the last change made from this console.
    case undo
    /// The next (or previous) match of the filter: a resource it points at in the pane, the next task in the list.
    case nextMatch(forward: Bool)
}
