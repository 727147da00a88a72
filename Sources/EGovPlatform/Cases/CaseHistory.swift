import EGovCore
import Fluent
import Foundation
import SQLKit

/// One line of a case's history (the tracking slip): what was done, by whom, when, from which step to
/// which, with the note, the files and whether the step that ended here was on time.
public struct CaseEvent: Sendable {
    public let id: UUID
    public let seq: Int
    public let actionID: String
    public let actionName: String
    public let fromStep: String?
    public let toStep: String
    public let toStepName: String
    public let status: String
    public let actorID: UUID?
    public let actorName: String
    public let actorUnitCode: String?
    public let at: Date
    public let note: String?
    public let assigneeName: String?
    public let stepOnTime: Bool?
    public let files: [String]

    public init(id: UUID = UUID(), seq: Int, actionID: String, actionName: String, fromStep: String?, toStep: String, toStepName: String,
                status: String, actorID: UUID?, actorName: String, actorUnitCode: String?, at: Date, note: String?,
                assigneeName: String?, stepOnTime: Bool?, files: [String]) {
        self.id = id
        self.seq = seq
        self.actionID = actionID
        self.actionName = actionName
        self.fromStep = fromStep
        self.toStep = toStep
        self.toStepName = toStepName
        self.status = status
        self.actorID = actorID
        self.actorName = actorName
        self.actorUnitCode = actorUnitCode
        self.at = at
        self.note = note
        self.assigneeName = assigneeName
        self.stepOnTime = stepOnTime
        self.files = files
    }
}

/// The one writer of case history, into the module's history table (`CaseRecord.historySchema`).
public enum CaseHistory {
    /// Longest note kept, in characters.
    public static let maxNote = 4000

    /// The next sequence number of the record's history.
    public static func nextSeq<Record: CaseRecord>(of record: Record, on tx: any Database) async throws -> Int {
        guard let sql = tx as? any SQLDatabase else { throw EGovError.forbidden }
        let row = try await sql.raw("""
            SELECT COUNT(*) AS n FROM \(ident: Record.historySchema) WHERE \(ident: Record.historyCaseColumn) = \(bind: try record.requireID())
            """).first()
        return (try row?.decode(column: "n", as: Int.self) ?? 0) + 1
    }

    /// The record's history, oldest first (at most `limit` events).
    public static func events<Record: CaseRecord>(of record: Record, limit: Int = 500, on db: any Database) async throws -> [CaseEvent] {
        guard let sql = db as? any SQLDatabase else { throw EGovError.forbidden }
        let rows = try await sql.raw("""
            SELECT id, seq, action_id, action_name, from_step, to_step, to_step_name, status, actor_id, actor_name, actor_unit_code,
                   at, note, assignee_name, step_on_time, files
            FROM \(ident: Record.historySchema) WHERE \(ident: Record.historyCaseColumn) = \(bind: try record.requireID())
            ORDER BY seq LIMIT \(bind: max(1, min(limit, 10_000)))
            """).all()
        return try rows.map { row in
            let files = try row.decode(column: "files", as: String.self)
            return CaseEvent(id: try row.decode(column: "id", as: UUID.self), seq: try row.decode(column: "seq", as: Int.self),
                             actionID: try row.decode(column: "action_id", as: String.self),
                             actionName: try row.decode(column: "action_name", as: String.self),
                             fromStep: try row.decode(column: "from_step", as: String?.self),
                             toStep: try row.decode(column: "to_step", as: String.self),
                             toStepName: try row.decode(column: "to_step_name", as: String.self),
                             status: try row.decode(column: "status", as: String.self),
                             actorID: try row.decode(column: "actor_id", as: UUID?.self),
                             actorName: try row.decode(column: "actor_name", as: String.self),
                             actorUnitCode: try row.decode(column: "actor_unit_code", as: String?.self),
                             at: try row.decode(column: "at", as: Date.self), note: try row.decode(column: "note", as: String?.self),
                             assigneeName: try row.decode(column: "assignee_name", as: String?.self),
                             stepOnTime: try row.decode(column: "step_on_time", as: Bool?.self),
                             files: (try? JSONDecoder().decode([String].self, from: Data(files.utf8))) ?? [])
        }
    }

