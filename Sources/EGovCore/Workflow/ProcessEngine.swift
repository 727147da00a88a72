import Foundation

/// Where a case stands in its process.
public struct CaseState: Codable, Sendable, Hashable {
    public var stepID: String
    /// The step before the current one, for actions that go back (`to: previous`, e.g. after a supplement).
    public var previousStepID: String?
    public var clock: DeadlineClock
    /// The officer the current step was handed to by name; nil: any holder of the step's position may act.
    public var assigneeID: UserID?
    /// The assignee of the previous step, handed the case again when it goes back there.
    public var previousAssigneeID: UserID?
    /// When the case entered the current step, and that step's own deadline (its share of the whole).
    public var stepStartedAt: Date?
    public var stepDueAt: Date?
    /// Working seconds the step had left when the clock was paused, restored when the case goes back to it.
    public var stepRemainingWhenPaused: TimeInterval?

    public init(stepID: String, previousStepID: String? = nil, clock: DeadlineClock = DeadlineClock(), assigneeID: UserID? = nil) {
        self.stepID = stepID
        self.previousStepID = previousStepID
        self.clock = clock
        self.assigneeID = assigneeID
    }

    /// On time, at risk or late for the current step alone (`notStarted` when the step has no deadline).
    public func stepStatus(at now: Date, calendar: WorkingDayCalendar) -> DeadlineStatus {
        guard let stepDueAt, clock.isRunning else { return .notStarted }
        if now > stepDueAt { return .late }
        return calendar.workingSeconds(from: now, to: stepDueAt) < WorkingDayCalendar.secondsPerWorkingDay ? .atRisk : .onTime
    }
}

/// Who asks to act on a case, in the terms the engine needs.
public struct ActorContext: Sendable {
    public struct Holding: Sendable, Hashable {
        public let position: Position
        public let unitPath: String

        public init(position: Position, unitPath: String) {
            self.position = position
            self.unitPath = unitPath
        }
    }

    /// The account asking (nil for an anonymous caller).
    public var userID: UserID?
    /// The case's own applicant.
    public var isApplicant: Bool
    /// The officer's positions and where they hold them.
    public var holdings: [Holding]
    public var receivingUnitPath: String
    public var competentUnitPath: String
    /// The unit the case was sent to for its opinion, while it is there.
    public var consultedUnitPath: String?
    /// Preconditions that hold now (`fee-paid`, …), computed by the module.
    public var satisfied: Set<String>

    public init(userID: UserID? = nil, isApplicant: Bool, holdings: [Holding], receivingUnitPath: String, competentUnitPath: String,
                consultedUnitPath: String? = nil, satisfied: Set<String> = []) {
        self.userID = userID
        self.isApplicant = isApplicant
        self.holdings = holdings
        self.receivingUnitPath = receivingUnitPath
        self.competentUnitPath = competentUnitPath
        self.consultedUnitPath = consultedUnitPath
        self.satisfied = satisfied
    }

    /// The path of the unit a holder role points to (nil: a consulted unit not named yet).
    public func unitPath(for role: ProcessDefinition.Holder.UnitRole) -> String? {
        switch role {
        case .receiving: receivingUnitPath
        case .competent: competentUnitPath
        case .consulted: consultedUnitPath
        }
    }

    /// Holds `position` at the unit or inside it (a counter of the commune, a division of the department).
    public func holds(_ position: Position, within unitPath: String) -> Bool {
        holdings.contains { $0.position == position && $0.unitPath.hasPrefix(unitPath) }
    }
}

/// Why an action cannot be taken.
public enum WorkflowError: Error, Sendable, Equatable {
    case unknownAction(String)
    /// The action does not start from the case's current step (HTTP 409).
    case notInThisState(action: String, step: String)
    /// The caller may not take it (HTTP 403).
    case notAllowed(action: String)
    /// A precondition such as `fee-paid` does not hold (HTTP 409).
    case preconditionFailed(String)
    /// The action needs a reason (HTTP 400).
    case noteRequired(action: String)
}

/// The rules of moving a case through a configured process. Pure: the module loads and saves the
/// case, the engine says what may happen and what the case looks like afterwards.
public enum ProcessEngine {
    /// The actions this actor may take on the case now.
    public static func actions(for actor: ActorContext, in definition: ProcessDefinition, state: CaseState) -> [ProcessDefinition.Action] {
        definition.actions.filter { action in
            action.from.contains(state.stepID)
                && mayTake(action, actor: actor, definition: definition, state: state)
                && action.requires.allSatisfy(actor.satisfied.contains)
        }
    }

