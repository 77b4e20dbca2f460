import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A terminal with no screen, for tests: keys are queued by the test, frames are kept. Its input descriptor is
/// a pipe that holds one byte per queued key, so a loop waiting on it wakes exactly as it would for a person.
final class HeadlessTerminal: TerminalBackend {
    private(set) var frames: [CellBuffer] = []
    private(set) var themes: [Theme] = []
    private(set) var ended = false
    private var queued: [Key] = []
    private let pipeEnds: [Int32]
    var size: (width: Int, height: Int)
    /// Called with each frame as it is drawn, so a test can act at a moment of its choosing.
    var onDraw: ((CellBuffer) -> Void)?

    init(width: Int, height: Int, keys: [Key] = []) {
        size = (width, height)
        var fds: [Int32] = [0, 0]
        _ = pipe(&fds)
        pipeEnds = fds
        send(keys)
    }

    private var writeEndOpen = true

    deinit {
        close(pipeEnds[0])
        if writeEndOpen { close(pipeEnds[1]) }
    }

    /// Closes the input as a vanished terminal does: the loop sees its input hang up.
    func hangUp() {
        guard writeEndOpen else { return }
        writeEndOpen = false
        close(pipeEnds[1])
    }

    var inputDescriptor: Int32 { pipeEnds[0] }

    /// Queues keys as if typed.
    func send(_ keys: [Key]) {
        queued += keys
        guard writeEndOpen else { return }
        var byte: UInt8 = 0x2E
        for _ in keys { _ = write(pipeEnds[1], &byte, 1) }
    }

    /// The last frame drawn, as text.
    var screen: String { frames.last?.text ?? "" }

    func draw(_ buffer: CellBuffer) {
        frames.append(buffer)
        onDraw?(buffer)
    }

    /// One key per call, as a person types: the loop draws a frame between keys.
    func readKeys() -> [Key] {
        guard !queued.isEmpty else { return [] }
        var byte: UInt8 = 0
        _ = read(pipeEnds[0], &byte, 1)
        return [queued.removeFirst()]
    }

    func apply(_ theme: Theme) { themes.append(theme) }

    /// How many times the console asked for a whole repaint (`Ctrl-L`).
    private(set) var repaints = 0

    func repaint() { repaints += 1 }

    /// How many times the console gave the terminal to the shell (Ctrl-Z).
    private(set) var suspensions = 0

    func suspend() { suspensions += 1 }

    func end() { ended = true }

    /// What the console put on the clipboard, in order.
    private(set) var clipboard: [String] = []

    func copyToClipboard(_ text: String) { clipboard.append(text) }
}
