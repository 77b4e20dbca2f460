public import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// A real terminal for end-to-end tests: a private tmux server (its own socket, no user config) running
/// one command in a window of a given size. CI has no terminal; tmux provides one.
public final class TmuxSession: Sendable {
    /// The private tmux server's socket name.
    public let socket = "pitstop-test-\(UUID().uuidString.prefix(8))"
    /// The session's name.
    public let name = "e2e"

    /// Starts `command` in a new window of this size.
    public init(command: String, width: Int, height: Int) throws {
        try tmux(["-f", "/dev/null", "new-session", "-d", "-s", name, "-x", "\(width)", "-y", "\(height)", command])
        try tmux(["set-option", "-g", "window-size", "manual"])
        try tmux(["set-option", "-g", "remain-on-exit", "on"])
    }

    deinit { _ = try? tmux(["kill-server"]) }

    /// Runs a tmux client command. Output goes through a file, not a pipe: the tmux server that the first
    /// command forks would otherwise hold the pipe open and a reader would wait for it forever.
    @discardableResult
    public func tmux(_ arguments: [String]) throws -> String {
        let output = NSTemporaryDirectory() + "\(socket)-\(UUID().uuidString.prefix(6)).out"
        _ = FileManager.default.createFile(atPath: output, contents: nil)  // spawnAndWait reports a file it cannot open
        defer { try? FileManager.default.removeItem(atPath: output) }
        let status = try spawnAndWait(["tmux", "-u", "-L", socket] + arguments, output: output)
        let text = (try? String(contentsOfFile: output, encoding: .utf8)) ?? ""
        guard status == 0 else { throw TmuxError(message: "tmux \(arguments.joined(separator: " ")): \(text)") }
        return text
    }

    /// Sends keys as tmux names them (`Enter`, `Escape`, `Down`, `q`, …).
    public func send(_ keys: String...) throws { try tmux(["send-keys", "-t", name] + keys) }

    /// Sends literal text.
    public func type(_ text: String) throws { try tmux(["send-keys", "-t", name, "-l", text]) }

    /// The screen as plain text.
    public func screen() throws -> String { try tmux(["capture-pane", "-p", "-t", name]) }

    /// The screen with its colours as escape sequences, for screenshots.
    public func screenWithColours() throws -> String { try tmux(["capture-pane", "-p", "-e", "-t", name]) }

    /// Resizes the window (the program gets SIGWINCH).
    public func resize(width: Int, height: Int) throws {
        try tmux(["resize-window", "-t", name, "-x", "\(width)", "-y", "\(height)"])
    }

    /// Waits until the screen satisfies `condition`, up to `timeout` seconds; returns the last screen.
    @discardableResult
    public func waitFor(timeout: TimeInterval = 10, _ condition: (String) -> Bool) throws -> String {
        var last = ""
        if try waitUntil(timeout, { last = try screen(); return condition(last) }) { return last }
        throw TmuxError(message: "timed out waiting; the screen was:\n\(last)")
    }

    /// Waits until the screen shows `text`; returns the screen.
    @discardableResult
    public func waitFor(_ text: String, timeout: TimeInterval = 10) throws -> String {
        try waitFor(timeout: timeout) { $0.contains(text) }
    }
}

/// posix_spawn and waitpid, with stdout and stderr to a file: no run loop, no pipe, nothing to hang on.
func spawnAndWait(_ argv: [String], output: String) throws -> Int32 {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
    posix_spawn_file_actions_addopen(&actions, 1, output, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    posix_spawn_file_actions_adddup2(&actions, 1, 2)
    // The test runner's threads block signals; a child must not inherit that (tmux, and the TUI under it,
    // would never see SIGWINCH).
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var empty = sigset_t()
    sigemptyset(&empty)
    posix_spawnattr_setsigmask(&attributes, &empty)
    posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK))
    let cArgs = argv.map { strdup($0) } + [nil]
    defer { cArgs.forEach { free($0) } }
    var pid: pid_t = 0
    let result = posix_spawnp(&pid, argv[0], &actions, &attributes, cArgs, environ)
    guard result == 0 else { throw TmuxError(message: "cannot run \(argv[0]): \(String(cString: strerror(result)))") }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    return (status >> 8) & 0xFF
}

/// A tmux command that failed or a screen that never showed what was awaited.
public struct TmuxError: Error, CustomStringConvertible {
    /// What timed out or failed, with the screen.
    public var message: String
    /// The message.
    public var description: String { message }
}
