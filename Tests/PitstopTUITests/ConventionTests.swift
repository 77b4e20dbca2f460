import Foundation
import PitstopCore
@testable import PitstopTUI
import Testing

/// The conventions a k9s or lazygit user expects (SPEC §17): the way to help and the way out are always on
/// screen, and the header never cuts what state the engine is in.
struct ConventionTests {
    @Test(arguments: [60, 72, 80, 100, 120, 200])
    func theFooterKeepsHelpAndQuitAtAnyWidth(width: Int) {
        for readonly in [false, true] {
            for focus in [Focus.tasks, .resources] {
                var state = TUIFixture.state(width: width, height: 24, readonly: readonly)
                state.focus = focus
                let footer = Renderer.render(state, fleet: TUIFixture.fleet).text.split(separator: "\n").last.map(String.init) ?? ""
                #expect(footer.contains("? help") && footer.contains("q quit"), "\(width) cols, \(focus), readonly \(readonly): \(footer)")
                if readonly { #expect(footer.contains("READ-ONLY")) }
            }
        }
    }

    @Test func anOverlaysFooterKeepsItsWayOut() {
        var state = TUIFixture.state(width: 60, height: 24)
        TUIFixture.send(&state, .down, .enter, .char("e"))
        let footer = Renderer.render(state, fleet: TUIFixture.fleet).text.split(separator: "\n").last.map(String.init) ?? ""
        #expect(footer.contains("Esc cancel") && footer.contains("Enter save"), "\(footer)")
    }

    @Test(arguments: [
        EngineStatus.none(reason: "--no-engine"), .embedded(running: 12), .daemon(pid: 4_194_304), .stopped(pid: 812),
        .none(reason: "read-only"),
    ])
    func theHeaderNeverCutsTheEnginesState(engine: EngineStatus) {
        for width in [60, 80, 120] {
            var state = TUIFixture.state(width: width, height: 24)
            state.engine = engine
            let header = Renderer.render(state, fleet: TUIFixture.fleet).text.split(separator: "\n").first.map(String.init) ?? ""
            #expect(header.contains(engine.label) || header.contains(engine.shortLabel + " "), "\(width) cols: \(header)")
        }
    }
}
