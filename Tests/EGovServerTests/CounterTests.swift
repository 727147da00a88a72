import EGovPlatform
@testable import EGovServer
import Fluent
import Foundation
import Testing

@Suite("Gap-free counters")
struct CounterTests {
    struct Rollback: Error { let number: Int }

    @Test("numbers are consecutive per scope, and a rolled-back number is handed out again", arguments: TestDatabase.enabled)
    func consecutive(database: TestDatabase) async throws {
        try await TestInstallation.with(database, .empty) { egov in
            let db = egov.app.db
            let first = try await Counters.next("dossier:A:20260921", on: db)
            let second = try await Counters.next("dossier:A:20260921", on: db)
            let otherUnit = try await Counters.next("dossier:B:20260921", on: db)
            #expect(first == 1 && second == 2 && otherUnit == 1)
            var inRolledBack = 0
            do {
                try await db.transaction { tx in
                    throw Rollback(number: try await Counters.next("dossier:A:20260921", on: tx))
                }
            } catch let rollback as Rollback {
                inRolledBack = rollback.number
            }
            let afterRollback = try await Counters.next("dossier:A:20260921", on: db)
            let current = try await Counters.current("dossier:A:20260921", on: db)
            #expect(inRolledBack == 3 && afterRollback == 3 && current == 3)
        }
    }

    @Test("concurrent transactions get distinct numbers with no gap", arguments: TestDatabase.enabled)
    func concurrent(database: TestDatabase) async throws {
        try await TestInstallation.with(database, .empty) { egov in
            let db = egov.app.db
            let numbers = try await withThrowingTaskGroup(of: Int.self) { group in
                for _ in 0..<40 {
                    group.addTask { try await db.transaction { tx in try await Counters.next("dossier:C:20260921", on: tx) } }
                }
                var all: [Int] = []
                for try await number in group { all.append(number) }
                return all
            }
            #expect(numbers.sorted() == Array(1...40))
        }
    }
}
