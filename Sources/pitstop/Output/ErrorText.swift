import Foundation
import PitstopCore
import PitstopEngine
import PitstopStore

/// The command line's wording of errors: the library's own sentence (what happened), then what to type next.
/// Core, Store and Engine name no command; this is where their errors meet the commands.
enum ErrorText {
    static func message(for error: any Error) -> String? {
        switch error {
        case let error as StoreError:
            switch error {
            case .notFound: return "\(error); create one with `pitstop import FILE` or `pitstop demo`"
            case .notWritable: return "\(error). To look without changing anything, add --readonly"
            case .corrupt:
                return "\(error). Run `pitstop store check` for details and `pitstop store recover` to rebuild it from what is readable"
            default: return error.description
            }
        case let error as MutationError:
            switch error {
            case .unknownTask: return "\(error) (see `pitstop tasks`)"
            case .unknownResource(let task, _): return "\(error) (see `pitstop task \(task)`)"
            default: return error.description
            }
        case let error as EngineLockError:
            switch error {
            case .heldBy: return "\(error); stop it first, or open the console with --no-engine"
            case .notOwner(let owner, _): return "\(error): run it as \(owner) (the installed pitstop.service does), or open the console with --no-engine"
            case .io: return error.description
            }
        default:
            return nil
        }
    }
}
