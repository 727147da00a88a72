import EGovCore
import EGovPlatform
import Foundation

/// Going between a dossier row and the process engine's view of it.
extension DossierModel {
    func caseState() throws -> CaseState {
        try JSONDecoder().decode(CaseState.self, from: Data(state.utf8))
    }

    /// Stores the engine's state and copies what queues and lists query into columns.
    func store(_ caseState: CaseState, in definition: ProcessDefinition, assigneeName: String?) throws {
        state = try CanonicalJSON.string(caseState)
        stepID = caseState.stepID
        let step = definition.step(caseState.stepID)
        status = step?.status ?? status
        let holder = step?.holder
        holderApplicant = holder?.applicant ?? false
        holderPositions = Self.actingPositions(step: step, definition: definition)
            .map { ",\($0.map(\.rawValue).joined(separator: ","))," }
        holderUnitPath = holder.flatMap { $0.applicant ? nil : unitPath(for: $0.unit) }
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

    /// The step holder's position and those named by the step's `by: [positions]` actions (a deputy approves too).
    static func actingPositions(step: ProcessDefinition.Step?, definition: ProcessDefinition) -> [Position]? {
        guard let step, let holder = step.holder, !holder.applicant else { return nil }
        var positions = holder.position.map { [$0] } ?? []
        for action in definition.actions where action.from.contains(step.id) {
            if case .positions(let list) = action.by {
                for position in list where !positions.contains(position) { positions.append(position) }
            }
        }
        return positions.isEmpty ? nil : positions
    }

    func unitPath(for role: ProcessDefinition.Holder.UnitRole) -> String {
        switch role {
        case .receiving: receivingUnitPath
        case .competent: competentUnitPath
        case .consulted: consultedUnitPath ?? competentUnitPath
        }
    }

    func unitCode(for role: ProcessDefinition.Holder.UnitRole) -> String {
        switch role {
        case .receiving: receivingUnitCode
        case .competent: competentUnitCode
        case .consulted: consultedUnitCode ?? competentUnitCode
        }
    }

    /// Preconditions that hold now, for the engine.
    var satisfiedConditions: Set<String> {
        feePaid || feeAmount == 0 ? ["fee-paid"] : []
    }

    /// On time, at risk, late (or paused, finished) overall.
    func deadlineStatus(at now: Date, calendar: WorkingDayCalendar) -> DeadlineStatus {
        (try? caseState().clock.status(at: now, calendar: calendar)) ?? .notStarted
    }

    func stepDeadlineStatus(at now: Date, calendar: WorkingDayCalendar) -> DeadlineStatus {
        (try? caseState().stepStatus(at: now, calendar: calendar)) ?? .notStarted
    }
}
