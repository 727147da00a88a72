import EGovCore
import EGovPlatform
import Fluent
import Foundation

/// Sending an issued document (issue 14 §2, §4): to a unit of this installation it is delivered directly, as an
/// incoming document waiting in that unit's clerk's queue with its files and its edXML message; to any other organ
/// code its edXML message waits in a durable outbox for the integration bus. The sender's document keeps each
/// recipient's latest status, in edXML's status codes.
enum DocumentDelivery {
    static let incomingProcess = "incoming"

    /// edXML status codes (QCVN 102:2016 status messages) this module sets; `queued` marks a message in the outbox.
    enum Status: String {
        case queued, arrived = "01", refused = "02", registered = "03", assigned = "04", inProgress = "05", done = "06"
        case recallRequested = "13", recallAccepted = "15", recallRefused = "16"

        var label: LocalizedText {
            switch self {
            case .queued: LocalizedText(vi: "Chờ gửi qua trục liên thông", en: "Waiting for the integration bus")
            case .arrived: LocalizedText(vi: "Đã đến", en: "Arrived")
            case .refused: LocalizedText(vi: "Bị từ chối tiếp nhận", en: "Refused")
            case .registered: LocalizedText(vi: "Đã vào sổ", en: "Registered")
            case .assigned: LocalizedText(vi: "Đã giao xử lý", en: "Assigned")
            case .inProgress: LocalizedText(vi: "Đang xử lý", en: "In progress")
            case .done: LocalizedText(vi: "Đã xử lý xong", en: "Done")
            case .recallRequested: LocalizedText(vi: "Đã yêu cầu thu hồi", en: "Recall requested")
            case .recallAccepted: LocalizedText(vi: "Đồng ý thu hồi", en: "Recall accepted")
            case .recallRefused: LocalizedText(vi: "Từ chối thu hồi", en: "Recall refused")
            }
        }
    }

    static let notIssued = EGovError.conflict(ValidationError(field: "document", vi: "Văn bản chưa được phát hành nên chưa có gói tin edXML.",
                                                              en: "The document is not issued yet, so it has no edXML message."))

    /// An issued document's identity across agencies (`DocumentId`), the one its edXML message carries.
    static func edXMLDocumentID(of document: DocumentModel) throws -> String {
        guard let text = document.notation, let notation = DocumentNotation(parsing: text), let issuedAt = document.issuedAt else { throw notIssued }
        return EdXMLWriter.documentID(from: document.issuerCode, promulgatedAt: issuedAt, notation: notation)
    }

    /// The edXML message of an issued outgoing document (a replacement names what it replaces); `withFiles`
    /// false leaves the attachments out (a recall).
    static func message(for document: DocumentModel, withFiles: Bool = true, services: PlatformServices,
                        on db: any Database) async throws -> EdXMLWriter.Message {
        guard let text = document.notation, let notation = DocumentNotation(parsing: text), let issuedAt = document.issuedAt else { throw notIssued }
        let codes = [document.issuerCode] + document.recipients
        let names = Dictionary(try await UnitModel.query(on: db).filter(\.$code ~~ codes).all().map { ($0.code, $0.name) },
                               uniquingKeysWith: { first, _ in first })
        let type = try await DocumentTypeModel.find(document.typeID, on: db)
        let signer = try await signers(of: [document], on: db)[try document.requireID()]
        var attachments: [EdXMLWriter.Attachment] = []
        for file in withFiles ? try await DocumentFiles.current(of: document, on: db) : [] {
            attachments.append(EdXMLWriter.Attachment(name: file.name, contentType: file.contentType, data: try services.files.read(sha256: file.sha256)))
        }
        var message = EdXMLWriter.Message(
            from: EdXMLWriter.Organ(code: document.issuerCode, name: names[document.issuerCode] ?? document.issuerCode),
            to: document.recipients.map { EdXMLWriter.Organ(code: $0, name: names[$0] ?? $0) }, notation: notation, promulgatedAt: issuedAt,
            place: names[document.issuerCode] ?? "", typeCode: type?.edXMLType ?? 0, typeName: type?.name ?? document.typeID,
            subject: document.subject, content: document.body, signerName: signer, dueDate: nil,
            urgency: DocumentUrgency(rawValue: document.urgency) ?? .normal, attachments: attachments)
        if let replaced = document.replacesID, let earlier = try await DocumentModel.find(replaced, on: db) {
            message.business = EdXMLWriter.Business(kind: .replacement, reason: "Thay thế văn bản \(earlier.notation ?? "")",
                                                    replaces: [try edXMLDocumentID(of: earlier)])
        }
        return message
    }

    /// Who signed each outgoing document: the last to take its `approve` (the leader, whose approval signs).
    static func signers(of documents: [DocumentModel], on db: any Database) async throws -> [UUID: String] {
        try await CaseHistory.lastActors(of: "approve", on: documents.compactMap(\.id), in: DocumentModel.self, on: db)
    }

