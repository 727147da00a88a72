import EGovCore
import Fluent
import Foundation
import SQLKit

/// What a module adds to the case runtime for its own case type: its columns that change with an
/// action, its after-action work (files, notifications) and the words for its preconditions.
public protocol CaseHooks<Record>: Sendable {
    associatedtype Record: CaseRecord
    /// The module's own columns that change with `action` (a supplement counted …), before the row is saved.
    func willSave(_ record: Record, after action: ProcessDefinition.Action)
    /// After the history event is written, in the same transaction: the action's files, its messages.
    func didApply(_ action: ProcessDefinition.Action, to record: Record, event: CaseEvent, assignee: UserModel?,
                  on tx: any Database) async throws
    /// The message for an automatic action's precondition that does not hold (nil: a generic one).
    func unmet(_ condition: String) -> LocalizedText?
}

extension CaseHooks {
    public func willSave(_ record: Record, after action: ProcessDefinition.Action) {}
    public func unmet(_ condition: String) -> LocalizedText? { nil }
}

/// Moves cases through their process, inside the caller's transaction: the row lock with its version
/// check, the checked transition through `ProcessEngine`, the history event, the module's hooks, the
/// audit event, then the actions the platform takes by itself.
public struct CaseRuntime<Hooks: CaseHooks>: Sendable {
    public typealias Record = Hooks.Record

    public let services: PlatformServices
    public let now: Date
    public let calendar: WorkingDayCalendar
    public let hooks: Hooks

    public init(services: PlatformServices, calendar: WorkingDayCalendar, hooks: Hooks) {
        self.services = services
        self.now = services.clock.now()
        self.calendar = calendar
        self.hooks = hooks
    }

    /// Locks the case row for this transaction, provided nobody changed it since `record` was read;
    /// 409 otherwise. Call it first in the transaction, so SQLite takes its write lock at once.
    public static func lock(_ record: Record, on tx: any Database) async throws {
        guard let sql = tx as? any SQLDatabase else { throw EGovError.forbidden }
        let rows = try await sql.raw("""
            UPDATE \(ident: Record.schema) SET version = version + 1
            WHERE id = \(bind: try record.requireID()) AND version = \(bind: record.version) RETURNING id
            """).all()
        guard !rows.isEmpty else {
            let noun = Record.caseNoun
            throw EGovError.conflict(ValidationError(
                field: Record.caseKind, vi: "\(noun.vi.capitalizedFirst) vừa được người khác cập nhật. Vui lòng tải lại và thử lại.",
                en: "Someone else has just updated this \(noun.en). Please reload and try again."))
        }
        record.version += 1
    }

    /// Opens a new case at its process's first step: the row, the first history event and the audit event.
    @discardableResult
    public func open(_ record: Record, in definition: ProcessDefinition, actionID: ActionID, actionName: String,
                     by party: ActingParty, files: [String], auditUnitCode: String?, auditSummary: String,
                     on tx: any Database) async throws -> CaseEvent {
        // The row, its first event and the audit event in one statement on PostgreSQL.
        var batch = WriteBatch()
        let event = try start(record, in: definition, actionID: actionID, actionName: actionName, by: party, files: files, in: &batch)
        try auditOpening(record, actionID: actionID, by: party, unitCode: auditUnitCode, summary: auditSummary, in: &batch)
        try await batch.run(on: tx)
        return event
    }

    /// `open` without its audit event, for a case that gets its code only after it is written: a code from a
    /// counter row that every case of the unit and day shares is taken as late in the transaction as possible, so
    /// the row is held briefly (issue 15). `auditOpening` then completes the opening under the final code.
    public func start(_ record: Record, in definition: ProcessDefinition, actionID: ActionID, actionName: String,
                      by party: ActingParty, files: [String], on tx: any Database) async throws -> CaseEvent {
        // The row and its first event in one statement on PostgreSQL (`WriteBatch`).
        var batch = WriteBatch()
        let event = try start(record, in: definition, actionID: actionID, actionName: actionName, by: party, files: files, in: &batch)
        try await batch.run(on: tx)
        return event
    }

    /// `start`, as statements of `batch`.
    public func start(_ record: Record, in definition: ProcessDefinition, actionID: ActionID, actionName: String,
                      by party: ActingParty, files: [String], in batch: inout WriteBatch) throws -> CaseEvent {
        guard let initial = definition.initialStep else { throw EGovError.forbidden }
        var state = CaseState(stepID: initial.id)
        state.stepStartedAt = now
        record.status = initial.status
        record.version = 0
        record.updatedAt = now
        try record.store(state, in: definition, assigneeName: nil)
        try ModelWrite.create(record, in: &batch)
        return try CaseHistory.write(seq: 1, actionID: actionID.rawValue, actionName: actionName, from: nil, record: record,
                                     definition: definition, by: party, note: nil, assignee: nil, stepOnTime: nil,
                                     files: files, at: now, in: &batch)
    }

    /// The audit event of a case opened with `start`, once it has its code, as one statement of `batch` (with the code's
    /// update, when a submission numbers its case).
    public func auditOpening(_ record: Record, actionID: ActionID, by party: ActingParty, unitCode: String?, summary: String,
                             in batch: inout WriteBatch) throws {
        try AuditLog.record(auditEntry(actionID.rawValue, record: record, by: party, unitCode: unitCode, summary: summary),
                            at: now, in: &batch)
    }

