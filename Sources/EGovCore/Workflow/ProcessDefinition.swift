/// A configured process: steps (each meaning a status of the case and held by a position at a
/// unit, or by the applicant) and the actions that move a case between them. Loaded from locality
/// packs; the engine knows nothing of dossiers or documents, so both modules run on it.
public struct ProcessDefinition: Codable, Sendable, Hashable {
    public var id: String
    public var name: String
    public var steps: [Step]
    public var actions: [Action]
    /// Settings a module reads for its own purposes (where a dossier is received, …); the engine ignores them.
    public var options: [String: String]

    public init(id: String, name: String, steps: [Step], actions: [Action], options: [String: String] = [:]) {
        self.id = id
        self.name = name
        self.steps = steps
        self.actions = actions
        self.options = options
    }

    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        name = try container.decode(String.self, forKey: .name)
        steps = try container.decode([Step].self, forKey: .steps)
        actions = try container.decode([Action].self, forKey: .actions)
        // Absent in definitions stored before options existed.
        options = try container.decodeIfPresent([String: String].self, forKey: .options) ?? [:]
    }

    public struct Step: Codable, Sendable, Hashable {
        public var id: String
        public var name: String
        /// The module's word for a case in this step (`processing`, `waiting-supplement`, …).
        public var status: String
        public var holder: Holder?
        /// This step's share of the whole deadline, 0…1.
        public var share: Double
        public var isFinal: Bool

        public init(id: String, name: String, status: String, holder: Holder?, share: Double = 0, isFinal: Bool = false) {
            self.id = id
            self.name = name
            self.status = status
            self.holder = holder
            self.share = share
            self.isFinal = isFinal
        }
    }

    /// Who holds a step: the applicant, or officers of a position at the case's receiving or competent
    /// unit, or at a unit consulted on the case (named by whoever sends it there).
    public struct Holder: Codable, Sendable, Hashable {
        public enum UnitRole: String, Codable, Sendable { case receiving, competent, consulted }

        public var position: Position?
        public var unit: UnitRole
        public var applicant: Bool

        public init(position: Position?, unit: UnitRole = .competent, applicant: Bool = false) {
            self.position = position
            self.unit = unit
            self.applicant = applicant
        }

        public static let applicantHolder = Holder(position: nil, unit: .competent, applicant: true)
    }

    public struct Action: Codable, Sendable, Hashable {
        /// Who may take an action.
        public enum Actor: Codable, Sendable, Hashable {
            /// An officer holding the current step (its position, at or below its unit).
            case holder
            case applicant
            /// An officer of one of these positions at or below the case's competent unit.
            case positions([Position])
            /// The platform itself, as soon as the action's preconditions hold (a payment confirmed by
            /// the gateway, …). Nobody takes it by hand.
            case system
        }

        public var id: String
        public var name: String
        public var from: [String]
        /// A step id, or `previous` for the step the case was in before the current one.
        public var to: String
        public var by: Actor
        public var clock: ClockEffect?
        public var requires: [String]
        public var produces: [String]
        public var notify: [String]
        public var needsNote: Bool
        /// The signatures the action puts on the result files it brings, in this order (the officer's, then
        /// the unit's seal); empty when it signs nothing.
        public var sign: [Signature]

        /// Who signs a result: the officer taking the action (their own remote key), or the seal of the case's
        /// competent unit.
        public enum Signature: String, Codable, Sendable, Hashable, CaseIterable {
            case officer
            case seal
        }

        public init(id: String, name: String, from: [String], to: String, by: Actor, clock: ClockEffect? = nil,
                    requires: [String] = [], produces: [String] = [], notify: [String] = [], needsNote: Bool = false,
                    sign: [Signature] = []) {
            self.id = id
            self.name = name
            self.from = from
            self.to = to
            self.by = by
            self.clock = clock
            self.requires = requires
            self.produces = produces
            self.notify = notify
            self.needsNote = needsNote
            self.sign = sign
        }

        public init(from decoder: any Decoder) throws {
            let container = try decoder.container(keyedBy: CodingKeys.self)
            id = try container.decode(String.self, forKey: .id)
            name = try container.decode(String.self, forKey: .name)
            from = try container.decode([String].self, forKey: .from)
            to = try container.decode(String.self, forKey: .to)
            by = try container.decode(Actor.self, forKey: .by)
            clock = try container.decodeIfPresent(ClockEffect.self, forKey: .clock)
            requires = try container.decode([String].self, forKey: .requires)
            produces = try container.decode([String].self, forKey: .produces)
            notify = try container.decode([String].self, forKey: .notify)
            needsNote = try container.decode(Bool.self, forKey: .needsNote)
            // Absent in definitions stored before results were signed.
            sign = try container.decodeIfPresent([Signature].self, forKey: .sign) ?? []
        }

        public static let previousStep = "previous"
    }

    public func step(_ id: String) -> Step? { steps.first { $0.id == id } }
    public func action(_ id: String) -> Action? { actions.first { $0.id == id } }
    /// The action `id` taken from `step`: one id may name an action per step (a document's `approve` by the
    /// head of division, then by the leader, each leading on).
    public func action(_ id: String, at step: String) -> Action? {
        actions.first { $0.id == id && $0.from.contains(step) } ?? action(id)
    }
    public var initialStep: Step? { steps.first }

    /// Every rule a process must keep, as messages naming what is wrong.
    public func problems() -> [String] {
        var problems: [String] = []
        let stepIDs = Set(steps.map(\.id))
        if steps.isEmpty { problems.append("process \(id) has no step") }
        if Set(steps.map(\.id)).count != steps.count { problems.append("process \(id) has duplicate step ids") }
        // One id per step: two actions of one id may not start from the same step.
        var starts = Set<String>()
        for action in actions {
            for step in action.from where !starts.insert("\(action.id) \(step)").inserted {
                problems.append("process \(id) has two actions \(action.id) from step \(step)")
            }
        }
        for step in steps where !step.isFinal && step.holder == nil {
            problems.append("step \(step.id) of process \(id) has no holder and is not final")
        }
        for action in actions {
            if action.by == .system, action.requires.isEmpty {
                problems.append("action \(action.id) of process \(id) is taken by the system but has no precondition")
            }
            for source in action.from where !stepIDs.contains(source) {
                problems.append("action \(action.id) of process \(id) starts from unknown step \(source)")
            }
            if action.to != Action.previousStep && !stepIDs.contains(action.to) {
                problems.append("action \(action.id) of process \(id) leads to unknown step \(action.to)")
            }
            if !action.sign.isEmpty {
                if !action.produces.contains("result") {
                    problems.append("action \(action.id) of process \(id) signs but produces no result")
                }
                if action.by == .applicant || action.by == .system {
                    problems.append("action \(action.id) of process \(id) signs but is not taken by an officer")
                }
                if Set(action.sign).count != action.sign.count {
                    problems.append("action \(action.id) of process \(id) names a signature twice")
                }
            }
        }
        let total = steps.reduce(0) { $0 + $1.share }
        if !steps.isEmpty, abs(total - 1) > 0.001 {
            problems.append("the step shares of process \(id) add up to \(total), not 1")
        }
        return problems
    }
}

/// What an action does to the deadline clock.
public enum ClockEffect: String, Codable, Sendable, Hashable {
    /// Valid reception: the deadline is set from now.
    case start
    /// Waiting for the applicant (supplement): the clock stops counting.
    case pause
    /// The applicant answered: the remaining time counts again from now.
    case resume
    /// Finished (result returned, refused, withdrawn).
    case stop
}
