import EGovPlatform
import Fluent
import FluentSQL
import Foundation

/// Who follows a document beyond the case runtime's reading rule (where they read documents, the step they hold,
/// what they drafted): everyone who took an action on it (a head of division who reviewed a draft follows it to
/// its issuance) and every co-handler and watcher named at its assignment or forwarding. The one home of that rule,
/// for reads and lists.
enum DocumentAccess {
    /// SQL: the document row is followed by `principal`.
    static func followed(by principal: Principal) -> SQLQueryString {
        """
        (id IN (SELECT \(ident: DocumentModel.historyCaseColumn) FROM \(ident: DocumentModel.historySchema) WHERE actor_id = \(bind: principal.id)) \
        OR id IN (SELECT document_id FROM \(ident: ParticipantModel.schema) WHERE user_id = \(bind: principal.id)))
        """
    }

    /// Makes each of `participants` (co-handlers, watchers) follow `document`, in the action's transaction; one
    /// already following keeps the role they had.
    static func follow(_ document: DocumentModel, _ participants: [(user: UUID, role: String)], on tx: any Database) async throws {
        guard !participants.isEmpty else { return }
        let documentID = try document.requireID()
        var following = Set(try await ParticipantModel.query(on: tx).filter(\.$documentID == documentID).all().map(\.userID))
        for (user, role) in participants where following.insert(user).inserted {
            let participant = ParticipantModel()
            (participant.id, participant.documentID, participant.userID, participant.role) = (UUID(), documentID, user, role)
            try await participant.create(on: tx)
        }
    }

    /// Whether `principal` may read `document`.
    static func mayRead(_ principal: Principal, _ document: DocumentModel, on db: any Database) async throws -> Bool {
        if CasePolicy.canRead(principal, document, readPermission: DocumentsModule.read) { return true }
        return try await DocumentModel.query(on: db).filter(\.$id == document.requireID()).filter(case: followed(by: principal)).count() > 0
    }
}

/// Indexes behind `DocumentAccess.followed`: the actors of the history and the co-handlers, by user.
struct AddFollowerIndexes: AsyncMigration {
    var name: String { "documents.011.follower-indexes" }

    func prepare(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("CREATE INDEX IF NOT EXISTS doc_document_events_actor ON \(ident: DocumentModel.historySchema) (actor_id)").run()
        try await sql.raw("CREATE INDEX IF NOT EXISTS doc_participants_user ON \(ident: ParticipantModel.schema) (user_id)").run()
    }

    func revert(on database: any Database) async throws {
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("DROP INDEX IF EXISTS doc_document_events_actor").run()
        try await sql.raw("DROP INDEX IF EXISTS doc_participants_user").run()
    }
}

/// The OCR columns of a digitised document (`ScanIntake`, `DocumentOCR`), one statement each (SQLite adds one column
/// per ALTER TABLE), and the index the OCR job finds waiting scans by.
struct AddOCRColumns: AsyncMigration {
    var name: String { "documents.012.ocr" }

    func prepare(on database: any Database) async throws {
        for (column, type) in [("ocr_status", DatabaseSchema.DataType.string), ("ocr_text", .string), ("ocr_confidence", .double),
                               ("ocr_started_at", .datetime)] {
            try await database.schema(DocumentModel.schema).field(.string(column), type).update()
        }
        guard let sql = database as? any SQLDatabase else { return }
        try await sql.raw("CREATE INDEX IF NOT EXISTS doc_documents_ocr ON \(ident: DocumentModel.schema) (ocr_status)").run()
    }

    func revert(on database: any Database) async throws {
        if let sql = database as? any SQLDatabase { try await sql.raw("DROP INDEX IF EXISTS doc_documents_ocr").run() }
        for column in ["ocr_started_at", "ocr_confidence", "ocr_text", "ocr_status"] {
            try await database.schema(DocumentModel.schema).deleteField(.string(column)).update()
        }
    }
}
