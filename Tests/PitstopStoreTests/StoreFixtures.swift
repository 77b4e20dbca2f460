import Foundation
import PitstopCore
@testable import PitstopStore
import PitstopTestSupport
import Testing

enum StoreFixture {
    static let now = Date(timeIntervalSince1970: 1_795_608_000)
    static func context(_ hours: Double = 0) -> MutationContext {
        MutationContext(now: now.addingTimeInterval(hours * 3600), actor: "test", timeZone: TimeZone(identifier: "UTC")!)
    }

    static func task(_ id: String, machines: [String]) -> MaintenanceTask {
        MaintenanceTask(
            id: id, title: "task \(id)", service: .postgresql, requirement: .recommended, recommendedAt: now,
            type: .osUpdate, resources: machines.map { Resource(id: $0, name: "name of \($0)") })
    }

    /// A store holding one task per mutation: `count` mutations after the empty start.
    static func store(in dir: ScratchDirectory, imports count: Int, options: StoreOptions = StoreOptions()) throws -> Store {
        let store = try Store.open(dir.file("store"), options: options)
        for n in 0..<count {
            try store.mutate(.importTasks([task(String(format: "T-%03d", n), machines: ["m\(n)"])]), context: context())
        }
        return store
    }

    /// Flips bits at `offset` of the file at `path`, then expects the store in `directory` to refuse to open,
    /// naming that file and an offset at or before the damage, and `store check` to call it unhealthy.
    static func expectRefusal(damaging path: String, at offset: Int, flipping bits: UInt8 = 0x10, store directory: String) throws {
        var damaged = bytes(path)
        damaged[offset] ^= bits
        write(damaged, to: path)
        #expect {
            try Store.open(directory)
        } throws: { error in
            guard case .corrupt(let file, let at, _) = error as? StoreError else { return false }
            return file == path && at <= offset && "\(error)".contains("is damaged at byte")
        }
        #expect(try StoreCheck.run(directory).isHealthy == false)
    }

    static func bytes(_ path: String) -> [UInt8] { [UInt8](FileManager.default.contents(atPath: path)!) }
    static func write(_ bytes: [UInt8], to path: String) { _ = FileManager.default.createFile(atPath: path, contents: Data(bytes)) }

    /// Offsets at which each journal record starts.
    static func recordOffsets(_ journal: [UInt8]) -> [Int] {
        var offsets: [Int] = []
        var offset = FileHeader.size
        while offset + Frame.headerSize <= journal.count {
            offsets.append(offset)
            let length = Int(journal[offset]) | Int(journal[offset + 1]) << 8 | Int(journal[offset + 2]) << 16 | Int(journal[offset + 3]) << 24
            offset += Frame.headerSize + length
        }
        return offsets
    }
}
