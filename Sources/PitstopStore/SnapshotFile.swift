import Foundation
import PitstopCore

/// The snapshot: a header, then one record for the policy, one per task, events in chunks, and an end
/// record with counts. A snapshot is written whole or not at all, so any damage in it is corruption.
enum SnapshotFile {
    static let eventsPerRecord = 4096

    static func encode(_ state: FleetState, sequence: UInt64, now: Date) -> [UInt8] {
        let estimate = 64 + state.tasks.count * 64 * 50 + state.events.count * 96
        var w = ByteWriter(capacity: estimate)
        w.rawBytes(FileHeader(kind: .snapshot, sequence: sequence, createdAt: now).encoded())
        Frame.append(.policy, to: &w) { $0.policy(state.policy) }
        for task in state.tasks {
            Frame.append(.task, to: &w) { $0.task(task) }
        }
        var start = 0
        while start < state.events.count {
            let chunk = state.events[start..<min(start + eventsPerRecord, state.events.count)]
            Frame.append(.events, to: &w) { body in
                for event in chunk { body.message(1) { $0.event(event) } }
            }
            start += eventsPerRecord
        }
        Frame.append(.end, to: &w) {
            $0.uint(1, UInt64(state.tasks.count))
            $0.uint(2, UInt64(state.events.count))
        }
        return w.bytes
    }

    /// The state and the sequence number of the last change it contains.
    static func decode(_ bytes: [UInt8], path: String) throws(StoreError) -> (state: FleetState, sequence: UInt64) {
        let result: Result<(FleetState, UInt64), StoreError> = bytes.withUnsafeBytes { buffer in
            do throws(StoreError) {
                return .success(try decode(buffer, path: path))
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }

    private static func decode(_ buffer: UnsafeRawBufferPointer, path: String) throws(StoreError) -> (FleetState, UInt64) {
        let header = try FileHeader.decode(buffer, kind: .snapshot, path: path)
        var policy = Policy()
        var tasks: [MaintenanceTask] = []
        var events: [Event] = []
        var offset = FileHeader.size
        while true {
            switch Frame.scan(buffer, at: offset) {
            case .end, .incomplete:
                throw .corrupt(path: path, offset: offset, reason: "the snapshot ends before its end record (truncated)")
            case .corrupt(let reason):
                throw .corrupt(path: path, offset: offset, reason: reason)
            case .record(let type, let payload, let next):
                var reader = ByteReader(buffer, from: payload.lowerBound, to: payload.upperBound)
                do throws(DecodeError) {
                    switch Frame.RecordType(rawValue: type) {
                    case .policy: policy = try reader.policy()
                    case .task: tasks.append(try reader.task())
                    case .events:
                        while let (_, wire) = try reader.nextField() {
                            var nested = try reader.message(wire)
                            events.append(try nested.event())
                        }
                    case .end:
                        var counts: [UInt64: UInt64] = [:]
                        while let (field, wire) = try reader.nextField() { counts[field] = try reader.uint(wire) }
                        guard counts[1] == UInt64(tasks.count), counts[2] == UInt64(events.count) else {
                            throw DecodeError(reason: "the end record counts \(counts[1] ?? 0) tasks and \(counts[2] ?? 0) events, but \(tasks.count) and \(events.count) were read")
                        }
                        return (FleetState(tasks: tasks, policy: policy, events: events), header.sequence)
                    case .batch, nil:
                        break  // a record type from a newer version: skipped
                    }
                } catch {
                    throw .corrupt(path: path, offset: offset, reason: error.reason)
                }
                offset = next
            }
        }
    }
}
