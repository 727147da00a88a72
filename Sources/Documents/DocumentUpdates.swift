import EGovCore
import EGovPlatform
import Fluent
import Foundation

/// Updates (cập nhật) of an issued document (edXML `BussinessDocType` 2, issue 14 §10), in the status codes recalls
/// use: the issuing body changes its subject or content and its recipients hear 13 (`send`); a copy received here,
/// from this installation or elsewhere, keeps the update message and goes to its clerk (the process's
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
            _ = try await FileStore.record(sha256: sha256, size: data.count, name: messageName(message.notation.number),
                                           contentType: "application/xml", on: tx)
            return try await ask(copy, message: sha256, reason: reason, services: services, on: tx)
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

    /// Asks the unit holding `copy` to agree to the update kept as `message` (a stored edXML message), inside a
    /// transaction: the platform moves it to the unit's clerk, the reason in its history. A copy refused, recalled
    /// or already asked stays as it is (false).
    static func ask(_ copy: DocumentModel, message sha256: String, reason: String, services: PlatformServices,
                    on tx: any Database) async throws -> Bool {
        try await CaseRuntime<DocumentHooks>.lock(copy, on: tx)
        let process = try await DocumentDrafting.process(copy.processID, on: tx)
        guard copy.pendingUpdate == nil, copy.recall != DocumentRecall.State.requested.rawValue,
              let action = ProcessEngine.automaticAction(in: process, state: try copy.caseState(), satisfied: [condition]) else { return false }
        copy.pendingUpdate = sha256
        let note = String(reason.prefix(CaseHistory.maxNote))
        try await DocumentHooks.runtime(services: services, on: tx).apply(action, to: copy, definition: process, terms: DocumentModel.terms,
                                                                          by: .system, note: note.isEmpty ? nil : note, assignee: nil, on: tx)
        return true
    }

    /// The name an update message is kept under.
    static func messageName(_ number: Int) -> String { "edxml-cap-nhat-\(number).xml" }

    /// The issuing body updates its issued `document` (the outgoing process's `update`, in its transaction): the new
    /// subject or content here, then an update message (edXML `BussinessDocType` 2, without files) to every
    /// recipient that has not refused it or had it recalled, who hears 13: a copy on this installation goes to its
    /// clerk to agree or refuse; for an organ elsewhere the message waits in the status outbox for the bus.
    static func send(_ document: DocumentModel, changes: DocumentChanges, reason: String, services: PlatformServices, at now: Date,
                     on tx: any Database) async throws {
        if let subject = changes.subject { document.subject = subject }
        if let body = changes.body { document.body = body }
        document.refreshSearchText()
        try await document.save(on: tx)
        var message = try await DocumentDelivery.message(for: document, withFiles: false, services: services, on: tx)
        message.business = EdXMLWriter.Business(kind: .update, reason: reason)
        let xml = EdXMLWriter.write(message, sentAt: now)
        let (sha256, _) = try services.files.write(Data(xml.utf8))
        _ = try await FileStore.record(sha256: sha256, size: xml.utf8.count, name: messageName(document.number ?? 0),
                                       contentType: "application/xml", on: tx)
        try await DocumentDelivery.askRecipients(of: document, at: now, message: { xml }, local: { copy in
            guard let copy else { return false }
            return try await ask(copy, message: sha256, reason: reason, services: services, on: tx)
        }, on: tx)
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
            try await DocumentImport.describe(copy, from: message, on: tx)
            copy.refreshSearchText()
            // New files replace the current ones; an update without files keeps them, only its message replacing the
            // message before.
            let stored = try DocumentImport.store(message, edXML: data, files: services.files)
            let current = try await DocumentFiles.current(of: copy, on: tx)
            let replaced = message.attachments.isEmpty ? current.filter { $0.name.hasPrefix("edxml-") && $0.name.hasSuffix(".xml") } : current
            try await DocumentFiles.record(stored, replacing: replaced, on: copy, seq: event.seq, at: event.at, on: tx)
        }
        copy.pendingUpdate = nil
        try await copy.save(on: tx)
        try await DocumentDelivery.report(copy, accepted ? .recallAccepted : .recallRefused, event: event,
                                          description: accepted ? "Đồng ý cập nhật" : "Từ chối cập nhật", on: tx)
    }
}
