@testable import Documents
@testable import EGovPlatform
import FluentKit
import Foundation
@testable import PublicServices
import Testing

/// Every model lists its own property wrappers (`ModelProperties.swift`, written by `scripts/model-properties.py`)
/// so FluentKit does not reflect on every row (issue 15). A list that misses a field would silently stop reading
/// and writing it: each must be exactly what reflection finds, the same objects in the same order.
@Suite("Models' property lists")
struct ModelPropertiesTests {
    static let models: [any Fields.Type] = [
        AuditEventModel.self,
        AuditSealModel.self,
        AuthorityModel.self,
        CatalogueDocumentModel.self,
        CounterModel.self,
        DocumentFileModel.self,
        DocumentModel.self,
        DocumentTemplateModel.self,
        DocumentTypeModel.self,
        DossierEventModel.self,
        DossierFileModel.self,
        DossierModel.self,
        IssuerModel.self,
        OutboxMessageModel.self,
        OutboxMessageRow.self,
        OutsideCRLModel.self,
        ParticipantModel.self,
        PaymentModel.self,
        PersonalFileModel.self,
        ProcedureModel.self,
        ProcedureUnitModel.self,
        ProcessModel.self,
        RatingModel.self,
        RecipientStatusModel.self,
        RefreshTokenModel.self,
        SessionModel.self,
        SettingModel.self,
        SigningCertificateModel.self,
        StatusMessageRow.self,
        StoredFileModel.self,
        TrustedAuthorityModel.self,
        UnitModel.self,
        UserModel.self,
        UserPositionModel.self,
        VerificationCodeModel.self
    ]

    @Test("each model's listed properties are the ones reflection finds, in order")
    func listsMatchReflection() {
        for type in Self.models {
            let model = type.init()
            let listed = model.properties.map { ObjectIdentifier($0 as AnyObject) }
            let reflected = Mirror(reflecting: model).children.compactMap { $0.value as? any AnyProperty }
                .map { ObjectIdentifier($0 as AnyObject) }
            #expect(listed == reflected, "\(type): run scripts/model-properties.py")
        }
        #expect(Self.models.count == 35)
    }

    @Test("every model declared in Sources is in the list, so none is left to reflection unnoticed")
    func everyModelListed() throws {
        let sources = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Sources")
        let declaration = try Regex(#"final class (\w+): Model\b"#)
        var declared = Set<String>()
        let files = try #require(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
        for case let file as URL in files where file.pathExtension == "swift" {
            for match in try String(contentsOf: file, encoding: .utf8).matches(of: declaration) {
                if let name = match.output[1].substring { declared.insert(String(name)) }
            }
        }
        #expect(declared.count > 30)
        #expect(declared == Set(Self.models.map { String(describing: $0) }), "run scripts/model-properties.py")
    }
}
