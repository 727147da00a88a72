import EGovCore
import Fluent
import Foundation

/// `ps_dossiers`: one application (hồ sơ), from submission to its end. The process state (step,
/// clock, assignee) is kept as columns so queues and deadline lists are plain indexed queries.
final class DossierModel: Model, @unchecked Sendable {
    static let schema = "ps_dossiers"
    /// A queue's order after the urgency: the earliest submitted first, then by code (`CaseQueue`, `AddCaseQueueIndex`).
    static let queueOrder = ["submitted_at", "code"]

    enum Channel: String, Codable, Sendable { case online, counter }

    /// Where the result goes (Decree 118/2025: at the one-stop counter, by public postal service, or online).
    enum Delivery: String, Codable, Sendable, CaseIterable {
        case counter, post, online

        var label: LocalizedText {
            switch self {
            case .counter: LocalizedText(vi: "Nhận trực tiếp tại Bộ phận Một cửa", en: "At the one-stop counter")
            case .post: LocalizedText(vi: "Qua dịch vụ bưu chính công ích", en: "By post")
            case .online: LocalizedText(vi: "Trực tuyến (bản điện tử trên Cổng dịch vụ công)", en: "Online (electronic copy on the portal)")
            }
        }
    }

    @ID(key: .id) var id: UUID?
    @Field(key: "code") var code: String
    @Field(key: "procedure_code") var procedureCode: String
    @Field(key: "procedure_name") var procedureName: String
    @Field(key: "process_id") var processID: String
    @Field(key: "receiving_unit_code") var receivingUnitCode: String
    @Field(key: "receiving_unit_path") var receivingUnitPath: String
    @Field(key: "competent_unit_code") var competentUnitCode: String
    @Field(key: "competent_unit_path") var competentUnitPath: String
    /// The unit asked for its opinion (xin ý kiến), once the dossier has been sent to one.
    @OptionalField(key: "consulted_unit_code") var consultedUnitCode: String?
    @OptionalField(key: "consulted_unit_path") var consultedUnitPath: String?
    @Field(key: "channel") var channel: String
    /// How the applicant receives the result: at the counter, by post, or online.
    @Field(key: "result_delivery") var resultDelivery: String
    @Field(key: "inter_level") var interLevel: Bool
    /// The account that owns the dossier (its applicant), when there is one.
    @OptionalField(key: "applicant_id") var applicantID: UUID?
    @Field(key: "applicant_name") var applicantName: String
    /// Keyed hash and encrypted value of the applicant's personal identification number.
    @OptionalField(key: "applicant_id_hash") var applicantIDHash: String?
    @OptionalField(key: "applicant_id_sealed") var applicantIDSealed: String?
    @OptionalField(key: "applicant_phone_sealed") var applicantPhoneSealed: String?
    @OptionalField(key: "applicant_email") var applicantEmail: String?
    @OptionalField(key: "applicant_address") var applicantAddress: String?
    /// The online form's fields, as JSON.
    @Field(key: "form") var form: String
    @Field(key: "status") var status: String
    @Field(key: "step_id") var stepID: String
    /// Who may act on the current step, for queues: the positions (`,leader,deputy,`) at a unit, or the applicant.
    @OptionalField(key: "holder_positions") var holderPositions: String?
    @OptionalField(key: "holder_unit_path") var holderUnitPath: String?
    @Field(key: "holder_applicant") var holderApplicant: Bool
    @OptionalField(key: "assignee_id") var assigneeID: UUID?
    @OptionalField(key: "assignee_name") var assigneeName: String?
    /// The engine's `CaseState` as JSON (clock, pauses, previous step); the columns below copy what is queried.
    @Field(key: "state") var state: String
    @OptionalField(key: "due_at") var dueAt: Date?
    @OptionalField(key: "step_due_at") var stepDueAt: Date?
    @Field(key: "clock_paused") var clockPaused: Bool
    /// Paused after its due date had passed: still late (`DeadlineClock.isPausedLate`), for the SQL rule.
    @Field(key: "paused_late") var pausedLate: Bool
    @Field(key: "submitted_at") var submittedAt: Date
    @OptionalField(key: "received_at") var receivedAt: Date?
    @OptionalField(key: "finished_at") var finishedAt: Date?
    @OptionalField(key: "finished_late") var finishedLate: Bool?
    @Field(key: "fee_amount") var feeAmount: Int
    @Field(key: "fee_paid") var feePaid: Bool
    @OptionalField(key: "paid_at") var paidAt: Date?
    @Field(key: "supplement_requests") var supplementRequests: Int
    /// Set once the applicant has been told that the dossier is late (with the apology, form 04).
    @Field(key: "late_notified") var lateNotified: Bool
    @Field(key: "version") var version: Int
    @Field(key: "updated_at") var updatedAt: Date

