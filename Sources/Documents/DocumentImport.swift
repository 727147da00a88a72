import EGovCore
import EGovPlatform
import Fluent
import Foundation
import SQLKit

/// An edXML message from another agency registered in one click (issue 14 §1, §4): read and checked
/// (`EdXMLReader`), refused with its reason and nothing stored when it cannot be, and otherwise an incoming
/// document of the caller's unit, registered at once with its arrival number, nothing retyped. A message whose
/// `DocumentId` the unit has already received — delivered here, imported before, or by the bus — is refused.
enum DocumentImport {
    static func refused(_ reason: LocalizedText) -> EGovError {
        .validation([ValidationError(field: "edxml", vi: reason.vi, en: reason.en)])
    }

    static func alreadyReceived(_ existing: DocumentModel) -> EGovError {
        .conflict(ValidationError(field: "edxml",
            vi: "Đơn vị đã nhận văn bản này (số đến \(existing.arrivalNumber.map(String.init) ?? "chưa vào sổ")); không vào sổ lần nữa.",
            en: "This unit has already received this document (arrival number \(existing.arrivalNumber.map(String.init) ?? "not yet registered")); nothing new was registered."))
    }

    /// Registers the message as an incoming document of the caller's unit (`created`); for a recall or an update,
    /// asks the unit's clerk to agree to it (`DocumentRecall`, `DocumentUpdates`), and for a status message records it on the document
    /// sent from here (`DocumentStatusReports`): `created` false, nothing new is registered.
    static func register(_ data: Data, by principal: Principal, clientAddress: String?, services: PlatformServices,
                         on db: any Database) async throws -> (document: DocumentModel, created: Bool) {
        let message: EdXMLReader.Message
        do {
            switch try EdXMLReader.readAny(data, maxAttachmentBytes: services.configuration.maxUploadBytes) {
            case .document(let read): message = read
            case .status(let report):
                // A status message about a document sent from here: nothing is registered (`created` false).
                return (try await DocumentStatusReports.apply(report, by: principal, now: services.clock.now(), on: db), false)
            }
        } catch let error as EdXMLReader.Refusal {
            throw refused(error.reason)
        }
        // The recipient: a unit named in To where the caller is its clerk.
        let units = try await UnitModel.query(on: db).filter(\.$code ~~ Array(Set(message.toCodes))).all()
        guard !units.isEmpty else {
            throw refused(LocalizedText(vi: "Gói tin không gửi cho đơn vị nào của hệ thống này (To/OrganId).",
                                        en: "The message is not addressed to any unit of this installation (To/OrganId)."))
        }
        guard let unit = units.sorted(by: { $0.path.count > $1.path.count }).first(where: { CasePolicy.holds(principal, .clerk, atOrBelow: $0.path) }) else {
            throw EGovError.forbiddenBecause(LocalizedText(vi: "Gói tin không gửi cho đơn vị mà bạn làm văn thư.",
                                                           en: "The message is not addressed to a unit you are the clerk of."))
        }
        let key = EdXMLReader.documentKey(message.documentID)
        switch message.business.kind {
        case .recall:
            return (try await recall(key, reason: message.business.reason, at: unit, services: services, on: db), false)
        case .update:
            return (try await DocumentUpdates.request(message, edXML: data, at: unit, services: services, on: db), false)
        case .new, .replacement:
            break
        }
        if let existing = try await received(key, at: unit.code, on: db) { throw alreadyReceived(existing) }
        let process = try await DocumentDrafting.process(DocumentDelivery.incomingProcess, on: db)
        let incoming = DocumentModel(incomingAt: unit, process: process.id, type: "", subject: message.subject, channel: .electronic)
        try await describe(incoming, from: message, on: db)
        let stored = try store(message, edXML: data, files: services.files)
        (incoming.senderCode, incoming.senderNotation, incoming.edXMLDocumentID) = (message.fromCode, message.notation.text, key)
        incoming.senderName = message.fromName
        // A replacement: the unit's copy of each document it replaces is asked to be recalled, in the same transaction.
        var earlierCopies: [DocumentModel] = []
        for documentID in message.business.replaces {
            if let earlier = try await received(EdXMLReader.documentKey(documentID), at: unit.code, on: db) { earlierCopies.append(earlier) }
        }
        let replaced = earlierCopies
        incoming.replacesID = replaced.first?.id
        let reason = DocumentRecall.replacedReason(by: message.notation.text)
        try await registerIncoming(incoming, files: stored, actionName: "Nhận văn bản điện tử (edXML)", process: process, unit: unit,
                                   by: principal, clientAddress: clientAddress, services: services, on: db) { tx in
            for earlier in replaced { try await DocumentRecall.request(earlier, reason: reason, services: services, on: tx) }
        }
        return (incoming, true)
    }

