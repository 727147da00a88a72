import EGovPlatform
@testable import EGovServer
import Fluent
import Foundation
import Testing

@Suite("Gap-free counters")
struct CounterTests {
    struct Rollback: Error {}

    @Test("numbers are consecutive per scope, and a rolled-back number is handed out again", arguments: TestDatabase.enabled)
    func consecutive(database: TestDatabase) async throws {
        try await TestInstallation.with(database, .empty) { egov in
            let db = egov.app.db
            #expect(try await Counters.next("dossier:A:20260921", on: db) == 1)
            #expect(try await Counters.next("dossier:A:20260921", on: db) == 2)
            #expect(try await Counters.next("dossier:B:20260921", on: db) == 1)
            await #expect(throws: Rollback.self) {
                try await db.transaction { tx in
                    #expect(try await Counters.next("dossier:A:20260921", on: tx) == 3)
                    throw Rollback()
                }
            }
            #expect(try await Counters.next("dossier:A:20260921", on: db) == 3)
            #expect(try await Counters.current("dossier:A:20260921", on: db) == 3)
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
