import Foundation
import PitstopCore
import PitstopTUI

/// The text inputs: import files, TIME arguments and theme files.
enum TextTargets {
    private static let now = Date(timeIntervalSince1970: 1_795_000_000)
    /// Zones with the cases that break naive code: none, a whole-hour DST, a half-hour DST, a +13:45 offset.
    private static let zones = ["UTC", "America/New_York", "Australia/Lord_Howe", "Pacific/Chatham", "Asia/Seoul"]
        .compactMap { TimeZone(identifier: $0) }

    static func importFile(_ input: UnsafeRawBufferPointer) -> FuzzFinding? {
        guard let tasks = try? ImportFormat.parse(Data(input)) else { return nil }
        let fail = { (message: String) in FuzzFinding(.import, message) }
        let exported = ExportFormat.json(tasks: tasks)
        let again: [MaintenanceTask]
        do {
            again = try ImportFormat.parse(exported)
        } catch {
            return fail("an accepted import exports to a file that import refuses: \(error)")
        }
        if again.map(\.id) != tasks.map(\.id) || again.map({ $0.resources.map(\.id) }) != tasks.map({ $0.resources.map(\.id) }) {
            return fail("export and re-import changed the task or resource ids")
        }
        var state = FleetState()
        let context = MutationContext(now: now, actor: "fuzz")
        _ = try? state.apply(.importTasks(tasks), context: context)
        return nil
    }

    static func time(_ input: UnsafeRawBufferPointer) -> FuzzFinding? {
        guard let selector = input.first else { return nil }
        let zone = zones[Int(selector) % zones.count]
        let text = String(decoding: input.dropFirst(), as: UTF8.self)
        guard let parsed = try? InstantParser.parse(text, now: now, zone: zone) else { return nil }
        let fail = { (message: String) in FuzzFinding(.time, message) }
        guard parsed.date.timeIntervalSince1970.isFinite else { return fail("\"\(text)\" parsed to a time that is not finite") }
        let printed = InstantText.iso8601UTC(parsed.date)
        guard let reread = try? InstantParser.parse(printed, now: now, zone: zone) else {
            return fail("\"\(text)\" was accepted as \(printed), which is refused when typed back")
        }
        if abs(reread.date.timeIntervalSince(parsed.date)) >= 1 {
            return fail("\"\(text)\" prints as \(printed), which reads back as another time")
        }
        _ = InstantText.short(parsed.date, in: zone)
        return nil
    }

    static func theme(_ input: UnsafeRawBufferPointer) -> FuzzFinding? {
        let text = String(decoding: input, as: UTF8.self)
        do {
            _ = try ThemeParser.parse(text, name: "fuzz", file: "fuzz.theme")
        } catch {
            let lines = text.split(separator: "\n", omittingEmptySubsequences: false).count
            if !(1...max(lines, 1)).contains(error.line) {
                return FuzzFinding(.theme, "the error names line \(error.line) of a \(lines)-line file")
            }
        }
        return nil
    }
}