    /// Sends `document`, just issued, inside the issuing transaction: nothing is delivered unless it is issued.
    /// The message goes under the issuing body's seal (`sealing`: an enveloped XML signature in its header), and
    /// is kept with the document as it went (`GET …/edxml`).
    static func deliver(_ document: DocumentModel, sealing: ResultSigning?, services: PlatformServices, at now: Date,
                        on tx: any Database) async throws {
        let message = try await message(for: document, services: services, on: tx)
        var xml = EdXMLWriter.write(message, sentAt: now)
        if let sealing { xml = String(decoding: try await sealing.sealXML(Array(xml.utf8), on: tx), as: UTF8.self) }
        let (sha256, _) = try services.files.write(Data(xml.utf8))
        _ = try await FileStore.record(sha256: sha256, size: xml.utf8.count, name: "edxml-\(document.number ?? 0).xml",
                                       contentType: "application/xml", on: tx)
        document.edXMLSHA256 = sha256
        try await document.save(on: tx)
        let documentID = try document.requireID()
        let files = try await DocumentFiles.current(of: document, on: tx)
        for code in document.recipients {
            let status = RecipientStatusModel()
            (status.id, status.documentID, status.recipientCode, status.updatedAt) = (UUID(), documentID, code, now)
            if let unit = try await UnitModel.query(on: tx).filter(\.$code == code).first() {
                let incoming = try await receive(document, at: unit, files: files, edXML: xml, documentID: EdXMLReader.documentKey(message.documentID),
                                                 services: services, at: now, on: tx)
                (status.deliveredID, status.statusCode) = (try incoming.requireID(), Status.arrived.rawValue)
            } else {
                let row = OutboxMessageRow()
                (row.id, row.documentID, row.recipientCode, row.edXML, row.createdAt) = (UUID(), documentID, code, xml, now)
                try await row.create(on: tx)
                status.statusCode = Status.queued.rawValue
            }
            try await status.create(on: tx)
        }
    }

    /// The incoming document `document` becomes at `unit`: at the first step of the incoming process (its clerk
    /// registers it), with the sender's files and the edXML message it came as.
    private static func receive(_ document: DocumentModel, at unit: UnitModel, files: [DocumentFileModel], edXML: String, documentID: String,
                                services: PlatformServices, at now: Date, on tx: any Database) async throws -> DocumentModel {
        let process = try await DocumentDrafting.process(incomingProcess, on: tx)
        let incoming = try copy(of: document, at: unit, process: process, now: now)
        (incoming.senderCode, incoming.senderNotation) = (document.issuerCode, document.notation)
        incoming.edXMLDocumentID = documentID
        // A replacement: the copy of the document it replaces that this unit received.
        if let replaced = document.replacesID {
            incoming.replacesID = try await DocumentModel.query(on: tx).filter(\.$sourceDocumentID == replaced)
                .filter(\.$draftingUnitCode == unit.code).first()?.id
        }
        incoming.senderName = try await UnitModel.query(on: tx).filter(\.$code == document.issuerCode).first()?.name
        let stored = try DocumentFiles.write([("edxml-\(document.number ?? 0).xml", Data(edXML.utf8))], files: services.files)
        try await open(incoming, at: unit, files: files, also: stored, actionName: "Nhận văn bản điện tử",
                       summary: "\(document.notation ?? "") \(document.issuerCode)", process: process, services: services, at: now, on: tx)
        return incoming
    }

    /// The copy of `document` that arrives at `unit`, dated `now`: its type, subject, content, urgency and
    /// confidentiality, and where it came from (`sourceDocumentID`, through which its statuses go back).
    private static func copy(of document: DocumentModel, at unit: UnitModel, process: ProcessDefinition, now: Date) throws -> DocumentModel {
        let copy = DocumentModel(incomingAt: unit, process: process.id, type: document.typeID, subject: document.subject, channel: .electronic)
        (copy.body, copy.urgency, copy.confidentiality) = (document.body, document.urgency, document.confidentiality)
        (copy.sourceDocumentID, copy.createdAt) = (try document.requireID(), now)
        return copy
    }

    /// Opens `incoming` at `unit`, at the first step of the incoming process (its clerk registers it), with `files`
    /// (kept, not copied) and the files `also` just written: the one home of a copy arriving by the platform.
    private static func open(_ incoming: DocumentModel, at unit: UnitModel, files: [DocumentFileModel], also: [DocumentFiles.Stored],
                             actionName: String, summary: String, process: ProcessDefinition, services: PlatformServices, at now: Date,
                             on tx: any Database) async throws {
        incoming.refreshSearchText()
        let runtime = try await DocumentHooks.runtime(services: services, on: tx)
        let stored = files.map {
            DocumentFiles.Stored(name: $0.name, contentType: $0.contentType, size: $0.size, sha256: $0.sha256, created: false,
                                 verificationCode: nil, signed: $0.signed)
        } + also
        let event = try await runtime.open(incoming, in: process, actionID: "receive", actionName: actionName, by: .system,
                                           files: stored.map(\.name), auditUnitCode: unit.code, auditSummary: summary, on: tx)
        try await DocumentFiles.record(stored, on: incoming, seq: event.seq, at: now, on: tx)
    }

