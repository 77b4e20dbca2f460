import ArgumentParser
import Foundation
import PitstopCore
import PitstopEngine
import PitstopStore
import PitstopText

/// `pitstop rehearse TASK [RESOURCE…]`: dry-run the selected resources now and say which are ready.
struct RehearseCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "rehearse", abstract: "Dry-run a task's precheck and executor now, on each selected resource.",
        discussion: """
            Each resource's precheck and executor run now with PITSTOP_DRY_RUN=1, under supervisors, at most the \
            task's maxConcurrency at once (4 when unset). Runbooks check what they would check and print what they \
            would change, without changing it. Nothing is reserved or started; one `rehearsed` event per resource \
            records the verdict: ready, refused (exit 10, or the precheck said no), unreachable (exit 11, or ssh \
            failed) or failed. With no resource ids, every resource that is not excluded, completed or running. \
            Exits 1 when any resource is not ready.
            """)
    @OptionGroup var global: GlobalOptions

    @Argument(help: "The task id.")
    var taskID: String

    @Argument(help: ArgumentHelp("Resource ids (default: every resource still to do).", valueName: "resource-id"))
    var resourceIDs: [String] = []

    @Flag(name: .long, help: "Print JSON.")
    var json = false

    func run() throws {
        let context = CLIContext(global: global)
        let store = try context.openForWriting(command: "rehearse")
        guard let task = store.state.task(id: taskID) else { throw MutationError.unknownTask(taskID) }
        let unknown = resourceIDs.filter { id in !task.resources.contains { $0.id == id } }
        guard unknown.isEmpty else {
            throw CLIError("\(taskID) has no resource \(unknown.joined(separator: ", ")) (pitstop task \(taskID) lists them)")
        }
        let running = resourceIDs.filter { id in task.resources.first { $0.id == id }?.status == .inProgress }
        guard running.isEmpty else {
            throw CLIError("\(running.joined(separator: ", ")) \(running.count == 1 ? "is" : "are") running now; a rehearsal is for before the night")
        }
        let rehearsal = Rehearsal(storeDirectory: store.directory)
        let results = rehearsal.run(task, resourceIDs: resourceIDs, concurrency: task.maxConcurrency ?? 4, progress: { result in
            if !json { FileHandle.standardError.write(Data("  \(result.resourceID): \(result.verdict.rawValue) (\(String(format: "%.1f", result.seconds)) s)\n".utf8)) }
        })
        guard !results.isEmpty else { throw CLIError("\(taskID) has nothing to rehearse: every resource is excluded, completed or running") }
        let drafts = results.map { EventDraft(kind: .rehearsed, taskID: taskID, resourceID: $0.resourceID, message: $0.message) }
        try store.mutate(.recordEvents(drafts), context: context.mutationContext)
        if json {
            let objects: [[String: Any]] = results.map { r in
                var object: [String: Any] = ["resourceId": r.resourceID, "verdict": r.verdict.rawValue, "line": r.line, "seconds": r.seconds]
                if let path = r.outputPath { object["output"] = path }
                return object
            }
            var data = ExportFormat.json(["taskId": taskID, "results": objects])
            data.append(0x0A)
            FileHandle.standardOutput.write(data)
        } else {
            var table = Table([.init(title: "RESOURCE"), .init(title: "VERDICT"), .init(title: "TIME", alignRight: true),
                               .init(title: "LAST LINE", maxWidth: 200)])
            for r in results { table.add([r.resourceID, r.verdict.rawValue, String(format: "%.1fs", r.seconds), r.line]) }
            print(table.render())
            let counts = Rehearsal.Verdict.allCases.compactMap { verdict -> String? in
                let n = results.filter { $0.verdict == verdict }.count
                return n == 0 ? nil : "\(n) \(verdict.rawValue)"
            }
            print("\(taskID): \(counts.joined(separator: ", ")); outputs in \(store.directory)/rehearsals/outputs")
        }
        if results.contains(where: { $0.verdict != .ready }) { throw ExitCode.failure }
    }
}
