import PitstopCore

/// Stable numbers for the domain's enums on disk. Never renumber; add new cases at the end.
enum EnumCodes {
    static let resourceStatus: [ResourceStatus] = [.pending, .reserved, .inProgress, .completed, .failed, .excluded]
    static let service: [Service] = [.mysql, .postgresql]
    static let requirement: [Requirement] = [.mandatory, .recommended]
    static let priority: [Priority] = [.high, .medium, .low]
    static let taskType: [TaskType] = [.osUpdate, .engineUpgrade, .kernelUpgrade, .configChange]

    static func code<T: Equatable>(_ value: T, in table: [T]) -> UInt64 {
        UInt64(table.firstIndex(of: value)!)
    }

    static func value<T>(_ code: UInt64, in table: [T], _ what: String) throws(DecodeError) -> T {
        guard code < UInt64(table.count) else {
            throw DecodeError(reason: "unknown \(what) code \(code) (written by a newer Pitstop?)")
        }
        return table[Int(code)]
    }
}
