@testable import EGovPlatform
@testable import EGovServer
import Fluent
import Foundation
import SQLKit
import Testing

@Suite("Writes sent together (WriteBatch)")
struct WriteBatchTests {
    /// A parent table and a child table with a foreign key to it.
    static func tables(_ sql: any SQLDatabase) async throws {
        try await sql.raw("CREATE TABLE wb_parent (id TEXT PRIMARY KEY, name TEXT NOT NULL, at TEXT)").run()
        try await sql.raw("CREATE TABLE wb_child (id TEXT PRIMARY KEY, parent_id TEXT NOT NULL REFERENCES wb_parent (id), at TEXT)").run()
    }

    @Test("a row and the rows that reference it are written together: in one statement on PostgreSQL, in order on SQLite",
          arguments: TestDatabase.enabled)
    func together(database: TestDatabase) async throws {
        try await TestInstallation.with(database, .empty) { egov in
            let sql = try #require(egov.app.db as? any SQLDatabase)
            try await Self.tables(sql)
            let postgres = sql.dialect.name == "postgresql"
            // statement_timestamp() is the start of the statement: one value for every part of one statement.
            let stamp: SQLQueryString = postgres ? "CAST(statement_timestamp() AS text)" : "NULL"
            let event = ModelWriteTests.event()
            try await egov.app.db.transaction { tx in
                var batch = WriteBatch()
                batch.add("INSERT INTO wb_parent (id, name, at) VALUES ('p1', 'cha', \(stamp))" as SQLQueryString)
                batch.add("INSERT INTO wb_child (id, parent_id, at) VALUES ('c1', 'p1', \(stamp))" as SQLQueryString)
                try ModelWrite.create(event, in: &batch)
                // Added, not written: the model is stored once the batch is.
                #expect(!event._$idExists)
                try await batch.run(on: tx)
            }
            #expect(event._$idExists && !event.hasChanges)
            #expect(try await AuditEventModel.find(try event.requireID(), on: egov.app.db)?.target == event.target)
            let rows = try await sql.raw("SELECT p.name, p.at AS parent_at, c.at AS child_at FROM wb_child c JOIN wb_parent p ON p.id = c.parent_id")
                .all()
            #expect(rows.count == 1)
            if postgres {
                let parentAt = try rows.first?.decode(column: "parent_at", as: String?.self)
                let childAt = try rows.first?.decode(column: "child_at", as: String?.self)
                #expect(parentAt != nil && parentAt == childAt, "one statement: \(String(describing: parentAt)) vs \(String(describing: childAt))")
                // On PostgreSQL the foreign key is checked at the end of the statement: the child may come first.
                var reversed = WriteBatch()
                reversed.add("INSERT INTO wb_child (id, parent_id) VALUES ('c2', 'p2')" as SQLQueryString)
                reversed.add("INSERT INTO wb_parent (id, name) VALUES ('p2', 'cha hai')" as SQLQueryString)
                try await reversed.run(on: egov.app.db)
                #expect(try await sql.raw("SELECT id FROM wb_child WHERE parent_id = 'p2'").all().count == 1)
            }
        }
    }

    @Test("a write that fails leaves nothing of its batch; a write apart runs in its turn", arguments: TestDatabase.enabled)
    func atomicAndOrdered(database: TestDatabase) async throws {
        try await TestInstallation.with(database, .empty) { egov in
            let db = egov.app.db
            let sql = try #require(db as? any SQLDatabase)
            try await Self.tables(sql)
            await #expect(throws: (any Error).self) {
                try await db.transaction { tx in
                    var failing = WriteBatch()
                    failing.add("INSERT INTO wb_parent (id, name) VALUES ('p1', 'cha')" as SQLQueryString)
                    failing.add("INSERT INTO wb_child (id, parent_id) VALUES ('c1', 'không có')" as SQLQueryString)
                    try await failing.run(on: tx)
                }
            }
            #expect(try await sql.raw("SELECT id FROM wb_parent").all().isEmpty)
            // A write apart sees what the statements before it wrote, and the statements after it see its rows.
            try await db.transaction { tx in
                var ordered = WriteBatch()
                ordered.add("INSERT INTO wb_parent (id, name) VALUES ('p1', 'cha')" as SQLQueryString)
                ordered.add(apart: { db in
                    guard let sql = db as? any SQLDatabase else { return }
                    try await sql.raw("INSERT INTO wb_parent (id, name) SELECT 'p2', name || ' hai' FROM wb_parent WHERE id = 'p1'").run()
                })
                ordered.add("INSERT INTO wb_child (id, parent_id) VALUES ('c2', 'p2')" as SQLQueryString)
                try await ordered.run(on: tx)
            }
            let names = try await sql.raw("SELECT name FROM wb_parent ORDER BY id").all().map { try $0.decode(column: "name", as: String.self) }
            #expect(names == ["cha", "cha hai"])
            #expect(try await sql.raw("SELECT id FROM wb_child").all().count == 1)
        }
    }
}
