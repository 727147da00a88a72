@testable import Documents
@testable import EGovPlatform
@testable import EGovServer
import Fluent
import Foundation
@testable import PublicServices
import SQLKit
import Testing

/// The queue's total comes from the holders' running counts (`CaseHoldings`, issue 15), which triggers keep as
/// cases open, move, are assigned, finish or are deleted, by the API or by plain SQL; its page is read per
/// holding unit (`CaseQueue`).
@Suite("The holders' running counts and the queue read from them")
struct CaseHoldingsTests {
    static let benThuy = "000.00.31.H99"
    static let files = [("van-ban-cu-giam-ho", "van-ban-cu.pdf", SampleFiles.pdf)]

    /// Every holder's running count against a count of the case rows themselves.
    static func expectCountsMatchRows(_ egov: TestInstallation, sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws {
        let sql = try #require(egov.app.db as? any SQLDatabase)
        for table in [DossierModel.schema, DocumentModel.schema] {
            let kept = try await sql.raw("""
                SELECT holder_unit_path AS u, holder_positions AS p, assignee_key AS a, open_cases AS n FROM core_case_holdings
                WHERE case_table = \(bind: table) AND open_cases <> 0
                """).all()
            let counted = try await sql.raw("""
                SELECT holder_unit_path AS u, holder_positions AS p, COALESCE(assignee_id, \(bind: AddCaseHoldings.nobody)) AS a, count(*) AS n
                FROM \(ident: table) WHERE finished_at IS NULL AND holder_unit_path IS NOT NULL AND holder_positions IS NOT NULL
                GROUP BY holder_unit_path, holder_positions, assignee_id
                """).all()
            func lines(_ rows: [any SQLRow]) throws -> [String] {
                try rows.map {
                    "\(try $0.decode(column: "u", as: String.self)) \(try $0.decode(column: "p", as: String.self)) "
                        + "\(try $0.decode(column: "a", as: UUID.self)) \(try $0.decode(column: "n", as: Int.self))"
                }.sorted()
            }
            #expect(try lines(kept) == lines(counted), "\(table)", sourceLocation: sourceLocation)
        }
    }

    @Test("the queue's total follows every move, assignment, finish and deletion, and its pages are the list in order",
          arguments: TestDatabase.enabled)
    func follows(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            try egov.setVietnamTime(2026, 10, 5, hour: 9) // Monday
            let citizen = try await egov.citizen()
            var codes: [String] = []
            for _ in 0..<5 {
                codes.append(try await egov.submit(citizen, procedure: DossierLifecycleTests.guardianship, unit: Self.benThuy,
                                                   attachments: Self.files).content.decode(DossierJSON.self).code)
            }
            let desk = "motcua.benthuy"
            let specialist = "chuyenvien.benthuy"
            func queue(_ user: String, _ query: String = "") async throws -> PageJSON<SummaryJSON> {
                try await egov.get("/api/v1/queue\(query)", as: user).content.decode(PageJSON<SummaryJSON>.self)
            }
            var desks = try await queue(desk)
            #expect(desks.total == 5 && desks.items.map(\.code) == codes)
            try await Self.expectCountsMatchRows(egov)

            // Pages are slices of the whole list; a page past the end is empty and keeps the total.
            let middle = try await queue(desk, "?limit=2&offset=1")
            #expect(middle.total == 5 && middle.items.map(\.code) == Array(codes[1...2]))
            let past = try await queue(desk, "?limit=2&offset=5")
            #expect(past.total == 5 && past.items.isEmpty)

            // Received: two move from the desk to the specialist.
            try egov.setVietnamTime(2026, 10, 5, hour: 10)
            for code in codes.prefix(2) { try await egov.act(desk, code, "receive") }
            desks = try await queue(desk)
            #expect(desks.total == 3 && desks.items.map(\.code) == Array(codes[2...]))
            let specialists = try await queue(specialist)
            #expect(specialists.total == 2 && specialists.items.map(\.code) == Array(codes.prefix(2)))
            try await Self.expectCountsMatchRows(egov)

            // Plain SQL counts too: one finished, one deleted, one handed to somebody else by name.
            let sql = try #require(egov.app.db as? any SQLDatabase)
            try await sql.raw("UPDATE \(ident: DossierModel.schema) SET finished_at = \(bind: egov.clock.date) WHERE code = \(bind: codes[2])").run()
            try await sql.raw("DELETE FROM \(ident: DossierModel.schema) WHERE code = \(bind: codes[3])").run()
            try await sql.raw("UPDATE \(ident: DossierModel.schema) SET assignee_id = \(bind: UUID()) WHERE code = \(bind: codes[4])").run()
            desks = try await queue(desk)
            #expect(desks.total == 0 && desks.items.isEmpty)
            try await Self.expectCountsMatchRows(egov)
            try await sql.raw("UPDATE \(ident: DossierModel.schema) SET assignee_id = NULL WHERE code = \(bind: codes[4])").run()
            desks = try await queue(desk)
            #expect(desks.total == 1 && desks.items.map(\.code) == [codes[4]])
            try await Self.expectCountsMatchRows(egov)
        }
    }

