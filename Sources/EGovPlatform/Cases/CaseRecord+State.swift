import EGovCore
import Foundation

/// Going between a case row and the process engine's view of it: the one writer of the holder,
/// assignee and deadline columns.
extension CaseRecord {
    public func caseState() throws -> CaseState {
        try JSONDecoder().decode(CaseState.self, from: Data(state.utf8))
    }

    /// Stores the engine's state and copies what queues and lists query into columns.
    public func store(_ caseState: CaseState, in definition: ProcessDefinition, assigneeName: String?) throws {
        state = try CanonicalJSON.string(caseState)
        stepID = caseState.stepID
        let step = definition.step(caseState.stepID)
        status = step?.status ?? status
        let holder = step?.holder
        holderApplicant = holder?.applicant ?? false
        holderPositions = CaseHolders.actingPositions(step: step, definition: definition).map(CaseHolders.column)
        holderUnitPath = holder.flatMap { $0.applicant ? nil : caseUnits.path(for: $0.unit) }
        assigneeID = caseState.assigneeID?.rawValue
        self.assigneeName = caseState.assigneeID == nil ? nil : assigneeName
        dueAt = caseState.clock.dueAt
        stepDueAt = caseState.stepDueAt
        clockPaused = caseState.clock.isPaused
        pausedLate = caseState.clock.isPausedLate
        if let stopped = caseState.clock.stoppedAt {
            finishedAt = stopped
            finishedLate = caseState.clock.finishedLate
        } else if step?.isFinal == true, finishedAt == nil {
            // Ended before the clock ever started (withdrawn or refused before reception).
            finishedAt = caseState.stepStartedAt
            finishedLate = false
        }
        if receivedAt == nil, let started = caseState.clock.startedAt { receivedAt = started }
    }

    /// On time, at risk, late (or paused, finished) overall: `DeadlineClock.status`.
    public func deadlineStatus(at now: Date, calendar: WorkingDayCalendar) -> DeadlineStatus {
        deadlineStatuses(at: now, calendar: calendar).overall
    }

    public func stepDeadlineStatus(at now: Date, calendar: WorkingDayCalendar) -> DeadlineStatus {
        deadlineStatuses(at: now, calendar: calendar).step
    }

    /// Both of the above from one decoding of the state (a list shows both for every row).
    public func deadlineStatuses(at now: Date, calendar: WorkingDayCalendar) -> (overall: DeadlineStatus, step: DeadlineStatus) {
        guard let state = try? caseState() else { return (.notStarted, .notStarted) }
        return (state.clock.status(at: now, calendar: calendar), state.stepStatus(at: now, calendar: calendar))
    }
}

/// The holder columns' format: who may act on the current step.
public enum CaseHolders {
    /// The step holder's position and those named by the step's `by: [positions]` actions (a deputy approves too).
    public static func actingPositions(step: ProcessDefinition.Step?, definition: ProcessDefinition) -> [Position]? {
        guard let step, let holder = step.holder, !holder.applicant else { return nil }
        var positions = holder.position.map { [$0] } ?? []
        for action in definition.actions where action.from.contains(step.id) {
            if case .positions(let list) = action.by {
                for position in list where !positions.contains(position) { positions.append(position) }
            }
        }
        return positions.isEmpty ? nil : positions
    }

    /// `,leader,deputy,`: each position between commas, so one `LIKE '%,leader,%'` finds it.
    static func column(_ positions: [Position]) -> String {
        ",\(positions.map(\.rawValue).joined(separator: ",")),"
    }

    static func pattern(_ position: Position) -> String { "%,\(position.rawValue),%" }

    /// The units whose steps a principal may hold, each with the positions they hold there: every grant's
    /// unit and the units above it (`ancestors(of:)`), in a fixed order.
    static func units(of principal: Principal) -> [(unit: String, positions: [Position])] {
        var result: [(unit: String, positions: [Position])] = []
        for grant in principal.grants {
            for unit in ancestors(of: grant.unitPath) {
                if let index = result.firstIndex(where: { $0.unit == unit }) {
                    if !result[index].positions.contains(grant.position) { result[index].positions.append(grant.position) }
                } else {
                    result.append((unit, [grant.position]))
                }
            }
        }
        return result
    }

    /// `/a/b/c/` → `/a/`, `/a/b/`, `/a/b/c/`: the units an officer of `/a/b/c/` holds a position inside.
    public static func ancestors(of path: String) -> [String] {
        var result: [String] = []
        var current = "/"
        for part in path.split(separator: "/") {
            current += part + "/"
            result.append(current)
        }
        return result
    }
}
