import Foundation
public import PitstopCore

/// `render(state, fleet) → cells`: a pure function, so every screen can be tested as text.
enum Renderer {
    static func render(_ state: AppState, fleet: FleetState) -> CellBuffer {
        var buffer = CellBuffer(width: state.width, height: state.height)
        guard !state.layout.isTooSmall else {
            TooSmallView.draw(width: state.width, height: state.height, minimumWidth: Layout.minimumWidth, minimumHeight: Layout.minimumHeight, into: &buffer)
            return buffer
        }
        HeaderView.draw(state, fleet, into: &buffer)
        TaskListView.draw(state, fleet, into: &buffer)
        ResourcePaneView.draw(state, fleet, into: &buffer)
        FooterView.draw(state, fleet, into: &buffer)
        for overlay in state.overlays.items { overlay.draw(state, fleet, into: &buffer) }
        return buffer
    }
}
