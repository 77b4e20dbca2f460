import CNcursesw
import Foundation

/// The real terminal, through ncursesw: wide characters in and out, a colour pair per role allocated at
/// start, a 25 ms escape delay, mouse, resize. `end()` restores the terminal on every exit path.
final class NcursesTerminal: TerminalBackend {
    private var previous: CellBuffer?
    private var pairs: [Style: (pair: Int16, attributes: attr_t)] = [:]
    private(set) var colors = 0
    private var ended = false
    private(set) var theme = Theme.builtIn

    /// Opens the terminal that `TERM` names, or throws (never the bare exit of ncurses' `initscr`).
    init(theme: Theme, noColor: Bool, environment: [String: String]) throws(TerminalError) {
        guard let type = environment["TERM"], !type.isEmpty else { throw .noTerminalType }
        guard type != "dumb" else { throw .unusable(type: type) }
        setlocale(LC_ALL, "")
        // Wide characters need a UTF-8 locale; a bare environment (cron, CI) gets C.UTF-8 rather than mojibake.
        if let codeset = nl_langinfo(nl_item(CODESET)), String(cString: codeset) != "UTF-8" { setlocale(LC_CTYPE, "C.UTF-8") }
        // A parent may have left signals blocked; the resize signal must get through.
        var winch = sigset_t()
        sigemptyset(&winch)
        sigaddset(&winch, SIGWINCH)
        pthread_sigmask(SIG_UNBLOCK, &winch, nil)
        guard pitstop_newterm() != nil else { throw .unknown(type: type) }
        cbreak()
        noecho()
        nonl()
        keypad(pitstop_stdscr(), true)
        nodelay(pitstop_stdscr(), true)
        set_escdelay(25)
        curs_set(0)
        mousemask(pitstop_all_mouse_events(), nil)
        mouseinterval(0)
        if has_colors() && !noColor {
            start_color()
            use_default_colors()
            colors = Int(pitstop_colors())
        }
        apply(noColor || colors == 0 ? .monochrome : theme)
        Self.installCrashHandlers()
    }

    deinit { end() }

    var size: (width: Int, height: Int) { (Int(pitstop_cols()), Int(pitstop_lines())) }

    var inputDescriptor: Int32 { STDIN_FILENO }

    /// Allocates the colour pairs of a theme; the next draw repaints everything.
    func apply(_ theme: Theme) {
        self.theme = colors == 0 ? .monochrome : theme
        pairs.removeAll()
        var next: Int16 = 1
        let selection = self.theme[.selection]
        let overlay = self.theme[.overlay]
        for role in ColorRole.allCases {
            for (selected, raised) in [(false, false), (true, false), (false, true), (true, true)] {
                let entry = self.theme[role]
                var attributes: attr_t = pitstop_a_normal()
                if entry.bold { attributes |= pitstop_a_bold() }
                if entry.underline { attributes |= pitstop_a_underline() }
                if entry.reverse != (selected && colors == 0) { attributes |= pitstop_a_reverse() }
                var pair: Int16 = 0
                if colors > 0 && Int(next) < Int(pitstop_color_pairs()) {
                    let fg = Palette.resolve(role == .selection ? selection.foreground : entry.foreground, colors: colors)
                    let background = selected ? selection.background : entry.background == .default && raised ? overlay.background : entry.background
                    let bg = Palette.resolve(background, colors: colors)
                    init_pair(next, fg, bg)
                    pair = next
                    next += 1
                }
                for bold in [false, true] {
                    pairs[Style(role, bold: bold, selected: selected, raised: raised)] = (pair, bold ? attributes | pitstop_a_bold() : attributes)
                }
            }
        }
        previous = nil
    }

    /// Writes the cells that changed since the last frame, then refreshes. A row that holds a wide character
    /// (now or in the last frame) and changed at all is written whole, left to right: a wide character covers
    /// its neighbour in the terminal, so a change next to one can only be trusted when the row is rewritten.
    func draw(_ buffer: CellBuffer) {
        let full = previous == nil || previous!.width != buffer.width || previous!.height != buffer.height
        if full { erase() }
        var chars = [wchar_t](repeating: 0, count: 8)
        for y in 0..<buffer.height {
            var wholeRow = full
            if !full, let previous, !Self.rowIsEqual(previous, buffer, y) {
                wholeRow = Self.rowHasWideCharacter(previous, y) || Self.rowHasWideCharacter(buffer, y)
            }
            for x in 0..<buffer.width {
                let cell = buffer[x, y]
                if cell.isContinuation { continue }
                if !wholeRow, let previous, previous[x, y] == cell { continue }
                let scalars = Array(cell.character.unicodeScalars.prefix(5))
                for (index, scalar) in scalars.enumerated() { chars[index] = wchar_t(bitPattern: scalar.value) }
                let look = pairs[cell.style] ?? (0, pitstop_a_normal())
                _ = pitstop_put_cell(Int32(y), Int32(x), chars, Int32(scalars.count), look.attributes, look.pair)
            }
        }
        refresh()
        previous = buffer
    }

