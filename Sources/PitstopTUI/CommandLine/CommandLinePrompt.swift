import Foundation
import PitstopCore
import PitstopText

/// `:`: a command typed on the notification line, as in k9s and vim: Tab completes commands, ids, themes, times
/// and columns; ↑ and ↓ go through the history (kept in the config directory); Enter runs it; an unknown command
/// or a bad argument says why on the same line and keeps what was typed.
struct CommandLinePrompt: OverlayComponent {
    var text = ""
    /// Where ↑ and ↓ are in the history, from the newest (nil: the line being typed).
    var recalled: Int?
    /// What was typed before the history was browsed, given back by ↓ past the newest.
    var draft = ""
    /// What the last Tab offered, the line's text before the word it completes, which one the line holds, and
    /// how many there were in all.
    var choices: [String] = []
    var choiceHead = ""
    var chosen: Int?
    var total = 0
    /// Why the last Enter did nothing, or what Tab found; shown after the line.
    var hint: String?

    static func open(_ state: inout AppState, _ fleet: FleetState) -> (CommandLinePrompt, [Effect])? { (CommandLinePrompt(), []) }

    mutating func handle(_ key: Key, _ state: inout AppState, _ fleet: FleetState) -> OverlayOutcome {
        switch OverlayKeys.commandLine.command(for: key) {
        case .cancel?: return .close
        case .run?: return run(&state, fleet)
        case .complete?:
            complete(state, fleet)
            return .keep
        case .older?, .newer?:
            let older = OverlayKeys.commandLine.command(for: key) == .older
            browse(older: older, history: state.commandHistory)
            return .keep
        case .erase?:
            if !text.isEmpty { text.removeLast() }
        case nil:
            guard case .char(let c) = key, !c.isNewline else { return .keep }
            text.append(c)
        }
        choices = []
        chosen = nil
        hint = nil
        recalled = nil
        return .keep
    }

    var hints: [(String, String)] { OverlayKeys.commandLine.footer }

    // MARK: History

    mutating func browse(older: Bool, history: [String]) {
        guard !history.isEmpty else {
            hint = "no history yet"
            return
        }
        if recalled == nil { draft = text }
        let next = older ? min(history.count - 1, (recalled ?? -1) + 1) : (recalled ?? 0) - 1
        if next < 0 {
            recalled = nil
            text = draft
        } else {
            recalled = next
            text = history[history.count - 1 - next]
        }
        hint = nil
    }

    // MARK: Completion

    /// The words that may stand where the line ends: the command's name, or its argument.
    static func candidates(for text: String, _ state: AppState, _ fleet: FleetState) -> (words: [String], total: Int, prefix: String, head: String) {
        guard let space = text.firstIndex(of: " ") else {
            let names = ConsoleCommand.allCases.map(\.rawValue).filter { $0.hasPrefix(text.lowercased()) }
            return (names, names.count, text, "")
        }
        let name = String(text[..<space])
        let rest = String(text[text.index(after: space)...])
        let head = name + " "
        guard let command = ConsoleCommand.named(name) else { return ([], 0, rest, head) }
        let limit = 200
        switch command {
        case .task, .res:
            let index = state.ids(fleet)
            let found = FleetIDIndex.starting(with: rest, in: command == .task ? index.taskIDs : index.resourceIDs, limit: limit)
            return (found.ids, found.total, rest, head)
        case .theme:
            let names = state.themeNames.filter { $0.hasPrefix(rest) }
            return (names, names.count, rest, head)
        case .status:
            let names = ResourceStatus.allCases.map(\.rawValue).filter { $0.hasPrefix(rest.lowercased()) }
            return (names, names.count, rest, head)
        case .sort:
            let words = rest.split(separator: " ", omittingEmptySubsequences: false)
            if words.count >= 2 {
                let directions = ["asc", "desc"].filter { $0.hasPrefix(String(words[1]).lowercased()) }
                return (directions, directions.count, String(words[1]), head + words[0] + " ")
            }
            let columns = state.focus == .resources ? ResourceSortKey.allCases.map(\.rawValue) : SortKey.allCases.map(\.rawValue)
            let found = columns.filter { $0.hasPrefix(rest.lowercased()) }
            return (found, found.count, rest, head)
        case .reserve:
            // Times as the CLI takes them: offsets from now, and the next whole hours in the console's zone.
            var times = ["now+1h", "now+2h", "now+4h", "now+8h", "now+24h"]
            let hour = (state.now.timeIntervalSince1970 / 3600).rounded(.down) * 3600
            for step in 1...3 {
                times.append(InstantText.short(Date(timeIntervalSince1970: hour + Double(step) * 3600), in: state.zone).components(separatedBy: " ").prefix(2).joined(separator: " "))
            }
            let found = times.filter { $0.hasPrefix(rest) }
            return (found, found.count, rest, head)
        case .filter:
            let fields = FilterQuery.fieldNames.map { $0 == "held" ? $0 : $0 + ":" }
            let last = rest.split(separator: " ", omittingEmptySubsequences: false).last.map(String.init) ?? ""
            let found = fields.filter { $0.hasPrefix(last.lowercased()) }
            return (found, found.count, last, head + rest.dropLast(last.count))
        case .history, .help, .quit:
            return ([], 0, rest, head)
        }
    }

