import Foundation
import PitstopCore
@testable import PitstopTUI
import Testing

/// What `/` reads as fields and what as text, and which tasks and resources a query matches.
struct FilterQueryTests {
    static let now = Date(timeIntervalSince1970: 1_795_608_000)

    static func resource(_ id: String, cluster: String? = nil, role: ResourceRole = .standalone, status: ResourceStatus = .pending,
                         labels: [String: String] = [:], held: Bool = false) -> Resource {
        var r = Resource(id: id, name: "name-\(id)")
        r.cluster = cluster
        r.role = role
        r.status = status
        r.labels = labels
        if held { r.heldReason = "waiting for replica" }
        return r
    }

    static func task(_ id: String, service: Service = .postgresql, type: TaskType = .configChange, _ resources: [Resource]) -> MaintenanceTask {
        MaintenanceTask(id: id, title: "t \(id)", service: service, requirement: .recommended, recommendedAt: now, type: type, resources: resources)
    }

    @Test func fieldsAndFreeTextAreToldApartAndUnknownFieldsStayText() {
        let q = FilterQuery("status:Failed  svc:pg orders label:zone=b label:rack held foo:bar")
        #expect(q.statuses == ["failed"] && q.services == ["pg"] && q.held)
        #expect(q.labels.map(\.key) == ["zone", "rack"] && q.labels.map(\.value) == ["b", nil])
        #expect(q.text == "orders foo:bar" && q.unknownFields == ["foo"])
        #expect(FilterQuery("").isEmpty && FilterQuery("   ").isEmpty && !FilterQuery("held").isEmpty)
    }

    @Test func resourceFieldsMustHoldOnOneResourceTogether() {
        // orders has a failed replica and a pending primary: "failed primary" is in neither.
        let t = Self.task("T", [Self.resource("a", cluster: "orders", role: .replica, status: .failed),
                                Self.resource("b", cluster: "orders", role: .primary, status: .pending)])
        #expect(FilterQuery("status:fail cluster:ord").matches(t))
        #expect(FilterQuery("role:primary cluster:orders").matches(t))
        #expect(!FilterQuery("status:failed role:primary").matches(t))
        #expect(!FilterQuery("cluster:billing").matches(t))
    }

    @Test func taskFieldsServiceAliasesTypesLabelsAndHeld() {
        let pg = Self.task("P", type: .kernelUpgrade, [Self.resource("a", labels: ["Zone": "B-1"], held: true)])
        let my = Self.task("M", service: .mysql, [Self.resource("b")])
        #expect(FilterQuery("svc:pg").matches(pg) && !FilterQuery("svc:pg").matches(my))
        #expect(FilterQuery("svc:maria").matches(my) && FilterQuery("svc:my").matches(my) && FilterQuery("svc:postgres").matches(pg))
        #expect(FilterQuery("type:kernel").matches(pg) && !FilterQuery("type:os").matches(pg))
        #expect(FilterQuery("label:zone=b").matches(pg) && FilterQuery("label:zone").matches(pg) && !FilterQuery("label:zone=a").matches(pg))
        #expect(FilterQuery("held").matches(pg) && !FilterQuery("held").matches(my))
        #expect(FilterQuery("status:running").matches(Self.task("R", [Self.resource("r", status: .inProgress)])))
    }

    @Test func highlightsPointAtTheResourcesTheQueryIsAbout() {
        let failed = Self.resource("db-1", status: .failed)
        let pending = Self.resource("db-2")
        #expect(FilterQuery("status:failed").highlights(failed) && !FilterQuery("status:failed").highlights(pending))
        #expect(FilterQuery("db-2").highlights(pending) && !FilterQuery("db-2").highlights(failed))
        #expect(!FilterQuery("svc:pg").highlights(failed), "a task field alone points at no resource")
    }
}
