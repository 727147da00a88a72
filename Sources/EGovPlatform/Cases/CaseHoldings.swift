import EGovCore
import Fluent
import Foundation
import SQLKit

/// How many open cases each holder holds, kept by the database itself: `core_case_holdings` has one row per
/// module table, holding unit, holding positions and assignee (`CaseHolders`), and triggers on the case table
/// add and take one as a case is opened, moved, assigned, finished or deleted, in the same transaction.
/// A queue's total (`CaseQueue`) then sums a few of these rows instead of counting every open case its
/// officer may act on, which grows with the backlog (issue 15: 46,007 open dossiers at the busiest unit of the
/// ten-million benchmark). Every writer of the case table is covered, the CLI and plain SQL included.
///
/// On PostgreSQL the two rows a move touches are updated in key order, so two cases moving in opposite
/// directions cannot deadlock on them. Rows that reach zero stay (there are a few per unit and step).
public struct AddCaseHoldings: AsyncMigration {
    public let name: String
    let table: String

    public init(name: String, table: String) {
        self.name = name
        self.table = table
    }

    /// The assignee key of a case nobody was named for (`assignee_id IS NULL`).
    public static let nobody = UUID(uuid: (0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0))
    static let nobodyLiteral = "'\(nobody.uuidString.lowercased())'"

    var insertTrigger: SQLIdentifier { SQLIdentifier("\(table)_holdings_insert") }
    var updateTrigger: SQLIdentifier { SQLIdentifier("\(table)_holdings_update") }
    var deleteTrigger: SQLIdentifier { SQLIdentifier("\(table)_holdings_delete") }

