import EGovCore
import EGovPlatform
import Fluent
import Foundation
import SQLKit

/// Who takes an action: a signed-in account, or the platform itself (a confirmed payment).
struct ActingParty: Sendable {
    let principal: Principal?
    let clientAddress: String?

    static let system = ActingParty(principal: nil, clientAddress: nil)

    var name: String { principal?.fullName ?? "Hệ thống" }
    var username: String { principal?.username ?? "system" }
}

/// A file an action brings (a supplement, a signed result): its bytes already in the file store,
/// its rows written with the action.
struct StoredUpload: Sendable {
    let componentID: String?
    let name: String
    let contentType: String
    let size: Int
    let sha256: String
    /// This request wrote the bytes (nobody had the content before): take them back if it is refused.
    var created = false
}

extension Array where Element == StoredUpload {
    /// Runs `body`; if it fails, removes the bytes these uploads added to the file store, then rethrows.
    func discardingOnFailure<T>(_ files: FileStore, on db: any Database, _ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch {
            await files.discard(filter(\.created).map(\.sha256), on: db)
            throw error
        }
    }
}

/// Moves dossiers through their process: the transition, its history event, files, notifications and
/// audit, all in the caller's transaction; then the actions the platform takes by itself.
struct DossierWorkflow: Sendable {
    let services: PlatformServices
    let now: Date
    let calendar: WorkingDayCalendar

    init(services: PlatformServices, calendar: WorkingDayCalendar) {
        self.services = services
        self.now = services.clock.now()
        self.calendar = calendar
    }

    /// Locks the dossier row for this transaction, provided nobody changed it since `dossier` was read;
    /// 409 otherwise. The first statement of the transaction, so SQLite takes its write lock at once.
    static func lock(_ dossier: DossierModel, on tx: any Database) async throws {
        guard let sql = tx as? any SQLDatabase, let id = dossier.id else { throw EGovError.forbidden }
        let rows = try await sql.raw("""
            UPDATE \(ident: DossierModel.schema) SET version = version + 1
            WHERE id = \(bind: id) AND version = \(bind: dossier.version) RETURNING id
            """).all()
        guard !rows.isEmpty else {
            throw EGovError.conflict(ValidationError(field: "dossier",
                                                     vi: "Hồ sơ vừa được người khác cập nhật. Vui lòng tải lại và thử lại.",
                                                     en: "Someone else has just updated this dossier. Please reload and try again."))
        }
        dossier.version += 1
    }

    /// Applies one checked action to a locked dossier and records it.
    @discardableResult
    func apply(_ action: ProcessDefinition.Action, to dossier: DossierModel, definition: ProcessDefinition, procedure: Procedure,
               by party: ActingParty, note: String?, assignee: UserModel?, uploads: [StoredUpload],
               on tx: any Database) async throws -> DossierEventModel {
        let before = try dossier.caseState()
        let stepOnTime = before.stepDueAt.map { now <= $0 }
        let after = ProcessEngine.apply(action, to: before, at: now, workingDays: procedure.processingDays, cutoffHour: procedure.cutoffHour,
                                        calendar: calendar, assignee: assignee?.userID, definition: definition)
        var assigneeName = assignee?.fullName
        if assigneeName == nil, let id = after.assigneeID {
            // Handed back to whoever held the step before (after a supplement).
            assigneeName = try await UserModel.find(id.rawValue, on: tx)?.fullName
        }
        try dossier.store(after, in: definition, assigneeName: assigneeName)
        if action.clock == .pause { dossier.supplementRequests += 1 }
        dossier.updatedAt = now
        try await dossier.save(on: tx)

        let seq = try await Self.nextSeq(of: dossier, on: tx)
        for upload in uploads {
            try await DossierFiles.attach(upload, kind: action.produces.contains("result") ? .result : .attachment,
                                          to: dossier, seq: seq, at: now, on: tx)
        }
        let event = try await record(seq: seq, actionID: action.id, actionName: action.name, from: before.stepID, dossier: dossier,
                                     definition: definition, by: party, note: note, assignee: assignee, stepOnTime: stepOnTime,
                                     files: uploads.map(\.name), on: tx)
        try await DossierNotifications(services: services)
            .after(action, dossier: dossier, note: event.note, assignee: assignee, at: now, on: tx)
        try await AuditLog.record(
            AuditEntry(actorID: party.principal?.id, actorName: party.username, unitCode: party.principal?.primaryUnitCode,
                       action: "dossier.\(action.id)", target: "dossier:\(dossier.code)", clientAddress: party.clientAddress,
                       summary: "\(before.stepID) → \(after.stepID)"),
            at: now, on: tx)
        return event
    }

    static func nextSeq(of dossier: DossierModel, on tx: any Database) async throws -> Int {
        try await DossierEventModel.query(on: tx).filter(\.$dossierID == dossier.requireID()).count() + 1
    }

