import Foundation
import PitstopCore
@testable import PitstopEngine
import Testing

/// What an engine remembers of the notifications it sent: enough that none goes out twice, and no more, so
/// that a daemon running for months does not grow.
struct SentNoticesTests {
    let now = Date(timeIntervalSince1970: 1_795_608_000)

    private func leadKey(_ resource: String, at offset: TimeInterval) -> (String, NotificationPlanner.LeadKey) {
        let lead = NotificationPlanner.LeadKey(taskID: "T-1", resourceID: resource, at: Int64(now.addingTimeInterval(offset).timeIntervalSince1970), lead: 3600)
        return (lead.text, lead)
    }

    @Test func aNoticeIsSentOnceAndForgottenOnlyOnceItCannotComeUpAgain() {
        var sent = SentNotices()
        let (past, pastLead) = leadKey("r1", at: -60)
        let (ahead, aheadLead) = leadKey("r2", at: 600)
        let deadlineAhead = "deadline:T-1:\(Int64(now.timeIntervalSince1970) + 86400):1 day"
        let deadlinePast = "deadline:T-2:\(Int64(now.timeIntervalSince1970) - 1):1 day"
        let first = [sent.insert(past, lead: pastLead), sent.insert(ahead, lead: aheadLead), sent.insert(deadlineAhead),
                     sent.insert(deadlinePast), sent.insert("failed:T-1:r1:1")]
        #expect(first == [true, true, true, true, true])
        let again = [sent.insert(ahead, lead: aheadLead), sent.insert("failed:T-1:r1:1")]
        #expect(again == [false, false], "a key already sent is refused")

        sent.forget(before: now)
        #expect(sent.planned == [ahead, deadlineAhead] && sent.leads == [aheadLead])
        let oneRoundLater = sent.insert("failed:T-1:r1:1")
        #expect(!oneRoundLater, "an event key is still known one round later")
        sent.forget(before: now)
        let twoRoundsLater = sent.insert("failed:T-1:r1:1")
        #expect(twoRoundsLater, "and forgotten after two")
        sent.forget(before: now)
        sent.forget(before: now)
        #expect(sent.count == 2, "only what is still ahead is left")
    }

    @Test func aRestartedEngineRemembersOnlyThePlannedNoticesStillAheadReadingBackNoFurtherThanTheyCanBe() {
        let (past, _) = leadKey("r1", at: -60)
        let (ahead, aheadLead) = leadKey("r2", at: 600)
        let (beyondHorizon, _) = leadKey("r4", at: 900)
        // Oldest first, as the log holds them; the first was sent long before any lead could reach.
        let notices = [(beyondHorizon, "r4", -30 * 86400.0), (past, "r1", -120), (ahead, "r2", -60), ("failed:T-1:r3:1", "r3", -30)]
        let log = EventLog(notices.enumerated().map { n, notice in
            Event(sequence: UInt64(n + 1), time: now.addingTimeInterval(notice.2), actor: "engine", taskID: "T-1", resourceID: notice.1,
                  kind: .notified, message: "m", key: notice.0)
        })
        let sent = SentNotices(log: log, now: now, horizon: 86400)
        #expect(sent.planned == [ahead] && sent.leads == [aheadLead] && sent.count == 1)
    }

    @Test func theSoonestNoticesAreThoseAStableSortPutsFirst() {
        var generator = SeededGenerator(seed: 11)
        // Many ties, as when thousands of reservations share a minute.
        let times = (0..<5000).map { _ in now.addingTimeInterval(Double(Int.random(in: 0..<300, using: &generator)) * 60) }
        let sorted = times.indices.sorted { times[$0] < times[$1] }  // stable
        for limit in [0, 1, 7, 500, 4999, 5000, 6000] {
            #expect(NotificationPlanner.soonest(limit, of: times) == Array(sorted.prefix(limit)), "limit \(limit)")
        }
    }
}