    public func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        let postgres = sql.dialect.name == "postgresql"
        if postgres {
            try await preparePostgres(sql)
        } else {
            try await prepareSQLite(sql)
        }
        // What is open today, counted once; the triggers keep it from here (migrations run before serving).
        try await sql.raw("""
            INSERT INTO \(ident: CaseHoldings.table) (case_table, holder_unit_path, holder_positions, assignee_key, open_cases)
            SELECT \(literal: table), holder_unit_path, holder_positions, \(unsafeRaw: assigneeKey("", postgres: postgres)), count(*)
            FROM \(ident: table) WHERE \(unsafeRaw: held(""))
            GROUP BY holder_unit_path, holder_positions, assignee_id
            """).run()
    }

    /// The columns whose change can move a case from one holder's count to another's.
    private static let holderColumns = ["finished_at", "holder_unit_path", "holder_positions", "assignee_id"]

    /// `column`, of the trigger's `OLD` or `NEW` row, or bare (`row` empty).
    private func qualified(_ row: String, _ column: String) -> String { row.isEmpty ? column : "\(row).\(column)" }

    private func assigneeKey(_ row: String, postgres: Bool) -> String {
        CasePredicates.AssigneeKey.text(qualified(row, "assignee_id"), postgres: postgres)
    }

    /// The row is an open case an officer holds: it counts.
    private func held(_ row: String) -> String {
        "\(qualified(row, "finished_at")) IS NULL AND \(qualified(row, "holder_unit_path")) IS NOT NULL "
            + "AND \(qualified(row, "holder_positions")) IS NOT NULL"
    }

    /// One of the holder columns changed (`distinct`: PostgreSQL's `IS DISTINCT FROM`, SQLite's `IS NOT`).
    private func changed(_ distinct: String) -> String {
        Self.holderColumns.map { "OLD.\($0) \(distinct) NEW.\($0)" }.joined(separator: " OR ")
    }

    private func preparePostgres(_ sql: any SQLDatabase) async throws {
        try await sql.raw("""
            CREATE TABLE IF NOT EXISTS \(ident: CaseHoldings.table) (case_table text NOT NULL, holder_unit_path text NOT NULL,
                holder_positions text NOT NULL, assignee_key uuid NOT NULL, open_cases bigint NOT NULL,
                PRIMARY KEY (case_table, holder_unit_path, holder_positions, assignee_key))
            """).run()
        try await sql.raw("""
            CREATE OR REPLACE FUNCTION core_case_holdings_add(tbl text, k text[], delta int) RETURNS void LANGUAGE sql AS $$
                INSERT INTO core_case_holdings AS h (case_table, holder_unit_path, holder_positions, assignee_key, open_cases)
                VALUES (tbl, k[1], k[2], k[3]::uuid, delta)
                ON CONFLICT (case_table, holder_unit_path, holder_positions, assignee_key)
                DO UPDATE SET open_cases = h.open_cases + EXCLUDED.open_cases
            $$
            """).run()
        try await sql.raw("""
            CREATE OR REPLACE FUNCTION core_case_holdings_count() RETURNS trigger LANGUAGE plpgsql AS $$
            DECLARE
                o text[];
                n text[];
            BEGIN
                IF TG_OP <> 'INSERT' THEN
                    IF \(unsafeRaw: held("OLD")) THEN
                        o := ARRAY[OLD.holder_unit_path, OLD.holder_positions, \(unsafeRaw: assigneeKey("OLD", postgres: true))::text];
                    END IF;
                END IF;
                IF TG_OP <> 'DELETE' THEN
                    IF \(unsafeRaw: held("NEW")) THEN
                        n := ARRAY[NEW.holder_unit_path, NEW.holder_positions, \(unsafeRaw: assigneeKey("NEW", postgres: true))::text];
                    END IF;
                END IF;
                IF o IS NOT DISTINCT FROM n THEN
                    RETURN NULL;
                END IF;
                -- The lower key first: two moves in opposite directions lock the two rows in the same order.
                IF o IS NOT NULL AND (n IS NULL OR o < n) THEN
                    PERFORM core_case_holdings_add(TG_TABLE_NAME, o, -1);
                    o := NULL;
                END IF;
                IF n IS NOT NULL THEN
                    PERFORM core_case_holdings_add(TG_TABLE_NAME, n, 1);
                END IF;
                IF o IS NOT NULL THEN
                    PERFORM core_case_holdings_add(TG_TABLE_NAME, o, -1);
                END IF;
                RETURN NULL;
            END
            $$
            """).run()
        try await sql.raw("DROP TRIGGER IF EXISTS \(insertTrigger) ON \(ident: table)").run()
        try await sql.raw("DROP TRIGGER IF EXISTS \(updateTrigger) ON \(ident: table)").run()
        try await sql.raw("DROP TRIGGER IF EXISTS \(deleteTrigger) ON \(ident: table)").run()
        try await sql.raw("""
            CREATE TRIGGER \(insertTrigger) AFTER INSERT ON \(ident: table) FOR EACH ROW
            WHEN (\(unsafeRaw: held("NEW"))) EXECUTE FUNCTION core_case_holdings_count()
            """).run()
        try await sql.raw("""
            CREATE TRIGGER \(updateTrigger) AFTER UPDATE ON \(ident: table) FOR EACH ROW
            WHEN (\(unsafeRaw: changed("IS DISTINCT FROM"))) EXECUTE FUNCTION core_case_holdings_count()
            """).run()
        try await sql.raw("""
            CREATE TRIGGER \(deleteTrigger) AFTER DELETE ON \(ident: table) FOR EACH ROW
            WHEN (\(unsafeRaw: held("OLD"))) EXECUTE FUNCTION core_case_holdings_count()
            """).run()
    }

    private func prepareSQLite(_ sql: any SQLDatabase) async throws {
        try await sql.raw("""
            CREATE TABLE IF NOT EXISTS \(ident: CaseHoldings.table) (case_table TEXT NOT NULL, holder_unit_path TEXT NOT NULL,
                holder_positions TEXT NOT NULL, assignee_key TEXT NOT NULL, open_cases INTEGER NOT NULL,
                PRIMARY KEY (case_table, holder_unit_path, holder_positions, assignee_key))
            """).run()
        // SQLite has one writer at a time: no lock order to keep. Each step is a row of its own in the trigger body.
        func add(_ row: String, _ delta: Int) -> String {
            let key = "\(row).holder_unit_path, \(row).holder_positions, \(assigneeKey(row, postgres: false))"
            return """
                INSERT OR IGNORE INTO core_case_holdings (case_table, holder_unit_path, holder_positions, assignee_key, open_cases)
                    SELECT '\(table)', \(key), 0 WHERE \(held(row));
                UPDATE core_case_holdings SET open_cases = open_cases + (\(delta))
                    WHERE \(held(row)) AND case_table = '\(table)'
                    AND (holder_unit_path, holder_positions, assignee_key) = (\(key));
                """
        }
        try await sql.raw("""
            CREATE TRIGGER IF NOT EXISTS \(insertTrigger) AFTER INSERT ON \(ident: table) FOR EACH ROW
            WHEN \(unsafeRaw: held("NEW")) BEGIN \(unsafeRaw: add("NEW", 1)) END
            """).run()
        try await sql.raw("""
            CREATE TRIGGER IF NOT EXISTS \(updateTrigger) AFTER UPDATE ON \(ident: table) FOR EACH ROW
            WHEN \(unsafeRaw: changed("IS NOT")) BEGIN \(unsafeRaw: add("OLD", -1)) \(unsafeRaw: add("NEW", 1)) END
            """).run()
        try await sql.raw("""
            CREATE TRIGGER IF NOT EXISTS \(deleteTrigger) AFTER DELETE ON \(ident: table) FOR EACH ROW
            WHEN \(unsafeRaw: held("OLD")) BEGIN \(unsafeRaw: add("OLD", -1)) END
            """).run()
    }

    public func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        let postgres = sql.dialect.name == "postgresql"
        for trigger in [insertTrigger, updateTrigger, deleteTrigger] {
            if postgres {
                try await sql.raw("DROP TRIGGER IF EXISTS \(trigger) ON \(ident: table)").run()
            } else {
                try await sql.raw("DROP TRIGGER IF EXISTS \(trigger)").run()
            }
        }
        try await sql.raw("DELETE FROM \(ident: CaseHoldings.table) WHERE case_table = \(bind: table)").run()
    }
}

