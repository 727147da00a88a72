import Fluent
import SQLKit

/// A model read by equality on one or two columns in a short statement, `SELECT * FROM t WHERE a = $1 LIMIT 1`, and
/// decoded as Fluent decodes its own. Fluent's query names every column twice (`"t"."c" AS "t_c"`); serialising
/// those names was 7.5 % of a submission's CPU samples (issue 15). The row comes back as a stored model: saving it updates.
public enum ModelRead {
    public static func first<M: Model>(_ type: M.Type, where conditions: [(column: String, value: any Encodable & Sendable)],
                                       on db: any Database) async throws -> M? {
        guard let sql = db as? any SQLDatabase else { throw NotSQL() }
        let clauses = conditions.map { condition -> SQLQueryString in "\(ident: condition.column) = \(bind: condition.value)" }
        let query: SQLQueryString = "SELECT * FROM \(ident: M.schema) WHERE \(clauses.joined(separator: " AND ")) LIMIT 1"
        return try await sql.raw(query).first()?.decode(fluentModel: M.self)
    }

    struct NotSQL: Error, CustomStringConvertible {
        var description: String { "ModelRead needs an SQL database (PostgreSQL or SQLite)" }
    }

    /// The model with this id, as `Model.find` reads it.
    public static func find<M: Model>(_ type: M.Type, _ id: M.IDValue, on db: any Database) async throws -> M? {
        try await first(M.self, where: [(FieldKey.id.description, id)], on: db)
    }
}
