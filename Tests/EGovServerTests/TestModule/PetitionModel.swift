import EGovCore
import EGovPlatform
import Fluent
import Foundation

/// `tp_petitions`: the test module's case table, with the columns the case runtime keeps.
final class PetitionModel: Model, CaseRecord, @unchecked Sendable {
    static let schema = "tp_petitions"
    static var caseKind: String { "petition" }
    static var caseNoun: LocalizedText { LocalizedText(vi: "kiến nghị", en: "petition") }
    static var historySchema: String { "tp_petition_events" }
    static var historyCaseColumn: String { "petition_id" }
    /// Two working days to answer.
    static let terms = CaseTerms(workingDays: 2, cutoffHour: nil)

    @ID(key: .id) var id: UUID?
    @Field(key: "code") var code: String
    @Field(key: "title") var title: String
    @OptionalField(key: "owner_id") var ownerID: UUID?
    @Field(key: "unit_code") var unitCode: String
    @Field(key: "receiving_unit_path") var receivingUnitPath: String
    @Field(key: "competent_unit_path") var competentUnitPath: String
    @Field(key: "version") var version: Int
    @Field(key: "state") var state: String
    @Field(key: "step_id") var stepID: String
    @Field(key: "status") var status: String
    @OptionalField(key: "holder_positions") var holderPositions: String?
    @OptionalField(key: "holder_unit_path") var holderUnitPath: String?
    @Field(key: "holder_applicant") var holderApplicant: Bool
    @OptionalField(key: "assignee_id") var assigneeID: UUID?
    @OptionalField(key: "assignee_name") var assigneeName: String?
    @OptionalField(key: "due_at") var dueAt: Date?
    @OptionalField(key: "step_due_at") var stepDueAt: Date?
    @Field(key: "clock_paused") var clockPaused: Bool
    @Field(key: "paused_late") var pausedLate: Bool
    @OptionalField(key: "finished_at") var finishedAt: Date?
    @OptionalField(key: "finished_late") var finishedLate: Bool?
    @OptionalField(key: "received_at") var receivedAt: Date?
    @Field(key: "updated_at") var updatedAt: Date

    init() {}

    var caseCode: String { code }
    var satisfiedConditions: Set<String> { [] }
    var caseUnits: CaseUnits {
        CaseUnits(receivingCode: unitCode, receivingPath: receivingUnitPath, competentCode: unitCode, competentPath: competentUnitPath)
    }
}

struct CreatePetitions: AsyncMigration {
    var name: String { "test-petitions.001.create" }

    func prepare(on database: any Database) async throws {
        try await database.schema(PetitionModel.schema).id().field("code", .string, .required).field("title", .string, .required)
            .field("owner_id", .uuid).field("unit_code", .string, .required).caseColumns().unique(on: "code").create()
        try await database.schema(PetitionModel.historySchema)
            .caseHistoryColumns(caseColumn: PetitionModel.historyCaseColumn, caseSchema: PetitionModel.schema).create()
    }

    func revert(on database: any Database) async throws {
        try await database.schema(PetitionModel.historySchema).delete()
        try await database.schema(PetitionModel.schema).delete()
    }
}
