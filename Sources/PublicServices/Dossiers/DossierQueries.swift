import EGovCore
import EGovPlatform
import Fluent
import FluentSQL
import Foundation
import SQLKit

/// The lists officers and applicants see: queues by urgency, units' late and at-risk dossiers.
enum DossierQueries {
    /// On time, at risk (less than one working day left) or late, as a list filter.
    enum DeadlineFilter: String, CaseIterable, Sendable {
        case onTime = "on-time", atRisk = "at-risk", late
    }

    /// `/a/b/c/` → `/a/`, `/a/b/`, `/a/b/c/`: the units an officer of `/a/b/c/` holds a position inside.
    static func ancestors(of path: String) -> [String] {
        var result: [String] = []
        var current = "/"
        for part in path.split(separator: "/") {
            current += part + "/"
            result.append(current)
        }
        return result
    }

    /// Dossiers whose current step this officer may act on: a position of theirs holds it, at their
    /// unit or one above it, and it was not handed to somebody else by name.
    static func queue(for principal: Principal, on db: any Database) -> QueryBuilder<DossierModel> {
        let query = DossierModel.query(on: db).filter(\.$finishedAt == nil)
        query.group(.or) { any in
            if principal.grants.isEmpty { any.filter(\.$code == "\u{0}") }
            for grant in principal.grants {
                any.group(.and) { one in
                    one.filter(\.$holderPositions, .contains(inverse: false, .anywhere), ",\(grant.position.rawValue),")
                    one.filter(\.$holderUnitPath ~~ ancestors(of: grant.unitPath))
                }
            }
        }
        query.group(.or) { mine in
            mine.filter(\.$assigneeID == nil)
            mine.filter(\.$assigneeID == principal.id)
        }
        return query
    }

    /// Dossiers received or decided inside one of the subtrees.
    static func within(_ scopes: [String], _ query: QueryBuilder<DossierModel>) -> QueryBuilder<DossierModel> {
        query.group(.or) { any in
            if scopes.isEmpty { any.filter(\.$code == "\u{0}") }
            for scope in scopes {
                any.filter(\.$competentUnitPath =~ scope)
                any.filter(\.$receivingUnitPath =~ scope)
                any.filter(\.$consultedUnitPath, .contains(inverse: false, .prefix), scope)
            }
        }
    }

    /// `DeadlineClock.status` over the dossier columns: the one SQL home of the deadline rule. Late: past
    /// the due date and running, or paused after the date had passed; at risk: running with less than one
    /// working day left; on time: running with more. A dossier paused in time is none of these.
    static func deadline(_ filter: DeadlineFilter, _ query: QueryBuilder<DossierModel>, now: Date,
                         calendar: WorkingDayCalendar) -> QueryBuilder<DossierModel> {
        let atRiskLimit = calendar.addingWorkingTime(WorkingDayCalendar.secondsPerWorkingDay, to: now)
        query.filter(\.$finishedAt == nil).filter(\.$dueAt != nil)
        switch filter {
        case .late: query.filter(DatabaseQuery.Filter.sql(embed: Self.lateCondition(asOf: now)))
        case .atRisk: query.filter(\.$clockPaused == false).filter(\.$dueAt >= now).filter(\.$dueAt < atRiskLimit)
        case .onTime: query.filter(\.$clockPaused == false).filter(\.$dueAt >= atRiskLimit)
        }
        return query
    }

    /// The "late" rule as an SQL condition at `asOf`: the lists above and the statistics' aggregates use it.
    static func lateCondition(asOf: Date) -> SQLQueryString {
        "(due_at < \(bind: asOf) AND (NOT clock_paused OR paused_late))"
    }

    /// The most urgent first: the earliest step or overall deadline; dossiers without one last, oldest first.
    static func byUrgency(_ query: QueryBuilder<DossierModel>) -> QueryBuilder<DossierModel> {
        query.sort(.custom(SQLRaw("COALESCE(step_due_at, due_at) IS NULL"))).sort(.custom(SQLRaw("COALESCE(step_due_at, due_at)")))
            .sort(\.$submittedAt)
    }
}