    /// Applies one checked action to a locked case and records it. `files` names what the action brings;
    /// `attach` writes the module's rows for them under the event's sequence number. `dueAt`, when the action
    /// leaves the clock running, is the deadline set by hand (for the case and its new step) instead of the terms'.
    @discardableResult
    public func apply(_ action: ProcessDefinition.Action, to record: Record, definition: ProcessDefinition, terms: CaseTerms,
                      by party: ActingParty, note: String?, assignee: UserModel?, dueAt: Date? = nil, files: [String] = [],
                      attach: (_ seq: Int, _ tx: any Database) async throws -> Void = { _, _ in },
                      on tx: any Database) async throws -> CaseEvent {
        let before = try record.caseState()
        let stepOnTime = before.stepDueAt.map { now <= $0 }
        var after = ProcessEngine.apply(action, to: before, at: now, workingDays: terms.workingDays, cutoffHour: terms.cutoffHour,
                                        calendar: calendar, assignee: assignee?.userID, definition: definition)
        if let dueAt, after.clock.isRunning {
            after.clock.setDue(dueAt)
            after.stepDueAt = dueAt
        }
        var assigneeName = assignee?.fullName
        if assigneeName == nil, let id = after.assigneeID {
            // Handed back to whoever held the step before (after a supplement).
            assigneeName = try await UserModel.find(id.rawValue, on: tx)?.fullName
        }
        try record.store(after, in: definition, assigneeName: assigneeName)
        hooks.willSave(record, after: action)
        record.updatedAt = now
        try await ModelWrite.update(record, on: tx)

        let seq = try await CaseHistory.nextSeq(of: record, on: tx)
        try await attach(seq, tx)
        let event = try await CaseHistory.write(seq: seq, actionID: action.id, actionName: action.name, from: before.stepID,
                                                record: record, definition: definition, by: party, note: note, assignee: assignee,
                                                stepOnTime: stepOnTime, files: files, at: now, on: tx)
        try await hooks.didApply(action, to: record, event: event, assignee: assignee, on: tx)
        try await audit(action.id, record: record, by: party, unitCode: party.principal?.primaryUnitCode,
                        summary: "\(before.stepID) → \(after.stepID)", on: tx)
        return event
    }

    /// The action `actionID` as `principal` may take it on the case now, or the problem in the case's words
    /// (404 no such action, 403 not theirs, 409 not now, 400 a note missing), before anything is stored.
    public func check(_ actionID: String, by principal: Principal?, note: String?, on record: Record,
                      definition: ProcessDefinition) throws -> ProcessDefinition.Action {
        do {
            return try ProcessEngine.check(actionID, actor: CasePolicy.actor(principal, for: record), note: note, in: definition,
                                           state: try record.caseState())
        } catch let error as WorkflowError {
            throw error.problem(noun: Record.caseNoun, unmet: hooks.unmet)
        }
    }

    /// Takes a checked action in one transaction: the row lock, the action, then the automatic actions
    /// whose preconditions now hold.
    @discardableResult
    public func take(_ action: ProcessDefinition.Action, on record: Record, definition: ProcessDefinition, terms: CaseTerms,
                     by party: ActingParty, note: String?, assignee: UserModel? = nil, dueAt: Date? = nil, files: [String] = [],
                     attach: @escaping @Sendable (_ seq: Int, _ tx: any Database) async throws -> Void = { _, _ in },
                     on db: any Database) async throws -> CaseEvent {
        try await db.transaction { tx in
            try await Self.lock(record, on: tx)
            let event = try await apply(action, to: record, definition: definition, terms: terms, by: party, note: note,
                                        assignee: assignee, dueAt: dueAt, files: files, attach: attach, on: tx)
            try await runAutomaticActions(on: record, definition: definition, terms: terms, on: tx)
            return event
        }
    }

    /// Takes every action the platform takes by itself now (a paid fee moves the case on), at most a few in a row;
    /// answers the history events written.
    @discardableResult
    public func runAutomaticActions(on record: Record, definition: ProcessDefinition, terms: CaseTerms,
                                    on tx: any Database) async throws -> [CaseEvent] {
        var events: [CaseEvent] = []
        for _ in 0..<5 {
            let state = try record.caseState()
            guard let action = ProcessEngine.automaticAction(in: definition, state: state, satisfied: record.satisfiedConditions) else { break }
            events.append(try await apply(action, to: record, definition: definition, terms: terms, by: .system, note: nil, assignee: nil, on: tx))
        }
        return events
    }

    private func audit(_ actionID: String, record: Record, by party: ActingParty, unitCode: String?, summary: String,
                       on tx: any Database) async throws {
        try await AuditLog.record(auditEntry(actionID, record: record, by: party, unitCode: unitCode, summary: summary), at: now, on: tx)
    }

    private func auditEntry(_ actionID: String, record: Record, by party: ActingParty, unitCode: String?, summary: String) -> AuditEntry {
        AuditEntry(actorID: party.principal?.id, actorName: party.username, unitCode: unitCode,
                   action: "\(Record.caseKind).\(actionID)", target: "\(Record.caseKind):\(record.caseCode)",
                   clientAddress: party.clientAddress, summary: summary)
    }
}

extension String {
    /// "hồ sơ" → "Hồ sơ".
    var capitalizedFirst: String { prefix(1).uppercased() + dropFirst() }
}
