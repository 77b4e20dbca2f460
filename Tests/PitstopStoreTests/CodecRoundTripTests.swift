import Foundation
import PitstopCore
import Testing
@testable import PitstopStore

/// Every field survives encode → decode, and an older reader skips what it does not know.
struct CodecRoundTripTests {
    static func richState() -> FleetState {
        var state = DemoFleet(taskCount: 10, resourceCount: 70, seed: 11).build(now: StoreFixture.now)
        var policy = state.policy
        policy.notifyCommand = ["/usr/bin/notify", "--channel", "#ops 🚨"]
        policy.notifyLeadTimes = [7200, 90]
        policy.autoApply = false
        let commandTask = MaintenanceTask(
            id: "MT-CMD", title: "명령 실행 \"quoted\"", service: .mysql, requirement: .mandatory,
            recommendedAt: StoreFixture.now, deadline: StoreFixture.now.addingTimeInterval(86400.5), priority: .low,
            type: .kernelUpgrade, downtime: true,
            executor: .command(CommandExecutor(argv: ["/bin/sh", "-c", "exit 0"], workingDirectory: "/srv/ops", timeoutSeconds: 12.5)),
            retries: 0, maxConcurrency: 4,
            resources: [
                Resource(id: "x", name: "엑스", scheduledAt: StoreFixture.now, status: .inProgress, attempts: 2, failures: 5,
                         progress: 42, lastMessage: "line\twith tab", lastFailureAt: StoreFixture.now.addingTimeInterval(-5),
                         attemptID: 41, cluster: "orders", role: .replica, endpoint: "[::1]:5432", host: "admin@db-7",
                         labels: ["zone": "eu-1b"], finishedAt: StoreFixture.now.addingTimeInterval(-9), heldReason: "waiting",
                         liveRole: .primary)
            ])
        try! state.apply(.setPolicy(policy), context: StoreFixture.context())
        try! state.apply(.importTasks([commandTask]), context: StoreFixture.context())
        return state
    }

    @Test func snapshotRoundTripsEveryField() throws {
        let state = Self.richState()
        let bytes = SnapshotFile.encode(state, sequence: 77, now: StoreFixture.now)
        let (decoded, sequence) = try SnapshotFile.decode(bytes, path: "mem")
        #expect(sequence == 77)
        #expect(decoded.tasks == state.tasks)
        #expect(decoded.policy == state.policy)
        #expect(decoded.events == state.events)
    }

    @Test func journalBatchRoundTripsEveryChange() throws {
        let state = Self.richState()
        let batch = JournalBatch(
            sequence: 9, time: StoreFixture.now, actor: "ops@host (tui)",
            changes: [.addTask(state.tasks[0]), .updateResource(taskID: "MT-CMD", resource: state.task(id: "MT-CMD")!.resources[0]), .setPolicy(state.policy),
                      .setHalted(taskID: "MT-CMD", halted: true), .setHold(taskID: "MT-CMD", resourceID: "db-1", reason: "waiting for replica 주문-db-2"),
                      .setHold(taskID: "MT-CMD", resourceID: "db-1", reason: nil)],
            events: Array(state.events.prefix(3)))
        let record = JournalFile.record(batch)
        let scan = JournalFile.scan(record, base: 0, path: "mem")
        #expect(scan.damage == nil && scan.incompleteAt == nil)
        #expect(scan.batches == [batch])
    }

    @Test func unknownFieldsAreSkipped() throws {
        var writer = ByteWriter()
        writer.string(1, "db-9")
        writer.uint(99, 12345)  // a field from a future version
        writer.string(2, "name")
        writer.message(98) { $0.string(1, "nested future data") }
        writer.double(97, 1.5)
        writer.uint(4, 1)
        let resource = try writer.bytes.withUnsafeBytes { buffer in
            var reader = ByteReader(buffer)
            return try reader.resource()
        }
        #expect(resource == Resource(id: "db-9", name: "name", status: .reserved))
    }

    @Test func unknownRecordTypesInASnapshotAreSkipped() throws {
        let state = Self.richState()
        var bytes = SnapshotFile.encode(state, sequence: 1, now: StoreFixture.now)
        var extra = ByteWriter()
        Frame.append(rawBody: [0x42, 1, 2, 3], to: &extra)  // record type 0x42: unknown to this version
        bytes.insert(contentsOf: extra.bytes, at: FileHeader.size)
        #expect(try SnapshotFile.decode(bytes, path: "mem").state.tasks == state.tasks)
    }