    /// The bodies of this installation that receive documents in their own name (`issuers.yaml`, `issues: true`).
    static func receivingBodies(on db: any Database) async throws -> [UnitModel] {
        let codes = try await IssuerModel.query(on: db).filter(\.$issues == true).all().compactMap(\.id)
        return try await UnitModel.query(on: db).filter(\.$code ~~ codes).sort(\.$sortOrder).all()
    }

    /// Sends the incoming `document` on to other bodies of this installation (`send-on`), inside its action's
    /// transaction: each gets its own incoming copy at registration, with the document's current files and its
    /// sender, number and notation as they came; the document lists them as its recipients, and each copy's
    /// statuses come back to it (`report`), as an issued document's do.
    static func sendOn(_ document: DocumentModel, to units: [UnitModel], services: PlatformServices, at now: Date,
                       on tx: any Database) async throws {
        let process = try await DocumentDrafting.process(incomingProcess, on: tx)
        let files = try await DocumentFiles.current(of: document, on: tx)
        let documentID = try document.requireID()
        let from = try await UnitModel.query(on: tx).filter(\.$code == document.draftingUnitCode).first()?.name ?? document.draftingUnitCode
        document.recipientCodes = (document.recipients + units.map(\.code)).joined(separator: "\n")
        try await document.save(on: tx)
        for unit in units {
            let arriving = try copy(of: document, at: unit, process: process, now: now)
            arriving.channel = document.channel
            (arriving.senderCode, arriving.senderName, arriving.senderNotation) = (document.senderCode, document.senderName, document.senderNotation)
            arriving.edXMLDocumentID = document.edXMLDocumentID
            try await open(arriving, at: unit, files: files, also: [], actionName: "Nhận văn bản do \(from) chuyển đến",
                           summary: "\(document.senderNotation ?? "") \(document.draftingUnitCode)", process: process, services: services,
                           at: now, on: tx)
            let status = RecipientStatusModel()
            (status.id, status.documentID, status.recipientCode, status.updatedAt) = (UUID(), documentID, unit.code, now)
            (status.deliveredID, status.statusCode) = (try arriving.requireID(), Status.arrived.rawValue)
            try await status.create(on: tx)
        }
    }

    /// Asks every recipient of the issued `document` that has not refused it to take a recall or an update, which it
    /// hears as 13: its copy here through `local` (given nil when the copy is gone; false leaves the recipient's
    /// status as it was), an organ elsewhere by the edXML `message` (written once, when first needed) in the status
    /// outbox. The one home of that round, for `DocumentRecall.send` and `DocumentUpdates.send`.
    static func askRecipients(of document: DocumentModel, at now: Date, message: () async throws -> String,
                              local: (DocumentModel?) async throws -> Bool, on tx: any Database) async throws {
        var xml: String?
        for status in try await RecipientStatusModel.query(on: tx).filter(\.$documentID == document.requireID()).all()
        where status.statusCode != Status.refused.rawValue {
            if let delivered = status.deliveredID {
                guard try await local(try await DocumentModel.find(delivered, on: tx)) else { continue }
            } else {
                if xml == nil { xml = try await message() }
                let row = StatusMessageRow()
                (row.id, row.documentID, row.recipientCode, row.createdAt) = (UUID(), try document.requireID(), status.recipientCode, now)
                (row.statusCode, row.edXML) = (Status.recallRequested.rawValue, xml ?? "")
                try await row.create(on: tx)
            }
            (status.statusCode, status.updatedAt) = (Status.recallRequested.rawValue, now)
            try await status.save(on: tx)
        }
    }

    /// Tells the sender the incoming document's new status: on this installation, on the sender's document; for
    /// a sender elsewhere, as an edXML status message in the outbox for the bus.
    static func report(_ incoming: DocumentModel, _ status: Status, event: CaseEvent, description: String? = nil,
                       on tx: any Database) async throws {
        if let source = incoming.sourceDocumentID {
            try await RecipientStatusModel.query(on: tx)
                .set(\.$statusCode, to: status.rawValue).set(\.$updatedAt, to: event.at)
                .filter(\.$documentID == source).filter(\.$recipientCode == incoming.draftingUnitCode)
                .update()
            return
        }
        guard let documentID = incoming.edXMLDocumentID, let sender = incoming.senderCode, ElectronicCode.isValid(sender) else { return }
        let unitName = try await UnitModel.query(on: tx).filter(\.$code == incoming.draftingUnitCode).first()?.name ?? incoming.draftingUnitCode
        let row = StatusMessageRow()
        (row.id, row.documentID, row.recipientCode, row.statusCode, row.createdAt) = (UUID(), try incoming.requireID(), sender, status.rawValue, event.at)
        row.edXML = EdXMLWriter.write(EdXMLWriter.StatusMessage(
            to: sender, documentID: documentID, notation: incoming.senderNotation,
            from: EdXMLWriter.Organ(code: incoming.draftingUnitCode, name: unitName), statusCode: status.rawValue,
            description: description ?? status.label.vi, staff: event.actorName), at: event.at)
        try await row.create(on: tx)
    }
}
