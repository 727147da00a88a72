import EGovCore
import Fluent
import FluentSQL
import SQLKit

/// A page of an officer's queue (`CasePredicates.queue(for:)`), most urgent first (`CasePredicates.urgency`,
/// then the columns `then` names, then the id), with its total.
///
/// The page is read per holder — a unit, the exact positions holding the step there, and nobody or the officer
/// as assignee — from the holders' running counts (`CaseHoldings`), which also give the total (with a further
/// condition, a deadline tab, the total is counted). Each holder's open cases come out of the queue index
/// (`AddCaseQueueIndex`) already in the page's order, so a page reads `offset + limit` entries per holder and
/// the rows of the page, not every open case the officer may hold, however long the backlog.
public enum CaseQueue {
    public static func page<M: Model>(
        _ model: M.Type, on database: any Database, for principal: Principal, where extra: SQLQueryString? = nil,
        then columns: [String], paging: Paging
    ) async throws -> (items: [M], total: Int) {
        guard let sql = database as? any SQLDatabase else { throw EGovError.forbidden }
        let table = M.schema
        let holdings = try await CaseHoldings.holdings(on: database, table: table, for: principal)
        let total: Int
        if let extra {
            let row = try await sql.raw("""
                SELECT count(*) AS n FROM \(ident: table) WHERE \(CasePredicates.queue(for: principal)) AND \(extra)
                """).first()
            total = try row?.decode(column: "n", as: Int.self) ?? 0
        } else {
            total = CaseHoldings.total(of: holdings)
        }
        guard paging.offset < total, let statement = statement(table: table, holdings: holdings, where: extra, then: columns, paging: paging)
        else { return ([], total) }
        return (try await sql.raw(statement).all(decodingFluent: M.self), total)
    }

    /// The page's statement: one ordered, limited branch per holder (`CaseHoldings.holdings`), merged; nil when
    /// there is none.
    static func statement(table: String, holdings: [CaseHoldings.Holding], where extra: SQLQueryString?, then columns: [String],
                          paging: Paging) -> SQLQueryString? {
        guard !holdings.isEmpty else { return nil }
        let urgentAt: SQLQueryString = "\(unsafeRaw: CasePredicates.urgentAt)"
        let selected: [SQLQueryString] = ["id", "\(urgentAt) AS urgent_at"]
            + columns.enumerated().map { index, column -> SQLQueryString in "\(ident: column) AS \(ident: "t\(index)")" }
        let innerOrder = columns.map { column -> SQLQueryString in "\(ident: column)" } + ["id"]
        let outerOrder = columns.indices.map { index -> SQLQueryString in "q.\(ident: "t\(index)")" } + ["q.id"]
        let reach = paging.offset + paging.limit          // Paging bounds both: no overflow.
        let andExtra: SQLQueryString = extra.map { extra -> SQLQueryString in " AND \(extra)" } ?? ""
        let branches = holdings.enumerated().map { index, holding -> SQLQueryString in
            """
                SELECT * FROM (SELECT \(selected.joined(separator: ", ")) FROM \(ident: table)
                    WHERE finished_at IS NULL AND \(CasePredicates.held(at: holding.unit, .exactly(holding.positions)))
                    AND \(CasePredicates.assigned(to: holding.assignee))\(andExtra)
                    ORDER BY \(urgentAt) IS NULL, \(urgentAt), \(innerOrder.joined(separator: ", ")) LIMIT \(bind: reach)) \(ident: "b\(index)")
                """
        }
        return """
            SELECT c.* FROM (\(branches.joined(separator: " UNION ALL "))) q JOIN \(ident: table) c ON c.id = q.id
            ORDER BY q.urgent_at IS NULL, q.urgent_at, \(outerOrder.joined(separator: ", ")) LIMIT \(bind: paging.limit) OFFSET \(bind: paging.offset)
            """
    }
}
