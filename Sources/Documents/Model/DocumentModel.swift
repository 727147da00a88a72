import EGovCore
import EGovPlatform
import Fluent
import Foundation

/// `doc_documents`: one official document, incoming or outgoing, moved through its configured process by the
/// platform's case runtime (the case columns and history are the runtime's; this module adds what a document is).
final class DocumentModel: Model, CaseRecord, @unchecked Sendable {
    static let schema = "doc_documents"
    static var caseKind: String { "document" }
    static var caseNoun: LocalizedText { LocalizedText(vi: "văn bản", en: "document") }
    static var historySchema: String { "doc_document_events" }
    static var historyCaseColumn: String { "document_id" }
    /// An outgoing draft has no legal deadline; the clock is the process's to start (`clock:` on an action).
    static let terms = CaseTerms(workingDays: 5, cutoffHour: nil)

    enum Direction: String, Codable, Sendable { case outgoing, incoming }
    /// How an incoming document came: its sender's edXML (delivered here or imported), paper typed in by hand, or a scan.
    enum Channel: String, Sendable { case electronic, paper, scan }

    @ID(key: .id) var id: UUID?
    @Field(key: "direction") var direction: String
    @Field(key: "process_id") var processID: String
    @Field(key: "type_id") var typeID: String
    @Field(key: "subject") var subject: String
    @OptionalField(key: "body") var body: String?
    @Field(key: "urgency") var urgency: String
    @Field(key: "confidentiality") var confidentiality: String
    /// Unit or organ codes, newline-separated.
    @Field(key: "recipient_codes") var recipientCodes: String
    /// Where it is drafted (the receiving unit of the case) and the body that issues it (the competent unit).
    @Field(key: "drafting_unit_code") var draftingUnitCode: String
    @Field(key: "issuer_code") var issuerCode: String
    @OptionalField(key: "drafter_id") var drafterID: UUID?
    /// Given at issuance: the number in the issuer's outgoing register of the year, and the notation.
    @OptionalField(key: "register_year") var registerYear: Int?
    @OptionalField(key: "number") var number: Int?
    @OptionalField(key: "notation") var notation: String?
    @OptionalField(key: "issued_at") var issuedAt: Date?
    @Field(key: "created_at") var createdAt: Date
    /// An incoming document: the outgoing one it was delivered from (on this installation), who sent it, under
    /// which number and notation, and its number in the receiving unit's incoming register of the year.
    @OptionalField(key: "source_document_id") var sourceDocumentID: UUID?
    @OptionalField(key: "sender_code") var senderCode: String?
    @OptionalField(key: "sender_notation") var senderNotation: String?
    @OptionalField(key: "sender_name") var senderName: String?
    @OptionalField(key: "arrival_number") var arrivalNumber: Int?
    /// The `DocumentId` of the edXML message it came as: a unit receives one message once.
    @OptionalField(key: "edxml_document_id") var edXMLDocumentID: String?
    /// How an incoming document came: `electronic` (delivered here or as edXML) or `paper` (registered by hand).
    @OptionalField(key: "channel") var channel: String?
    /// The day (Vietnam's, `yyyy/MM/dd`) its handler was last reminded of its deadline.
    @OptionalField(key: "reminded_on") var remindedOn: String?
    /// The subject and notations folded for accent-insensitive search (`SearchText`).
    @OptionalField(key: "search_text") var searchText: String?
    /// A digitised paper document (`channel` = `scan`): its OCR's state (`pending`, `running`, `done`, `failed`,
    /// `off`), the recognised text, the mean word confidence (0…1), and when the running OCR started.
    @OptionalField(key: "ocr_status") var ocrStatus: String?
    @OptionalField(key: "ocr_text") var ocrText: String?
    @OptionalField(key: "ocr_confidence") var ocrConfidence: Double?
    @OptionalField(key: "ocr_started_at") var ocrStartedAt: Date?
    /// A recall (thu hồi) the sender asked of this incoming document (`requested`) and the clerk's answer
    /// (`accepted`, `refused`), with the sender's reason: `DocumentRecall`.
    @OptionalField(key: "recall") var recall: String?
    @OptionalField(key: "recall_reason") var recallReason: String?
    /// An update (cập nhật, edXML BussinessDocType 2) the sender asked of this incoming document: the stored
    /// message (its SHA-256) until the clerk agrees, which applies it, or refuses.
    @OptionalField(key: "pending_update") var pendingUpdate: String?
    /// The document this one replaces: an outgoing document of the same issuing body, recalled when this one is
    /// issued; on an incoming document, the earlier copy its sender replaced.
    @OptionalField(key: "replaces_id") var replacesID: UUID?
    /// An issued outgoing document: its edXML message as it went, under the seal (in the content store).
    @OptionalField(key: "edxml_sha256") var edXMLSHA256: String?

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

    /// A new incoming document of `unit`, received and handled there, on `process`, come on `channel`
    /// (`electronic` or `paper`); the caller adds its sender and what it says.
    convenience init(incomingAt unit: UnitModel, process: String, type: String, subject: String, channel: Channel) {
        self.init()
        (id, direction, processID, typeID, self.subject) = (UUID(), Direction.incoming.rawValue, process, type, subject)
        (urgency, confidentiality, recipientCodes) = (DocumentUrgency.normal.rawValue, DocumentConfidentiality.none.rawValue, unit.code)
        (draftingUnitCode, receivingUnitPath, issuerCode, competentUnitPath) = (unit.code, unit.path, unit.code, unit.path)
        self.channel = channel.rawValue
    }

    var caseCode: String { notation ?? id?.uuidString.lowercased() ?? "" }
    /// The drafter, who may follow their draft after it has left their hands.
    var ownerID: UUID? { drafterID }
    /// The sender has asked for a recall or an update: the platform moves the document to its clerk (`recall`,
    /// `update`, by the system).
    var satisfiedConditions: Set<String> {
        var conditions: Set<String> = []
        if recall == DocumentRecall.State.requested.rawValue { conditions.insert(DocumentRecall.condition) }
        if pendingUpdate != nil { conditions.insert(DocumentUpdates.condition) }
        return conditions
    }
    var caseUnits: CaseUnits {
        CaseUnits(receivingCode: draftingUnitCode, receivingPath: receivingUnitPath, competentCode: issuerCode, competentPath: competentUnitPath)
    }

    /// Registering this document now is registering a scan: the clerk types what the paper says (`details`).
    func registersScan(_ actionID: String) -> Bool {
        actionID == DocumentAction.register && channel == Channel.scan.rawValue
    }

    var recipients: [String] { recipientCodes.split(separator: "\n").map(String.init) }

    /// Refreshes `searchText` from what a person searches a document by: its subject, its notations and the text
    /// OCR read from its scan.
    func refreshSearchText() {
        searchText = SearchText.fold([subject, notation ?? "", senderNotation ?? "", ocrText ?? ""].joined(separator: " "))
    }
}
