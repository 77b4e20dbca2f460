import Foundation
#if canImport(Glibc)
import Glibc
#endif
/// What the console and watch loops need from a terminal, so that a loop runs the same against ncurses
/// (`NcursesTerminal`) and against a headless test terminal (`HeadlessTerminal`).
protocol TerminalBackend: AnyObject {
    var size: (width: Int, height: Int) { get }
    /// A descriptor that becomes readable when input waits (what the loop's follower waits on).
    var inputDescriptor: Int32 { get }
    /// Shows a frame.
    func draw(_ buffer: CellBuffer)
    /// Every key waiting, without blocking.
    func readKeys() -> [Key]
    /// Switches the colours to a theme; the next frame repaints everything.
    func apply(_ theme: Theme)
    /// Forgets what the screen shows: the next frame clears it and is drawn whole (`Ctrl-L`).
    func repaint()
    /// Gives the terminal to the shell for a while (Ctrl-Z); the next frame takes it back and is drawn whole.
    func suspend()
    /// Gives the terminal back; safe to call twice.
    func end()
    /// Puts text on the clipboard of the terminal the person sits at (OSC 52), which tmux and SSH pass on.
    func copyToClipboard(_ text: String)
}

extension TerminalBackend {
    /// True once the input has hung up (the terminal closed, the SSH session dropped): the loops leave as if
    /// asked to, rather than wake forever on a descriptor that is always ready and always empty. A signal
    /// (SIGHUP) does not always come: a console started under `make` or a shell that died first gets none.
    var hungUp: Bool {
        var watched = pollfd(fd: inputDescriptor, events: Int16(POLLIN), revents: 0)
        guard poll(&watched, 1, 0) > 0 else { return false }
        return watched.revents & Int16(POLLHUP | POLLERR | POLLNVAL) != 0
    }
}
