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
    static func invalid(_ field: String, _ vi: String, _ en: String) -> EGovError {
        .validation([ValidationError(field: field, vi: vi, en: en)])
    }

    static func register(_ input: PaperInput, by principal: Principal, clientAddress: String?, services: PlatformServices,
                         on db: any Database) async throws -> DocumentModel {
        let subject = input.subject.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !subject.isEmpty, subject.count <= DraftInput.maxSubject else {
            throw invalid("subject", "Trích yếu không được để trống và dài tối đa \(DraftInput.maxSubject) ký tự.",
                          "The subject must be 1 to \(DraftInput.maxSubject) characters.")
        }
        let senderName = input.senderName.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !senderName.isEmpty, senderName.count <= 300 else {
            throw invalid("senderName", "Vui lòng ghi cơ quan gửi (tối đa 300 ký tự).", "Please give the sender (at most 300 characters).")
        }
        if let code = input.senderCode, !ElectronicCode.isValid(code) {
            throw invalid("senderCode", "Mã định danh cơ quan gửi không đúng dạng 000.00.00.H99.", "The sender's code is not of the form 000.00.00.H99.")
        }
        guard let notation = DocumentNotation(parsing: input.senderNotation) else {
            throw invalid("senderNotation", "Số, ký hiệu của văn bản đến phải có dạng 15/QĐ-UBND.", "The number and notation must look like 15/QĐ-UBND.")
        }
        var date: CivilDate?
        if let raw = input.documentDate {
            let parts = raw.split(separator: "-").compactMap { Int($0) }
            guard raw.count == 10, parts.count == 3, (2000...2100).contains(parts[0]),
                  let day = CivilDate(year: parts[0], month: parts[1], day: parts[2]) else {
                throw invalid("documentDate", "Ngày văn bản không hợp lệ (dạng 2026-10-05).", "The document's date is invalid (like 2026-10-05).")
            }
            date = day
        }
        guard let urgency = DocumentUrgency(rawValue: input.urgency ?? DocumentUrgency.normal.rawValue) else {
            throw invalid("urgency", "Độ khẩn là normal, khan, thuong-khan hoặc hoa-toc.", "Urgency is normal, khan, thuong-khan or hoa-toc.")
        }
        guard let confidentiality = DocumentConfidentiality(rawValue: input.confidentiality ?? DocumentConfidentiality.none.rawValue) else {
            throw invalid("confidentiality", "Độ mật là none, mat, toi-mat hoặc tuyet-mat.", "Confidentiality is none, mat, toi-mat or tuyet-mat.")
        }
        guard input.type.count <= 40, try await DocumentTypeModel.find(input.type, on: db) != nil else {
            throw invalid("type", "Loại văn bản không có trong danh mục (GET /api/v1/document-types).", "Unknown document type (see GET /api/v1/document-types).")
        }
        let unit = try await receivingUnit(input.unit, of: principal, on: db)
        let documentID = input.senderCode.flatMap { code in
            date.map { EdXMLReader.documentKey("\(code),\(String(format: "%04d/%02d/%02d", $0.year, $0.month, $0.day)),\(notation.text)") }
        }
        if let documentID, let existing = try await DocumentImport.received(documentID, at: unit.code, on: db) {
            throw DocumentImport.alreadyReceived(existing)
        }
        guard let process = try await ProcessStore.process(DocumentDelivery.incomingProcess, module: DocumentsModule.moduleID, on: db) else {
            throw EGovError.unavailable(LocalizedText(vi: "Địa phương chưa cấu hình quy trình văn bản đến.", en: "No incoming document process is configured."))
        }
        let stored = try DocumentFiles.store((input.attachments ?? []).map {
            DocumentFiles.Incoming(fileName: $0.fileName, contentType: $0.contentType, contentBase64: $0.contentBase64)
        }, limit: services.configuration.maxUploadBytes, files: services.files)

        let incoming = DocumentModel()
        incoming.id = UUID()
        (incoming.direction, incoming.processID, incoming.typeID) = (DocumentModel.Direction.incoming.rawValue, process.id, input.type)
        (incoming.subject, incoming.urgency, incoming.confidentiality) = (subject, urgency.rawValue, confidentiality.rawValue)
        incoming.recipientCodes = unit.code
        (incoming.draftingUnitCode, incoming.receivingUnitPath, incoming.issuerCode, incoming.competentUnitPath) = (unit.code, unit.path, unit.code, unit.path)
        (incoming.senderCode, incoming.senderName, incoming.senderNotation) = (input.senderCode, senderName, notation.text)
        incoming.edXMLDocumentID = documentID
        incoming.channel = "paper"
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
                throw invalid("unit", "Bạn không phải văn thư của đơn vị “\(code.prefix(40))”.", "You are not the clerk of unit “\(code.prefix(40))”.")
            }
            return unit
        }
        guard let unit = try await UnitModel.find(clerkships[0].unitID, on: db) else { throw EGovError.forbidden }
        return unit
    }
}