    private static func rowIsEqual(_ a: CellBuffer, _ b: CellBuffer, _ y: Int) -> Bool {
        for x in 0..<a.width where a[x, y] != b[x, y] { return false }
        return true
    }

    private static func rowHasWideCharacter(_ buffer: CellBuffer, _ y: Int) -> Bool {
        for x in 0..<buffer.width where buffer[x, y].isContinuation { return true }
        return false
    }

    /// Writes OSC 52 straight to the terminal, between frames: ncurses has flushed its own output by then, and
    /// the sequence moves no cursor and draws nothing. tmux takes it into its buffer with `set-clipboard on`
    /// (and passes it to the outer terminal), as do xterm, kitty, iTerm2 and Windows Terminal.
    func copyToClipboard(_ text: String) {
        fflush(nil)
        let sequence = Array(Clipboard.osc52(text).utf8)
        var written = 0
        while written < sequence.count {
            let n = sequence[written...].withUnsafeBytes { write(STDOUT_FILENO, $0.baseAddress, $0.count) }
            if n < 0 && errno == EINTR { continue }
            guard n > 0 else { break }
            written += n
        }
    }

    /// Clears the terminal and draws the next frame whole (`Ctrl-L`): whatever another program or a line
    /// noise left on the screen is gone.
    func repaint() {
        previous = nil
        _ = wclear(pitstop_stdscr())
    }

    /// Every key waiting, without blocking.
    func readKeys() -> [Key] {
        var keys: [Key] = []
        while true {
            var code: wint_t = 0
            let result = get_wch(&code)
            if result == ERR { break }
            if result == KEY_CODE_YES {
                if let key = functionKey(Int32(code)) { keys.append(key) }
            } else if let key = characterKey(UInt32(code)) {
                keys.append(key)
            }
        }
        return keys
    }

    private func characterKey(_ code: UInt32) -> Key? {
        switch code {
        case 9: return .tab
        case 10, 13: return .enter
        case 27: return .escape
        case 8, 127: return .backspace
        case 12: return .redraw
        case 0..<32: return nil
        default: return Unicode.Scalar(code).map { .char(Character($0)) }
        }
    }

    private func functionKey(_ code: Int32) -> Key? {
        switch code {
        case KEY_UP: return .up
        case KEY_DOWN: return .down
        case KEY_LEFT: return .left
        case KEY_RIGHT: return .right
        case KEY_PPAGE: return .pageUp
        case KEY_NPAGE: return .pageDown
        case KEY_HOME: return .home
        case KEY_END: return .end
        case KEY_ENTER: return .enter
        case KEY_BACKSPACE: return .backspace
        case KEY_DC: return .delete
        case KEY_BTAB: return .backTab
        case KEY_RESIZE: return .resize
        case KEY_MOUSE:
            var event = MEVENT()
            guard getmouse(&event) == OK else { return nil }
            if event.bstate & pitstop_wheel_up() != 0 { return .mouse(MouseEvent(kind: .wheelUp, x: Int(event.x), y: Int(event.y))) }
            if pitstop_wheel_down() != 0 && event.bstate & pitstop_wheel_down() != 0 { return .mouse(MouseEvent(kind: .wheelDown, x: Int(event.x), y: Int(event.y))) }
            if event.bstate & pitstop_button1_clicked() != 0 { return .mouse(MouseEvent(kind: .click, x: Int(event.x), y: Int(event.y))) }
            return nil
        default:
            for n in 1...12 where code == pitstop_key_f(Int32(n)) { return .function(n) }
            return nil
        }
    }

    /// Leaves curses mode for a while (Ctrl-Z): the shell gets the terminal; the next `draw` returns to curses
    /// mode (ncurses does so on the first refresh after `endwin`) and repaints everything.
    func suspend() {
        guard !ended else { return }
        endwin()
        previous = nil
        _ = wclear(pitstop_stdscr())
    }

    /// Leaves curses mode: the shell gets its terminal back. Safe to call twice.
    func end() {
        guard !ended else { return }
        ended = true
        endwin()
    }

    /// A trap or a fatal signal still gives the terminal back before the process dies. `endwin` is not
    /// async-signal-safe, so the handler only writes the fixed escape sequences that leave the alternate
    /// screen and show the cursor (`write` is safe), then dies of the same signal.
    private static func installCrashHandlers() {
        for number in [SIGSEGV, SIGBUS, SIGILL, SIGTRAP, SIGABRT, SIGFPE] {
            signal(number) { received in
                pitstop_restore_terminal_after_crash()
                signal(received, SIG_DFL)
                raise(received)
            }
        }
    }
}
