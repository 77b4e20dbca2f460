import Foundation
import PitstopEngine
import PitstopStore
import PitstopTestSupport

/// Opens the store at `storePath` and runs a fresh engine on it (real clock, real supervisors) until nothing
/// runs; returns the store, caught up.
func runSupervisedEngineUntilIdle(storePath: String) throws -> Store {
    let store = try Store.open(storePath)
    let engine = Engine(store: store, executors: SupervisedExecutors(storeDirectory: storePath, supervisor: BuiltProducts.path("pitstop-supervisor")))
    try EngineLoop(engine: engine, interval: 0.05, untilIdle: true).run(shouldStop: { false }) { _ in }
    _ = try store.poll()
    return store
}