    init() {}

    var channelValue: Channel { Channel(rawValue: channel) ?? .online }
    var dossierStatus: DossierStatus? { DossierStatus(rawValue: status) }
    var isFinished: Bool { finishedAt != nil }
}

/// `ps_dossier_events`: every transition, with actor, time, note and files: the tracking slip (form 06)
/// and the dossier's history.
final class DossierEventModel: Model, @unchecked Sendable {
    static let schema = "ps_dossier_events"

    @ID(key: .id) var id: UUID?
    @Field(key: "dossier_id") var dossierID: UUID
    @Field(key: "seq") var seq: Int
    @Field(key: "action_id") var actionID: String
    @Field(key: "action_name") var actionName: String
    @OptionalField(key: "from_step") var fromStep: String?
    @Field(key: "to_step") var toStep: String
    @Field(key: "to_step_name") var toStepName: String
    @Field(key: "status") var status: String
    @OptionalField(key: "actor_id") var actorID: UUID?
    @Field(key: "actor_name") var actorName: String
    @OptionalField(key: "actor_unit_code") var actorUnitCode: String?
    @Field(key: "at") var at: Date
    @OptionalField(key: "note") var note: String?
    @OptionalField(key: "assignee_name") var assigneeName: String?
    /// Whether the step that ended here ended within its own deadline (nil: it had none).
    @OptionalField(key: "step_on_time") var stepOnTime: Bool?
    /// JSON list of the file ids added with this action.
    @Field(key: "files") var files: String

    init() {}
}

/// `ps_dossier_files`: what was handed in (per component), added with a supplement, or produced (results).
final class DossierFileModel: Model, @unchecked Sendable {
    static let schema = "ps_dossier_files"

    enum Kind: String, Codable, Sendable { case attachment, result }

    @ID(key: .id) var id: UUID?
    @Field(key: "dossier_id") var dossierID: UUID
    @OptionalField(key: "component_id") var componentID: String?
    @Field(key: "kind") var kind: String
    @Field(key: "name") var name: String
    @Field(key: "content_type") var contentType: String
    @Field(key: "size") var size: Int
    @Field(key: "sha256") var sha256: String
    @Field(key: "event_seq") var eventSeq: Int
    @Field(key: "created_at") var createdAt: Date

    init() {}
}

/// `paused_late`: a dossier paused when it was already late stays late in queues and statistics, as it
/// does in `DeadlineClock.status`. Existing paused dossiers are read once to fill it in.
struct AddPausedLate: AsyncMigration {
    var name: String { "public-services.005.paused-late" }

    func prepare(on database: any Database) async throws {
        try await database.schema(DossierModel.schema).field("paused_late", .bool, .required, .custom("DEFAULT false")).update()
        for dossier in try await DossierModel.query(on: database).filter(\.$clockPaused == true).all() {
            guard let state = try? dossier.caseState(), state.clock.isPausedLate else { continue }
            dossier.pausedLate = true
            try await dossier.save(on: database)
        }
    }

    func revert(on database: any Database) async throws {
        try await database.schema(DossierModel.schema).deleteField("paused_late").update()
    }
}

struct CreateDossiers: AsyncMigration {
    var name: String { "public-services.002.create-dossiers" }

