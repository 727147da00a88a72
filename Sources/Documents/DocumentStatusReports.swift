import EGovCore
import EGovPlatform
import Fluent
import Foundation

/// Status messages from organs elsewhere (edXML, QCVN 102:2016 codes 01–06, 15, 16) about a document this
/// installation issued to them: each becomes that recipient's latest status on the sender's document, as a unit
/// here reports its own through `DocumentDelivery.report`. The message comes in where edXML messages come in
/// (`POST /api/v1/documents/incoming/edxml`), brought by the issuing body's clerk or, later, the integration bus.
enum DocumentStatusReports {
    /// Records `report` on the outgoing document it names. The caller must be a clerk of the issuing body; the
    /// document must have been sent to the reporting organ, which is not a unit of this installation. A report
    /// older than the status already recorded changes nothing (messages may arrive out of order).
    static func apply(_ report: EdXMLReader.StatusReport, by principal: Principal, now: Date, on db: any Database) async throws -> DocumentModel {
        let key = EdXMLReader.documentKey(report.documentID)
        guard let parts = EdXMLReader.documentIDParts(report.documentID), ElectronicCode.isValid(parts.organ) else {
            throw DocumentImport.refused(LocalizedText(vi: "Mã văn bản (ResponseFor/DocumentId) không đúng dạng Mã cơ quan,yyyy/MM/dd,Số/Ký hiệu.",
                                                       en: "The DocumentId (ResponseFor/DocumentId) is not OrganId,yyyy/MM/dd,Number/Notation."))
        }
        let candidates = try await DocumentModel.query(on: db).filter(\.$direction == DocumentModel.Direction.outgoing.rawValue)
            .filter(\.$issuerCode == parts.organ).filter(\.$number == parts.notation.number).range(0..<50).all()
        guard let document = candidates.first(where: { (try? DocumentDelivery.edXMLDocumentID(of: $0)).map(EdXMLReader.documentKey) == key }) else {
            throw DocumentImport.refused(LocalizedText(vi: "Hệ thống không phát hành văn bản mà gói tin trạng thái nói đến (ResponseFor/DocumentId).",
                                                       en: "This installation issued no document with the DocumentId the status message names (ResponseFor/DocumentId)."))
        }
        guard let issuer = try await UnitModel.query(on: db).filter(\.$code == document.issuerCode).first(),
              CasePolicy.holds(principal, .clerk, atOrBelow: issuer.path) else {
            throw EGovError.forbiddenBecause(LocalizedText(vi: "Chỉ văn thư của cơ quan ban hành nhận trạng thái của văn bản đã gửi.",
                                                           en: "Only a clerk of the issuing body receives the statuses of the documents it sent."))
        }
        guard let recipient = try await RecipientStatusModel.query(on: db).filter(\.$documentID == document.requireID())
            .filter(\.$recipientCode == report.fromCode).first() else {
            throw DocumentImport.refused(LocalizedText(vi: "Văn bản không gửi cho cơ quan báo trạng thái (From/OrganId \(report.fromCode)).",
                                                       en: "The document was not sent to the reporting organ (From/OrganId \(report.fromCode))."))
        }
        guard recipient.deliveredID == nil else {
            throw DocumentImport.refused(LocalizedText(vi: "Nơi nhận là đơn vị trong hệ thống: trạng thái của văn bản được cập nhật tự động.",
                                                       en: "The recipient is a unit of this installation: its status is kept by the platform itself."))
        }
        // A time in the future is taken as now: a clock ahead cannot hold a status against later messages.
        let at = min(report.at ?? now, now)
        if at >= recipient.updatedAt {
            (recipient.statusCode, recipient.updatedAt) = (report.statusCode, at)
            try await recipient.save(on: db)
        }
        return document
    }
}
