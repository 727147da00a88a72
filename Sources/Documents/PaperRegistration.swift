import EGovCore
import EGovPlatform
import Fluent
import Foundation
import Vapor

/// What a clerk types from a paper document that arrived (`POST /api/v1/documents/incoming`), bounded where read.
struct PaperInput: Content {
    var type: String
    var subject: String
    var senderName: String
    /// The sender's electronic identifier code, when it has one.
    var senderCode: String?
    /// As printed: `15/QĐ-UBND`.
    var senderNotation: String
    /// The document's date, `yyyy-MM-dd`.
    var documentDate: String?
    var urgency: String?
    var confidentiality: String?
    /// The receiving unit, when the clerk registers for more than one.
    var unit: String?
    /// The scan of the paper, and its annexes.
    var attachments: [DraftInput.AttachmentInput]?
}

/// A paper document registered by hand (Decree 30/2020 art. 22): the same incoming document, process and register
/// as one that came electronically. With the sender's code and the document's date it has the `DocumentId` an edXML
/// message of it would have, so its paper copy and its electronic original are registered once between them.
enum PaperRegistration {
    /// What the clerk typed, checked: the one check of a paper document's details, for one registered by hand and
    /// for a digitised one (a scan) at its registration.
    struct Details {
        let type: String
        let subject: String
        let senderName: String
        let senderCode: String?
        let notation: DocumentNotation
        let urgency: DocumentUrgency
        let confidentiality: DocumentConfidentiality
        /// The `DocumentId` its edXML message would have, with the sender's code and the document's date.
        let documentID: String?

        func apply(to document: DocumentModel) {
            (document.typeID, document.subject) = (type, subject)
            (document.urgency, document.confidentiality) = (urgency.rawValue, confidentiality.rawValue)
            (document.senderCode, document.senderName, document.senderNotation) = (senderCode, senderName, notation.text)
            document.edXMLDocumentID = documentID
            document.refreshSearchText()
        }
    }

    static func details(_ input: PaperInput, on db: any Database) async throws -> Details {
        let subject = try DocumentFields.subject(input.subject)
        let senderName = input.senderName.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !senderName.isEmpty, senderName.count <= 300 else {
            throw DocumentFields.invalid("senderName", "Vui lòng ghi cơ quan gửi (tối đa 300 ký tự).", "Please give the sender (at most 300 characters).")
        }
        let senderCode = input.senderCode.flatMap { $0.isEmpty ? nil : $0 }
        if let code = senderCode, !ElectronicCode.isValid(code) {
            throw DocumentFields.invalid("senderCode", "Mã định danh cơ quan gửi không đúng dạng 000.00.00.H99.", "The sender's code is not of the form 000.00.00.H99.")
        }
        guard let notation = DocumentNotation(parsing: input.senderNotation) else {
            throw DocumentFields.invalid("senderNotation", "Số, ký hiệu của văn bản đến phải có dạng 15/QĐ-UBND.", "The number and notation must look like 15/QĐ-UBND.")
        }
        let date = try input.documentDate.flatMap { $0.isEmpty ? nil : $0 }.map { try DocumentFields.day($0, field: "documentDate") }
        let urgency = try DocumentFields.urgency(input.urgency)
        let confidentiality = try DocumentFields.confidentiality(input.confidentiality)
        try await DocumentFields.type(input.type, on: db)
        let documentID = senderCode.flatMap { code in
            date.map { EdXMLReader.documentKey("\(code),\(EdXMLWriter.date($0)),\(notation.text)") }
        }
        return Details(type: input.type, subject: subject, senderName: senderName, senderCode: senderCode, notation: notation,
                       urgency: urgency, confidentiality: confidentiality, documentID: documentID)
    }

    static func register(_ input: PaperInput, by principal: Principal, clientAddress: String?, services: PlatformServices,
                         on db: any Database) async throws -> DocumentModel {
        let details = try await details(input, on: db)
        let unit = try await receivingUnit(input.unit, of: principal, on: db)
        if let documentID = details.documentID, let existing = try await DocumentImport.received(documentID, at: unit.code, on: db) {
            throw DocumentImport.alreadyReceived(existing)
        }
        let process = try await DocumentDrafting.process(DocumentDelivery.incomingProcess, on: db)
        let stored = try DocumentFiles.store((input.attachments ?? []).map {
            DocumentFiles.Incoming(fileName: $0.fileName, contentType: $0.contentType, contentBase64: $0.contentBase64)
        }, limit: services.configuration.maxUploadBytes, files: services.files)

        let incoming = DocumentModel(incomingAt: unit, process: process.id, type: details.type, subject: details.subject, channel: .paper)
        details.apply(to: incoming)
        try await DocumentImport.registerIncoming(incoming, files: stored, actionName: "Vào sổ văn bản đến (bản giấy)", process: process,
                                                  unit: unit, by: principal, clientAddress: clientAddress, services: services, on: db)
        return incoming
    }

    /// The unit the clerk registers for: the one named, where they are its clerk, or the first where they are.
    static func receivingUnit(_ code: String?, of principal: Principal, on db: any Database) async throws -> UnitModel {
        let clerkships = principal.grants.filter { $0.position == .clerk }
        guard !clerkships.isEmpty else { throw EGovError.forbidden }
        if let code {
            guard code.count <= 40, let unit = try await UnitModel.query(on: db).filter(\.$code == code).first(),
                  CasePolicy.holds(principal, .clerk, atOrBelow: unit.path) else {
                throw DocumentFields.invalid("unit", "Bạn không phải văn thư của đơn vị “\(code.prefix(40))”.", "You are not the clerk of unit “\(code.prefix(40))”.")
            }
            return unit
        }
        guard let unit = try await UnitModel.find(clerkships[0].unitID, on: db) else { throw EGovError.forbidden }
        return unit
    }
}