    @Test func unknownStatusCodesAreReportedNotGuessed() {
        var writer = ByteWriter()
        writer.string(1, "a")
        writer.uint(4, 200)
        #expect(throws: DecodeError.self) {
            try writer.bytes.withUnsafeBytes { buffer in
                var reader = ByteReader(buffer)
                _ = try reader.resource()
            }
        }
    }

    @Test func crcMatchesTheCastagnoliCheckValue() {
        #expect(CRC32C.checksum(Array("123456789".utf8)) == 0xE306_9283)
        #expect(CRC32C.checksum([UInt8](repeating: 0, count: 32)) == 0x8A91_36AA)
    }
}

/// A snapshot whose checksums hold but whose events cannot be decoded is refused cleanly, even when the
/// damage is in the second half decoded on the other thread.
struct SnapshotDecodeFailureTests {
    @Test(arguments: [0, 1])
    func anUndecodableEventRecordIsCorruption(place: Int) throws {
        let state = CodecRoundTripTests.richState()
        var bytes = SnapshotFile.encode(state, sequence: 3, now: StoreFixture.now)
        var bad = ByteWriter()
        // An events record holding one event whose first field has wire type 7, which does not exist.
        Frame.append(rawBody: [Frame.RecordType.events.rawValue, 0x0A, 0x01, 0x0F], to: &bad)
        var lastRecord = FileHeader.size
        bytes.withUnsafeBytes { buffer in
            var offset = FileHeader.size
            while case .record(_, _, let next) = Frame.scan(buffer, at: offset) {
                lastRecord = offset
                offset = next
            }
        }
        bytes.insert(contentsOf: bad.bytes, at: place == 0 ? FileHeader.size : lastRecord)
        #expect {
            try SnapshotFile.decode(bytes, path: "mem")
        } throws: { error in
            "\(error)".contains("found wire type 7")
        }
    }
}

/// Values no command could have written, in an otherwise well-formed file: refused on read with the
/// field named, never handed to the engine (which would trap on them) or to the next write.
struct ImpossibleValueTests {
    enum Impossible: String, CaseIterable {
        case infiniteSimulatedDuration = "durationSeconds"
        case nanFailureRate = "failureRate"
        case progressBeyond100 = "progress"
        case zeroConcurrencyLimit = "maxConcurrency"
        case negativeLeadTime = "minLeadTime"

        func state() throws -> FleetState {
            var task = StoreFixture.task("T-1", machines: ["m1"])
            var policy = Policy()
            switch self {
            case .infiniteSimulatedDuration: task.executor = .simulated(SimulatedExecutor(durationSeconds: .infinity))
            case .nanFailureRate: task.executor = .simulated(SimulatedExecutor(failureRate: .nan))
            case .progressBeyond100: task.resources[0].progress = .max
            case .zeroConcurrencyLimit: policy.maxConcurrency = 0
            case .negativeLeadTime: policy.minLeadTime = -60
            }
            var state = FleetState()
            _ = try state.apply(.importTasks([StoreFixture.task("T-0", machines: ["m0"])]), context: StoreFixture.context())
            state.commit([.addTask(task), .setPolicy(policy)], events: [])
            return state
        }
    }

    @Test(arguments: Impossible.allCases)
    func isRefusedOnRead(value: Impossible) throws {
        let bytes = SnapshotFile.encode(try value.state(), sequence: 1, now: StoreFixture.now)
        let error = #expect(throws: StoreError.self) { try SnapshotFile.decode(bytes, path: "/s/snapshot") }
        #expect(error.map { "\($0)" }?.contains(value.rawValue) == true, "\(value): \(String(describing: error))")
    }

    @Test func aPolicyDurationBeyondAnyDateStillWrites() {
        var policy = Policy()
        policy.lockout = 1e300
        var writer = ByteWriter()
        writer.policy(policy)  // clamped, not a trap
        #expect(!writer.bytes.isEmpty)
    }
}

/// Every case of every stored enum has its own number and reads back as itself.
struct StoredEnumTests {
    func roundTrips<T: StoredEnum & CaseIterable & Equatable>(_: T.Type) -> Bool {
        let codes = T.allCases.map(\.storedCode)
        return Set(codes).count == codes.count && T.allCases.allSatisfy { T(storedCode: $0.storedCode) == $0 }
    }

    @Test func everyCaseHasItsOwnCodeAndReadsBack() throws {
        #expect(roundTrips(ResourceStatus.self) && roundTrips(Service.self) && roundTrips(Requirement.self))
        #expect(roundTrips(Priority.self) && roundTrips(TaskType.self))
        #expect(throws: DecodeError.self) { try TaskType.decode(99) }
    }
}
