import Fluent
import SQLKit

/// Gap-free counters (dossier codes, register numbers). `next` runs inside the caller's
/// transaction and locks only its own scope's row until that transaction ends: if the caller rolls
/// back, the number is handed out again, so no number is lost; numbering in another unit or on
/// another day never waits. No global sequence is used (see the scale-out plan).
public enum Counters {
    public static func next(_ scope: String, on db: any Database) async throws -> Int {
        guard let sql = db as? any SQLDatabase else { throw CounterError.unsupportedDatabase }
        // One statement on both PostgreSQL and SQLite (3.35+): insert the row at 1, or add one and
        // keep the row locked, returning the new value.
        let row = try await sql.raw("""
            INSERT INTO \(ident: CounterModel.schema) (scope, value) VALUES (\(bind: scope), 1)
            ON CONFLICT (scope) DO UPDATE SET value = \(ident: CounterModel.schema).value + 1
            RETURNING value
            """).first()
        guard let row else { throw CounterError.noValue }
        return try row.decode(column: "value", as: Int.self)
    }

    /// Sets each scope's counter to its value (generated benchmark data, which continues the real counters), a few
    /// hundred scopes per statement.
    public static func raise(_ values: [String: Int], on db: any Database) async throws {
        guard let sql = db as? any SQLDatabase else { throw CounterError.unsupportedDatabase }
        let sorted = values.sorted(by: { $0.key < $1.key })
        for start in stride(from: 0, to: sorted.count, by: 400) {
            let rows = sorted[start..<min(sorted.count, start + 400)].map { scope, value -> SQLQueryString in "(\(bind: scope), \(bind: value))" }
            try await sql.raw("""
                INSERT INTO \(ident: CounterModel.schema) (scope, value) VALUES \(rows.joined(separator: ", "))
                ON CONFLICT (scope) DO UPDATE SET value = excluded.value
                """).run()
        }
    }

    /// The last number handed out in a scope (0 if none).
    public static func current(_ scope: String, on db: any Database) async throws -> Int {
        try await CounterModel.find(scope, on: db)?.value ?? 0
    }

    public enum CounterError: Error { case unsupportedDatabase, noValue }
}

public final class CounterModel: Model, @unchecked Sendable {
    public static let schema = "core_counters"

    @ID(custom: "scope", generatedBy: .user) public var id: String?
    @Field(key: "value") public var value: Int

    public init() {}
}