    /// Checks that the actor may take the action now, or says precisely why not.
    public static func check(_ actionID: String, actor: ActorContext, note: String?, in definition: ProcessDefinition,
                             state: CaseState) throws(WorkflowError) -> ProcessDefinition.Action {
        guard let action = definition.action(actionID, at: state.stepID) else { throw .unknownAction(actionID) }
        // Who may take an action named by role (applicant, positions) does not depend on the step:
        // refuse those callers outright (403) before saying "not now" (409) to the others.
        if action.by != .holder, !mayTake(action, actor: actor, definition: definition, state: state) {
            throw .notAllowed(action: actionID)
        }
        guard action.from.contains(state.stepID) else { throw .notInThisState(action: actionID, step: state.stepID) }
        guard mayTake(action, actor: actor, definition: definition, state: state) else { throw .notAllowed(action: actionID) }
        if let missing = action.requires.first(where: { !actor.satisfied.contains($0) }) { throw .preconditionFailed(missing) }
        if action.needsNote, (note ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw .noteRequired(action: actionID)
        }
        return action
    }

    /// The action the platform takes by itself now (`by: system` with every precondition met), if any.
    public static func automaticAction(in definition: ProcessDefinition, state: CaseState, satisfied: Set<String>) -> ProcessDefinition.Action? {
        definition.actions.first { action in
            action.by == .system && action.from.contains(state.stepID) && action.requires.allSatisfy(satisfied.contains)
        }
    }

    /// The step an action leads to from this state (`previous` resolved).
    public static func target(of action: ProcessDefinition.Action, from state: CaseState) -> String {
        action.to == ProcessDefinition.Action.previousStep ? (state.previousStepID ?? state.stepID) : action.to
    }

    /// The case after the action: its new step, its assignee, its clock and the new step's own deadline.
    /// - Parameter assignee: the officer the next step is handed to by name; nil leaves it to every
    ///   holder of the step's position (or, going back to the previous step, to whoever held it then).
    public static func apply(_ action: ProcessDefinition.Action, to state: CaseState, at instant: Date, workingDays: Int,
                             cutoffHour: Int?, calendar: WorkingDayCalendar, assignee: UserID? = nil,
                             definition: ProcessDefinition? = nil) -> CaseState {
        var next = state
        let goesBack = action.to == ProcessDefinition.Action.previousStep
        if !goesBack, action.to == state.stepID, action.clock == nil {
            // An action that stays in its step (a progress report) leaves its holder, its assignee and its deadline be.
            next.assigneeID = assignee ?? state.assigneeID
            return next
        }
        next.previousStepID = state.stepID
        next.stepID = target(of: action, from: state)
        next.previousAssigneeID = state.assigneeID
        next.assigneeID = assignee ?? (goesBack ? state.previousAssigneeID : nil)
        if let effect = action.clock {
            next.clock.apply(effect, at: instant, workingDays: workingDays, cutoffHour: cutoffHour, calendar: calendar)
        }
        next.stepStartedAt = instant
        next.stepDueAt = nil
        let stepRemaining = state.stepRemainingWhenPaused
        next.stepRemainingWhenPaused = nil
        if action.clock == .pause, let due = state.stepDueAt {
            // Keep what the interrupted step had left, for when the case comes back to it.
            next.stepRemainingWhenPaused = calendar.workingSeconds(from: instant, to: due)
        } else if next.clock.isRunning {
            if goesBack, let stepRemaining {
                next.stepDueAt = stepRemaining > 0 ? calendar.addingWorkingTime(stepRemaining, to: instant)
                    : instant.addingTimeInterval(stepRemaining)
            } else if let share = definition?.step(next.stepID)?.share, share > 0 {
                next.stepDueAt = calendar.addingWorkingTime(share * Double(workingDays) * WorkingDayCalendar.secondsPerWorkingDay,
                                                            to: instant)
            }
        }
        return next
    }

    static func mayTake(_ action: ProcessDefinition.Action, actor: ActorContext, definition: ProcessDefinition, state: CaseState) -> Bool {
        switch action.by {
        case .system:
            return false
        case .applicant:
            return actor.isApplicant
        case .positions(let positions):
            return positions.contains { actor.holds($0, within: actor.competentUnitPath) || actor.holds($0, within: actor.receivingUnitPath) }
        case .holder:
            guard let holder = definition.step(state.stepID)?.holder else { return false }
            if holder.applicant { return actor.isApplicant }
            guard let position = holder.position, let unitPath = actor.unitPath(for: holder.unit) else { return false }
            guard actor.holds(position, within: unitPath) else { return false }
            // Handed to one officer by name: only that officer acts for the step.
            if let assignee = state.assigneeID { return actor.userID == assignee }
            return true
        }
    }

    /// The step holding a case now: its position and unit, for queues and for default assignment.
    public static func holder(of state: CaseState, in definition: ProcessDefinition) -> ProcessDefinition.Holder? {
        definition.step(state.stepID)?.holder
    }
}