    func prepare(on database: any Database) async throws {
        try await database.schema(DossierModel.schema)
            .id()
            .field("code", .string, .required)
            .field("procedure_code", .string, .required)
            .field("procedure_name", .string, .required)
            .field("process_id", .string, .required)
            .field("receiving_unit_code", .string, .required)
            .field("receiving_unit_path", .string, .required)
            .field("competent_unit_code", .string, .required)
            .field("competent_unit_path", .string, .required)
            .field("consulted_unit_code", .string)
            .field("consulted_unit_path", .string)
            .field("channel", .string, .required)
            .field("result_delivery", .string, .required)
            .field("inter_level", .bool, .required)
            .field("applicant_id", .uuid)
            .field("applicant_name", .string, .required)
            .field("applicant_id_hash", .string)
            .field("applicant_id_sealed", .string)
            .field("applicant_phone_sealed", .string)
            .field("applicant_email", .string)
            .field("applicant_address", .string)
            .field("form", .string, .required)
            .field("status", .string, .required)
            .field("step_id", .string, .required)
            .field("holder_positions", .string)
            .field("holder_unit_path", .string)
            .field("holder_applicant", .bool, .required)
            .field("assignee_id", .uuid)
            .field("assignee_name", .string)
            .field("state", .string, .required)
            .field("due_at", .datetime)
            .field("step_due_at", .datetime)
            .field("clock_paused", .bool, .required)
            .field("submitted_at", .datetime, .required)
            .field("received_at", .datetime)
            .field("finished_at", .datetime)
            .field("finished_late", .bool)
            .field("fee_amount", .int, .required)
            .field("fee_paid", .bool, .required)
            .field("paid_at", .datetime)
            .field("supplement_requests", .int, .required)
            .field("late_notified", .bool, .required)
            .field("version", .int, .required)
            .field("updated_at", .datetime, .required)
            .unique(on: "code")
            .create()
        let dossiers = DossierModel.schema
        try await database.index(on: dossiers, "holder_unit_path", "due_at")
        try await database.index(on: dossiers, "applicant_id", "submitted_at")
        try await database.index(on: dossiers, "competent_unit_path", "received_at")
        try await database.index(on: dossiers, "receiving_unit_path", "received_at")
        try await database.index(on: dossiers, "competent_unit_path", "due_at")
        try await database.index(on: dossiers, "finished_at")

        try await database.schema(DossierEventModel.schema)
            .id()
            .field("dossier_id", .uuid, .required, .references(DossierModel.schema, "id", onDelete: .cascade))
            .field("seq", .int, .required)
            .field("action_id", .string, .required)
            .field("action_name", .string, .required)
            .field("from_step", .string)
            .field("to_step", .string, .required)
            .field("to_step_name", .string, .required)
            .field("status", .string, .required)
            .field("actor_id", .uuid)
            .field("actor_name", .string, .required)
            .field("actor_unit_code", .string)
            .field("at", .datetime, .required)
            .field("note", .string)
            .field("assignee_name", .string)
            .field("step_on_time", .bool)
            .field("files", .string, .required)
            .unique(on: "dossier_id", "seq")
            .create()
        try await database.index(on: DossierEventModel.schema, "action_id", "at")

        try await database.schema(DossierFileModel.schema)
            .id()
            .field("dossier_id", .uuid, .required, .references(DossierModel.schema, "id", onDelete: .cascade))
            .field("component_id", .string)
            .field("kind", .string, .required)
            .field("name", .string, .required)
            .field("content_type", .string, .required)
            .field("size", .int, .required)
            .field("sha256", .string, .required)
            .field("event_seq", .int, .required)
            .field("created_at", .datetime, .required)
            .create()
        try await database.index(on: DossierFileModel.schema, "dossier_id")
    }

    func revert(on database: any Database) async throws {
        try await database.schema(DossierFileModel.schema).delete()
        try await database.schema(DossierEventModel.schema).delete()
        try await database.schema(DossierModel.schema).delete()
    }
}
