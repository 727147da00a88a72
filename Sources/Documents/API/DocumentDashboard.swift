import EGovCore
import EGovPlatform
import EGovWeb
import Fluent
import Foundation
import SQLKit
import Vapor

/// `GET /api/v1/documents/dashboard?from=&to=` (issue 14 §6): for a leader, what waits for them, and per unit they
/// read documents of, in the period: incoming (and how many came electronically), issued, still open, overdue,
/// and the KPI "share of documents exchanged electronically" (electronic incoming and issued, over all incoming
/// and issued; the platform sends only electronically).
enum DocumentDashboard {
    struct UnitRow: Content {
        let code: String
        let name: String
        let incoming: Int
        let incomingElectronic: Int
        let issued: Int
        let open: Int
        let overdue: Int
        @NullEncodable var electronicShare: Double?
    }

    struct Dashboard: Content {
        let waiting: Int
        let from: Date
        let to: Date
        let units: [UnitRow]
    }

    static func show(_ req: Request) async throws -> Dashboard {
        let principal = try req.principal()
        let now = req.egov.clock.now()
        let calendar = WorkingDayCalendar()
        // The period: the days given, else this year so far (Vietnam's calendar).
        guard let newYear = CivilDate(year: DocumentIssuance.registerYear(now), month: 1, day: 1) else { throw EGovError.forbidden }
        let from = try DocumentList.day(req, "from") ?? calendar.startOfDay(newYear)
        let to = try DocumentList.day(req, "to").map { $0.addingTimeInterval(86_400) } ?? now.addingTimeInterval(1)
        guard from < to else { throw DocumentFields.invalid("from", "Ngày bắt đầu sau ngày kết thúc.", "from is after to.") }
        guard let sql = req.db as? any SQLDatabase else { throw EGovError.forbidden }

        let waiting = try await CaseHoldings.openCount(on: req.db, table: DocumentModel.schema, for: principal)
        let scopes = CasePolicy.servedScopes(principal, for: DocumentsModule.read)
        let rows = try await sql.raw("""
            SELECT CASE WHEN direction = 'outgoing' THEN issuer_code ELSE drafting_unit_code END AS unit,
                   SUM(CASE WHEN direction = 'incoming' THEN 1 ELSE 0 END) AS incoming,
                   SUM(CASE WHEN direction = 'incoming' AND channel = 'electronic' THEN 1 ELSE 0 END) AS electronic,
                   SUM(CASE WHEN direction = 'outgoing' AND issued_at IS NOT NULL THEN 1 ELSE 0 END) AS issued,
                   SUM(CASE WHEN finished_at IS NULL AND (direction = 'incoming' OR issued_at IS NULL) THEN 1 ELSE 0 END) AS open,
                   SUM(CASE WHEN finished_at IS NULL AND due_at IS NOT NULL AND \(CasePredicates.late(asOf: now)) THEN 1 ELSE 0 END) AS overdue
            FROM \(ident: DocumentModel.schema)
            WHERE \(CasePredicates.within(scopes)) AND created_at >= \(bind: from) AND created_at < \(bind: to)
            GROUP BY 1 ORDER BY 1
            """).all()
        let codes = try rows.map { try $0.decode(column: "unit", as: String.self) }
        let names = Dictionary(try await UnitModel.query(on: req.db).filter(\.$code ~~ codes).all().map { ($0.code, $0.name) },
                               uniquingKeysWith: { first, _ in first })
        let units = try rows.map { row -> UnitRow in
            let code = try row.decode(column: "unit", as: String.self)
            let incoming = try row.decode(column: "incoming", as: Int.self), electronic = try row.decode(column: "electronic", as: Int.self)
            let issued = try row.decode(column: "issued", as: Int.self)
            let exchanged = incoming + issued
            return UnitRow(code: code, name: names[code] ?? code, incoming: incoming, incomingElectronic: electronic, issued: issued,
                           open: try row.decode(column: "open", as: Int.self), overdue: try row.decode(column: "overdue", as: Int.self),
                           electronicShare: exchanged == 0 ? nil : Double(electronic + issued) / Double(exchanged))
        }
        return Dashboard(waiting: waiting, from: from, to: to, units: units)
    }
}
