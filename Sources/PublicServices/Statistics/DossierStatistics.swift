import EGovCore
import EGovPlatform
import Fluent
import Foundation
import SQLKit

/// The one-stop-shop's figures per unit and period, as the reporting rules ask for them: received
/// (online, at the counter, inter-level), finished on time and late, in progress on time and late,
/// returned for a supplement, refused, withdrawn, and the online rate.
struct DossierStatistics: Sendable {
    struct Figures: Codable, Sendable, Equatable {
        var received = 0
        var receivedOnline = 0
        var receivedCounter = 0
        var receivedInterLevel = 0
        var finishedOnTime = 0
        var finishedLate = 0
        var inProgressOnTime = 0
        var inProgressLate = 0
        var supplementRequested = 0
        var refused = 0
        var withdrawn = 0

        /// Share of the received dossiers that came online, in percent (one decimal).
        var onlineRate: Double { received == 0 ? 0 : (Double(receivedOnline) * 1000 / Double(received)).rounded() / 10 }

        static func + (a: Figures, b: Figures) -> Figures {
            Figures(received: a.received + b.received, receivedOnline: a.receivedOnline + b.receivedOnline,
                    receivedCounter: a.receivedCounter + b.receivedCounter, receivedInterLevel: a.receivedInterLevel + b.receivedInterLevel,
                    finishedOnTime: a.finishedOnTime + b.finishedOnTime, finishedLate: a.finishedLate + b.finishedLate,
                    inProgressOnTime: a.inProgressOnTime + b.inProgressOnTime, inProgressLate: a.inProgressLate + b.inProgressLate,
                    supplementRequested: a.supplementRequested + b.supplementRequested, refused: a.refused + b.refused,
                    withdrawn: a.withdrawn + b.withdrawn)
        }
    }

    struct Row: Sendable {
        let unit: UnitModel
        let figures: Figures
    }

    struct Report: Sendable {
        let unit: UnitModel
        let from: CivilDate
        let to: CivilDate
        /// The unit's own sub-units (departments, communes), each with its subtree's figures.
        let rows: [Row]
        let total: Figures
    }

    let db: any Database

    /// Figures for the unit's subtree and for each of its children, dossiers counted where they are decided.
    /// `from`…`to` are whole days in Vietnam; "in progress" is as of the end of the period (or now, if earlier).
    /// A dossier paused for a supplement is in progress on time unless it was already late when paused.
    func report(unit: UnitModel, from: CivilDate, to: CivilDate, now: Date, calendar: WorkingDayCalendar) async throws -> Report {
        let start = calendar.startOfDay(from)
        let end = calendar.startOfDay(to.adding(days: 1))
        let children = try await UnitModel.query(on: db).filter(\.$parent.$id == unit.id).sort(\.$sortOrder).all()
        let byCode = try await figuresByCompetentUnit(within: unit.path, start: start, end: end, asOf: min(end, max(now, start)))
        let units = try await UnitModel.query(on: db).filter(\.$code ~~ Array(byCode.keys)).all()
        var rows = children.map { Row(unit: $0, figures: Figures()) }
        var total = Figures()
        for competent in units {
            guard let figures = byCode[competent.code] else { continue }
            total = total + figures
            if let index = rows.firstIndex(where: { competent.path.hasPrefix($0.unit.path) }) {
                rows[index] = Row(unit: rows[index].unit, figures: rows[index].figures + figures)
            }
        }
        return Report(unit: unit, from: from, to: to, rows: rows, total: total)
    }

