public import Foundation
public import PitstopCore

/// Live validation of the editor: the same planning the write will do, against the fleet on screen.
enum ScheduleValidation: Equatable, Sendable {
    case ok
    case lockedOut
    case refused(String)

    static func check(_ editor: ScheduleEditor, fleet: FleetState, now: Date, zone: TimeZone) -> ScheduleValidation {
        if let problem = editor.wallTimeProblem { return .refused(problem) }
        do {
            _ = try fleet.plan(editor.mutation, context: MutationContext(now: now, actor: "tui", timeZone: zone))
            return .ok
        } catch {
            if case .refused(let refusals) = error, !editor.force, refusals.allSatisfy({ $0.rule == .lockout }) { return .lockedOut }
            return .refused(error.description)
        }
    }
}
