import ArgumentParser
import Foundation
import PitstopCore
import PitstopStore

extension StoreCommand {
    /// `pitstop store seal TASK… | --all [--notify-command]`: the owner vouches for commands already in the store.
    struct Seal: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Seal commands already in the store as the owner's, so that a team store's engine runs them.",
            discussion: """
                The engine of a team store runs a task's argv or hook, or notifyCommand, only under the owner's seal, \
                which the owner's pitstop writes when it imports them. Commands that came in before seals existed, \
                or that a member wrote into the store's files by hand, have none: `pitstop store check` lists them. \
                Read them first (`pitstop task ID --json`); this seals them as they stand. The store's owner only.
                """)
        @OptionGroup var global: GlobalOptions

        @Argument(help: "Tasks whose commands to seal.")
        var taskIDs: [String] = []

        @Flag(name: .long, help: "Every task whose commands lack a valid seal.")
        var all = false

        @Flag(name: .long, help: "notifyCommand too.")
        var notifyCommand = false

        func validate() throws {
            if taskIDs.isEmpty && !all && !notifyCommand { throw ValidationError("name tasks to seal, or give --all or --notify-command") }
            if all && !taskIDs.isEmpty { throw ValidationError("--all seals every unsealed task: name none with it") }
        }

        func run() throws {
            let context = CLIContext(global: global)
            let store = try context.openForWriting(command: "store seal")
            var ids = taskIDs
            var notify = notifyCommand
            if all {
                // A key this process may not read (a member's) leaves everything unsealed: the store then says
                // who alone may seal.
                let key = (try? OwnerKey.load(storeDirectory: store.directory)) ?? nil
                let unsealed = { (content: [UInt8]?, seal: String?) in content != nil && key?.verifies(seal, of: content!) != true }
                ids = store.state.tasks.filter { unsealed($0.sealedContent, $0.ownerSeal) }.map(\.id)
                notify = notify || unsealed(store.state.policy.notifySealedContent, store.state.policy.notifyCommandSeal)
                guard !ids.isEmpty || notify else {
                    print("every command in \(store.directory) carries the owner's seal; nothing was changed")
                    return
                }
            }
            let commit = try store.mutate(.sealCommands(taskIDs: ids, notifyCommand: notify), context: context.mutationContext)
            for event in commit.batch.events { print(EventText.line(event, zone: context.zone)) }
        }
    }
}