    /// One aggregate query over the subtree's dossiers, grouped by deciding unit; the supplement
    /// requests come from the history (a dossier counts once however many times it was asked). A dossier
    /// finished before the period began counts in none of the figures (it was finished after it was received,
    /// and `asOf` is not before `start`), so it is not read: the query reads the period and the open cases,
    /// not every year's (`AddCaseScopeIndexes`).
    private func figuresByCompetentUnit(within path: String, start: Date, end: Date, asOf: Date) async throws -> [String: Figures] {
        guard let sql = db as? any SQLDatabase else { return [:] }
        let rows = try await sql.raw("""
            SELECT competent_unit_code AS unit,
              SUM(CASE WHEN received_at >= \(bind: start) AND received_at < \(bind: end) THEN 1 ELSE 0 END) AS received,
              SUM(CASE WHEN received_at >= \(bind: start) AND received_at < \(bind: end) AND channel = 'online' THEN 1 ELSE 0 END) AS online,
              SUM(CASE WHEN received_at >= \(bind: start) AND received_at < \(bind: end) AND channel = 'counter' THEN 1 ELSE 0 END) AS counter,
              SUM(CASE WHEN received_at >= \(bind: start) AND received_at < \(bind: end) AND inter_level THEN 1 ELSE 0 END) AS inter_level,
              SUM(CASE WHEN status = 'done' AND finished_at >= \(bind: start) AND finished_at < \(bind: end) AND NOT finished_late THEN 1 ELSE 0 END) AS finished_on_time,
              SUM(CASE WHEN status = 'done' AND finished_at >= \(bind: start) AND finished_at < \(bind: end) AND finished_late THEN 1 ELSE 0 END) AS finished_late,
              SUM(CASE WHEN received_at <= \(bind: asOf) AND (finished_at IS NULL OR finished_at > \(bind: asOf))
                       AND NOT \(CasePredicates.late(asOf: asOf)) THEN 1 ELSE 0 END) AS in_progress_on_time,
              SUM(CASE WHEN received_at <= \(bind: asOf) AND (finished_at IS NULL OR finished_at > \(bind: asOf))
                       AND \(CasePredicates.late(asOf: asOf)) THEN 1 ELSE 0 END) AS in_progress_late,
              SUM(CASE WHEN status = 'refused' AND finished_at >= \(bind: start) AND finished_at < \(bind: end) THEN 1 ELSE 0 END) AS refused,
              SUM(CASE WHEN status = 'withdrawn' AND finished_at >= \(bind: start) AND finished_at < \(bind: end) THEN 1 ELSE 0 END) AS withdrawn
            FROM \(ident: DossierModel.schema)
            WHERE competent_unit_path LIKE \(bind: path + "%") AND (finished_at IS NULL OR finished_at >= \(bind: start))
            GROUP BY competent_unit_code
            """).all()
        var result: [String: Figures] = [:]
        for row in rows {
            let unit = try row.decode(column: "unit", as: String.self)
            func int(_ column: String) throws -> Int { try row.decode(column: column, as: Int?.self) ?? 0 }
            result[unit] = Figures(received: try int("received"), receivedOnline: try int("online"), receivedCounter: try int("counter"),
                                   receivedInterLevel: try int("inter_level"), finishedOnTime: try int("finished_on_time"),
                                   finishedLate: try int("finished_late"), inProgressOnTime: try int("in_progress_on_time"),
                                   inProgressLate: try int("in_progress_late"), supplementRequested: 0, refused: try int("refused"),
                                   withdrawn: try int("withdrawn"))
        }
        let supplements = try await sql.raw("""
            SELECT d.competent_unit_code AS unit, COUNT(DISTINCT d.id) AS n
            FROM \(ident: DossierEventModel.schema) e JOIN \(ident: DossierModel.schema) d ON d.id = e.dossier_id
            WHERE e.action_id = 'request-supplement' AND e.at >= \(bind: start) AND e.at < \(bind: end)
              AND d.competent_unit_path LIKE \(bind: path + "%")
            GROUP BY d.competent_unit_code
            """).all()
        for row in supplements {
            let unit = try row.decode(column: "unit", as: String.self)
            result[unit, default: Figures()].supplementRequested = try row.decode(column: "n", as: Int.self)
        }
        return result
    }
}
