import EGovCore
import EGovPlatform
import Fluent
import Vapor

/// A document as the API shows it: what it is, its number and notation once issued, where it is in its
/// process, and its history.
struct DocumentDTO: Content {
    struct Event: Content {
        let seq: Int
        let action: String
        let actionName: String
        let step: String
        let status: String
        let actor: String
        let at: Date
        @NullEncodable var note: String?
    }

    let id: UUID
    let direction: String
    let type: String
    let typeName: String
    let subject: String
    @NullEncodable var body: String?
    let urgency: String
    let confidentiality: String
    let recipientCodes: [String]
    let draftingUnit: String
    let issuer: String
    @NullEncodable var number: Int?
    @NullEncodable var notation: String?
    let status: String
    let step: String
    let stepName: String
    @NullEncodable var issuedAt: Date?
    let history: [Event]
    /// Every version of every file, the current ones marked.
    let files: [File]
    /// An incoming document: who sent it, under which notation, and its number in the incoming register.
    @NullEncodable var senderCode: String?
    @NullEncodable var senderName: String?
    @NullEncodable var senderNotation: String?
    @NullEncodable var arrivalNumber: Int?
    /// An issued outgoing document: each recipient's latest status.
    let recipients: [Recipient]
    /// A digitised document: its OCR (null for any other).
    @NullEncodable var ocr: OCR?
    /// The document this one replaces; an incoming document its sender asked to recall, and the answer.
    @NullEncodable var replaces: UUID?
    @NullEncodable var recall: Recall?
    /// The co-handlers and watchers an assignment or a forwarding named beside the lead handler.
    let participants: [Participant]

    struct Participant: Content {
        let username: String
        let name: String
        /// `co-handler` or `watcher`.
        let role: String
    }

    struct Recall: Content {
        /// `requested`, `accepted` or `refused`.
        let status: String
        @NullEncodable var reason: String?
    }

    struct OCR: Content {
        /// `pending`, `running`, `done`, `failed` or `off`.
        let status: String
        @NullEncodable var confidence: Double?
        @NullEncodable var text: String?
    }

    struct Recipient: Content {
        let code: String
        let statusCode: String
        let status: String
        let updatedAt: Date
    }

    struct File: Content {
        let id: UUID
        let name: String
        let contentType: String
        let size: Int
        let signed: Bool
        let current: Bool
        @NullEncodable var verificationCode: String?
    }

    static func make(_ document: DocumentModel, on db: any Database) async throws -> DocumentDTO {
        let type = try await DocumentTypeModel.find(document.typeID, on: db)
        let process = try await ProcessStore.process(document.processID, module: DocumentsModule.moduleID, on: db)
        let history = try await CaseHistory.events(of: document, on: db).map {
            Event(seq: $0.seq, action: $0.actionID, actionName: $0.actionName, step: $0.toStep, status: $0.status, actor: $0.actorName,
                  at: $0.at, note: $0.note)
        }
        return DocumentDTO(id: try document.requireID(), direction: document.direction, type: document.typeID, typeName: type?.name ?? document.typeID,
                           subject: document.subject, body: document.body, urgency: document.urgency,
                           confidentiality: document.confidentiality, recipientCodes: document.recipients,
                           draftingUnit: document.draftingUnitCode, issuer: document.issuerCode, number: document.number,
                           notation: document.notation, status: document.status, step: document.stepID,
                           stepName: process?.step(document.stepID)?.name ?? document.stepID, issuedAt: document.issuedAt, history: history,
                           files: try await DocumentFileModel.query(on: db).filter(\.$documentID == document.requireID()).sort(\.$createdAt).all().map {
                               File(id: try $0.requireID(), name: $0.name, contentType: $0.contentType, size: $0.size, signed: $0.signed,
                                    current: $0.current, verificationCode: $0.verificationCode)
                           }, senderCode: document.senderCode, senderName: document.senderName, senderNotation: document.senderNotation, arrivalNumber: document.arrivalNumber,
                           recipients: try await RecipientStatusModel.query(on: db).filter(\.$documentID == document.requireID())
                               .sort(\.$recipientCode).all().map {
                                   Recipient(code: $0.recipientCode, statusCode: $0.statusCode,
                                             status: DocumentDelivery.Status(rawValue: $0.statusCode)?.label.vi ?? $0.statusCode, updatedAt: $0.updatedAt)
                               },
                           ocr: document.ocrStatus.map { OCR(status: $0, confidence: document.ocrConfidence, text: document.ocrText) },
                           replaces: document.replacesID, recall: document.recall.map { Recall(status: $0, reason: document.recallReason) },
                           participants: try await participants(of: document, on: db))
    }

    /// Co-handlers first, then watchers, each by name.
    static func participants(of document: DocumentModel, on db: any Database) async throws -> [Participant] {
        let rows = try await ParticipantModel.query(on: db).filter(\.$documentID == document.requireID()).all()
        guard !rows.isEmpty else { return [] }
        let users = Dictionary(try await UserModel.query(on: db).filter(\.$id ~~ rows.map(\.userID)).all().compactMap { user in user.id.map { ($0, user) } },
                               uniquingKeysWith: { first, _ in first })
        return rows.compactMap { row in
            users[row.userID].map { Participant(username: $0.username, name: $0.fullName, role: row.role) }
        }.sorted { ($0.role == "co-handler" ? 0 : 1, $0.name) < ($1.role == "co-handler" ? 0 : 1, $1.name) }
    }
}
