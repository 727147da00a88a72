import Fluent
import SQLKit

/// The index a queue (`CasePredicates.queue`) reads: a module's open cases by holding unit, in the queue's order
/// (`CasePredicates.urgency`), partial on `finished_at IS NULL`. A queue then reads only the open cases held at
/// the principal's units, however long the history: without it PostgreSQL intersected the holder index with
/// every open case of the installation (`finished_at IS NULL`, which grows with the data set; issue 15,
/// BENCHMARKS.md). On PostgreSQL it also carries the other columns the queue filters on. Each module adds it to
/// its case table with its own migration name.
public struct AddCaseQueueIndex: AsyncMigration {
    public let name: String
    let table: String
    /// The columns after the urgency that a queue sorts by (`CaseQueue.page(then:)`), then the id. With them the
    /// index leads with the whole holder (unit, exact positions, assignee) and gives each holder's queue in its full
    /// order, so a page stops after `offset + limit` entries even when other positions' cases at the same unit come
    /// first or many cases share an urgency (every dossier not yet received has none). It replaces the index made
    /// without them.
    let then: [String]

    public init(name: String, table: String, then: [String] = []) {
        self.name = name
        self.table = table
        self.then = then
    }

    var index: SQLIdentifier { SQLIdentifier("\(table)_queue") }

    public func prepare(on database: any Database) async throws {
        try await create(then, on: database)
    }

    private func create(_ then: [String], on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        let due = CasePredicates.urgentAt
        try await sql.raw("DROP INDEX IF EXISTS \(index)").run()
        if !then.isEmpty {
            // One holder (unit, exact positions, assignee) is an equality prefix, and the rest is the page's order.
            let order = (then + ["id"]).map { "\"\($0)\"" }.joined(separator: ", ")
            let urgency = sql.dialect.name == "postgresql"
                ? "(\(due) IS NULL), (\(due))"
                : "\(due) IS NULL, \(due)"
            try await sql.raw("""
                CREATE INDEX \(index) ON \(ident: table)
                (holder_unit_path, holder_positions, (\(CasePredicates.AssigneeKey())), \(unsafeRaw: urgency), \(unsafeRaw: order))
                WHERE finished_at IS NULL
                """).run()
        } else if sql.dialect.name == "postgresql" {
            try await sql.raw("""
                CREATE INDEX \(index) ON \(ident: table)
                (holder_unit_path, (\(unsafeRaw: due) IS NULL), (\(unsafeRaw: due)))
                INCLUDE (holder_positions, assignee_id) WHERE finished_at IS NULL
                """).run()
        } else {
            try await sql.raw("""
                CREATE INDEX \(index) ON \(ident: table)
                (holder_unit_path, \(unsafeRaw: due) IS NULL, \(unsafeRaw: due)) WHERE finished_at IS NULL
                """).run()
        }
    }

    public func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        if then.isEmpty {
            try await sql.raw("DROP INDEX IF EXISTS \(index)").run()
        } else {
            try await create([], on: database)
        }
    }
}
