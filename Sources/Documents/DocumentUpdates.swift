import EGovCore
import EGovPlatform
import Fluent
import Foundation

/// Updates (cập nhật) of an incoming document by its sender elsewhere (edXML `BussinessDocType` 2, issue 14 §10), in
/// the status codes recalls use: the update message is kept and the unit's copy goes to its clerk (the process's
/// `update`, taken by the platform), who agrees (15: the copy's subject, content, urgency, type and files become
/// the message's; the earlier files stay as versions) or refuses with a reason (16); either way it goes back where
/// it was.
enum DocumentUpdates {
    /// The precondition of the incoming process's automatic `update`: an update waits for the clerk's answer.
    static let condition = "update-requested"

    /// An update message for a document the unit received. Its attachments are checked as a new message's are;
    /// nothing changes when it cannot be taken: 400 when the unit never received the document, 409 when the copy
    /// was refused or recalled, or already waits for an answer to a recall or an update.
    static func request(_ message: EdXMLReader.Message, edXML data: Data, at unit: UnitModel, services: PlatformServices,
                        on db: any Database) async throws -> DocumentModel {
        guard let copy = try await DocumentImport.received(EdXMLReader.documentKey(message.documentID), at: unit.code, on: db) else {
            throw DocumentImport.refused(LocalizedText(vi: "Đơn vị chưa nhận văn bản mà gói tin yêu cầu cập nhật (DocumentId).",
                                                       en: "This unit never received the document the message updates (DocumentId)."))
        }
        // The attachments are checked now, so the clerk's agreement cannot fail on them later.
        let checked = try DocumentImport.store(message, edXML: data, files: services.files)
        let (sha256, _) = try services.files.write(data)
        let reason = message.business.reason.isEmpty ? "Nơi gửi cập nhật văn bản" : message.business.reason
        let asked = try await db.transaction { tx -> Bool in
            try await CaseRuntime<DocumentHooks>.lock(copy, on: tx)
            let process = try await DocumentDrafting.process(copy.processID, on: tx)
            guard copy.pendingUpdate == nil, copy.recall != DocumentRecall.State.requested.rawValue,
                  let action = ProcessEngine.automaticAction(in: process, state: try copy.caseState(), satisfied: [condition]) else { return false }
            _ = try await FileStore.record(sha256: sha256, size: data.count, name: "edxml-cap-nhat-\(message.notation.number).xml",
                                           contentType: "application/xml", on: tx)
            copy.pendingUpdate = sha256
            let note = String(reason.prefix(CaseHistory.maxNote))
            try await DocumentHooks.runtime(services: services, on: tx).apply(action, to: copy, definition: process, terms: DocumentModel.terms,
                                                                              by: .system, note: note, assignee: nil, on: tx)
            return true
        }
        // Only the message is kept (recorded when the update is taken): the attachments are read again from it when
        // the clerk agrees, and whatever no row names is removed.
        await services.files.discard(checked.filter(\.created).map(\.sha256), on: db)
        guard asked else {
            throw EGovError.conflict(ValidationError(field: "edxml",
                vi: "Văn bản đã bị từ chối, đã được thu hồi hoặc đang chờ xem xét thu hồi, cập nhật; không có gì thay đổi.",
                en: "The document was refused or recalled, or already waits for a recall or an update to be reviewed; nothing changed."))
        }
        return copy
    }

    /// The clerk's answer, in the answering action's transaction: agreed, the kept message's subject, content,
    /// urgency, type and files become the copy's (its current files before stay as versions); either way the
    /// update is no longer pending and the sender hears 15 or 16.
    static func answer(_ copy: DocumentModel, accepted: Bool, event: CaseEvent, services: PlatformServices, on tx: any Database) async throws {
        guard let sha256 = copy.pendingUpdate else { return }
        if accepted {
            let data = try services.files.read(sha256: sha256)
            let message: EdXMLReader.Message
            do {
                message = try EdXMLReader.read(data, maxAttachmentBytes: services.configuration.maxUploadBytes)
            } catch {
                throw DocumentImport.refused(error.reason)
            }
            (copy.subject, copy.body) = (message.subject, message.content ?? copy.body)
            copy.urgency = (message.priority.flatMap(DocumentUrgency.init(edXMLPriority:)) ?? .normal).rawValue
            copy.typeID = try await DocumentImport.documentType(code: message.typeCode, name: message.typeName, on: tx)
            copy.refreshSearchText()
            let stored = try DocumentImport.store(message, edXML: data, files: services.files)
            try await DocumentFiles.record(stored, replacing: try await DocumentFiles.current(of: copy, on: tx), on: copy, seq: event.seq,
                                           at: event.at, on: tx)
        }
        copy.pendingUpdate = nil
        try await copy.save(on: tx)
        try await DocumentDelivery.report(copy, accepted ? .recallAccepted : .recallRefused, event: event,
                                          description: accepted ? "Đồng ý cập nhật" : "Từ chối cập nhật", on: tx)
    }
}
