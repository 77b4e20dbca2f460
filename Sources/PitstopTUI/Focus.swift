import Foundation
import PitstopCore

/// Which pane keys go to.
enum Focus: Equatable, Sendable { case tasks, resources }
