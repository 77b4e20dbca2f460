import PitstopCore

/// A domain enum's stable number on disk. Each conformance is an exhaustive switch, so a case added to the
/// domain does not compile until it has a number. Never renumber; new cases take new numbers.
protocol StoredEnum {
    var storedCode: UInt64 { get }
    init?(storedCode: UInt64)
    /// What the enum is, for a decoder's message ("resource status").
    static var storedName: String { get }
}

extension StoredEnum {
    static func decode(_ code: UInt64) throws(DecodeError) -> Self {
        guard let value = Self(storedCode: code) else {
            throw DecodeError(reason: "unknown \(storedName) code \(code) (written by a newer Pitstop?)")
        }
        return value
    }
}

extension ResourceStatus: StoredEnum {
    static let storedName = "resource status"
    var storedCode: UInt64 {
        switch self {
        case .pending: 0
        case .reserved: 1
        case .inProgress: 2
        case .completed: 3
        case .failed: 4
        case .excluded: 5
        }
    }
    init?(storedCode: UInt64) {
        switch storedCode {
        case 0: self = .pending
        case 1: self = .reserved
        case 2: self = .inProgress
        case 3: self = .completed
        case 4: self = .failed
        case 5: self = .excluded
        default: return nil
        }
    }
}

extension Service: StoredEnum {
    static let storedName = "service"
    var storedCode: UInt64 {
        switch self {
        case .mysql: 0
        case .postgresql: 1
        }
    }
    init?(storedCode: UInt64) {
        switch storedCode {
        case 0: self = .mysql
        case 1: self = .postgresql
        default: return nil
        }
    }
}

extension Requirement: StoredEnum {
    static let storedName = "requirement"
    var storedCode: UInt64 {
        switch self {
        case .mandatory: 0
        case .recommended: 1
        }
    }
    init?(storedCode: UInt64) {
        switch storedCode {
        case 0: self = .mandatory
        case 1: self = .recommended
        default: return nil
        }
    }
}

extension Priority: StoredEnum {
    static let storedName = "priority"
    var storedCode: UInt64 {
        switch self {
        case .high: 0
        case .medium: 1
        case .low: 2
        }
    }
    init?(storedCode: UInt64) {
        switch storedCode {
        case 0: self = .high
        case 1: self = .medium
        case 2: self = .low
        default: return nil
        }
    }
}

extension TaskType: StoredEnum {
    static let storedName = "task type"
    var storedCode: UInt64 {
        switch self {
        case .osUpdate: 0
        case .engineUpgrade: 1
        case .kernelUpgrade: 2
        case .configChange: 3
        }
    }
    init?(storedCode: UInt64) {
        switch storedCode {
        case 0: self = .osUpdate
        case 1: self = .engineUpgrade
        case 2: self = .kernelUpgrade
        case 3: self = .configChange
        default: return nil
        }
    }
}

extension ResourceRole: StoredEnum {
    static let storedName = "resource role"
    var storedCode: UInt64 {
        switch self {
        case .standalone: 0
        case .primary: 1
        case .replica: 2
        }
    }
    init?(storedCode: UInt64) {
        switch storedCode {
        case 0: self = .standalone
        case 1: self = .primary
        case 2: self = .replica
        default: return nil
        }
    }
}
