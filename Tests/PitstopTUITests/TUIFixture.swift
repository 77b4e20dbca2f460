import Foundation
import PitstopCore
@testable import PitstopTUI
import Testing

/// A fixed fleet, clock and zone, so screens are byte-for-byte repeatable.
enum TUIFixture {
    static let now = Date(timeIntervalSince1970: 1_795_608_000)
    static let utc = TimeZone(identifier: "UTC")!
    static let fleet: FleetState = {
        var fleet = DemoFleet(taskCount: 16, resourceCount: 240, seed: 42).build(now: now)
        // A hostile name and a Korean one in one task, to keep columns honest.
        let task = MaintenanceTask(
            id: "MT-0099", title: "이름 테스트 \u{1B}[31mred", service: .mysql, requirement: .recommended, recommendedAt: now,
            type: .configChange, resources: [Resource(id: "x-1", name: "결제-db-\u{202E}01\u{1B}[2J"), Resource(id: "x-2", name: "🛒cart-db")])
        try! fleet.apply(.importTasks([task]), context: MutationContext(now: now, actor: "test", timeZone: utc))
        return fleet
    }()

    /// The fixture with MT-0002's reserved primary held by the engine, waiting for a replica; and that primary.
    static func fleetWithHeldPrimary() throws -> (FleetState, Resource) {
        var fleet = fleet
        let task = try #require(fleet.task(id: "MT-0002"))
        let primary = try #require(task.resources.first { $0.status == .reserved && $0.role == .primary })
        _ = try fleet.apply(.hold(taskID: task.id, resourceID: primary.id, reason: "waiting for replica members-pg-01-replica2"),
                            context: MutationContext(now: now, actor: "engine"))
        return (fleet, primary)
    }

    static func state(width: Int = 80, height: Int = 24, readonly: Bool = false) -> AppState {
        var state = AppState(width: width, height: height, now: now, zone: utc, storePath: "~/.local/share/pitstop", readonly: readonly)
        state.engine = .embedded(running: 2)
        state.refreshVisibleTasks(fleet)
        return state
    }

    @discardableResult
    static func send(_ state: inout AppState, _ keys: Key..., fleet: FleetState = fleet) -> [Effect] {
        var effects: [Effect] = []
        for key in keys { effects += Reducer.reduce(&state, .key(key), fleet: fleet) }
        return effects
    }

    static func chars(_ text: String) -> [Key] { text.map { .char($0) } }
}

/// Compares a rendered screen with `Golden/NAME.txt` and `NAME.colors`; `UPDATE_GOLDEN=1` rewrites them.
func expectGolden(_ buffer: CellBuffer, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) {
    let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden")
    for (suffix, actual) in [("txt", buffer.text + "\n"), ("colors", buffer.colorMap + "\n")] {
        let file = directory.appendingPathComponent("\(name).\(suffix)")
        let update = ProcessInfo.processInfo.environment["UPDATE_GOLDEN"] == "1"
        guard !update, let expected = try? String(contentsOf: file, encoding: .utf8) else {
            try? actual.write(to: file, atomically: true, encoding: .utf8)
            if !update { Issue.record("golden \(name).\(suffix) was missing and has been written; check it and run again", sourceLocation: sourceLocation) }
            continue
        }
        if expected != actual {
            let e = expected.split(separator: "\n", omittingEmptySubsequences: false)
            let a = actual.split(separator: "\n", omittingEmptySubsequences: false)
            let diff = (0..<max(e.count, a.count)).compactMap { i -> String? in
                let l = i < e.count ? String(e[i]) : "∅"
                let r = i < a.count ? String(a[i]) : "∅"
                return l == r ? nil : "line \(i + 1):\n  expected: \(l)\n  actual:   \(r)"
            }.prefix(8).joined(separator: "\n")
            Issue.record("\(name).\(suffix) differs from the golden file (UPDATE_GOLDEN=1 to accept):\n\(diff)", sourceLocation: sourceLocation)
        }
    }
}

extension OverlayComponent {
    /// The schedule editor, when this is one.
    var editor: ScheduleEditor? { self as? ScheduleEditor }
    /// The confirmation, when this is one.
    var confirmation: ConfirmationPrompt? { self as? ConfirmationPrompt }
}

/// A schedule verdict other than the one a test expected.
enum VerdictError: Error { case notRefused(ScheduleValidation) }