    /// A recall message: the unit's copy of the document goes to its clerk to agree or refuse (`DocumentRecall`).
    /// Nothing is registered; a document the unit never received, or one already refused or recalled, is refused.
    static func recall(_ documentID: String, reason: String, at unit: UnitModel, services: PlatformServices,
                       on db: any Database) async throws -> DocumentModel {
        guard let existing = try await received(documentID, at: unit.code, on: db) else {
            throw refused(LocalizedText(vi: "Đơn vị chưa nhận văn bản mà gói tin yêu cầu thu hồi (DocumentId).",
                                        en: "This unit never received the document the message recalls (DocumentId)."))
        }
        let asked = try await db.transaction { tx in
            try await DocumentRecall.request(existing, reason: reason.isEmpty ? "Nơi gửi thu hồi văn bản" : reason, services: services, on: tx)
        }
        guard asked else {
            throw EGovError.conflict(ValidationError(field: "edxml",
                vi: "Văn bản đã bị từ chối, đã được thu hồi hoặc đang chờ xem xét thu hồi; không có gì thay đổi.",
                en: "The document was refused, is already recalled or already waits for its recall to be reviewed; nothing changed."))
        }
        return existing
    }

    /// Opens `incoming` at `unit` and registers it at once (its arrival number), in one transaction, with its
    /// `files`: the one home of an incoming document's registration by hand or from edXML. A document the unit
    /// has already received under the same `DocumentId` registers nothing (409).
    static func registerIncoming(_ incoming: DocumentModel, files stored: [DocumentFiles.Stored], actionName: String, process: ProcessDefinition,
                                 unit: UnitModel, by principal: Principal, clientAddress: String?, services: PlatformServices,
                                 on db: any Database, also: @escaping @Sendable (any Database) async throws -> Void = { _ in }) async throws {
        let runtime = try await DocumentHooks.runtime(services: services, on: db)
        incoming.createdAt = runtime.now
        incoming.refreshSearchText()
        let party = ActingParty(principal: principal, clientAddress: clientAddress)
        do {
            try await db.transaction { tx in
                let event = try await runtime.open(incoming, in: process, actionID: "receive", actionName: actionName, by: party,
                                                   files: stored.map(\.name), auditUnitCode: unit.code,
                                                   auditSummary: "\(incoming.senderNotation ?? "") \(incoming.senderCode ?? "")", on: tx)
                try await DocumentFiles.record(stored, on: incoming, seq: event.seq, at: runtime.now, on: tx)
                // An electronic sender hears first that its message arrived (01), then that it is registered (03).
                if incoming.channel == DocumentModel.Channel.electronic.rawValue { try await DocumentDelivery.report(incoming, .arrived, event: event, on: tx) }
                let register = try runtime.check(DocumentAction.register, by: principal, note: nil, on: incoming, definition: process)
                try await runtime.apply(register, to: incoming, definition: process, terms: DocumentModel.terms, by: party, note: nil,
                                        assignee: nil, on: tx)
                try await also(tx)
            }
        } catch {
            await services.files.discard(stored.filter(\.created).map(\.sha256), on: db)
            // Two clerks registering the same document at once: the unique index lets one through.
            if let documentID = incoming.edXMLDocumentID, let existing = try await received(documentID, at: unit.code, on: db) {
                throw alreadyReceived(existing)
            }
            throw error
        }
    }

    /// The incoming document of `unit` that came as the message `documentID`, if any.
    static func received(_ documentID: String, at unit: String, on db: any Database) async throws -> DocumentModel? {
        try await DocumentModel.query(on: db).filter(\.$draftingUnitCode == unit).filter(\.$edXMLDocumentID == documentID).first()
    }

    /// What the message says of its document: its type, subject, content and urgency (a message without content
    /// leaves the content as it was). The one home of that reading, for a new document and an update.
    static func describe(_ document: DocumentModel, from message: EdXMLReader.Message, on db: any Database) async throws {
        document.typeID = try await documentType(code: message.typeCode, name: message.typeName, on: db)
        (document.subject, document.body) = (message.subject, message.content ?? document.body)
        document.urgency = (message.priority.flatMap(DocumentUrgency.init(edXMLPriority:)) ?? .normal).rawValue
    }

    /// The type the message names: by its edXML code when one type has it, else by name, else công văn.
    static func documentType(code: Int?, name: String?, on db: any Database) async throws -> String {
        let types = try await DocumentTypeModel.query(on: db).all()
        if let code, code != 0 {
            let matching = types.filter { $0.edXMLType == code }
            if matching.count == 1, let id = matching[0].id { return id }
        }
        if let name {
            let folded = SearchText.fold(name)
            if let id = types.first(where: { SearchText.fold($0.name) == folded })?.id { return id }
        }
        return types.first { $0.id == "cong-van" }?.id ?? types.first?.id ?? "cong-van"
    }

    /// The attachments checked as a draft's are (`DocumentFiles.typeProblem`) and stored, with the message itself;
    /// nothing is stored when one is refused.
    static func store(_ message: EdXMLReader.Message, edXML: Data, files: FileStore) throws -> [DocumentFiles.Stored] {
        let problems = message.attachments.enumerated().compactMap { index, attachment -> ValidationError? in
            let field = "edxml.attachments[\(index)]"
            guard FileTypes.isValidName(attachment.name) else {
                return ValidationError(field: field, vi: "Tên tệp “\(attachment.name.prefix(100))” không hợp lệ.",
                                       en: "Invalid file name “\(attachment.name.prefix(100))”.")
            }
            return DocumentFiles.typeProblem(name: attachment.name, data: attachment.data).map { ValidationError(field: field, vi: $0.vi, en: $0.en) }
        }
        guard problems.isEmpty else { throw EGovError.validation(problems) }
        return try DocumentFiles.write(message.attachments.map { ($0.name, $0.data) } + [("edxml-\(message.notation.number).xml", edXML)],
                                       files: files)
    }
}