    /// Writes one line of the dossier's history (the tracking slip).
    func record(seq: Int, actionID: String, actionName: String, from: String?, dossier: DossierModel, definition: ProcessDefinition,
                by party: ActingParty, note: String?, assignee: UserModel?, stepOnTime: Bool?, files: [String],
                on tx: any Database) async throws -> DossierEventModel {
        let event = DossierEventModel()
        event.id = UUID()
        event.dossierID = try dossier.requireID()
        event.seq = seq
        event.actionID = actionID
        event.actionName = actionName
        event.fromStep = from
        event.toStep = dossier.stepID
        event.toStepName = definition.step(dossier.stepID)?.name ?? dossier.stepID
        event.status = dossier.status
        event.actorID = party.principal?.id
        event.actorName = party.name
        event.actorUnitCode = party.principal?.primaryUnitCode
        event.at = now
        event.note = note.flatMap { $0.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty ? nil : String($0.prefix(4000)) }
        event.assigneeName = assignee?.fullName
        event.stepOnTime = stepOnTime
        event.files = try CanonicalJSON.string(files)
        try await event.create(on: tx)
        return event
    }

    /// Takes every action the platform takes by itself now (a paid fee moves the dossier on), at most a few in a row.
    func runAutomaticActions(on dossier: DossierModel, definition: ProcessDefinition, procedure: Procedure,
                             on tx: any Database) async throws {
        for _ in 0..<5 {
            let state = try dossier.caseState()
            guard let action = ProcessEngine.automaticAction(in: definition, state: state, satisfied: dossier.satisfiedConditions) else { return }
            try await apply(action, to: dossier, definition: definition, procedure: procedure, by: .system, note: nil, assignee: nil,
                            uploads: [], on: tx)
        }
    }

    /// The officer named to take the next step: someone holding that step's position at its unit.
    func checkAssignee(_ username: String?, for action: ProcessDefinition.Action, dossier: DossierModel,
                       definition: ProcessDefinition, on db: any Database) async throws -> UserModel? {
        guard let username = username?.trimmingCharacters(in: .whitespaces), !username.isEmpty else { return nil }
        let target = ProcessEngine.target(of: action, from: try dossier.caseState())
        guard let holder = definition.step(target)?.holder, !holder.applicant, let position = holder.position else {
            throw EGovError.validation([ValidationError(field: "assignee", vi: "Bước tiếp theo không giao cho cán bộ nên không chọn được người xử lý.",
                                                        en: "The next step is not held by an officer, so nobody can be assigned.")])
        }
        let unitPath = dossier.unitPath(for: holder.unit)
        guard let user = try await UserModel.query(on: db).filter(\.$username == username).first(), user.isActive,
              let principal = try await PrincipalLoader.load(try user.requireID(), catalog: services.permissions, on: db),
              principal.grants.contains(where: { $0.position == position && $0.unitPath.hasPrefix(unitPath) })
        else {
            throw EGovError.validation([ValidationError(
                field: "assignee",
                vi: "“\(username)” không phải \(position.label.vi.lowercased()) của \(dossier.unitCode(for: holder.unit)) nên không thể nhận bước này.",
                en: "“\(username)” is not a \(position.label.en.lowercased()) of \(dossier.unitCode(for: holder.unit)) and cannot take this step.")])
        }
        return user
    }
}

extension WorkflowError {
    /// The HTTP problem for each reason: 403 not yours to take, 409 not now, 400 missing reason, 404 no such action.
    var problem: EGovError {
        switch self {
        case .unknownAction(let id):
            .notFound(LocalizedText(vi: "Không có thao tác “\(id)” trong quy trình của hồ sơ này.", en: "No action “\(id)” in this dossier's process."))
        case .notAllowed(let id):
            .forbiddenBecause(LocalizedText(vi: "Bạn không được thực hiện thao tác “\(id)” trên hồ sơ này.",
                                            en: "You may not take the action “\(id)” on this dossier."))
        case .notInThisState(let id, let step):
            .conflict(ValidationError(field: "action", vi: "Không thể thực hiện “\(id)” khi hồ sơ đang ở bước “\(step)”.",
                                      en: "“\(id)” cannot be taken while the dossier is at step “\(step)”."))
        case .preconditionFailed(let condition):
            .conflict(ValidationError(field: "action", vi: condition == "fee-paid" ? "Hồ sơ chưa nộp đủ phí, lệ phí." : "Chưa đủ điều kiện: \(condition).",
                                      en: condition == "fee-paid" ? "The fees have not been paid." : "Condition not met: \(condition)."))
        case .noteRequired:
            .validation([ValidationError(field: "note", vi: "Vui lòng ghi rõ lý do hoặc nội dung.", en: "Please give the reason or details.")])
        }
    }
}
