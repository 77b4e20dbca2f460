import Foundation

/// Intercepts the store's write-side system calls, so that tests can fail them, cut them short or stop a
/// "process" between any two of them. Production code runs with no seam installed.
package protocol FileSystemSeam: AnyObject, Sendable {
    /// Decides the fate of a call before it is made.
    func before(_ call: FileCall) -> FaultAction
    /// Observes a call that was made and succeeded; `fd` is the descriptor it acted on, or -1.
    func after(_ call: FileCall, fd: Int32)
}

extension FileIO {
    /// The seam for the current task, installed by tests with `FileIO.$seam.withValue(…)`.
    @TaskLocal package static var seam: (any FileSystemSeam)?

    /// Runs `body` unless the seam says otherwise; a `-1` result carries `errno`. `body` gets the byte count
    /// a short write allows (nil: all). `fd` is what `after` is told, except for a create: its result.
    static func intercept(_ call: FileCall, fd: Int32 = -1, _ body: (Int?) -> Int) -> Int {
        guard let seam else { return body(nil) }
        let action = seam.before(call)
        switch action {
        case .fail(let code):
            errno = code
            return -1
        case .pretend:
            return 0
        case .proceed, .shortWrite:
            var allowed: Int?
            if case .shortWrite(let count) = action { allowed = count }
            let result = body(allowed)
            if result >= 0 {
                if case .create = call { seam.after(call, fd: Int32(result)) } else { seam.after(call, fd: fd) }
            }
            return result
        }
    }
}