/// Reading `core_case_holdings` (`AddCaseHoldings`).
public enum CaseHoldings {
    static let table = "core_case_holdings"

    /// One holder's running count: open cases of a table held at `unit` by exactly `positions` (the holder
    /// column) and named for `assignee` (nil: for nobody).
    struct Holding: Sendable {
        let unit: String
        let positions: String
        let assignee: UUID?
        let open: Int
    }

    /// The holders whose open cases of `table` are in `principal`'s queue (`CasePredicates.queue(for:)`), each
    /// with its count; their sum is the queue's total.
    static func holdings(on database: any Database, table: String, for principal: Principal) async throws -> [Holding] {
        guard let sql = database as? any SQLDatabase else { throw EGovError.forbidden }
        return try await sql.raw("""
            SELECT holder_unit_path AS u, holder_positions AS p, assignee_key AS a, open_cases AS n FROM \(ident: Self.table)
            WHERE case_table = \(bind: table) AND open_cases > 0 AND \(CasePredicates.held(by: principal))
            AND (assignee_key = \(bind: AddCaseHoldings.nobody) OR assignee_key = \(bind: principal.id))
            ORDER BY holder_unit_path, holder_positions, assignee_key
            """).all().map { row in
            let assignee = try row.decode(column: "a", as: UUID.self)
            return Holding(unit: try row.decode(column: "u", as: String.self), positions: try row.decode(column: "p", as: String.self),
                           assignee: assignee == AddCaseHoldings.nobody ? nil : assignee, open: try row.decode(column: "n", as: Int.self))
        }
    }

    /// The number of open cases of `table` whose current step `principal` may act on: the total of
    /// `CasePredicates.queue(for:)`, from the holders' running counts.
    public static func openCount(on database: any Database, table: String, for principal: Principal) async throws -> Int {
        total(of: try await holdings(on: database, table: table, for: principal))
    }

    static func total(of holdings: [Holding]) -> Int {
        holdings.reduce(0) { $0 + $1.open }
    }
}
