import EGovCore
import Fluent
import FluentSQL
import Foundation
import SQLKit

/// The SQL beside the Core rules, over the case columns (`CaseRecord`): who holds a case's current
/// step, which units' cases a principal sees, and the deadline status. Every list, queue, statistic
/// and notice of every module filters with these. The column names are bare: use them on a query of
/// the case table alone (a join would make them ambiguous).
public enum CasePredicates {
    /// On time, at risk (less than one working day left) or late, as a list filter.
    public enum DeadlineFilter: String, CaseIterable, Sendable {
        case onTime = "on-time", atRisk = "at-risk", late
    }

    private static let never: SQLQueryString = "1 = 0"

    /// Open cases whose current step this principal may act on: a position of theirs holds it, at their
    /// unit or one above it, and it was not handed to somebody else by name (`CasePolicy.holdsCurrentStep`).
    public static func queue(for principal: Principal) -> SQLQueryString {
        "(finished_at IS NULL AND \(held(by: principal)) AND \(notHandedAway(from: principal)))"
    }

    /// A position of the principal's holds the step, at their unit or one above it: over the holder columns,
    /// of a case row or of a running count's (`CaseHoldings`).
    static func held(by principal: Principal) -> SQLQueryString {
        let holdings = CaseHolders.units(of: principal).map { held(at: $0.unit, .anyOf($0.positions)) }
        return "(\(holdings.isEmpty ? never : holdings.joined(separator: " OR ")))"
    }

    /// Which positions hold a step: any of a principal's, or exactly one holder column's value (`CaseHolders.column`).
    enum HolderPositions {
        case anyOf([Position])
        case exactly(String)
    }

    /// The step is held at `unit` by `positions`. With `.exactly`, an index on the holder columns gives a holder's
    /// cases in its order (one holder's part of a queue page, `CaseQueue`).
    static func held(at unit: String, _ positions: HolderPositions) -> SQLQueryString {
        let clause: SQLQueryString
        switch positions {
        case .anyOf(let list):
            let any = list.map { position -> SQLQueryString in "holder_positions LIKE \(bind: CaseHolders.pattern(position))" }
            clause = "(\(any.isEmpty ? never : any.joined(separator: " OR ")))"
        case .exactly(let column):
            clause = "holder_positions = \(bind: column)"
        }
        return "(holder_unit_path = \(bind: unit) AND \(clause))"
    }

    /// Nobody was named for the step, or the principal was.
    static func notHandedAway(from principal: Principal) -> SQLQueryString {
        "(assignee_id IS NULL OR assignee_id = \(bind: principal.id))"
    }

    /// Named for nobody (nil), or for this account: an equality on `AssigneeKey`, which an index serves in order
    /// (`IS NULL` is not an equality to PostgreSQL's planner, which would then sort).
    static func assigned(to account: UUID?) -> SQLQueryString {
        "\(AssigneeKey()) = \(bind: account ?? AddCaseHoldings.nobody)"
    }

    /// `assignee_id`, or nobody's key (`AddCaseHoldings.nobody`) where it is NULL, written the same way for the
    /// queue index (`AddCaseQueueIndex`) and the queries it serves, as an index expression must be.
    /// The holdings' triggers write it with `text(_:postgres:)` over their `OLD`/`NEW` rows.
    struct AssigneeKey: SQLExpression {
        static func text(_ column: String = "assignee_id", postgres: Bool) -> String {
            "COALESCE(\(column), \(AddCaseHoldings.nobodyLiteral)\(postgres ? "::uuid" : ""))"
        }

        func serialize(to serializer: inout SQLSerializer) {
            serializer.write(Self.text(postgres: serializer.dialect.name == "postgresql"))
        }
    }

    /// Cases received or decided inside one of the subtrees, or sent to one of them for an opinion.
    public static func within(_ scopes: [String]) -> SQLQueryString {
        guard !scopes.isEmpty else { return never }
        let any = scopes.map { scope -> SQLQueryString in
            let prefix = scope + "%"
            return "competent_unit_path LIKE \(bind: prefix) OR receiving_unit_path LIKE \(bind: prefix) OR consulted_unit_path LIKE \(bind: prefix)"
        }
        return "(\(any.joined(separator: " OR ")))"
    }

    /// `DeadlineClock.status` over the case columns: the one SQL home of the deadline rule. Late: past
    /// the due date and running, or paused after the date had passed; at risk: running with less than one
    /// working day left; on time: running with more. A case paused in time is none of these.
    public static func deadline(_ filter: DeadlineFilter, now: Date, calendar: WorkingDayCalendar) -> SQLQueryString {
        let atRiskLimit = calendar.addingWorkingTime(WorkingDayCalendar.secondsPerWorkingDay, to: now)
        let open: SQLQueryString = "finished_at IS NULL AND due_at IS NOT NULL"
        switch filter {
        case .late: return "(\(open) AND \(late(asOf: now)))"
        case .atRisk: return "(\(open) AND NOT clock_paused AND due_at >= \(bind: now) AND due_at < \(bind: atRiskLimit))"
        case .onTime: return "(\(open) AND NOT clock_paused AND due_at >= \(bind: atRiskLimit))"
        }
    }

    /// The "late" rule as an SQL condition at `asOf` (lists above and statistics' aggregates).
    public static func late(asOf: Date) -> SQLQueryString {
        "(due_at < \(bind: asOf) AND (NOT clock_paused OR paused_late))"
    }

    /// The most urgent first: the earliest step or overall deadline; cases without one last.
    public static let urgency: [DatabaseQuery.Sort] = [.custom(SQLRaw("\(urgentAt) IS NULL")), .custom(SQLRaw(urgentAt))]

    /// When a case is next due: its step's deadline, else its overall one. Written once for the sorts above, the queue's
    /// page (`CaseQueue`) and its index (`AddCaseQueueIndex`), whose expression must be the queries' own.
    public static let urgentAt = "COALESCE(step_due_at, due_at)"
}

extension QueryBuilder {
    /// Adds one of `CasePredicates`' conditions.
    @discardableResult
    public func filter(case condition: SQLQueryString) -> Self {
        filter(.sql(embed: condition))
    }

    /// Sorts by `CasePredicates.urgency`, then by `then`.
    @discardableResult
    public func sortByUrgency() -> Self {
        for sort in CasePredicates.urgency { _ = self.sort(sort) }
        return self
    }
}