    @Test("a commune's queue does not count another commune's cases", arguments: TestDatabase.enabled)
    func scoped(database: TestDatabase) async throws {
        try await TestInstallation.with(database) { egov in
            try egov.setVietnamTime(2026, 10, 5, hour: 9)
            let citizen = try await egov.citizen()
            try await egov.submit(citizen, procedure: DossierLifecycleTests.guardianship, unit: Self.benThuy, attachments: Self.files)
            let other = try await egov.get("/api/v1/queue", as: "motcua.vanson").content.decode(PageJSON<SummaryJSON>.self)
            #expect(other.total == 0 && other.items.isEmpty)
            let own = try await egov.get("/api/v1/queue", as: "motcua.benthuy").content.decode(PageJSON<SummaryJSON>.self)
            #expect(own.total == 1 && own.items.count == 1)
        }
    }

    @Test("on PostgreSQL each holder's part of a queue page walks the queue index in the page's order, with no sort of its own",
          .enabled(if: TestDatabase.enabled.contains(.postgres)))
    func plan() async throws {
        try await TestInstallation.with(.postgres) { egov in
            // Three holders: two positions at one unit, one of them also with cases named for this officer.
            let unit = "/00000000-0000-0000-0000-000000000000/"
            let holdings = [
                CaseHoldings.Holding(unit: unit, positions: ",oneStopOfficer,", assignee: nil, open: 5_000),
                CaseHoldings.Holding(unit: unit, positions: ",specialist,", assignee: nil, open: 40_000),
                CaseHoldings.Holding(unit: unit, positions: ",specialist,", assignee: UUID(), open: 12),
            ]
            let statement = try #require(CaseQueue.statement(table: DossierModel.schema, holdings: holdings, where: nil,
                                                             then: DossierModel.queueOrder, paging: try Paging(limit: 20, offset: 40)))
            // Sorting and sequential scans priced out: a branch the index cannot give in order would show a sort.
            let plan = try await egov.app.db.transaction { tx -> [String] in
                guard let sql = tx as? any SQLDatabase else { return [] }
                try await sql.raw("SET LOCAL enable_seqscan = off").run()
                try await sql.raw("SET LOCAL enable_sort = off").run()
                return try await sql.raw("EXPLAIN \(statement)").all().map { try $0.decode(column: "QUERY PLAN", as: String.self) }
            }
            let text = plan.joined(separator: "\n")
            #expect(plan.filter { $0.contains("Index Scan using \(DossierModel.schema)_queue") }.count == holdings.count, "\(text)")
            // Each holder's index range is all it reads: no filter left over.
            #expect(!plan.contains { $0.contains("Filter:") }, "\(text)")
            // The one sort merges the branches' 60 rows each; none sorts a holder's open dossiers.
            #expect(plan.filter { $0.contains("Sort  (") || $0.contains("Incremental Sort") }.count == 1, "\(text)")
        }
    }
}