    /// Who last took `actionID` on each of the cases `ids` (by its actor's name), in one query per 500 cases.
    public static func lastActors<Record: CaseRecord>(of actionID: String, on ids: [UUID], in _: Record.Type,
                                                      on db: any Database) async throws -> [UUID: String] {
        guard let sql = db as? any SQLDatabase else { throw EGovError.forbidden }
        var actors: [UUID: String] = [:]
        var start = 0
        while start < ids.count {
            let chunk = Array(ids[start..<min(start + 500, ids.count)])
            start += chunk.count
            let rows = try await sql.raw("""
                SELECT \(ident: Record.historyCaseColumn) AS case_id, actor_name FROM \(ident: Record.historySchema)
                WHERE action_id = \(bind: actionID) AND \(ident: Record.historyCaseColumn) IN (\(binds: chunk)) ORDER BY seq
                """).all()
            for row in rows { actors[try row.decode(column: "case_id", as: UUID.self)] = try row.decode(column: "actor_name", as: String.self) }
        }
        return actors
    }

    /// Writes one event for `record` as it stands now (its step and status after the action).
    @discardableResult
    public static func write<Record: CaseRecord>(seq: Int, actionID: String, actionName: String, from: String?, record: Record,
                                                 definition: ProcessDefinition, by party: ActingParty, note: String?,
                                                 assignee: UserModel?, stepOnTime: Bool?, files: [String], at now: Date,
                                                 on tx: any Database) async throws -> CaseEvent {
        var batch = WriteBatch()
        let event = try write(seq: seq, actionID: actionID, actionName: actionName, from: from, record: record, definition: definition,
                              by: party, note: note, assignee: assignee, stepOnTime: stepOnTime, files: files, at: now, in: &batch)
        try await batch.run(on: tx)
        return event
    }

    /// `write`, as one statement of `batch` (with the case's own insert, when it opens: one round trip for both).
    public static func write<Record: CaseRecord>(seq: Int, actionID: String, actionName: String, from: String?, record: Record,
                                                 definition: ProcessDefinition, by party: ActingParty, note: String?,
                                                 assignee: UserModel?, stepOnTime: Bool?, files: [String], at now: Date,
                                                 in batch: inout WriteBatch) throws -> CaseEvent {
        let event = CaseEvent(
            id: UUID(), seq: seq, actionID: actionID, actionName: actionName, fromStep: from, toStep: record.stepID,
            toStepName: definition.step(record.stepID)?.name ?? record.stepID, status: record.status,
            actorID: party.principal?.id, actorName: party.name, actorUnitCode: party.principal?.primaryUnitCode, at: now,
            note: note.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : String($0.prefix(maxNote)) },
            assigneeName: assignee?.fullName, stepOnTime: stepOnTime, files: files)
        batch.add(try insertion([(try record.requireID(), event)], into: Record.self))
        return event
    }

    /// Writes events of several cases in one statement (the bench data generator's bulk load).
    public static func insert<Record: CaseRecord>(_ events: [(caseID: UUID, event: CaseEvent)], into: Record.Type,
                                                  on sql: any SQLDatabase) async throws {
        guard !events.isEmpty else { return }
        try await sql.execute(sql: try insertion(events, into: Record.self)) { _ in }
    }

    /// The insert of `events` into the case type's history table.
    private static func insertion<Record: CaseRecord>(_ events: [(caseID: UUID, event: CaseEvent)], into: Record.Type) throws -> SQLInsert {
        var insert = SQLInsert(table: SQLIdentifier(Record.historySchema))
        insert.columns = ["id", Record.historyCaseColumn, "seq", "action_id", "action_name", "from_step", "to_step", "to_step_name", "status",
                          "actor_id", "actor_name", "actor_unit_code", "at", "note", "assignee_name", "step_on_time", "files"]
            .map { SQLIdentifier($0) }
        insert.values = try events.map { caseID, event in
            [SQLBind(event.id), SQLBind(caseID), SQLBind(event.seq), SQLBind(event.actionID), SQLBind(event.actionName),
             SQLBind(event.fromStep), SQLBind(event.toStep), SQLBind(event.toStepName), SQLBind(event.status), SQLBind(event.actorID),
             SQLBind(event.actorName), SQLBind(event.actorUnitCode), SQLBind(event.at), SQLBind(event.note), SQLBind(event.assigneeName),
             SQLBind(event.stepOnTime), SQLBind(try CanonicalJSON.string(event.files))]
        }
        return insert
    }
}