    /// Tab: one candidate fills the word in; several extend it as far as they agree, then each further Tab
    /// takes the next of them in turn.
    mutating func complete(_ state: AppState, _ fleet: FleetState) {
        if let chosen, !choices.isEmpty {
            let next = (chosen + 1) % choices.count
            self.chosen = next
            text = choiceHead + choices[next]
            hint = "\(next + 1) of \(total)"
            return
        }
        let (words, total, prefix, head) = Self.candidates(for: text, state, fleet)
        guard !words.isEmpty else {
            hint = "nothing to complete"
            return
        }
        if words.count == 1 {
            let isCommand = head.isEmpty
            text = head + words[0] + (isCommand && !(ConsoleCommand(rawValue: words[0])?.argument.isEmpty ?? true) ? " " : "")
            hint = nil
            return
        }
        let common = words.dropFirst().reduce(words[0]) { shared, word in String(zip(shared, word).prefix { $0 == $1 }.map(\.0)) }
        if common.count > prefix.count {
            text = head + common
        } else {
            choices = words
            choiceHead = head
            chosen = 0
            self.total = total
            text = head + words[0]
        }
        let shown = words.prefix(6).joined(separator: " ")
        hint = "\(total) match\(total == 1 ? "" : "es"): \(shown)\(total > 6 ? " …" : "")"
    }

    // MARK: Running

    mutating func run(_ state: inout AppState, _ fleet: FleetState) -> OverlayOutcome {
        let line = text.trimmingCharacters(in: .whitespaces)
        guard !line.isEmpty else { return .close }
        let name = String(line.prefix { $0 != " " })
        let argument = line.dropFirst(name.count).trimmingCharacters(in: .whitespaces)
        guard let command = ConsoleCommand.named(name) else {
            hint = "unknown command :\(name); did you mean :\(ConsoleCommand.nearest(to: name).rawValue)? (:help lists them)"
            return .keep
        }
        switch ConsoleCommands.run(command, argument, &state, fleet) {
        case .refused(let why):
            hint = why
            return .keep
        case .done(let effects):
            // Remembered once, newest last; the file is written off the reducer.
            if state.commandHistory.last != line { state.commandHistory.append(line) }
            return OverlayOutcome(next: .close, effects: [.remember(line)] + effects)
        }
    }

    /// On the notification line, over whatever it said.
    func draw(_ state: AppState, _ fleet: FleetState, into buffer: inout CellBuffer) {
        let y = buffer.height - 2
        buffer.fill(x: 0, y: y, width: buffer.width, height: 1, style: .plain)
        let x = buffer.put(" :", x: 0, y: y, style: Style(.accent, bold: true))
        let end = buffer.put(text, x: x, y: y, style: Style(.input))
        let said = hint ?? (text.isEmpty ? "task ID · res ID · reserve TIME · status S · filter TEXT · theme NAME · sort COL [asc|desc] · q" : "")
        buffer.put("▏ \(said)", x: end, y: y, style: Style(hint?.hasPrefix("unknown") == true || hint?.hasPrefix("not ") == true ? .warning : .dim), maxWidth: buffer.width - end)
    }
}
