import Fluent
import SQLKit

/// Writes sent to the database together. On PostgreSQL consecutive statements go as one,
/// `WITH w0 AS (INSERT …), w1 AS (UPDATE …) INSERT …`: one round trip instead of one each (issue 15). Its foreign keys
/// are checked at the end of that statement, so a row may reference another row of the same batch (a case and its first
/// history event). Elsewhere (SQLite) the statements run one by one, in order.
///
/// The sub-statements of one PostgreSQL statement see the same snapshot: no statement of a batch may read or change a
/// row another statement of the same batch writes (write the row, then change it in a later batch). Statements have no
/// `RETURNING`; a write that needs an answer is not batched. A write the batch cannot express as SQL (a model with
/// timestamps, which goes through Fluent) runs in its turn, between the statements before and after it.
public struct WriteBatch {
    private enum Step {
        case statement(any SQLExpression)
        case apart((any Database) async throws -> Void)
    }

    private var steps: [Step] = []
    /// Run once the batch is written, in order (a model marked stored with what was written).
    private var written: [() throws -> Void] = []

    public init() {}

    public var isEmpty: Bool { steps.isEmpty }

    /// A statement without `RETURNING`; `then` runs after the batch is written.
    public mutating func add(_ statement: any SQLExpression, then: (() throws -> Void)? = nil) {
        steps.append(.statement(statement))
        if let then { written.append(then) }
    }

    /// A write that goes to the database by itself, in its turn.
    public mutating func add(apart write: @escaping (any Database) async throws -> Void) {
        steps.append(.apart(write))
    }

    /// Writes the batch (inside the caller's transaction, if any).
    public func run(on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { throw ModelRead.NotSQL() }
        let together = sql.dialect.name == "postgresql"
        var pending: [any SQLExpression] = []
        func flush() async throws {
            defer { pending.removeAll() }
            if together, pending.count > 1 {
                try await sql.execute(sql: Together(statements: pending)) { _ in }
            } else {
                for statement in pending { try await sql.execute(sql: statement) { _ in } }
            }
        }
        for step in steps {
            switch step {
            case .statement(let statement):
                pending.append(statement)
            case .apart(let write):
                try await flush()
                try await write(db)
            }
        }
        try await flush()
        for done in written { try done() }
    }
}

/// `WITH w0 AS (s0), w1 AS (s1), … sN`: PostgreSQL's data-modifying common table expressions, all run in one statement.
private struct Together: SQLExpression {
    let statements: [any SQLExpression]

    func serialize(to serializer: inout SQLSerializer) {
        guard let last = statements.last else { return }
        serializer.write("WITH ")
        for (index, statement) in statements.dropLast().enumerated() {
            if index > 0 { serializer.write(", ") }
            serializer.write("w\(index) AS (")
            statement.serialize(to: &serializer)
            serializer.write(")")
        }
        serializer.write(" ")
        last.serialize(to: &serializer)
    }
}
