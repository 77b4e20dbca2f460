import Foundation
import PitstopCore
import PitstopText

/// The top bar: product, store, engine state, clock with zone, and task counts per status.
enum HeaderView {
    static func draw(_ state: AppState, _ fleet: FleetState, into buffer: inout CellBuffer) {
        let style = Style(.header)
        buffer.fill(x: 0, y: 0, width: buffer.width, height: 1, style: style)
        var x = buffer.put(" Pitstop ", x: 0, y: 0, style: Style(.headerAccent, bold: true))
        let summary = TaskStatus.allCases.compactMap { status in
            state.taskCounts[status].map { "\(StatusGlyph.symbol(status))\($0)" }
        }.joined(separator: " ")
        // The engine's state is never cut: first the clock loses its date and zone, then the label its words.
        var clock = ViewText.clock(state.now, zone: state.zone)
        var right = " \(summary)  \(clock) "
        var engine = state.engine.label
        if buffer.width - x - DisplayWidth.of(right) < DisplayWidth.of(engine) + 1 {
            clock = ViewText.timeOfDay(CivilTime(state.now, zone: state.zone))
            right = " \(summary)  \(clock) "
        }
        if buffer.width - x - DisplayWidth.of(right) < DisplayWidth.of(engine) + 1 { engine = state.engine.shortLabel }
        let store = state.storePath
        var space = buffer.width - x - DisplayWidth.of(right)
        if let problem = state.replicaProblem {
            // The fleet out of reach: this copy shows what it had, and nothing is written until etcd is back.
            let before = x
            x = buffer.put(" ETCD UNREACHABLE since \(problem.since)", x: x, y: 0, style: Style(.error, bold: true), maxWidth: max(0, space))
            space -= x - before
        }
        if case .waiting = state.engine {
            // A store refusing the engine's writes is the one thing on this bar that needs someone now.
            let before = x
            x = buffer.put(" \(engine)", x: x, y: 0, style: Style(.error, bold: true), maxWidth: max(0, space))
            space -= x - before
        }
        let middle = (state.engine.isWaiting ? "" : " \(engine)") + (state.readonly ? " · READ-ONLY" : "")
        let before = x
        x = buffer.put(middle, x: x, y: 0, style: style, maxWidth: max(0, space))
        space -= x - before
        // The store's path is cut in the middle (its end tells stores apart), or left out, never run into the counts.
        if let part = ViewText.storePart(store, width: space) { x = buffer.put(part, x: x, y: 0, style: style) }
        buffer.put(right, x: max(x, buffer.width - DisplayWidth.of(right)), y: 0, style: style)
    }
}
