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

/// The help explains every mode and every symbol on screen; a long event is readable in full (SPEC §17).
struct HelpAndFullTextTests {
    @Test func theHelpNamesEveryModeAndEverySymbol() {
        var state = TUIFixture.state(width: 120, height: 60)
        TUIFixture.send(&state, .char("?"))
        let help = Renderer.render(state, fleet: TUIFixture.fleet).text
        for needle in ["schedule editor", "confirmation", "/ filter", "lists", "watch", "⚑", "⏸", "DT  DOWNTIME", "SIM", "RESOURCES bar", "█ completed", "▒ reserved", "❄", "Ctrl-L"] {
            #expect(help.contains(needle), "the help lacks \(needle)")
        }
    }

    @Test func aSmallScreensHelpScrollsToItsLastLine() {
        var state = TUIFixture.state(width: 80, height: 24)
        TUIFixture.send(&state, .char("?"))
        #expect(!Renderer.render(state, fleet: TUIFixture.fleet).text.contains("a marked resource"))
        TUIFixture.send(&state, .pageDown, .pageDown, .pageDown)
        #expect(Renderer.render(state, fleet: TUIFixture.fleet).text.contains("a marked resource"))
    }

    @Test func enterOnTheEventLogShowsTheFirstRowsEventInFull() throws {
        var fleet = TUIFixture.fleet
        let long = "step 1 done; " + (2...40).map { "step \($0) done" }.joined(separator: "; ") + "; THE END"
        try fleet.apply(.recordEvents([EventDraft(kind: .notified, taskID: "MT-0001", message: long)]),
                        context: MutationContext(now: TUIFixture.now, actor: "alice@ops (cli)", timeZone: TUIFixture.utc))
        var state = TUIFixture.state(width: 100, height: 30)
        TUIFixture.send(&state, .char("L"), fleet: fleet)
        let list = Renderer.render(state, fleet: fleet).text
        #expect(list.contains("…") && !list.contains("THE END"), "the row is cut, and says so")
        TUIFixture.send(&state, .enter, fleet: fleet)
        let detail = Renderer.render(state, fleet: fleet).text
        #expect(detail.contains("THE END") && detail.contains("by: alice@ops (cli)"), "\(detail)")
    }

    @Test func theWatchScreenHasHelp() {
        var state = WatchState(width: 100, height: 30, now: TUIFixture.now, zone: TUIFixture.utc, storePath: "~/s")
        #expect(WatchView.render(state, fleet: TUIFixture.fleet).text.contains("? help"))
        state.showHelp = true
        let text = WatchView.render(state, fleet: TUIFixture.fleet).text
        #expect(text.contains("Watch — keys and symbols") && text.contains("p  pause"))
    }
}
