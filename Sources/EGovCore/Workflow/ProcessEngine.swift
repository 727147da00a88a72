import Foundation

/// Where a case stands in its process.
public struct CaseState: Codable, Sendable, Hashable {
    public var stepID: String
    /// The step before the current one, for actions that go back (`to: previous`, e.g. after a supplement).
    public var previousStepID: String?
    public var clock: DeadlineClock

    public init(stepID: String, previousStepID: String? = nil, clock: DeadlineClock = DeadlineClock()) {
        self.stepID = stepID
        self.previousStepID = previousStepID
        self.clock = clock
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

    /// The case's own applicant.
    public var isApplicant: Bool
    /// The officer's positions and where they hold them.
    public var holdings: [Holding]
    public var receivingUnitPath: String
    public var competentUnitPath: String
    /// Preconditions that hold now (`fee-paid`, …), computed by the module.
    public var satisfied: Set<String>

    public init(isApplicant: Bool, holdings: [Holding], receivingUnitPath: String, competentUnitPath: String,
                satisfied: Set<String> = []) {
        self.isApplicant = isApplicant
        self.holdings = holdings
        self.receivingUnitPath = receivingUnitPath
        self.competentUnitPath = competentUnitPath
        self.satisfied = satisfied
    }

    /// Holds `position` at the unit or inside it (a counter of the commune, a division of the department).
    func holds(_ position: Position, within unitPath: String) -> Bool {
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
        guard let action = definition.action(actionID) else { throw .unknownAction(actionID) }
        guard action.from.contains(state.stepID) else { throw .notInThisState(action: actionID, step: state.stepID) }
        guard mayTake(action, actor: actor, definition: definition, state: state) else { throw .notAllowed(action: actionID) }
        if let missing = action.requires.first(where: { !actor.satisfied.contains($0) }) { throw .preconditionFailed(missing) }
        if action.needsNote, (note ?? "").trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
            throw .noteRequired(action: actionID)
        }
        return action
    }

    /// The case after the action: its new step and its clock.
    public static func apply(_ action: ProcessDefinition.Action, to state: CaseState, at instant: Date, workingDays: Int,
                             cutoffHour: Int?, calendar: WorkingDayCalendar) -> CaseState {
        var next = state
        let target = action.to == ProcessDefinition.Action.previousStep ? (state.previousStepID ?? state.stepID) : action.to
        next.previousStepID = state.stepID
        next.stepID = target
        if let effect = action.clock {
            next.clock.apply(effect, at: instant, workingDays: workingDays, cutoffHour: cutoffHour, calendar: calendar)
        }
        return next
    }

    static func mayTake(_ action: ProcessDefinition.Action, actor: ActorContext, definition: ProcessDefinition, state: CaseState) -> Bool {
        switch action.by {
        case .applicant:
            return actor.isApplicant
        case .positions(let positions):
            return positions.contains { actor.holds($0, within: actor.competentUnitPath) || actor.holds($0, within: actor.receivingUnitPath) }
        case .holder:
            guard let holder = definition.step(state.stepID)?.holder else { return false }
            if holder.applicant { return actor.isApplicant }
            guard let position = holder.position else { return false }
            let unitPath = holder.unit == .receiving ? actor.receivingUnitPath : actor.competentUnitPath
            return actor.holds(position, within: unitPath)
        }
    }

    /// The step holding a case now: its position and unit, for queues and for default assignment.
    public static func holder(of state: CaseState, in definition: ProcessDefinition) -> ProcessDefinition.Holder? {
        definition.step(state.stepID)?.holder
    }
}
